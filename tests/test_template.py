"""The input template, read back: sheets, headers, dropdowns, formats, and budgets written exactly."""

from __future__ import annotations

import random
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils.cell import column_index_from_string, range_boundaries
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.dimensions import ColumnDimension
from openpyxl.worksheet.worksheet import Worksheet

from tests.lo import convert
from xlbudget.catalog import Catalog, load_catalog
from xlbudget.contract import NOTE_KEYS, PRIOR_KEYS, SHEET_BY_NAME, SHEETS, SOURCES, VOCABULARIES, note_label
from xlbudget.model import Budget, Income, Indicator, Line, Project, Unit
from xlbudget.money import FEN_PER_UNIT, parse_decimal
from xlbudget.template import LIST_NAMES, LISTS_SHEET, amount_cell, write_budget_workbook, write_template

YEAR = 2022
CONTRACT_NAMES = [sheet.name for sheet in SHEETS]
PROJECT = "41030022T000000000101"


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(YEAR)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory, catalog: Catalog) -> Path:
    path = tmp_path_factory.mktemp("template") / "模板.xlsx"
    write_template(path, YEAR, catalog)
    return path


@pytest.fixture(scope="module")
def blank(template: Path) -> Workbook:
    return openpyxl.load_workbook(template)


def small_budget(catalog: Catalog) -> Budget:
    return Budget(
        year=YEAR, dept_code="101001", dept_name="洛阳市政务服务和大数据管理局", amount_unit="万元",
        units=(Unit("101001", "洛阳市政务服务和大数据管理局", "行政单位"),
               Unit("101002", "洛阳市大数据中心", "事业单位")),
        incomes=(Income("101001", "一般公共预算", 12_345_678), Income("101002", "事业收入", 500_001),
                 Income("101002", "一般公共预算结转", 1)),
        lines=(
            Line("101001", "2010301", "30101", "一般公共预算", 12_345_678),
            Line("101001", "2010301", "30201", "一般公共预算", 99),
            Line("101002", "2010350", "30902", "事业收入", 500_001, gov_override="50601"),
            Line("101001", "2010302", "30227", "一般公共预算", 300_000_00, project=PROJECT),
            Line("101001", "2010302", "31002", "一般公共预算", 16_000_00, project=PROJECT),
        ),
        projects=(Project(PROJECT, "数字政府宣传经费", "特定目标类", "101001"),),
        indicators=(Indicator(PROJECT, "成本指标", "经济成本指标", "宣传费", "≤14.8万元"),
                    Indicator(PROJECT, "满意度指标", "服务对象满意度指标", "群众满意度", "≥95%")),
        prior={"收入总计": 5_114_000_00, "三公经费": 6_000_00},
        notes={"主要职能": "负责全市政务服务和大数据管理工作。", "机构设置": "内设机构7个。"},
        catalog=catalog,
    )


# -- helpers reading the workbook back -----------------------------------------------------------
def headers(ws: Worksheet) -> list[str]:
    return [cell.value for cell in ws[1] if cell.value is not None]


def records(ws: Worksheet, unit: str) -> list[dict[str, object]]:
    """Data rows by header, amounts back in 分 (exact), blank cells left out."""
    sheet = SHEET_BY_NAME[ws.title]
    amounts = {c.header for c in sheet.columns if c.kind == "amount"}
    names = headers(ws)
    out = []
    for row in ws.iter_rows(min_row=2, values_only=True):
        record = {h: v for h, v in zip(names, row, strict=False) if v is not None}
        out.append({h: to_fen(v, unit) if h in amounts else v for h, v in record.items()})
    return out


def to_fen(value: object, unit: str) -> int:
    """A written amount back to 分 the way a reader must do it: float via repr, never Decimal(float)."""
    assert isinstance(value, int | float), f"amount written as {value!r}"
    fen = Decimal(repr(value)) * FEN_PER_UNIT[unit]
    assert fen == fen.to_integral_value(), f"{value} {unit} is not a whole number of 分"
    return int(fen)


def name_values(wb: Workbook, name: str) -> list[object]:
    ((sheet, ref),) = wb.defined_names[name].destinations
    return [row[0].value for row in wb[sheet][ref.replace("$", "")]]


def name_last_row(wb: Workbook, name: str) -> int:
    ((_, ref),) = wb.defined_names[name].destinations
    return range_boundaries(ref.replace("$", ""))[3]


