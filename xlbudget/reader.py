"""The only module that opens input workbooks: the template contract → a typed ``Budget``.

Sheets and columns are found by header text, never by position. Problems in the clerk's
data become findings pointing at their cell; only an unusable file raises ``UnusableInput``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from xlbudget import contract
from xlbudget.catalog import Catalog, load_catalog
from xlbudget.findings import ERROR, INFO, WARNING, Finding, Location, UnusableInput
from xlbudget.model import Budget, Income, Indicator, Line, Project, Unit
from xlbudget.money import AmountError, Fen, normalize_text, to_fen

HEADER_SCAN_ROWS = 30  # the header row may sit below a title row or two
DEFAULT_YEAR = 2022

# Reading rules (ids are stable; descriptions live in the checks registry).
XB001, XB101, XB102, XB103, XB104, XB105, XB106, XB107, XB108 = (
    "XB001", "XB101", "XB102", "XB103", "XB104", "XB105", "XB106", "XB107", "XB108")

_CODE_FLOAT = re.compile(r"^(\d+)\.0+$")


def column_letter(index: int) -> str:
    """0-based column index → A, B, … AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def cell_text(value: object) -> str:
    """A cell as trimmed text; integral floats lose their ``.0`` (codes typed as numbers)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value).replace("\u00a0", " ").replace("\u3000", " ").strip()
    return text


def code_text(value: object) -> str:
    """A classification/unit/project code: digits kept as text, spaces and ``.0`` removed."""
    text = normalize_text(cell_text(value))
    match = _CODE_FLOAT.match(text)
    return match.group(1) if match else text


@dataclass
class SheetRows:
    """A located sheet: its header columns and data rows (1-based row numbers)."""

    name: str
    columns: dict[str, int]  # header text → 0-based column index
    rows: list[tuple[int, list[object]]] = field(default_factory=list)

    def letters(self) -> dict[str, str]:
        return {header: column_letter(index) for header, index in self.columns.items()}


class _Reader:
    """Collects findings while turning one workbook's sheets into model items."""

    def __init__(self, path: Path, raw: dict[str, list[list[object]]]) -> None:
        self.path = path
        self.raw = raw
        self.findings: list[Finding] = []
        self.unit = "万元"

    # -- findings ------------------------------------------------------------------------
    def report(self, code: str, severity: str, message: str, where: Location, hint: str = "",
               **values: str) -> None:
        self.findings.append(Finding(code, severity, message, where, hint, **values))

    def where(self, sheet: str, row: int = 0, column: str = "") -> Location:
        return Location(sheet, row, column, self.path.name)

    # -- sheets --------------------------------------------------------------------------
    def locate(self, spec: contract.Sheet) -> SheetRows | None:
        """Find the sheet and its header row; report a missing sheet or missing columns."""
        name = next((n for n in self.raw if canonical(n, [spec.name])), None)
        if name is None:
            if spec.required:
                found = "、".join(self.raw) or "（无）"
                self.report(XB101, ERROR, f"缺少工作表“{spec.name}”。文件中的工作表：{found}",
                            self.where(spec.name), f"请使用 xlbudget template 生成的模板，保留工作表“{spec.name}”。")
            return None
        grid = self.raw[name]
        wanted = [c.header for c in spec.columns]
        best_row, best = 0, {}
        for index, row in enumerate(grid[:HEADER_SCAN_ROWS]):
            found_cols = _match_headers(row, wanted)
            if len(found_cols) > len(best):
                best_row, best = index, found_cols
        missing = [c.header for c in spec.columns if c.required and c.header not in best]
        if missing:
            self.report(XB102, ERROR, f"工作表“{spec.name}”缺少列：{'、'.join(missing)}",
                        self.where(spec.name, best_row + 1 if best else 0),
                        "表头文字须与模板一致（可调整列序、可增加列）。")
            return None
        located = SheetRows(spec.name, best)
        for index in range(best_row + 1, len(grid)):
            located.rows.append((index + 1, grid[index]))
        return located

    def data_rows(self, located: SheetRows) -> Iterator[tuple[int, dict[str, object]]]:
        """Non-empty rows as header → value; a row with data only in other columns is reported."""
        for number, row in located.rows:
            values = {h: (row[i] if i < len(row) else None) for h, i in located.columns.items()}
            if any(cell_text(v) for v in values.values()):
                yield number, values
            elif any(cell_text(v) for v in row):
                self.report(XB107, WARNING, f"第{number}行只在模板以外的列中有内容，未读取",
                            self.where(located.name, number), "如为预算数据，请填入模板列。")

    # -- cells ---------------------------------------------------------------------------
    def text(self, located: SheetRows, number: int, values: dict[str, object], header: str,
             required: bool = True, code: bool = False) -> str:
        value = code_text(values.get(header)) if code else cell_text(values.get(header))
        if required and not value:
            self.report(XB103, ERROR, f"“{header}”不能为空", self.cell(located, number, header),
                        f"请填写{header}。")
        return value

    def choice(self, located: SheetRows, number: int, values: dict[str, object], header: str,
               vocabulary: Sequence[str]) -> str:
        value = self.text(located, number, values, header)
        known = canonical(value, vocabulary)
        if value and not known:
            self.report(XB105, ERROR, f"“{header}”的值“{value}”不在可选范围内",
                        self.cell(located, number, header),
                        f"可选值：{'、'.join(vocabulary)}", actual=value)
        return known

    def code(self, located: SheetRows, number: int, values: dict[str, object], header: str,
             length: int = 0, required: bool = True) -> str:
        value = self.text(located, number, values, header, required=required, code=True)
        if value and (not value.isdigit() or (length and len(value) != length)):
            size = f"{length}位" if length else ""
            self.report(XB106, ERROR, f"“{header}”的值“{value}”不是{size}数字编码",
                        self.cell(located, number, header), f"请填写{size}数字编码。", actual=value)
            return ""
        return value

    def amount(self, located: SheetRows, number: int, values: dict[str, object],
               header: str = "金额", required: bool = True) -> Fen | None:
        raw = values.get(header)
        if not cell_text(raw):
            if required:
                self.report(XB103, ERROR, f"“{header}”不能为空", self.cell(located, number, header),
                            "请填写金额（无金额的行请删除）。")
            return None
        try:
            return to_fen(raw, self.unit)
        except AmountError as exc:
            self.report(XB104, ERROR, f"“{header}”无法读取：{exc}", self.cell(located, number, header),
                        f"请填写不带单位的非负数字，按{self.unit}计、精确到分。", actual=cell_text(raw))
            return None

    def cell(self, located: SheetRows, number: int, header: str) -> Location:
        return self.where(located.name, number, column_letter(located.columns[header]))


