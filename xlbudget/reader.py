"""The only module that opens input workbooks: the template contract → a typed ``Budget``.

Sheets and columns are found by header text, never by position. Problems in the clerk's
data become findings pointing at their cell; only an unusable file raises ``UnusableInput``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from xlbudget import contract, safety
from xlbudget.catalog import ECON_DEPT, ECON_GOV, FUNCTIONAL, Catalog, load_catalog
from xlbudget.findings import ERROR, INFO, WARNING, Finding, Location, UnusableInput, column_letter
from xlbudget.model import Budget, Income, Indicator, Line, Project, Statement, Unit
from xlbudget.money import DECIMALS, AmountError, Fen, beyond_bound, normalize_text, parse_amount, to_fen

if TYPE_CHECKING:
    from python_calamine import CalamineSheet

Grid = list[list[Any]]  # a sheet's cells as python-calamine gives them (str, float, int, bool, dates)
HEADER_SCAN_ROWS = 30  # the header row may sit below a title row or two
DEFAULT_YEAR = 2022

# Reading rules (ids are stable; descriptions live in the checks registry).
XB001, XB101, XB102, XB103, XB104, XB105, XB106, XB107, XB108 = (
    "XB001", "XB101", "XB102", "XB103", "XB104", "XB105", "XB106", "XB107", "XB108")
XB109, XB110, XB112, XB113, XB114 = "XB109", "XB110", "XB112", "XB113", "XB114"
XB206, XB207 = "XB206", "XB207"
XB115, XB116, XB117, XB118 = "XB115", "XB116", "XB117", "XB118"  # what the grid does not show
XB130 = "XB130"  # an amount beyond money.MAX_FEN
XB119, XB125, XB126 = "XB119", "XB125", "XB126"  # copied and unknown sheets, duplicated headers
XB127, XB128, XB129 = "XB127", "XB128", "XB129"  # no department, another year's template, lost zeros
EXACT_DIGITS = 15  # Excel keeps 15 significant digits: a longer code typed as a number is lost
# Levels a classification code may be typed at: the leaf level first (non-leaves are checked
# against the catalog, XB202, so the clerk learns which leaf to pick).
CODE_LEVELS = {"功能分类编码": (7, 5, 3), "经济分类编码": (5, 3)}
# Optional name columns a clerk may add beside a code: name header → (code header, catalog).
NAME_COLUMNS = {"功能分类名称": ("功能分类编码", FUNCTIONAL), "经济分类名称": ("经济分类编码", ECON_DEPT),
                "政府经济分类名称": ("政府经济分类编码", ECON_GOV)}

# Lists whose codes a number cell elsewhere may have lost leading zeros of: code header → sheet.
LISTED_CODES = {"单位编码": "单位", "项目编码": "项目"}

_CODE_FLOAT = re.compile(r"^(\d+)\.0+$")
_TEMPLATE_YEAR = re.compile(re.escape(contract.TEMPLATE_TITLE).replace(re.escape("{year}"), r"(\d{4})"))
# Template sheets, longest name first, so 项目支出 (2) is taken for a copy of 项目支出, not 项目.
# The template's sheets, of every contract version (a workbook may be of any of them).
ALL_SHEETS = {spec.name: spec for version in contract.CONTRACTS.values() for spec in version.sheets}
_BY_LENGTH = sorted(ALL_SHEETS, key=len, reverse=True)
# Control characters (tabs and line breaks kept) and non-characters: invalid in the XML of every output.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def cell_text(value: object) -> str:
    """A cell as trimmed text without control characters; integral floats lose their ``.0``
    (codes typed as numbers)."""
    if value is None:
        return ""
    if type(value) is str:
        return _text(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return _clean(str(value))


def code_text(value: object) -> str:
    """A classification/unit/project code: digits kept as text, spaces and ``.0`` removed."""
    return _code(cell_text(value))


def _clean(text: str) -> str:
    text = text.replace("\u00a0", " ").replace("\u3000", " ").strip()
    return _CONTROL.sub("", text).strip() if _CONTROL.search(text) else text


# Texts repeat down a column (codes, 资金来源): each distinct one is cleaned once.
_text = lru_cache(maxsize=2**16)(_clean)


_normal = lru_cache(maxsize=2**16)(normalize_text)


@lru_cache(maxsize=2**16)
def _code(text: str) -> str:
    text = _normal(text)
    match = _CODE_FLOAT.match(text)
    return match.group(1) if match else text


def _filled(value: object) -> bool:
    """Whether a cell holds anything (``cell_text`` is not empty)."""
    return value is not None and (type(value) is not str or bool(_text(value)))


@dataclass
class SheetRows:
    """A located sheet: its header columns and data rows (1-based row numbers)."""

    name: str
    columns: dict[str, int]  # header text → 0-based column index
    rows: list[tuple[int, list[object]]] = field(default_factory=list)
    flagged: set[tuple[int, int]] = field(default_factory=set)  # (row, column) already reported
    letter: dict[str, str] = field(init=False)  # header text → column letter
    named: tuple[str, ...] = field(init=False)  # name columns the clerk added (NAME_COLUMNS)

    def __post_init__(self) -> None:
        self.letter = {header: column_letter(index) for header, index in self.columns.items()}
        self.named = tuple(header for header in NAME_COLUMNS if header in self.columns)

    def letters(self) -> dict[str, str]:
        return dict(self.letter)


class _Reader:
    """Collects findings while turning one workbook's sheets into model items."""

    def __init__(self, path: Path, book: RawBook, version: contract.Contract = contract.CURRENT) -> None:
        self.contract = version
        self.file = path.name
        self.book = book
        self.raw = book.grids
        self.findings: list[Finding] = []
        self.unit = "万元"
        self.catalog: Catalog | None = None
        self.row_unit = ""  # 单位编码 of the row being read, so findings can be summarised by unit
        self.padded: dict[str, dict[str, str]] = {}  # code header → {code without its zeros: listed code}

    # -- findings ------------------------------------------------------------------------
    def report(self, code: str, severity: str, message: str, where: Location, hint: str = "",
               **values: str) -> None:
        self.findings.append(Finding(code, severity, message, where, hint, **({"unit": self.row_unit} | values)))

    def where(self, sheet: str, row: int = 0, column: str = "") -> Location:
        return Location(sheet, row, column, self.file)

    # -- sheets --------------------------------------------------------------------------
    def locate(self, spec: contract.Sheet) -> SheetRows | None:
        """Find the sheet and its header row; report a missing sheet or missing columns."""
        name = next((n for n in self.raw if canonical(n, [spec.name])), None)
        if name is None:
            if spec.required:
                names = "、".join(self.book.names) or "（无）"
                self.report(XB101, ERROR, f"缺少工作表“{spec.name}”。文件中的工作表：{names}",
                            self.where(spec.name), f"请使用 xlbudget template 生成的模板，保留工作表“{spec.name}”。")
            return None
        grid = self.raw[name]
        best_row, found = _header_row(grid, spec)
        best = {header: columns[0] for header, columns in found.items()}
        for header, columns in found.items():
            if len(columns) > 1:
                cells = "、".join(f"{column_letter(c)}{best_row + 1}" for c in columns)
                self.report(XB126, ERROR, f"工作表“{spec.name}”的表头“{header}”出现了 {len(columns)} 次（{cells}），"
                            "无法确定应读取哪一列", self.where(spec.name, best_row + 1, column_letter(columns[1])),
                            f"删除多余的列，或把它的表头改为其他文字，只保留一列“{header}”。")
        missing = [c.header for c in spec.columns if c.required and c.header not in best]
        if missing:
            self.report(XB102, ERROR, f"工作表“{spec.name}”缺少列：{'、'.join(missing)}",
                        self.where(spec.name, best_row + 1 if best else 0),
                        "表头文字须与模板一致（可调整列序、可增加列）。")
            return None
        located = SheetRows(spec.name, best)
        for index in range(best_row + 1, len(grid)):
            located.rows.append((index + 1, grid[index]))
        self.note_unseen(located, name, best_row)
        return located

    def note_unseen(self, located: SheetRows, name: str, header: int) -> None:
        """Report what the grid does not show: a hidden sheet or hidden rows (read anyway),
        formulas without a cached value and error values (their cells are then not reported
        as blank again), and merged cells."""
        facts = self.book.facts.get(name, safety.SheetFacts())
        if name in self.book.hidden:
            self.report(XB118, INFO, f"工作表“{located.name}”是隐藏的工作表，已照常读取",
                        self.where(located.name), "如其中的数据不应使用，请删除这些行。")
        filled = {number for number, row in located.rows if any(map(_filled, row))} if facts.hidden_rows else set()
        hidden = [row for row in facts.hidden_rows if row in filled]
        if hidden:
            rows = "、".join(map(str, hidden[:20])) + ("等" if len(hidden) > 20 else "")
            self.report(XB118, INFO, f"工作表“{located.name}”第{rows}行是隐藏行，已照常读取",
                        self.where(located.name, hidden[0]), "如其中的数据不应使用，请删除这些行。")
        for row, column in facts.uncached:
            located.flagged.add((row, column))
            self.report(XB115, ERROR, "单元格是公式，但文件中没有保存它的计算结果，无法读取",
                        self.where(located.name, row, column_letter(column)),
                        "用 Excel 或 WPS 打开此文件、保存一次后再试（由程序填写、从未在 Excel/WPS 中打开过的"
                        "文件没有计算结果）。")
        for row, column, value in facts.errors:
            located.flagged.add((row, column))
            self.report(XB116, ERROR, f"单元格的值是错误值 {value}", self.where(located.name, row, column_letter(column)),
                        "修正公式，或直接填写数值。", actual=value)
        for first, last in self.book.merged.get(name, ()):
            if last[0] > header:
                self.merged(located, self.raw[name], first, last, header)

    def merged(self, located: SheetRows, grid: Grid, first: tuple[int, int],
               last: tuple[int, int], header: int) -> None:
        """A merged range below the header: a code or text cell merged down is used in every
        row it covers (info); any other merge keeps its value in the top-left cell (warning)."""
        columns = {index: name for name, index in located.columns.items()}
        top = grid[first[0]] if first[0] < len(grid) else []
        value = top[first[1]] if first[1] < len(top) else None
        if not cell_text(value) or not any(column in columns for column in range(first[1], last[1] + 1)):
            return  # an empty merge (formatting only), or outside the template's columns
        area = f"{column_letter(first[1])}{first[0] + 1}:{column_letter(last[1])}{last[0] + 1}"
        where = self.where(located.name, first[0] + 1, column_letter(first[1]))
        spec = self.contract.sheet(located.name)
        header_name = columns.get(first[1], "")
        kind = spec.column(header_name).kind if header_name in {c.header for c in spec.columns} else ""
        if first[1] == last[1] and first[0] > header and kind in ("code", "choice", "text"):
            for row in grid[first[0] + 1:last[0] + 1]:
                row.extend([""] * (first[1] + 1 - len(row)))
                row[first[1]] = value
            self.report(XB117, INFO, f"合并单元格 {area}：已把“{cell_text(value)}”用于其中每一行", where,
                        "合并单元格在排序、筛选时容易出错，建议取消合并、逐行填写。")
        else:
            self.report(XB117, WARNING, f"合并单元格 {area} 的值只计入左上角的单元格，其余单元格按空白读取",
                        where, "取消合并，在每一行（每一列）分别填写。")

    def flagged(self, located: SheetRows, number: int, header: str) -> bool:
        """Whether the cell was already reported (a formula without a value, an error value)."""
        return (number, located.columns[header]) in located.flagged

    def data_rows(self, located: SheetRows) -> Iterator[tuple[int, dict[str, object]]]:
        """Non-empty rows as header → value; a row with data only in other columns is reported."""
        headers, indices = tuple(located.columns), tuple(located.columns.values())
        width = max(indices) + 1
        unit = located.columns.get("单位编码")
        for number, row in located.rows:
            if len(row) < width:  # calamine's rows are all as wide as the sheet; merged() may widen some
                row = row + [None] * (width - len(row))
            cells = [row[i] for i in indices]
            self.row_unit = self.listed_code("单位编码", row[unit]) if unit is not None else ""
            if any(map(_filled, cells)):
                yield number, dict(zip(headers, cells, strict=True))
            elif any(map(_filled, row)):
                self.report(XB107, WARNING, f"第{number}行只在模板以外的列中有内容，未读取",
                            self.where(located.name, number), "如为预算数据，请填入模板列。")
        self.row_unit = ""

    # -- cells ---------------------------------------------------------------------------
    def text(self, located: SheetRows, number: int, values: dict[str, object], header: str,
             required: bool = True, code: bool = False) -> str:
        raw = values.get(header)
        if type(raw) is str:  # the common case
            value = _code(_text(raw)) if code else _text(raw)
        else:
            value = code_text(raw) if code else cell_text(raw)
        if code and isinstance(raw, int | float) and not isinstance(raw, bool):  # a code Excel took for a number
            if _digits_lost(raw):
                self.report(XB106, ERROR, f"“{header}”{value} 被存成了数字，超过 {EXACT_DIGITS} 位的部分已丢失",
                            self.cell(located, number, header), "把该列设为文本格式后重新输入编码。", actual=value)
                return ""
            listed = self.padded.get(header, {}).get(value)
            if listed:
                self.report(XB129, WARNING, f"“{header}”{value} 是数字，前导 0 已丢失；按“{LISTED_CODES[header]}”表中的"
                            f"“{listed}”读取", self.cell(located, number, header),
                            f"把该列设为文本格式后重新输入编码（如 {listed}）。", expected=listed, actual=value)
                return listed
        if required and not value and not self.flagged(located, number, header):
            self.report(XB103, ERROR, f"“{header}”不能为空", self.cell(located, number, header),
                        f"请填写{header}。")
        return value

    def choice(self, located: SheetRows, number: int, values: dict[str, object], header: str,
               vocabulary: Sequence[str], required: bool = True) -> str:
        value = self.text(located, number, values, header, required=required)
        known = canonical(value, vocabulary)
        if value and not known:
            self.report(XB105, ERROR, f"“{header}”的值“{value}”不在可选范围内",
                        self.cell(located, number, header),
                        f"可选值：{'、'.join(vocabulary)}", actual=value)
        return known

    def code(self, located: SheetRows, number: int, values: dict[str, object], header: str,
             length: int = 0, required: bool = True) -> str:
        value = self.text(located, number, values, header, required=required, code=True)
        lengths = CODE_LEVELS.get(header, (length,) if length else ())
        if value and (not value.isdigit() or (lengths and len(value) not in lengths)):
            size = f"{lengths[0]}位" if lengths else ""
            self.report(XB106, ERROR, f"“{header}”的值“{value}”不是{size}数字编码",
                        self.cell(located, number, header), f"请填写{size}数字编码。", actual=value)
            return ""
        return value

    def amount(self, located: SheetRows, number: int, values: dict[str, object],
               header: str = "金额", required: bool = True) -> Fen | None:
        raw = values.get(header)
        fen = self.fen(located, number, raw, header, required)
        if fen is not None and beyond_bound(fen):
            text = cell_text(raw)
            self.report(XB130, ERROR, f"“{header}”{text} 超过单笔金额上限（1 万亿元）", self.cell(located, number, header),
                        f"核对该金额（是否多输了数字，或被写成了科学计数法），金额单位为{self.unit}。", actual=text)
            return None
        return fen

    def fen(self, located: SheetRows, number: int, raw: object, header: str, required: bool) -> Fen | None:
        """A cell's amount in 分; None, with its finding, when blank, unreadable, negative or with
        more decimals than the unit allows."""
        if type(raw) is float and 0 <= raw < math.inf:  # a number cell, the common case: no Decimal
            try:
                return to_fen(raw, self.unit)
            except AmountError:
                self.too_many_decimals(located, number, header, cell_text(raw), self.unit)
                return None
        text = cell_text(raw)
        if not text:
            if required and not self.flagged(located, number, header):
                self.report(XB103, ERROR, f"“{header}”不能为空", self.cell(located, number, header),
                            "请填写金额（无金额的行请删除）。")
            return None
        try:
            number_value, stated = parse_amount(raw)  # a unit typed after the number wins
        except AmountError as exc:
            self.report(XB104, ERROR, f"“{header}”无法读取：{exc}", self.cell(located, number, header),
                        f"请填写不带单位的数字，按{self.unit}计、精确到分。", actual=text)
            return None
        if number_value < 0:
            self.report(XB109, ERROR, f"“{header}”不能为负数（{text}）", self.cell(located, number, header),
                        "请填写调整后的正数金额。", actual=text)
            return None
        unit = stated or self.unit
        try:
            return to_fen(number_value, unit)
        except AmountError:
            self.too_many_decimals(located, number, header, text, unit)
            return None

    def too_many_decimals(self, located: SheetRows, number: int, header: str, text: str, unit: str) -> None:
        self.report(XB110, ERROR, f"“{header}”{text} 超过{unit}允许的 {DECIMALS[unit]} 位小数（须精确到分）",
                    self.cell(located, number, header), f"核对基本信息的金额单位（{self.unit}）与录入的金额是否一致。",
                    actual=text)

    def listed_code(self, header: str, raw: object) -> str:
        """The code of a cell, as listed when it is a number that lost the listed code's zeros."""
        code = code_text(raw)
        return self.padded.get(header, {}).get(code, code) if isinstance(raw, int | float) else code

    def list_codes(self, header: str, codes: Sequence[str]) -> None:
        """Remember the codes of a list (单位, 项目) beginning with 0, by the number they become
        when their zeros are lost; a number two listed codes would become is left alone."""
        padded: dict[str, str] = {}
        for code in codes:
            short = code.lstrip("0")
            if code.isdigit() and short != code:
                padded[short] = code if padded.get(short, code) == code else ""
        self.padded[header] = {short: code for short, code in padded.items() if code and short not in codes}

    def duplicate_key(self, located: SheetRows, number: int, key: str, first: int) -> None:
        self.report(XB114, ERROR, f"“{located.name}”中的项目“{key}”重复，第{first}行已填写过",
                    self.cell(located, number, "项目"), "删除多余的行，只保留正确的一行（重复时使用最后一行）。",
                    actual=key)

    def check_name(self, located: SheetRows, number: int, values: dict[str, object], header: str,
                   code: str) -> None:
        """A name column the clerk added must name ``code`` as the catalog does (XB206), or by a
        former name (XB207, the current name is printed)."""
        given, catalog, kind = cell_text(values.get(header)), self.catalog, NAME_COLUMNS[header][1]
        expected = catalog.name(kind, code) if catalog and code else ""
        if not (catalog and given and expected) or normalize_text(given) == normalize_text(expected):
            return
        former = catalog.former_name(kind, code, given)
        if former:
            until = f"（{former.used_until}年及以前）" if former.used_until else ""
            self.report(XB207, INFO, f"“{header}”为“{given}”，是编码“{code}”的旧名称{until}，"
                        f"{catalog.year}年名称为“{expected}”", self.cell(located, number, header),
                        "公开表使用现名称；可将该列改为现名称。", expected=expected, actual=given)
        else:
            self.report(XB206, WARNING, f"“{header}”为“{given}”，但编码“{code}”在科目表中的名称是“{expected}”",
                        self.cell(located, number, header), "以编码为准：核对编码是否填错。",
                        expected=expected, actual=given)

    def cell(self, located: SheetRows, number: int, header: str) -> Location:
        return Location(located.name, number, located.letter[header], self.file)