def column_dimension(ws: Worksheet, letter: str) -> ColumnDimension:
    """The <col> element covering ``letter`` (equal neighbours share one)."""
    index = column_index_from_string(letter)
    return next(d for d in ws.column_dimensions.values() if d.min <= index <= d.max)


def validations(ws: Worksheet) -> list:
    return list(ws.data_validations.dataValidation)


def validation_for(ws: Worksheet, header: str):
    col = headers(ws).index(header) + 1
    found = [dv for dv in validations(ws)
             if any(r.min_col <= col <= r.max_col and r.min_row == 2 for r in dv.sqref.ranges)]
    assert len(found) == 1, header
    return found[0]


# -- the blank template ----------------------------------------------------------------------------
def test_sheets_in_order_with_lists_hidden(blank: Workbook) -> None:
    assert blank.sheetnames == ["填报说明", *CONTRACT_NAMES, LISTS_SHEET]
    assert blank[LISTS_SHEET].sheet_state in ("hidden", "veryHidden")
    assert all(blank[name].sheet_state == "visible" for name in ["填报说明", *CONTRACT_NAMES])


def test_headers_are_the_contract(blank: Workbook) -> None:
    for sheet in SHEETS:
        ws = blank[sheet.name]
        assert headers(ws) == [c.header for c in sheet.columns], sheet.name
        assert ws.freeze_panes == "A2"
        assert all(cell.font.bold and cell.alignment.wrap_text for cell in ws[1])


def test_input_columns_unlocked_formatted_and_sheets_unprotected(blank: Workbook) -> None:
    ws = blank["基本支出"]
    assert not ws.protection.sheet
    assert ws["A1"].protection.locked  # the header
    for letter, number_format in {"A": "@", "B": "@", "C": "@", "E": "#,##0.00####"}.items():
        column = column_dimension(ws, letter)
        assert column.protection.locked is False
        assert column.number_format == number_format
        assert column.width >= 12
    assert column_dimension(blank["说明事项"], "B").protection.locked is False


def test_key_value_sheets_list_their_keys(blank: Workbook) -> None:
    info = blank["基本信息"]
    assert [[c.value for c in row] for row in info.iter_rows(min_row=2)] == [
        ["预算年度", YEAR], ["部门编码", None], ["部门名称", None], ["金额单位", "万元"]]
    assert [r[0] for r in blank["上年数"].iter_rows(min_row=2, values_only=True)] == list(PRIOR_KEYS)
    assert [r[0] for r in blank["说明事项"].iter_rows(min_row=2, values_only=True)] == [
        f"{key}（万元）" if key.startswith("政府采购") else key for key in NOTE_KEYS]  # amounts say their unit
    (unit_list,) = validations(info)
    assert (unit_list.type, unit_list.formula1, str(unit_list.sqref)) == ("list", "L_amountunit", "B5")


def test_defined_names_point_to_lists(blank: Workbook) -> None:
    accounts = {"决算资金来源", "支出类型", "结转结余类别", "三公经费项目"}  # the 部门决算 template's lists
    v1 = {choices: name for choices, name in LIST_NAMES.items()  # 是否: contract 2 on; 采购类型: with 政府采购
          if choices not in ("是否", "采购类型") and choices not in accounts}
    assert set(blank.defined_names) == set(v1.values())
    for choices, name in v1.items():
        ((sheet, _),) = blank.defined_names[name].destinations
        if choices in VOCABULARIES:
            assert (sheet, name_values(blank, name)) == (LISTS_SHEET, list(VOCABULARIES[choices]))
    assert name_values(blank, "L_source") == list(SOURCES)
    assert blank.defined_names["L_unit"].attr_text == "单位!$A$2:$A$2001"
    assert blank.defined_names["L_project"].attr_text == "项目!$A$2:$A$2001"


def test_catalog_lists_hold_bare_codes(blank: Workbook, catalog: Catalog) -> None:
    functions, econ = name_values(blank, "L_function"), name_values(blank, "L_econ")
    assert "2010301" in functions and "30101" in econ
    assert all(isinstance(c, str) and len(c) == 7 for c in functions)
    assert all(isinstance(c, str) and len(c) == 5 for c in econ)
    assert len(functions) == sum(e.level == "项" for e in catalog.functional.values())
    code_col = range_boundaries(blank.defined_names["L_function"].attr_text.split("!")[1].replace("$", ""))[0]
    names = {row[code_col - 1]: row[code_col] for row in blank[LISTS_SHEET].iter_rows(values_only=True)}
    assert names["2010301"] == "2010301 行政运行"  # the neighbouring column, for reading only


