"""Regional switches of the 部门决算 profile, as data only: tests/data/made-up-juesuan.toml extends
juesuan-2024 with every switch on (年初预算数 / 调整预算数 columns, 会议费 and 培训费 in the “三公” table,
a 机关运行经费 table) and compiles with no Python of its own; the new tables add up for any 决算; the
national profile's 总表 rows are one line high."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from click.testing import CliRunner
from hypothesis import given, settings

from tests.accounts_strategies import accounts
from tests.accounts_workbooks import BASE, BUDGETS, SPENDING, THREE, UNIT, workbook
from tests.conftest import ROOT
from xlbudget import contract
from xlbudget.checks import run_checks
from xlbudget.cli import main
from xlbudget.derive import derive_tables
from xlbudget.findings import ERROR
from xlbudget.model import Budget
from xlbudget.money import round_display
from xlbudget.narrative.accounts import operating_costs
from xlbudget.pipeline import compile_workbook
from xlbudget.profile import load_profile
from xlbudget.render import DATA_ROW_HEIGHT
from xlbudget.tables.base import TOTAL, Table

MADE_UP = Path(__file__).resolve().parent / "data" / "made-up-juesuan.toml"
EXAMPLE = ROOT / "examples" / "shanghai-2024-caizhengju-juesuan"
CENTRE = "002"  # a 事业单位: outside the 机关运行经费 scope

SWITCHED: dict[str, list[list[object]]] = {
    "单位": [["单位编码", "单位名称", "单位类型"], [UNIT, "测试单位", "行政单位"], [CENTRE, "测试中心", "事业单位"]],
    "本年收入": [*BASE["本年收入"], [CENTRE, "2010301", "一般公共预算", "8.00"]],
    "本年支出": [SPENDING, [UNIT, "2010301", "30101", "一般公共预算", "基本支出", "80.00"],
             [UNIT, "2010301", "30201", "一般公共预算", "基本支出", "16.00"],
             [UNIT, "2010301", "30215", "一般公共预算", "基本支出", "3.00"],
             [UNIT, "2010301", "30216", "一般公共预算", "基本支出", "1.00"],
             [UNIT, "2010302", "", "一般公共预算", "项目支出", "10.00"],
             [CENTRE, "2010301", "30201", "一般公共预算", "基本支出", "8.00"]],
    "年初预算": [BUDGETS, ["2010301", "100.00", "108.00", "年中追加测试中心经费。"], ["2010302", "10.00", "", ""]],
    "三公经费": [THREE, ["公务接待费", "1.00", "", "未发生公务接待。"], ["会议费", "4.00", "", "会议减少。"],
             ["培训费", "1.00", "", ""]],
}


def row_of(sheet: openpyxl.worksheet.worksheet.Worksheet, label: str) -> list[object]:
    """The cells of the first row holding ``label`` and an amount, blanks as None."""
    for row in sheet.iter_rows(values_only=True):
        if label in row and any(isinstance(v, (int, float)) for v in row):
            return list(row)
    raise AssertionError(f"{sheet.title} has no row {label}")


def test_every_switch_compiles_from_the_profile_file_alone(tmp_path: Path) -> None:
    path = workbook(tmp_path, **SWITCHED)
    out = tmp_path / "公开表.xlsx"
    result = CliRunner().invoke(main, ["compile", str(path), "-o", str(out), "--profile", str(MADE_UP),
                                       "--narrative", "md"])
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(out)
    assert book.sheetnames[7:9] == ["财政拨款“三公”经费及会议费、培训费支出决算表", "机关运行经费支出决算表"]
    # 一般公共预算: 年初预算 100 + 10, 调整预算 108 on 2010301; 决算 108 (基本) + 10 (项目)
    general = book["一般公共预算财政拨款支出决算表"]
    assert row_of(general, "合计")[4:] == [110, 108, 118, 108, 10]
    assert row_of(general, "行政运行")[4:] == [100, 108, 108, 108, None]
    # “三公” 预算数 | 决算数 by item, then 会议费 and 培训费 (the 三公 合计 leaves them out)
    three = book["财政拨款“三公”经费及会议费、培训费支出决算表"]
    assert [c.value for c in three[three.max_row]] == [1, None, None, None, None, None, 1, None, 4, 3, 1, 1]
    # 机关运行经费: the 行政单位's 公用经费 only (the 事业单位's 8.00 is outside the scope)
    operating = book["机关运行经费支出决算表"]
    assert row_of(operating, "商品和服务支出")[3] == 20 and row_of(operating, "合计")[3] == 20
    assert row_of(operating, "会议费")[3] == 3
    text = (tmp_path / "公开表_决算说明.md").read_text(encoding="utf-8")
    assert "机关运行经费支出20.00万元" in text
    assert "一般公共预算财政拨款支出年初预算为110.00万元，支出决算为118.00万元，完成年初预算的107.27%" in text


def test_an_institution_has_an_empty_operating_costs_table_with_its_note(tmp_path: Path) -> None:
    units = [["单位编码", "单位名称", "单位类型"], [UNIT, "测试单位", "事业单位"]]
    outcome = compile_workbook([workbook(tmp_path, 单位=units)], tmp_path / "公开表.xlsx", profile=str(MADE_UP))
    assert outcome.exit_code == 0, outcome.findings
    sheet = openpyxl.load_workbook(tmp_path / "公开表.xlsx")["机关运行经费支出决算表"]
    assert "注：测试部门无机关运行经费支出，故本表无数据。" in [c for row in sheet.iter_rows(values_only=True) for c in row]


def test_the_national_profile_prints_its_total_tables_one_line_a_row(tmp_path: Path) -> None:
    """Every row label of the two 总表 fits its column on one line (as the estimate for Excel measures
    it), so no row is taller than the others — LibreOffice drew three rows of 收入支出决算总表 and
    fourteen of 财政拨款收入支出决算总表 at two lines' height around one line of text."""
    out = tmp_path / "公开表.xlsx"
    outcome = compile_workbook([EXAMPLE / "input.xlsx"], out, profile="juesuan-2024")
    assert outcome.exit_code in (0, 1), outcome.findings
    book = openpyxl.load_workbook(out)
    for name in ("收入支出决算总表", "收入决算表", "支出决算表", "财政拨款收入支出决算总表",
                 "一般公共预算财政拨款支出决算表", "一般公共预算财政拨款基本支出决算表"):
        sheet = book[name]
        first = next(r for r in range(1, sheet.max_row) if sheet.cell(r, 1).fill.fgColor.rgb != "00000000"
                     and sheet.cell(r + 1, 1).fill.fgColor.rgb == "00000000")
        tall = [r for r in range(first + 1, sheet.max_row + 1)
                if (sheet.row_dimensions[r].height or DATA_ROW_HEIGHT) > DATA_ROW_HEIGHT]
        assert tall == [], (name, [sheet.cell(r, 1).value or sheet.cell(r, 3).value for r in tall])