def canonical(value: str, vocabulary: Sequence[str]) -> str:
    """The vocabulary entry ``value`` means, ignoring spaces and full/half-width forms; "" if none."""
    return _normalized(tuple(vocabulary)).get(_normal(value), "")


@cache
def _normalized(vocabulary: tuple[str, ...]) -> dict[str, str]:
    return {normalize_text(entry): entry for entry in vocabulary}


def _header_row(grid: Grid, spec: contract.Sheet) -> tuple[int, dict[str, list[int]]]:
    """The header row (0-based; the first rows holding most of the sheet's headers) and the
    columns of each header found in it (more than one when a header is duplicated)."""
    wanted = [c.header for c in spec.columns]
    wanted += [extra for extra, (code, _) in NAME_COLUMNS.items() if code in wanted]
    best_row, best = 0, dict[str, list[int]]()
    for index, row in enumerate(grid[:HEADER_SCAN_ROWS]):
        found = _match_headers(row, wanted)
        if len(found) > len(best):
            best_row, best = index, found
    return best_row, best


def _match_headers(row: Sequence[object], wanted: Sequence[str]) -> dict[str, list[int]]:
    found: dict[str, list[int]] = {}
    for index, value in enumerate(row):
        header = canonical(cell_text(value), wanted)
        if header:
            found.setdefault(header, []).append(index)
    return found