def test_every_dropdown_uses_a_defined_name(blank: Workbook) -> None:
    names = set(blank.defined_names)
    checked = 0
    for sheet in SHEETS:
        ws = blank[sheet.name]
        for dv in validations(ws):
            assert dv.formula1 is None or dv.formula1 in names, (sheet.name, dv.formula1)
            assert not (dv.formula1 or "").startswith('"')  # never an inline list
            assert len(dv.promptTitle or "") <= 32 and len(dv.prompt or "") <= 255
        for column in sheet.columns:
            if column.choices:
                dv = validation_for(ws, column.header)
                assert (dv.type, dv.formula1) == ("list", LIST_NAMES[column.choices])
                assert dv.errorStyle == ("warning" if column.kind == "code" else None)  # None = stop
                assert str(dv.sqref).endswith("2001")
                checked += 1
    assert checked == 15


def test_input_message_carries_the_column_help(blank: Workbook) -> None:
    dv = validation_for(blank["基本支出"], "功能分类编码")
    assert dv.promptTitle == "功能分类编码"
    assert dv.prompt.startswith("必填。7位支出功能分类项级科目编码")


def test_guide_explains_every_sheet_and_the_rules(blank: Workbook) -> None:
    text = "\n".join(str(row[0]) for row in blank["填报说明"].iter_rows(values_only=True) if row[0])
    for rule in ("金额按基本信息中的金额单位填写：元最多2位小数，万元最多6位小数",
                 "科目名称不需填写，由编码自动带出", "表头文字不可修改；可增加自己的列；可调整行序"):
        assert rule in text
    for sheet in SHEETS:
        assert f"【{sheet.name}】" in text
        assert all(f"· {column.header}（" in text for column in sheet.columns)
    assert "资金来源：" + "、".join(SOURCES) in text


def test_same_input_gives_identical_bytes(tmp_path: Path, catalog: Catalog) -> None:
    first, second = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    write_budget_workbook(small_budget(catalog), first)
    write_budget_workbook(small_budget(catalog), second)
    assert first.read_bytes() == second.read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.xlsx", "b.xlsx"]  # no temporary left


def test_unknown_amount_unit_is_refused(tmp_path: Path, catalog: Catalog) -> None:
    with pytest.raises(ValueError, match="金额单位"):
        write_template(tmp_path / "t.xlsx", YEAR, catalog, amount_unit="千元")
    assert not list(tmp_path.iterdir())


# -- a budget written into the template ------------------------------------------------------------
@pytest.mark.parametrize("unit", ["万元", "元"])
def test_budget_written_exactly(tmp_path: Path, catalog: Catalog, unit: str) -> None:
    budget = small_budget(catalog)
    path = tmp_path / "budget.xlsx"
    write_budget_workbook(budget, path, amount_unit=unit)
    wb = openpyxl.load_workbook(path)

    info = {r[0]: r[1] for r in wb["基本信息"].iter_rows(min_row=2, values_only=True)}
    assert info == {"预算年度": YEAR, "部门编码": "101001", "部门名称": budget.dept_name, "金额单位": unit}
    assert records(wb["单位"], unit) == [{"单位编码": u.code, "单位名称": u.name, "单位类型": u.type}
                                        for u in budget.units]
    assert records(wb["收入"], unit) == [{"单位编码": i.unit, "资金来源": i.source, "金额": i.amount}
                                        for i in budget.incomes]
    assert records(wb["基本支出"], unit) == [
        {"单位编码": "101001", "功能分类编码": "2010301", "经济分类编码": "30101", "资金来源": "一般公共预算",
         "金额": 12_345_678},
        {"单位编码": "101001", "功能分类编码": "2010301", "经济分类编码": "30201", "资金来源": "一般公共预算",
         "金额": 99},
        {"单位编码": "101002", "功能分类编码": "2010350", "经济分类编码": "30902", "资金来源": "事业收入",
         "金额": 500_001, "政府经济分类编码": "50601"},
    ]
    assert records(wb["项目"], unit) == [
        {"项目编码": PROJECT, "项目名称": "数字政府宣传经费", "项目类型": "特定目标类", "单位编码": "101001"}]
    assert records(wb["项目支出"], unit) == [
        {"项目编码": PROJECT, "功能分类编码": "2010302", "经济分类编码": "30227", "资金来源": "一般公共预算",
         "金额": 300_000_00},
        {"项目编码": PROJECT, "功能分类编码": "2010302", "经济分类编码": "31002", "资金来源": "一般公共预算",
         "金额": 16_000_00},
    ]
    assert records(wb["绩效目标"], unit) == [
        {"项目编码": i.project, "一级指标": i.category, "二级指标": i.level2, "三级指标": i.level3,
         "指标值": i.value} for i in budget.indicators]
    prior = {r["项目"]: r.get("金额") for r in records(wb["上年数"], unit)}
    assert prior == {key: budget.prior.get(key) for key in PRIOR_KEYS}
    notes = {r["项目"]: r.get("内容") for r in records(wb["说明事项"], unit)}
    assert notes == {note_label(key, unit): budget.notes.get(key) for key in NOTE_KEYS}


