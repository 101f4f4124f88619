"""Formulas and messy but valid cells (issue #6, items 3 and 4).

Each case is read correctly or reported; every non-empty input row is used or reported.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.workbooks import BASE, BASIC, GOALS, INCOME, PROJECT, PROJECT_LINES, PROJECTS, UNIT, info
from tests.workbooks_hostile import ErrorValue, Formula, Grid, write_xlsx, xlsx
from xlbudget.findings import ERROR, Finding
from xlbudget.model import Budget
from xlbudget.money import parse_amount
from xlbudget.pipeline import derive
from xlbudget.reader import read_budget

DATA_SHEETS = ("单位", "收入", "基本支出", "项目", "项目支出", "绩效目标")


def reading(findings: list[Finding]) -> list[tuple[str, str]]:
    """The reading findings (XB1xx) as (rule, where), in report order."""
    return [(f.code, str(f.where)) for f in findings if f.code.startswith("XB1")]


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> Budget:
    budget, findings = read_budget(xlsx(tmp_path_factory.mktemp("clean") / "clean.xlsx", BASE))
    assert findings == []
    return budget


# -- formulas ----------------------------------------------------------------------------------
def test_formulas_with_cached_values_are_read_as_their_values(tmp_path: Path, clean: Budget) -> None:
    path = write_xlsx(tmp_path / "公式.xlsx", {**BASE, "收入": [INCOME, [
        Formula('="001"&"001"', UNIT), "一般公共预算", Formula("=100+10", 110)]]})
    budget, findings = read_budget(path)
    assert (budget, findings) == (clean, [])


def test_formulas_without_cached_values_are_errors_naming_each_cell(tmp_path: Path) -> None:
    """A template filled by a program and never opened in Excel/WPS: never read as 0."""
    path = xlsx(tmp_path / "未计算.xlsx", {
        **BASE,
        "收入": [INCOME, [UNIT, "一般公共预算", Formula("100+10")]],
        "基本支出": [BASIC + ["备注"], [UNIT, "2010301", "30101", "一般公共预算", Formula("SUM(90,10)", cached=""),
                                      Formula('""', cached="", text_result=True)]],
    })
    budget, findings = read_budget(path)
    assert reading(findings) == [("XB115", "收入!C2"), ("XB115", "基本支出!E2")]
    assert "打开此文件、保存一次" in findings[0].hint
    assert budget.incomes == () and [line.project for line in budget.lines] == [PROJECT]


def test_error_values_are_reported_not_read_as_blank(tmp_path: Path) -> None:
    path = xlsx(tmp_path / "错误值.xlsx", {**BASE, "收入": [INCOME, [UNIT, "一般公共预算", ErrorValue("#DIV/0!")]]})
    findings = read_budget(path)[1]
    assert reading(findings) == [("XB116", "收入!C2")] and findings[0].actual == "#DIV/0!"


# -- numbers and codes as clerks type them ----------------------------------------------------
AMOUNTS: list[tuple[object, str, int | str]] = [
    # (typed, 金额单位, read as 分 — or the rule reported)
    (110, "万元", 110_000000),
    (110.0, "万元", 110_000000),
    ("110", "万元", 110_000000),
    ("１１０．００", "万元", 110_000000),
    ("1,234.56", "元", 123456),
    ("１，２３４．５６", "元", 123456),
    (" 110\u00a0", "万元", 110_000000),
    ("\u200b110\u3000", "万元", 110_000000),
    ("110万元", "万元", 110_000000),
    ("1,234.56元", "万元", 123456),  # the unit typed after the number wins
    ("110 万元", "元", 110_000000),
    ("¥1,234.56", "元", 123456),
    ("-", "万元", 0),
    ("—", "万元", 0),
    ("－", "万元", 0),
    ("（1,234.56）", "元", "XB109"),  # accounting brackets: a negative amount
    ("-5", "万元", "XB109"),
    ("12,34", "万元", "XB104"),  # a comma that is not a thousands separator
    ("1.2.3", "万元", "XB104"),
    ("壹佰元", "万元", "XB104"),
    ("1.234", "元", "XB110"),
    (True, "万元", "XB104"),
]


@pytest.mark.parametrize(("typed", "unit", "expected"), AMOUNTS)
def test_amounts_as_typed(tmp_path: Path, typed: object, unit: str, expected: int | str) -> None:
    path = write_xlsx(tmp_path / "金额.xlsx", {**BASE, "基本信息": info(unit),
                                              "收入": [INCOME, [UNIT, "一般公共预算", typed]]})
    budget, findings = read_budget(path)
    if isinstance(expected, int):
        assert ([i.amount for i in budget.incomes], reading(findings)) == ([expected], [])
    else:
        assert (budget.incomes, reading(findings)) == ((), [(expected, "收入!C2")])


def test_parse_amount_keeps_the_typed_unit() -> None:
    assert parse_amount("３８４６．２９万元") == (parse_amount("3846.29")[0], "万元")


@pytest.mark.parametrize("typed", [2010301, 2010301.0, "2010301.0", " 201 03 01 ", "２０１０３０１", "2010301\u200b"])
def test_codes_typed_as_numbers_or_with_spaces(tmp_path: Path, clean: Budget, typed: object) -> None:
    lines = [BASIC, [UNIT, typed, 30101.0, "一般公共预算", "100"]]
    budget, findings = read_budget(write_xlsx(tmp_path / "编码.xlsx", {**BASE, "基本支出": lines}))
    assert (budget, findings) == (clean, [])


def test_a_long_code_stored_as_a_number_is_reported_not_guessed(tmp_path: Path) -> None:
    """Excel keeps 15 digits: 41030022000000000001 typed as a number becomes 4.1030022E+19."""
    path = write_xlsx(tmp_path / "长编码.xlsx", {**BASE, "项目": [PROJECTS, [float(PROJECT), "会议费", "其他运转类", UNIT]]})
    findings = read_budget(path)[1]
    assert ("XB106", "项目!A2") in reading(findings)
    assert "超过 15 位的部分已丢失" in next(f.message for f in findings if f.code == "XB106")


# -- layout ------------------------------------------------------------------------------------
def test_header_moved_down_columns_reordered_extra_columns_blank_rows(tmp_path: Path, clean: Budget) -> None:
    lines = [["2022年基本支出", None, None], [None], ["备注", "金额", "我的列", "资金来源", "经济分类编码", "功能分类编码", "单位编码"],
             [None], [None, None, None], ["", "100", "x", "一般公共预算", "30101", "2010301", UNIT]]
    path = write_xlsx(tmp_path / "版式.xlsx", {**BASE, "基本支出": lines})
    assert read_budget(path) == (clean, [])


def test_a_renamed_sheet_is_missing_and_the_sheets_found_are_listed(tmp_path: Path) -> None:
    sheets = {("收入（修改）" if name == "收入" else name): grid for name, grid in BASE.items()}
    findings = read_budget(xlsx(tmp_path / "改名.xlsx", sheets))[1]
    assert reading(findings) == [("XB101", "收入"), ("XB119", "收入（修改）")]
    assert findings[0].message == ("缺少工作表“收入”。文件中的工作表：基本信息、单位、收入（修改）、基本支出、项目、"
                                   "项目支出、绩效目标、上年数、说明事项")
    assert findings[1].message == "工作表“收入（修改）”像是改了名的“收入”，其中 1 行数据未读取"


def test_hidden_rows_and_sheets_are_read_and_said(tmp_path: Path) -> None:
    lines = [BASIC, [UNIT, "2010301", "30101", "一般公共预算", "60"], [UNIT, "2010301", "30102", "一般公共预算", "40"]]
    path = write_xlsx(tmp_path / "隐藏.xlsx", {**BASE, "基本支出": lines},
                      hidden_rows={"基本支出": [3]}, hidden_sheets=["项目"])
    budget, findings = read_budget(path)
    assert [(f.code, f.severity, str(f.where)) for f in findings] == [
        ("XB118", "info", "基本支出!第3行"), ("XB118", "info", "项目")]
    assert findings[0].message == "工作表“基本支出”第3行是隐藏行，已照常读取"
    assert sum(line.amount for line in budget.lines if line.is_basic) == 100_000000
    assert [p.code for p in budget.projects] == [PROJECT]


def test_merged_codes_fill_their_rows_merged_amounts_count_once(tmp_path: Path) -> None:
    lines = [BASIC, [UNIT, "2010301", "30101", "一般公共预算", "50"], [None, "2010301", "30102", "一般公共预算", "30"],
             [None, "2010301", "30103", "一般公共预算", "20"], [UNIT, "2010302", "30201", "一般公共预算", "7"],
             [UNIT, "2010302", "30202", "一般公共预算", None]]
    path = write_xlsx(tmp_path / "合并.xlsx", {**BASE, "基本支出": lines}, merges={"基本支出": ["A2:A4", "E5:E6"]})
    budget, findings = read_budget(path)
    assert [(f.code, f.severity, str(f.where)) for f in findings] == [
        ("XB117", "info", "基本支出!A2"), ("XB117", "warning", "基本支出!E5"), ("XB103", ERROR, "基本支出!E6")]
    assert findings[0].message == "合并单元格 A2:A4：已把“001001”用于其中每一行"
    assert [(line.unit, line.econ, line.amount) for line in budget.lines if line.is_basic] == [
        (UNIT, "30101", 50_000000), (UNIT, "30102", 30_000000), (UNIT, "30103", 20_000000), (UNIT, "30201", 7_000000)]


# -- every non-empty row is used or reported ----------------------------------------------------
MESSY: dict[str, Grid] = {
    **BASE,
    "单位": [["单位名称", "单位编码", "单位类型", "我的备注"], ["测试单位", UNIT, "行政单位"], [None],
           ["第二单位", "001002", "事业单位 "], ["没有编码", None, "行政单位"], [None, None, None, "只在我的列"]],
    "收入": [["收入"], INCOME, [UNIT, "一般公共预算", "１１０"], [UNIT, "财政拨款", "1"], ["001002", "事业收入", "abc"],
           [None, None, None], ["001002", "事业收入", "2,000元"], [UNIT, "一般公共预算", Formula("1+1", 2)]],
    "基本支出": [BASIC, [UNIT, "2010301", "30101", "一般公共预算", "50"], [None, "2010301", "30102", "一般公共预算", "50"],
             [UNIT, "201030", "30101", "一般公共预算", "1"], [UNIT, "2010301", "30101", None, "1"],
             [UNIT, "2010301", "30101", "一般公共预算", "（1）"], ["001002", 2010301.0, 30101.0, "事业收入", 0.2]],
    "项目": [PROJECTS, [PROJECT, "会议费", "其他运转类", UNIT], ["1234", "", "特定目标类", UNIT]],
    "项目支出": [PROJECT_LINES, [PROJECT, "2010302", "30215", "一般公共预算", "10.00"], ["9999", "2010302", "30215", "一般公共预算", "1"],
             [PROJECT, "2010302", "30299", "一般公共预算", "1.0000001"]],
    "绩效目标": [GOALS, [PROJECT, "成本指标", "经济成本指标", "会议经费", "10万元"], [PROJECT, "数量", "", "x", "1"],
             [PROJECT, "产出指标", "", "", "≥10次"]],
}


def test_every_non_empty_row_is_used_or_reported(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "杂乱.xlsx", MESSY, merges={"基本支出": ["A2:A3"]}, hidden_rows={"收入": [4]})
    outcome = derive([path])
    budget = outcome.budget
    assert budget is not None and outcome.exit_code == 1
    non_empty = {(sheet, number) for sheet in DATA_SHEETS for number, row in enumerate(MESSY[sheet], start=1)
                 if number > _header(MESSY[sheet]) and any(str(v).strip() for v in row if v is not None)}
    items = [*budget.units, *budget.incomes, *budget.lines, *budget.projects, *budget.indicators]
    used = {(item.where.sheet, item.where.row) for item in items}
    reported = {(f.where.sheet, f.where.row) for f in outcome.findings if f.where.row} & non_empty
    assert len(used) == len(items) and used <= non_empty
    assert len(non_empty) == len(used) + len(reported - used) == 23
    assert non_empty == used | reported


def _header(grid: Grid) -> int:
    """The 1-based header row: the first row with two or more cells."""
    return next(n for n, row in enumerate(grid, start=1) if sum(v is not None for v in row) >= 2)
