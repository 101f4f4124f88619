"""The format a workbook was made for, in one place: ``template`` stamps the format's name and the
template (contract) version as two rows of 基本信息 (公开格式, 模板版本), which the clerk sees and may
change; ``compile`` and ``check`` read them back to choose the format. A workbook from an earlier
template carries no stamp and is read in the default format, as before, unless it fills inputs only
another format reads (``unread_inputs``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from xlbudget import contract
from xlbudget.findings import Finding, Location, column_letter
from xlbudget.reading.cells import canonical, cell_text
from xlbudget.reading.headers import header_row
from xlbudget.reading.rules import (
    FORMAT_DIFFERS,
    LIKELY_OTHER_FORMAT,
    OTHER_FAMILY,
    UNDECLARED_INPUT,
    UNKNOWN_FORMAT,
)
from xlbudget.reading.workbook import ALL_SHEETS, RawBook

FORMAT_KEY, VERSION_KEY = "公开格式", "模板版本"


@dataclass(frozen=True)
class Stamp:
    """What a workbook says of its format: the name as typed ("" when it says nothing), the
    template version as typed, and the 公开格式 cell."""

    format: str
    version: str
    where: Location


def stamp_values(format_name: str, version: int) -> dict[str, object]:
    """The 基本信息 rows that stamp a template of ``format_name`` (none without a name)."""
    return {FORMAT_KEY: format_name, VERSION_KEY: version} if format_name else {}


def stamp_guide(format_name: str) -> str:
    """What the template's 填报说明 says of its stamp."""
    return (f"7. 基本信息中的“{FORMAT_KEY}”（本模板为 {format_name}）和“{VERSION_KEY}”记载本模板所属的公开格式："
            "编制、校验时不写 --profile 即按此格式；如需改用另一种格式，改写“公开格式”"
            "（xlbudget profiles 列出内置格式）。")


def read_stamp(book: RawBook, file: str) -> Stamp:
    """The stamp in a workbook's 基本信息 (its last row of each key, as for every 基本信息 key)."""
    stamp = Stamp("", "", Location(file=file))
    name = next((n for n in book.grids if canonical(n, [contract.INFO_SHEET])), None)
    if name is None:
        return stamp
    grid = book.grids[name]
    header, found = header_row(grid, contract.SHEET_BY_NAME[contract.INFO_SHEET])
    if "项目" not in found or "内容" not in found:
        return stamp
    key_column, value_column = found["项目"][0], found["内容"][0]
    for number, row in enumerate(grid[header + 1:], start=header + 2):
        key = canonical(cell_text(row[key_column] if key_column < len(row) else None), (FORMAT_KEY, VERSION_KEY))
        value = cell_text(row[value_column] if value_column < len(row) else None)
        if key == FORMAT_KEY:
            where = Location(contract.INFO_SHEET, number, column_letter(value_column), file)
            stamp = Stamp(value, stamp.version, where)
        elif key == VERSION_KEY:
            stamp = Stamp(stamp.format, value, stamp.where)
    return stamp


@dataclass(frozen=True)
class Unread:
    """Inputs a workbook fills that its format does not read: a sheet (``headers`` all of its
    columns) or columns of a sheet the format reads, and the first filled cell."""

    sheet: str
    headers: tuple[str, ...]
    where: Location
    whole_sheet: bool

    @property
    def label(self) -> str:
        if self.whole_sheet:
            return f"“{self.sheet}”表"
        return f"“{self.sheet}”表的{'、'.join(f'“{h}”' for h in self.headers)}列"


def unread_inputs(book: RawBook, file: str, chosen: contract.Contract) -> list[Unread]:
    """The sheets and columns of other template versions that ``chosen`` does not read and that
    hold something below their header row in ``book``."""
    read = {(spec.name, column.header) for spec in chosen.sheets for column in spec.columns}
    own = {spec.name for spec in chosen.sheets}
    found = []
    for sheet, spec in ALL_SHEETS.items():
        name = next((n for n in book.grids if canonical(n, [sheet])), None)
        others = [c.header for c in spec.columns if (sheet, c.header) not in read]
        if name is None or not others:
            continue
        grid = book.grids[name]
        header, columns = header_row(grid, spec)
        shown = {h: columns[h][0] for h in others if h in columns}
        cell = _first_filled(grid, header + 1, sorted(shown.values()))
        if cell is not None:
            where = Location(sheet, cell[0] + 1, column_letter(cell[1]), file)
            found.append(Unread(sheet, tuple(shown), where, sheet not in own))
    return found