def _digits_lost(value: object) -> bool:
    """A code cell holding a number too long for Excel to keep exactly (e.g. a 20-digit project code)."""
    return isinstance(value, int | float) and not isinstance(value, bool) and abs(value) >= 10**EXACT_DIGITS


# What Excel, WPS and LibreOffice append to a copied sheet's name: " (2)", "（2）", "2", "-副本", " copy".
_COPY_SUFFIX = re.compile(r"^[\s_-]*([(（]?\d+[)）]?|副本.*|copy.*)$", re.IGNORECASE)


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


def _load_raw(path: Path) -> RawBook:
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
                    _look_into(book, name, workbook.get_sheet_by_name if _small(inspection, name) else None)
            return book
    except UnusableInput:
        raise
    except Exception as exc:  # calamine raises several private error types for bad files
        if type(exc).__name__ == "PasswordError":  # an .xls with an open password
            raise safety.encrypted(path) from None
        raise UnusableInput(Finding(
            XB001, ERROR, f"无法作为 Excel 工作簿读取：{path.name}（{type(exc).__name__}）", Location(file=path.name),
            "请确认文件是 .xlsx/.xls 工作簿且未加密；可在 Excel 或 WPS 中另存为 .xlsx 后重试。")) from None


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


def _look_into(book: RawBook, name: str, open_sheet: Callable[[str], CalamineSheet] | None) -> None:
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
        book.template_year = int(title.group(1)) if title else 0
    elif any(isinstance(v, int | float) and not isinstance(v, bool) for row in rows for v in row):
        book.numbers.append(name)