def test_written_cells_keep_their_format(tmp_path: Path, catalog: Catalog) -> None:
    path = tmp_path / "budget.xlsx"
    write_budget_workbook(small_budget(catalog), path)
    wb = openpyxl.load_workbook(path)
    ws = wb["基本支出"]
    assert (ws["A2"].value, ws["A2"].number_format, ws["A2"].protection.locked) == ("101001", "@", False)
    assert (ws["E2"].value, ws["E2"].number_format) == (12.345678, "#,##0.00####")
    assert wb["基本信息"]["B3"].number_format == "@"  # 部门编码 stays text when retyped


def test_dropdown_ranges_cover_the_written_rows(tmp_path: Path, catalog: Catalog) -> None:
    budget = small_budget(catalog)
    many = tuple(Unit(f"{n:06d}", f"单位{n}", "事业单位") for n in range(2500))
    path = tmp_path / "big.xlsx"
    write_budget_workbook(Budget(**{**vars(budget), "units": many}), path)
    wb = openpyxl.load_workbook(path)
    assert name_last_row(wb, "L_unit") >= 1 + 2500
    assert name_values(wb, "L_unit")[:2] == ["000000", "000001"]
    for sheet in SHEETS:
        ws = wb[sheet.name]
        for dv in validations(ws):
            for cells in dv.sqref.ranges:
                if cells.min_row == 2:
                    assert cells.max_row >= ws.max_row, (sheet.name, str(dv.sqref))


def test_amounts_round_trip_at_every_magnitude(tmp_path: Path, catalog: Catalog) -> None:
    rng = random.Random(2022)
    amounts = [rng.randrange(10 ** rng.randint(0, 15)) + 1 for _ in range(600)]
    budget = small_budget(catalog)
    incomes = tuple(Income("101001", "一般公共预算", fen) for fen in amounts)
    for unit in FEN_PER_UNIT:
        path = tmp_path / f"{unit}.xlsx"
        write_budget_workbook(Budget(**{**vars(budget), "incomes": incomes}), path, amount_unit=unit)
        got = [r["金额"] for r in records(openpyxl.load_workbook(path)["收入"], unit)]
        assert got == amounts, unit


def test_amount_beyond_float_precision_is_written_as_exact_text() -> None:
    fen = 123_456_789_012_345_678  # 123456789012.345678 万元: 18 significant digits
    assert amount_cell(fen, "万元") == "123456789012.345678"
    assert parse_decimal(amount_cell(fen, "万元")) * FEN_PER_UNIT["万元"] == fen
    assert amount_cell(12_345_678, "万元") == 12.345678
    assert amount_cell(12_345_678, "元") == 123456.78


# -- a real spreadsheet application opens it ---------------------------------------------------------
def resave_with_libreoffice(source: Path, outdir: Path) -> Path:
    """Open ``source`` in LibreOffice and save it again as .xlsx."""
    return convert(source, outdir, "xlsx")


def test_libreoffice_opens_and_resaves_the_template(tmp_path: Path, catalog: Catalog) -> None:
    source = tmp_path / "in" / "budget.xlsx"
    source.parent.mkdir()
    write_budget_workbook(small_budget(catalog), source)
    resaved = openpyxl.load_workbook(resave_with_libreoffice(source, tmp_path / "out"))
    assert resaved.sheetnames == ["填报说明", *CONTRACT_NAMES, LISTS_SHEET]
    for sheet in SHEETS:
        assert headers(resaved[sheet.name]) == [c.header for c in sheet.columns]
    assert records(resaved["收入"], "万元")[0] == {"单位编码": "101001", "资金来源": "一般公共预算",
                                                "金额": 12_345_678}
    assert "L_function" in resaved.defined_names