# -- the new tables add up, for any 决算 ------------------------------------------------------------
SWITCHES = load_profile(str(MADE_UP))
SPENT = frozenset(contract.SPENDING_FLOWS)


def total_row(table: Table) -> list[int]:
    row = next(r for r in table.rows if r.kind == TOTAL)
    return [int(row.cells[i] or 0) for i in table.money_indexes()]


def spent_on(budget: Budget, codes: tuple[str, ...]) -> int:
    """财政拨款 spending (all five flows) on the 经济分类 款 ``codes``."""
    return sum(x.amount for x in budget.lines
               if x.flow in SPENT and x.source in contract.FISCAL_CURRENT and x.econ in codes)


def planned_on(budget: Budget, codes: tuple[str, ...]) -> int:
    return sum(x.amount for x in budget.lines if x.flow == "三公年初预算" and x.econ in codes)


@settings(max_examples=60, deadline=None)
@given(accounts())
def test_the_switched_tables_add_up(budget: Budget) -> None:
    tables = {t.key: t for t in derive_tables(budget, SWITCHES)}
    general = [x for x in budget.lines if x.source == "一般公共预算"]
    # 一般公共预算财政拨款支出决算表: 年初预算数, 调整预算数, 决算数 合计 = 基本支出 + 项目支出
    assert total_row(tables["j05"]) == [
        sum(x.amount for x in general if x.flow == "年初预算"), sum(x.amount for x in general if x.flow == "调整预算"),
        sum(x.amount for x in general if x.flow in ("基本支出", "项目支出")),
        sum(x.amount for x in general if x.flow == "基本支出"), sum(x.amount for x in general if x.flow == "项目支出")]
    # “三公”: 预算数 | 决算数 of 合计, each item, then 会议费 and 培训费
    items = [codes for item, codes in contract.THREE_PUBLIC_ITEMS.items() if item not in ("会议费", "培训费")]
    cars = ("31013", "30913", "30231")
    expected = []
    for codes in (tuple(c for cs in items for c in cs), ("30212",), cars, ("30217",), ("30215",), ("30216",)):
        expected += [planned_on(budget, codes), spent_on(budget, codes)]
    assert total_row(tables["j07"]) == expected
    # 机关运行经费 = the 公用经费 of 财政拨款 基本支出 of 行政单位 and 参公 units, as the 情况说明 says
    operating = sum(x.amount for x in budget.lines if x.flow == "基本支出" and x.source in contract.FISCAL_CURRENT
                    and x.econ_class not in ("301", "303")
                    and budget.unit_type(x.unit) in contract.OPERATING_COST_UNITS)
    assert total_row(tables["x01"]) == [operating]
    assert round_display(operating) == operating_costs(budget, SWITCHES)
    findings = run_checks(budget, list(tables.values()), profile=SWITCHES)
    assert [f for f in findings if f.code in ("XB302", "XB304")] == []
    assert not [f for f in findings if f.severity == ERROR]  # so XB302 did look at every table