def read_budget(path: Path, catalog: Catalog | None = None, catalog_files: Sequence[Path] = (),
                version: contract.Contract = contract.CURRENT) -> tuple[Budget, list[Finding]]:
    """Read one filled template (of contract ``version``). Returns the budget (possibly partial)
    and all findings."""
    reader = _Reader(path, _load_raw(path), version)
    located = {spec.name: reader.locate(spec) for spec in reader.contract.sheets}
    info = _read_info(reader, located["基本信息"])
    year = _parse_year(reader, info)
    reader.unit = _parse_unit(reader, info)
    reader.catalog = catalog or load_catalog(year, catalog_files)
    _report_other_sheets(reader)
    units = tuple(_read_units(reader, located["单位"]))
    reader.list_codes("单位编码", [u.code for u in units])
    projects = tuple(_read_projects(reader, located["项目"]))
    reader.list_codes("项目编码", [p.code for p in projects])
    project_units = {p.code: p.unit for p in reversed(projects)}
    budget = Budget(
        year=year,
        dept_code=code_text(info.get("部门编码", ("", 0))[0]),
        dept_name=cell_text(info.get("部门名称", ("", 0))[0]),
        amount_unit=reader.unit,
        units=units,
        incomes=tuple(_read_incomes(reader, located["收入"])),
        lines=tuple(_read_basic(reader, located["基本支出"]))
        + tuple(_read_project_lines(reader, located["项目支出"], project_units)),
        projects=projects,
        indicators=tuple(_read_indicators(reader, located["绩效目标"])),
        prior=_read_prior(reader, located["上年数"]),
        notes=_read_notes(reader, located["说明事项"]),
        purposes=_read_purposes(reader, located.get("功能科目用途")),  # contract version 2 on
        statements=tuple(_read_statements(reader, located.get("项目经费情况说明"))),
        catalog=reader.catalog,
        columns={name: sheet.letters() for name, sheet in located.items() if sheet},
    )
    _report_nameless(reader, budget, info, located)
    return budget, reader.findings


