"""Regional switches of the 部门决算 profile, as data only: tests/data/made-up-juesuan.toml extends
juesuan-2024 with every switch on (年初预算数 / 调整预算数 columns, 会议费 and 培训费 in the “三公” table,
a 机关运行经费 table) and compiles with no Python of its own; the new tables add up for any 决算; the
national profile's 总表 rows are one line high."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import openpyxl
from click.testing import CliRunner
from hypothesis import given, settings

from tests.accounts_strategies import accounts
from tests.accounts_workbooks import BASE, BUDGETS, SPENDING, THREE, UNIT, workbook
from tests.conftest import ROOT
from tests.lo import convert_to_pdf
from xlbudget import contract
from xlbudget.accounts_contract import ACCOUNTS
from xlbudget.accounts_reader import project_key, read_accounts
from xlbudget.checks import run_checks
from xlbudget.cli import main
from xlbudget.derive import derive_tables
from xlbudget.findings import ERROR
from xlbudget.model import Budget
from xlbudget.money import round_display
from xlbudget.narrative.accounts import operating_costs
from xlbudget.pipeline import compile_workbook, derive
from xlbudget.profile import load_profile
from xlbudget.render import DATA_ROW_HEIGHT
from xlbudget.tables.base import DETAIL, TOTAL, Table
from xlbudget.template import write_budget_workbook

MADE_UP = Path(__file__).resolve().parent / "data" / "made-up-juesuan.toml"
EXAMPLE = ROOT / "examples" / "shanghai-2024-caizhengju-juesuan"
CENTRE = "002"  # a 事业单位: outside the 机关运行经费 scope

SPENDING_NAMED = [*SPENDING, "项目名称"]
PROJECT_BUDGETS = ["单位编码", "项目名称", "功能分类编码", "年初预算数", "调整预算数", "差异原因"]
SWITCHED: dict[str, list[list[object]]] = {
    "单位": [["单位编码", "单位名称", "单位类型"], [UNIT, "测试单位", "行政单位"], [CENTRE, "测试中心", "事业单位"]],
    "本年收入": [*BASE["本年收入"], [CENTRE, "2010301", "一般公共预算", "8.00"], [CENTRE, "2010302", "一般公共预算", "2.00"]],
    "本年支出": [SPENDING_NAMED, [UNIT, "2010301", "30101", "一般公共预算", "基本支出", "80.00", ""],
             [UNIT, "2010301", "30201", "一般公共预算", "基本支出", "16.00", ""],
             [UNIT, "2010301", "30215", "一般公共预算", "基本支出", "3.00", ""],
             [UNIT, "2010301", "30216", "一般公共预算", "基本支出", "1.00", ""],
             [UNIT, "2010302", "", "一般公共预算", "项目支出", "10.00", "会议保障"],
             [CENTRE, "2010301", "30201", "一般公共预算", "基本支出", "8.00", ""],
             [CENTRE, "2010302", "", "一般公共预算", "项目支出", "2.00", "会议保障"]],
    "年初预算": [BUDGETS, ["2010301", "100.00", "108.00", "年中追加测试中心经费。"], ["2010302", "12.00", "", ""]],
    "项目年初预算": [PROJECT_BUDGETS, [UNIT, "会议保障", "2010302", "11.00", "", "节约开支。"],
               [CENTRE, "会议保障", "2010302", "2.00", "", ""]],
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
    assert book.sheetnames[5:10] == ["一般公共预算财政拨款支出决算表", "一般公共预算财政拨款项目支出决算表",
                                     "一般公共预算财政拨款基本支出决算表", "财政拨款“三公”经费及会议费、培训费支出决算表",
                                     "机关运行经费支出决算表"]
    # 一般公共预算: 年初预算 100 + 12, 调整预算 108 on 2010301; 决算 108 (基本) + 12 (项目)
    general = book["一般公共预算财政拨款支出决算表"]
    assert row_of(general, "合计")[4:] == [112, 108, 120, 108, 12]
    assert row_of(general, "行政运行")[4:] == [100, 108, 108, 108, None]
    # “三公” 预算数 | 决算数 by item, then 会议费 and 培训费 (the 三公 合计 leaves them out)
    three = book["财政拨款“三公”经费及会议费、培训费支出决算表"]
    assert [c.value for c in three[three.max_row]] == [1, None, None, None, None, None, 1, None, 4, 3, 1, 1]
    # 机关运行经费: the 行政单位's 公用经费 only (the 事业单位's 8.00 is outside the scope)
    operating = book["机关运行经费支出决算表"]
    assert row_of(operating, "商品和服务支出")[3] == 20 and row_of(operating, "合计")[3] == 20
    assert row_of(operating, "会议费")[3] == 3
    # 项目支出决算表: the two units' projects of one name apart, each on its 功能分类 项
    projects = [[c for c in row if c is not None] for row in book["一般公共预算财政拨款项目支出决算表"].iter_rows(
        min_row=5, values_only=True)]
    assert projects == [["合计", 13, 12], ["001", "测试单位", 11, 10], ["会议保障", "测试单位", "2010302", "一般行政管理事务", 11, 10],
                        ["002", "测试中心", 2, 2], ["会议保障", "测试中心", "2010302", "一般行政管理事务", 2, 2]]
    text = (tmp_path / "公开表_决算说明.md").read_text(encoding="utf-8")
    assert "机关运行经费支出20.00万元" in text
    assert "5. 会议费：年初预算为4.00万元，支出决算为3.00万元，完成年初预算的75.00%。决算数小于年初预算数，主要原因是会议减少。" in text
    assert "6. 培训费：年初预算为1.00万元，支出决算为1.00万元，完成年初预算的100.00%。\n" in text
    assert "一般公共预算财政拨款支出年初预算为112.00万元，支出决算为120.00万元，完成年初预算的107.14%" in text


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
FLOWS_BY_COLUMN = ("项目年初预算", "项目调整预算", "项目支出")  # x02: 年初预算数, 调整预算数, 决算数


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
    # 项目支出决算表: 合计 = the 一般公共预算 项目支出 of the 支出决算表; each project of each unit on its own
    projects = tables["x02"]
    assert total_row(projects) == [sum(x.amount for x in general if x.flow == flow) for flow in FLOWS_BY_COLUMN]
    assert total_row(projects)[2] == total_row(tables["j05"])[4]
    by_project: dict[str, list[int]] = {}
    for row in projects.rows:
        if row.kind == DETAIL:
            name, money = str(row.cells[0]), [int(row.cells[i] or 0) for i in projects.money_indexes()]
            by_project[name] = [a + b for a, b in zip(by_project.get(name, [0, 0, 0]), money, strict=True)]
    expected_by_unit = {}
    for unit in budget.units:
        lines = [x for x in general if x.unit == unit.code and x.project]
        names = sorted({p.name for p in budget.projects if p.unit == unit.code})
        for name in names:
            key = project_key(unit.code, name)
            expected_by_unit[(unit.code, name)] = [sum(x.amount for x in lines if x.project == key and x.flow == flow)
                                                   for flow in FLOWS_BY_COLUMN]
    names = {name for _, name in expected_by_unit}
    for name in names:  # rows of one name in several units add up to the lines of that name in all of them
        parts = [v for (_, n), v in expected_by_unit.items() if n == name]
        assert by_project.get(name, [0, 0, 0]) == [sum(col) for col in zip(*parts, strict=True)], name
    findings = run_checks(budget, list(tables.values()), profile=SWITCHES)
    assert [f for f in findings if f.code in ("XB302", "XB304")] == []
    assert not [f for f in findings if f.severity == ERROR]  # so XB302 did look at every table


# -- what the 项目支出决算表 needs, at the clerk's cells ------------------------------------------------
def project_report(path: Path, profile: str = str(MADE_UP)) -> list[tuple[str, str]]:
    return [(f.code, str(f.where)) for f in derive([path], profile=profile).findings if f.code in ("XB710", "XB711")]


def nameless(rows: list[list[object]], index: int) -> list[list[object]]:
    return [row[:-1] + [""] if i == index else row for i, row in enumerate(rows)]


def test_project_spending_without_its_name(tmp_path: Path) -> None:
    """The 项目支出 of 测试单位 typed without 项目名称: listed as （未填写项目名称）, a warning at its cell."""
    path = workbook(tmp_path, **{**SWITCHED, "本年支出": nameless(SWITCHED["本年支出"], 5)})
    assert project_report(path) == [("XB710", "本年支出!G6")]
    assert project_report(path, "juesuan-2024") == []  # no 项目支出决算表, nothing to say


def test_a_project_budget_needs_its_function_when_the_table_splits_by_function(tmp_path: Path) -> None:
    budgets = [PROJECT_BUDGETS, [UNIT, "会议保障", "", "11.00", "", "节约开支。"], SWITCHED["项目年初预算"][2]]
    assert project_report(workbook(tmp_path, **{**SWITCHED, "项目年初预算": budgets})) == [("XB710", "项目年初预算!C2")]


def test_a_project_budget_whose_name_no_spending_uses(tmp_path: Path) -> None:
    """会议保障费 has a 年初预算, the 本年支出 spends on 会议保障: the names differ."""
    budgets = [*SWITCHED["项目年初预算"][:2], [CENTRE, "会议保障费", "2010302", "2.00", "", ""]]
    assert project_report(workbook(tmp_path, **{**SWITCHED, "项目年初预算": budgets})) == [("XB711", "项目年初预算!B3")]


def test_the_template_has_the_project_budget_sheet_and_reads_it_back(tmp_path: Path) -> None:
    """template --profile writes 项目年初预算; a workbook written from a read 决算 gives back the same lines."""
    out = tmp_path / "模板.xlsx"
    result = CliRunner().invoke(main, ["template", "--profile", str(MADE_UP), "--year", "2024", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert [c.value for c in openpyxl.load_workbook(out)["项目年初预算"][1]] == PROJECT_BUDGETS
    budget, _ = read_accounts(workbook(tmp_path, **SWITCHED))
    again = tmp_path / "again.xlsx"
    write_budget_workbook(budget, again, version=ACCOUNTS)
    assert read_accounts(again)[0].lines == budget.lines


def test_the_total_tables_print_evenly_spaced_rows_in_libreoffice(tmp_path: Path) -> None:
    """Printed by LibreOffice, the 类 rows of both 总表 follow each other at one step: before, 二十二、灾害防治
    及应急管理支出 (and two more rows of 收入支出决算总表, fourteen of 财政拨款收入支出决算总表) stood in rows
    twice as tall as their one line of text."""
    out = tmp_path / "公开表.xlsx"
    compile_workbook([EXAMPLE / "input.xlsx"], out, profile="juesuan-2024")
    pdf = convert_to_pdf(out, tmp_path)
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    word = re.compile(r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="[\d.]+">([^<]*)</word>')
    classes = re.compile(r"^[一二三四五六七八九十]+、.+支出$")
    pages = 0
    for page in html.split("<page ")[1:]:  # each table is shrunk to its page's width: steps compare within a page
        tops = sorted({float(top) for top, text in word.findall(page) if classes.match(text)})
        steps = [b - a for a, b in zip(tops, tops[1:], strict=False)]
        pages += bool(steps)
        assert not steps or max(steps) - min(steps) < 0.5, [round(x, 1) for x in steps]
    assert pages == 4  # both 总表, each over two pages


def test_budgets_the_format_does_not_print_are_noted(tmp_path: Path) -> None:
    """The national tables print no 调整预算数, 会议费 or 培训费 and no 项目支出决算表: what the clerk typed there is
    noted once per sheet at its first cell (the format extending them prints it all)."""
    path = workbook(tmp_path, **SWITCHED)
    national = [(f.code, str(f.where)) for f in derive([path], profile="juesuan-2024").findings if f.code == "XB712"]
    assert national == [("XB712", "年初预算!C2"), ("XB712", "三公经费!B3"), ("XB712", "项目年初预算!D2")]
    assert [f for f in derive([path], profile=str(MADE_UP)).findings if f.code == "XB712"] == []
