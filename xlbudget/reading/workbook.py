"""Opening the workbook: the template's sheets (and copies of them) as grids, read only after
``safety`` passed the file, and what the grids do not show (hidden sheets, merged ranges, other
sheets holding numbers, the template's year)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from xlbudget import contract, safety
from xlbudget.accounts_contract import ACCOUNTS
from xlbudget.findings import Location, UnusableInput
from xlbudget.money import normalize_text
from xlbudget.reading.cells import canonical, cell_text
from xlbudget.reading.rules import CANNOT_OPEN

if TYPE_CHECKING:
    from python_calamine import CalamineSheet

Grid = list[list[Any]]  # a sheet's cells as python-calamine gives them (str, float, int, bool, dates)

_TEMPLATE_YEAR = re.compile("|".join(re.escape(title).replace(re.escape("{year}"), r"(\d{4})")
                                     for title in (contract.TEMPLATE_TITLE, contract.ACCOUNTS_TITLE)))
# The template's sheets, of every version and with every optional input (a workbook may be of any of them).
ALL_SHEETS = {spec.name: spec for version in (*contract.CONTRACTS.values(), ACCOUNTS, contract.EVERY_INPUT)
              for spec in version.sheets}
# Template sheets, longest name first, so 项目支出 (2) is taken for a copy of 项目支出, not 项目.
_BY_LENGTH = sorted(ALL_SHEETS, key=len, reverse=True)
# What Excel, WPS and LibreOffice append to a copied sheet's name: " (2)", "（2）", "2", "-副本", " copy".
COPY_SUFFIX = re.compile(r"^[\s_-]*([(（]?\d+[)）]?|副本.*|copy.*)$", re.IGNORECASE)


def template_base(name: str) -> str:
    """The template sheet ``name`` is, or copies (its name and a suffix: 收入 (2), 收入-副本); "" if none."""
    text = normalize_text(name)
    return next((base for base in _BY_LENGTH if text.startswith(normalize_text(base))), "")


def _read_whole(name: str) -> bool:
    """Sheets read cell by cell (and so scanned by ``safety`` first): the template's and their copies."""
    return bool(template_base(name))


@dataclass
class RawBook:
    """The workbook as read: the template's sheets as grids, and what the grids do not show."""

    names: list[str]  # every sheet of the file, in order
    grids: dict[str, Grid] = field(default_factory=dict)  # the template's sheets
    hidden: set[str] = field(default_factory=set)
    merged: dict[str, list[tuple[tuple[int, int], tuple[int, int]]]] = field(default_factory=dict)
    facts: dict[str, safety.SheetFacts] = field(default_factory=dict)
    copies: dict[str, tuple[str, Grid]] = field(default_factory=dict)  # sheet → (template sheet, grid)
    numbers: list[str] = field(default_factory=list)  # other sheets holding numbers (not read)
    unseen: list[str] = field(default_factory=list)  # other sheets too large to look into
    template_year: int = 0  # the year in the title of a template xlbudget wrote (填报说明)


def load_raw(path: Path) -> RawBook:
    """The template's sheets, read only after ``safety.inspect`` passed the file; an unusable
    file raises UnusableInput. The format is found from the content, not the extension."""
    inspection = safety.inspect(path, _read_whole)
    try:
        from python_calamine import CalamineWorkbook, SheetVisibleEnum

        with path.open("rb") as handle:
            workbook = CalamineWorkbook.from_filelike(handle)
            book = RawBook(list(workbook.sheet_names), facts=inspection.sheets)
            book.hidden = {m.name for m in workbook.sheets_metadata if m.visible != SheetVisibleEnum.Visible}
            for name in book.names:
                if _read_whole(name):
                    _load_sheet(path, book, name, workbook.get_sheet_by_name(name))
                elif name != contract.LISTS_SHEET:
                    look_into(book, name, workbook.get_sheet_by_name if _small(inspection, name) else None)
            return book
    except UnusableInput:
        raise
    except Exception as exc:  # calamine raises several private error types for bad files
        if type(exc).__name__ == "PasswordError":  # an .xls with an open password
            raise safety.encrypted(path) from None
        raise UnusableInput(CANNOT_OPEN.finding(
            f"无法作为 Excel 工作簿读取：{path.name}（{type(exc).__name__}）", Location(file=path.name),
            hint="请确认文件是 .xlsx/.xls 工作簿且未加密；可在 Excel 或 WPS 中另存为 .xlsx 后重试。")) from None


def _small(inspection: safety.Inspection, name: str) -> bool:
    """Whether a sheet outside the template can be looked into: .xls and .ods are parsed whole when
    opened; an .xlsx sheet only if its data range is known to be small (none is for .xlsb)."""
    if inspection.kind not in ("xlsx", "xlsb"):
        return True
    return name in inspection.bounds and safety.sheet_fits(*inspection.bounds[name])


def _load_sheet(path: Path, book: RawBook, name: str, sheet: CalamineSheet) -> None:
    """A template sheet's grid (the first sheet of each name), or a copy's, to count its rows."""
    end = sheet.end or (-1, -1)
    safety.check_sheet_size(path, name, end[0] + 1, end[1] + 1)  # .xls/.xlsb: no pre-scan
    base = template_base(name)
    if canonical(name, [base]) and not any(canonical(n, [base]) for n in book.grids):
        book.grids[name] = sheet.to_python(skip_empty_area=False)
        book.merged[name] = list(sheet.merged_cell_ranges or ())
    else:
        book.copies[name] = (base, sheet.to_python(skip_empty_area=False))


def look_into(book: RawBook, name: str, open_sheet: Callable[[str], CalamineSheet] | None) -> None:
    """Another sheet: the template's year from its guide, or whether it holds numbers. One that
    cannot be opened safely (too large) or at all (``open_sheet`` fails) is noted as unseen."""
    try:
        rows = open_sheet(name).iter_rows() if open_sheet else None
    except Exception:  # a sheet python-calamine cannot read (a dialog or macro sheet): said, the file is still read
        rows = None
    if rows is None:
        book.unseen.append(name)
    elif name == contract.GUIDE_SHEET:
        first = next(iter(rows), [])
        title = _TEMPLATE_YEAR.match(cell_text(first[0] if first else ""))
        book.template_year = int(next(g for g in title.groups() if g)) if title else 0
    elif any(isinstance(v, int | float) and not isinstance(v, bool) for row in rows for v in row):
        book.numbers.append(name)