def _report_other_sheets(reader: _Reader) -> None:
    """Rows in a copy of a template sheet are an error, not read: read with their sheet they
    could count money twice (a backup or an earlier version), left out it would vanish. Numbers
    in any other sheet are a warning."""
    hint = "只读取模板中的工作表；如其中有预算数据，请填入对应的模板工作表。"
    for name, (base, grid) in reader.book.copies.items():
        header, found = _header_row(grid, ALL_SHEETS[base])
        rows = sum(1 for row in grid[header + 1 if found else 0:] if any(cell_text(v) for v in row))
        if rows and len(found) < 2 and not _COPY_SUFFIX.match(normalize_text(name)[len(normalize_text(base)):]):
            # the clerk's own sheet that merely starts like a template sheet (项目库, 收入测算):
            # neither a copy's name nor a copy's headers (two or more of the template's)
            reader.report(XB125, WARNING, f"工作表“{name}”不是模板中的工作表，其中的数字未读取", reader.where(name), hint)
        elif rows and any(canonical(n, [base]) for n in reader.raw):
            reader.report(XB119, ERROR, f"工作表“{name}”像是“{base}”的副本或续表，其中 {rows} 行数据未读取",
                          reader.where(name), f"如这些行是预算数据，请移到“{base}”表中；如是备份或草稿，"
                          "请删除该工作表（或另存到其他文件）。", actual=f"{rows} 行")
        elif rows:
            reader.report(XB119, ERROR, f"工作表“{name}”像是改了名的“{base}”，其中 {rows} 行数据未读取",
                          reader.where(name), f"把工作表名改回“{base}”。", actual=f"{rows} 行")
    for name in reader.book.numbers:
        reader.report(XB125, WARNING, f"工作表“{name}”不是模板中的工作表，其中的数字未读取", reader.where(name), hint)
    for name in reader.book.unseen:
        reader.report(XB125, WARNING, f"工作表“{name}”不是模板中的工作表，数据区域过大或无法读取，未读取", reader.where(name), hint)