def canonical(value: str, vocabulary: Sequence[str]) -> str:
    """The vocabulary entry ``value`` means, ignoring spaces and full/half-width forms; "" if none."""
    return _normalized(tuple(vocabulary)).get(normalize_text(value), "")


@cache
def _normalized(vocabulary: tuple[str, ...]) -> dict[str, str]:
    return {normalize_text(entry): entry for entry in vocabulary}


def _match_headers(row: Sequence[object], wanted: Sequence[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, value in enumerate(row):
        header = canonical(cell_text(value), wanted)
        if header and header not in found:
            found[header] = index
    return found


def _load_raw(path: Path) -> dict[str, list[list[object]]]:
    """All sheets as grids of python values; an unreadable file raises UnusableInput."""
    where = Location(file=path.name)
    if not path.is_file():
        raise UnusableInput(Finding(XB001, ERROR, f"找不到文件：{path}", where, "请检查文件路径。"))
    try:
        from python_calamine import CalamineWorkbook

        workbook = CalamineWorkbook.from_path(str(path))
        return {name: workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
                for name in workbook.sheet_names}
    except Exception as exc:  # calamine raises several private error types for bad files
        raise UnusableInput(Finding(
            XB001, ERROR, f"无法作为 Excel 工作簿读取：{path.name}（{type(exc).__name__}）", where,
            "请确认文件是 .xlsx/.xls 工作簿且未加密；可在 Excel 或 WPS 中另存为 .xlsx 后重试。")) from None


def read_budget(path: Path, catalog: Catalog | None = None,
                catalog_files: Sequence[Path] = ()) -> tuple[Budget, list[Finding]]:
    """Read one filled template. Returns the budget (possibly partial) and all findings."""
    reader = _Reader(path, _load_raw(path))
    located = {spec.name: reader.locate(spec) for spec in contract.SHEETS}
    info = _read_info(reader, located["基本信息"])
    year = _parse_year(reader, info)
    reader.unit = _parse_unit(reader, info)
    projects = tuple(_read_projects(reader, located["项目"]))
    project_units = {p.code: p.unit for p in reversed(projects)}
    budget = Budget(
        year=year,
        dept_code=code_text(info.get("部门编码", ("", 0))[0]),
        dept_name=cell_text(info.get("部门名称", ("", 0))[0]),
        amount_unit=reader.unit,
        units=tuple(_read_units(reader, located["单位"])),
        incomes=tuple(_read_incomes(reader, located["收入"])),
        lines=tuple(_read_basic(reader, located["基本支出"]))
        + tuple(_read_project_lines(reader, located["项目支出"], project_units)),
        projects=projects,
        indicators=tuple(_read_indicators(reader, located["绩效目标"])),
        prior=_read_prior(reader, located["上年数"]),
        notes=_read_notes(reader, located["说明事项"]),
        catalog=catalog or load_catalog(year, catalog_files),
        columns={name: sheet.letters() for name, sheet in located.items() if sheet},
    )
    return budget, reader.findings


def _read_info(reader: _Reader, located: SheetRows | None) -> dict[str, tuple[object, int]]:
    """基本信息 key → (value, row)."""
    info: dict[str, tuple[object, int]] = {}
    if located is None:
        return info
    for number, values in reader.data_rows(located):
        key = canonical(cell_text(values["项目"]), contract.INFO_KEYS) or cell_text(values["项目"])
        info[key] = (values["内容"], number)
    return info


def _parse_year(reader: _Reader, info: dict[str, tuple[object, int]]) -> int:
    value, row = info.get("预算年度", ("", 0))
    text = code_text(value).removesuffix("年")
    if text.isdigit() and 2000 <= int(text) <= 2100:
        return int(text)
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
        reader.report(XB108, INFO, "基本信息未填写“金额单位”，按万元读取",
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
        line = _read_line(reader, located, number, values, project_units.get(project, ""), project)
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
        if code:
            yield Project(code, name, kind, unit, reader.where(located.name, number))


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
    for number, values in reader.data_rows(located):
        key = canonical(cell_text(values["项目"]), keys) or cell_text(values["项目"])
        if key not in keys:
            reader.report(XB105, INFO, f"“{located.name}”中的项目“{key}”不是约定的项目名，已按原样保留",
                          reader.cell(located, number, "项目"), f"约定的项目：{'、'.join(keys)}")
        yield number, key, values


def _read_prior(reader: _Reader, located: SheetRows | None) -> dict[str, Fen]:
    prior: dict[str, Fen] = {}
    for number, key, values in _key_rows(reader, located, contract.PRIOR_KEYS):
        amount = reader.amount(located, number, values, required=False)  # type: ignore[arg-type]
        if amount is not None:
            prior[key] = amount
    return prior


def _read_notes(reader: _Reader, located: SheetRows | None) -> dict[str, str]:
    notes: dict[str, str] = {}
    for _number, key, values in _key_rows(reader, located, contract.NOTE_KEYS):
        text = cell_text(values.get("内容"))
        if text:
            notes[key] = text
    return notes