def undeclared_inputs(book: RawBook, file: str, chosen: contract.Contract) -> list[Finding]:
    """A notice for each sheet or columns of another template that ``book`` fills and ``chosen``
    does not read (read with a format that does not declare that optional input): not used."""
    found = []
    for unread in unread_inputs(book, file, chosen):
        keys = (unread.sheet,) if unread.whole_sheet else unread.headers
        names = "、".join(f"“{name}”" for name in dict.fromkeys(map(contract.input_of, keys)) if name)
        what = f"（可选输入{names}，所选格式的 inputs 没有声明它）" if names else ""
        found.append(UNDECLARED_INPUT.finding(
            f"{unread.label}填写了内容，但所选格式不读取{what}：其内容未用于公开表和预算说明", unread.where,
            actual=unread.label))
    return found


def _first_filled(grid: list[list[object]], start: int, columns: list[int]) -> tuple[int, int] | None:
    """(row, column), 0-based, of the first non-empty cell of ``columns`` from row ``start`` on."""
    for number in range(start, len(grid)):
        row = grid[number]
        for column in columns:
            if column < len(row) and cell_text(row[column]):
                return number, column
    return None


class FormatError(Exception):
    """The inputs' format cannot be chosen (a workbook records another one, or an unknown one);
    carries the findings."""

    def __init__(self, findings: list[Finding]) -> None:
        super().__init__("; ".join(f.message for f in findings))
        self.findings = findings


def format_differs(stamp: Stamp, chosen: str, first: Stamp | None = None) -> Finding:
    """``stamp`` records another format than ``chosen``: the one --profile names, or the one the
    ``first`` workbook of a department records."""
    if first is None:
        source = "--profile 指定的格式"
        hint = (f"去掉 --profile 按工作簿记载的“{stamp.format}”编制；如确需按“{chosen}”编制，把基本信息“{FORMAT_KEY}”"
                f"改为 {chosen}。")
    else:
        source = f"{first.where.file} 记载的格式"
        hint = f"同一部门的各单位工作簿按同一种格式编制：把两个工作簿基本信息的“{FORMAT_KEY}”改为同一种格式。"
    return FORMAT_DIFFERS.finding(f"工作簿记载的公开格式为“{stamp.format}”，但 {source}为“{chosen}”", stamp.where,
                                  hint=hint, expected=chosen, actual=stamp.format)


def unknown_format(stamp: Stamp, known: Sequence[str]) -> Finding:
    return UNKNOWN_FORMAT.finding(
        f"基本信息“{FORMAT_KEY}”为“{stamp.format}”，不是内置的公开格式（{'、'.join(known)}）", stamp.where,
        actual=stamp.format)


def likely_format(unread: Sequence[Unread], chosen: str, formats: Sequence[str]) -> Finding:
    """A workbook without a stamp, read in the default format ``chosen``, fills ``unread`` inputs,
    which the ``formats`` read."""
    names = "、".join(formats)
    return LIKELY_OTHER_FORMAT.finding(
        f"工作簿没有记载公开格式，按默认的“{chosen}”读取；但{'、'.join(u.label for u in unread)}填写了内容，"
        f"“{chosen}”不读取，它们是 {names} 格式的输入", unread[0].where,
        hint=(f"在基本信息末尾加一行：“项目”填“{FORMAT_KEY}”，“内容”填本工作簿所属的格式（{names}）；或编制时用 "
              f"--profile 指定格式。确应按“{chosen}”编制时写 --profile {chosen}。"),
        expected=names, actual=chosen)


def other_family(book: RawBook, file: str, chosen: str, mine: contract.Contract,
                 other: contract.Contract) -> Finding | None:
    """A workbook read in the format ``chosen`` (contract ``mine``) that is the other family's: it
    has none of the required sheets only ``mine`` has and every one only ``other`` has (a budget
    workbook given to a 决算 format, or the reverse)."""
    def own(a: contract.Contract, b: contract.Contract) -> list[str]:
        return [s.name for s in a.sheets if s.required and s.name not in {t.name for t in b.sheets}]

    present = set(book.names)
    missing, found = own(mine, other), own(other, mine)
    if not found or present & set(missing) or not set(found) <= present:
        return None
    return OTHER_FAMILY.finding(
        f"所选格式“{chosen}”编制部门{mine.family}，但工作簿是部门{other.family}的填报工作簿"
        f"（有{'、'.join(f'“{n}”' for n in found)}表，没有{'、'.join(f'“{n}”' for n in missing)}表）",
        Location(found[0], file=file), expected=f"部门{mine.family}填报工作簿", actual=f"部门{other.family}填报工作簿")