def _report_nameless(reader: _Reader, budget: Budget, info: dict[str, tuple[object, int]],
                     located: dict[str, SheetRows | None]) -> None:
    """No public table without its department: 部门编码, 部门名称 and at least one 单位."""
    if located["基本信息"] is not None:
        for key, value in (("部门编码", budget.dept_code), ("部门名称", budget.dept_name)):
            if not value:
                row = info.get(key, ("", 0))[1]
                where = reader.cell(located["基本信息"], row, "内容") if row else reader.where("基本信息")
                reader.report(XB127, ERROR, f"基本信息未填写“{key}”，公开表不能没有{key}", where,
                              f"在基本信息中填写{key}。")
    if located["单位"] is not None and not budget.units:
        reader.report(XB127, ERROR, "“单位”表中没有单位，公开表不能没有单位", reader.where("单位"),
                      "在“单位”表中填写部门本级及所属单位，每单位一行。")


def _read_info(reader: _Reader, located: SheetRows | None) -> dict[str, tuple[object, int]]:
    """基本信息 key → (value, row)."""
    info: dict[str, tuple[object, int]] = {}
    if located is None:
        return info
    for number, values in reader.data_rows(located):
        key = canonical(cell_text(values["项目"]), reader.contract.info_keys) or cell_text(values["项目"])
        if key in info:
            reader.duplicate_key(located, number, key, info[key][1])
        info[key] = (values["内容"], number)
    return info


def _parse_year(reader: _Reader, info: dict[str, tuple[object, int]]) -> int:
    value, row = info.get("预算年度", ("", 0))
    text = code_text(value).removesuffix("年")
    if text.isdigit() and 2000 <= int(text) <= 2100:
        year, template = int(text), reader.book.template_year
        if template and year != template:
            reader.report(XB128, WARNING, f"基本信息“预算年度”为 {year}，但本工作簿是 {template} 年度的填报模板",
                          reader.where("基本信息", row, "B"), f"如确为 {year} 年度预算，请用 xlbudget template "
                          f"--year {year} 生成当年的模板（科目下拉列表按年度提供）后转录；否则改正预算年度。",
                          expected=str(template), actual=str(year))
        return year
    reader.report(XB108, ERROR, f"基本信息“预算年度”应为四位年份，实际为“{cell_text(value)}”",
                  reader.where("基本信息", row, "B" if row else ""), "例如 2022。",
                  actual=cell_text(value))
    return DEFAULT_YEAR


def _parse_unit(reader: _Reader, info: dict[str, tuple[object, int]]) -> str:
    value, row = info.get("金额单位", ("", 0))
    unit = normalize_text(cell_text(value))
    if unit in contract.AMOUNT_UNITS:
        return unit
    if not unit:
        reader.report(XB113, INFO, "基本信息未填写“金额单位”，按万元读取",
                      reader.where("基本信息", row), "请填写 万元 或 元。")
        return "万元"
    reader.report(XB108, ERROR, f"基本信息“金额单位”应为 万元 或 元，实际为“{unit}”",
                  reader.where("基本信息", row, "B"), "请填写 万元 或 元。", actual=unit)
    return "万元"


def _read_units(reader: _Reader, located: SheetRows | None) -> Iterator[Unit]:
    if located is None:
        return
    for number, values in reader.data_rows(located):
        code = reader.code(located, number, values, "单位编码")
        name = reader.text(located, number, values, "单位名称")
        kind = reader.choice(located, number, values, "单位类型", contract.UNIT_TYPES)
        if code:
            yield Unit(code, name, kind, reader.where(located.name, number))


def _read_incomes(reader: _Reader, located: SheetRows | None) -> Iterator[Income]:
    if located is None:
        return
    for number, values in reader.data_rows(located):
        unit = reader.code(located, number, values, "单位编码")
        source = reader.choice(located, number, values, "资金来源", contract.SOURCES)
        amount = reader.amount(located, number, values)
        if unit and source and amount is not None:
            yield Income(unit, source, amount, reader.cell(located, number, "金额"))


def _read_line(reader: _Reader, located: SheetRows, number: int, values: dict[str, object],
               unit: str, project: str) -> Line | None:
    function = reader.code(located, number, values, "功能分类编码", length=7)
    econ = reader.code(located, number, values, "经济分类编码", length=5)
    source = reader.choice(located, number, values, "资金来源", contract.SOURCES)
    amount = reader.amount(located, number, values)
    override = (reader.code(located, number, values, "政府经济分类编码", length=5, required=False)
                if "政府经济分类编码" in located.columns else "")
    if located.named:  # the clerk added name columns beside the codes
        codes = {"功能分类编码": function, "经济分类编码": econ, "政府经济分类编码": override}
        for header in located.named:
            reader.check_name(located, number, values, header, codes[NAME_COLUMNS[header][0]])
    if not (unit or project) or not (function and econ and source) or amount is None:
        return None
    return Line(unit, function, econ, source, amount, project, override,
                reader.cell(located, number, "金额"))


def _read_basic(reader: _Reader, located: SheetRows | None) -> Iterator[Line]:
    if located is None:
        return
    for number, values in reader.data_rows(located):
        unit = reader.code(located, number, values, "单位编码")
        line = _read_line(reader, located, number, values, unit, "")
        if line:
            yield line


def _read_project_lines(reader: _Reader, located: SheetRows | None,
                        project_units: dict[str, str]) -> Iterator[Line]:
    """Project lines carry the project's code; their unit comes from the 项目 sheet."""
    if located is None:
        return
    for number, values in reader.data_rows(located):
        project = reader.text(located, number, values, "项目编码", code=True)
        reader.row_unit = project_units.get(project, "")
        line = _read_line(reader, located, number, values, reader.row_unit, project)
        if line:
            yield line


def _read_projects(reader: _Reader, located: SheetRows | None) -> Iterator[Project]:
    if located is None:
        return
    for number, values in reader.data_rows(located):
        code = reader.text(located, number, values, "项目编码", code=True)
        name = reader.text(located, number, values, "项目名称")
        kind = reader.choice(located, number, values, "项目类型", contract.PROJECT_TYPES)
        unit = reader.code(located, number, values, "单位编码")
        targets = reader.choice(located, number, values, "已设绩效目标", contract.YES_NO, required=False)
        if code:
            yield Project(code, name, kind, unit, reader.where(located.name, number), targets == "是")


def _read_indicators(reader: _Reader, located: SheetRows | None) -> Iterator[Indicator]:
    if located is None:
        return
    for number, values in reader.data_rows(located):
        project = reader.text(located, number, values, "项目编码", code=True)
        category = reader.choice(located, number, values, "一级指标", contract.INDICATOR_CATEGORIES)
        level2 = reader.text(located, number, values, "二级指标", required=False)
        level3 = reader.text(located, number, values, "三级指标")
        value = reader.text(located, number, values, "指标值")
        if project and category:
            yield Indicator(project, category, level2, level3, value, reader.where(located.name, number))


def _key_rows(reader: _Reader, located: SheetRows | None, keys: Sequence[str]
              ) -> Iterator[tuple[int, str, dict[str, object]]]:
    """Rows of a key/value sheet; unknown keys are reported (info) and still returned."""
    if located is None:
        return
    seen: dict[str, int] = {}
    for number, values in reader.data_rows(located):
        key = canonical(cell_text(values["项目"]), keys) or cell_text(values["项目"])
        if key not in keys:
            reader.report(XB112, INFO, f"“{located.name}”中的项目“{key}”不是约定的项目名，已按原样保留",
                          reader.cell(located, number, "项目"), f"约定的项目：{'、'.join(keys)}")
        if key and key in seen:
            reader.duplicate_key(located, number, key, seen[key])
        seen[key] = number
        yield number, key, values


def _read_prior(reader: _Reader, located: SheetRows | None) -> dict[str, Fen]:
    prior: dict[str, Fen] = {}
    for number, key, values in _key_rows(reader, located, reader.contract.prior_keys):
        amount = reader.amount(located, number, values, required=False)  # type: ignore[arg-type]
        if amount is not None:
            prior[key] = amount
    return prior


def _read_notes(reader: _Reader, located: SheetRows | None) -> dict[str, str]:
    notes: dict[str, str] = {}
    for _number, key, values in _key_rows(reader, located, reader.contract.note_keys):
        text = cell_text(values.get("内容"))
        if text:
            notes[key] = text
    return notes


def _read_purposes(reader: _Reader, located: SheetRows | None) -> dict[str, str]:
    purposes: dict[str, str] = {}
    if located is None:
        return purposes
    seen: dict[str, int] = {}
    for number, values in reader.data_rows(located):
        code = reader.code(located, number, values, "功能分类编码", length=7)
        text = reader.text(located, number, values, "主要用途")
        if code in seen:
            reader.report(XB114, ERROR, f"“{located.name}”中的科目“{code}”重复，第{seen[code]}行已填写过",
                          reader.cell(located, number, "功能分类编码"),
                          "删除多余的行，只保留正确的一行（重复时使用最后一行）。", actual=code)
        if code:
            seen[code] = number
            purposes[code] = text
    return purposes


def _read_statements(reader: _Reader, located: SheetRows | None) -> Iterator[Statement]:
    if located is None:
        return
    for number, values in reader.data_rows(located):
        project = reader.text(located, number, values, "项目编码", code=True)
        sections = tuple((s, reader.text(located, number, values, s, required=False))
                         for s in contract.STATEMENT_SECTIONS)
        if project:
            yield Statement(project, sections, reader.where(located.name, number))
