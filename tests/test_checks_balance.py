"""Table identities on the figures as displayed: rounding tails are info, real gaps are errors."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from tests.test_profile import raw, table_of
from tests.workbooks import (
    BASIC,
    INCOME,
    KEYED,
    PROJECT,
    PROJECT_LINES,
    UNIT,
    findings,
    info,
    report,
    workbook,
)
from xlbudget.checks import run_checks
from xlbudget.checks.balance import (
    Identity,
    cell_row_label,
    column_label,
    column_sums,
    disclosure_cell,
    displayed,
    evaluate,
    within_rounding,
)
from xlbudget.derive import derive_tables
from xlbudget.display import round_each
from xlbudget.findings import ERROR, INFO
from xlbudget.pipeline import EXIT_OK, Outcome, compile_workbook, derive
from xlbudget.profile import profile_from_data
from xlbudget.tables.base import MONEY, TEXT, TOTAL, Column, Row, Table

D = Decimal


@pytest.mark.parametrize(("difference", "explained"), [("0.009", True), ("0.010", True), ("0.011", False)])
def test_rounding_boundary(difference: str, explained: bool) -> None:
    """Two rounded figures (a total and one part) can differ by at most 2 × 0.005 万元."""
    assert within_rounding(D(difference), D("0.010")) is explained
    assert within_rounding(-D(difference), D("0.010")) is explained


def tiny(total: int, *parts: int) -> Table:
    """合计 over a column of parts (amounts in 分)."""
    rows = (Row(("合计", total), TOTAL), *(Row((f"第{i}项", p)) for i, p in enumerate(parts, 1)))
    return Table("t99", "测试表", "测试表", "测试", (Column(("项目",), TEXT), Column(("金额",), MONEY)), rows)


def verdict_of(table: Table):  # noqa: ANN201 - a Verdict
    identity = Identity(table, (0, 1), tuple((i, 1) for i in range(1, len(table.rows))), False)
    return evaluate(identity, displayed(table, round_each(table)))


def test_each_displayed_figure_is_an_interval_only_when_it_was_rounded() -> None:
    # 0.012 shown 0.01; three parts of 0.004 shown 0.00: a tail of 0.01 within 4 × 0.005
    tail = verdict_of(tiny(12_000, 4_000, 4_000, 4_000))
    assert (tail.shown, tail.summed, tail.tolerance) == (D("0.01"), D("0.00"), D("0.020"))
    assert within_rounding(tail.difference, tail.tolerance)
    # 0.014 shown 0.01 against an exact 0.02: only the total was rounded, 0.01 > 0.005
    gap = verdict_of(tiny(14_000, 20_000))
    assert (gap.difference, gap.tolerance) == (D("-0.01"), D("0.005"))
    assert not within_rounding(gap.difference, gap.tolerance)
    # exact figures (万元 with 2 decimals) are points: no tail is possible
    exact = verdict_of(tiny(30_000, 10_000, 20_000))
    assert exact.difference == 0 and exact.tolerance == 0


def yuan_tails(tmp_path: Path, unit: str = "元", amount: str = "40") -> Path:
    """Three basic lines of 40 元 (0.004 万元 each, shown 0.00) and a project of 10 万元."""
    scale = {"元": 1, "万元": D("0.0001")}[unit]
    project = str(D(100_000) * scale)
    total = str((D(3) * D(amount) + D(100_000)) * scale)
    return workbook(
        tmp_path, f"{unit}.xlsx", 基本信息=info(unit), 收入=[INCOME, [UNIT, "一般公共预算", total]],
        基本支出=[BASIC, *([UNIT, "2010301", econ, "一般公共预算", str(D(amount) * scale)]
                         for econ in ("30101", "30102", "30103"))],
        项目支出=[PROJECT_LINES, [PROJECT, "2010302", "30215", "一般公共预算", project]],
        上年数=[KEYED, ["收入总计", total], ["财政拨款收入", total], ["一般公共预算支出", total], ["三公经费", "0"], ["因公出国（境）费", "0"],
              ["公务用车购置费", "0"], ["公务用车运行维护费", "0"], ["公务接待费", "0"]])


def test_yuan_rounding_tails_are_one_info_per_table_naming_the_cells(tmp_path: Path) -> None:
    path = yuan_tails(tmp_path)
    assert report(path) == [("XB303", "一般公共预算基本支出预算表!E5"), ("XB303", "支出经济分类汇总表!G6")]
    first, second = findings(path)
    assert first.severity == INFO
    assert "有 2 处合计与分项显示之和相差几分（E5、F5）" in first.message
    assert "有 3 处合计与分项显示之和相差几分（G6、H6、I6）" in second.message
    assert "E6 30101 基本工资 0.00、E7 30102 津贴补贴 0.00、E8 30103 奖金 0.00" in first.message
    assert (first.expected, first.actual, first.difference) == ("0.00 万元", "0.01 万元", "0.01 万元")
    assert derive([path]).exit_code == EXIT_OK


def test_the_same_tails_in_wan_with_more_decimals(tmp_path: Path) -> None:
    assert [code for code, _ in report(yuan_tails(tmp_path, "万元"))] == ["XB303"] * 2


def test_no_tails_when_every_figure_is_shown_exactly(tmp_path: Path) -> None:
    assert report(yuan_tails(tmp_path, amount="10000")) == []


def test_tail_cells_are_the_cells_of_the_disclosure(tmp_path: Path) -> None:
    path = yuan_tails(tmp_path)
    outcome = compile_workbook([path], tmp_path / "公开表.xlsx", narrative=())
    assert outcome.exit_code == EXIT_OK
    book = openpyxl.load_workbook(tmp_path / "公开表.xlsx")
    for finding in (f for f in outcome.findings if f.code == "XB303"):
        cell = book[finding.where.sheet][f"{finding.where.column}{finding.where.row}"]
        assert f"{cell.value:.2f} 万元" == finding.actual
    sheet = book["校验结果"]
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["XB303"] * 2


def test_a_tail_in_the_two_sided_table_names_the_row_on_its_own_side(tmp_path: Path) -> None:
    """财政拨款收支预算表 holds 收入 in columns A–B and 支出 in C–: a 支出 cell is named by column C
    (before: by column A of the same row, e.g. “D14 （三）国有资本经营预算拨款” for a 社会保障 figure)."""
    odd = [[UNIT, function, "30101", "一般公共预算", "40"] for function in ("2010301", "2080501", "2210201")]
    path = workbook(tmp_path, 基本信息=info("元"), 收入=[INCOME, [UNIT, "一般公共预算", "100120"]],
                    基本支出=[BASIC, *odd], 项目支出=[PROJECT_LINES, [PROJECT, "2010302", "30215", "一般公共预算", "100000"]])
    tail = next(f for f in findings(path) if f.code == "XB303" and f.where.sheet == "财政拨款收支预算表")
    assert "“一、本年支出”（D6）" in tail.message
    assert "D7 （一）一般公共服务支出 10.00、D14 （八）社会保障和就业支出 0.00、D26 （二十一）住房保障支出 0.00" in tail.message


def test_disclosure_cell_of_a_two_level_header() -> None:
    table = tiny(1, 1)
    assert str(disclosure_cell(table, (0, 1))) == "测试表!B4"  # title, 单位 line, one header row


def test_luoyang_column_identities(luoyang: Outcome) -> None:
    by_key = {t.key: t for t in luoyang.tables}

    def sums(key: str) -> list[tuple[str, list[str]]]:
        t = by_key[key]
        return [(column_label(t, c), [column_label(t, p) for p in parts]) for c, parts in column_sums(t)]

    assert sums("t03")[0] == ("合计", ["基本支出/小计", "项目支出/小计"])
    assert sums("t04") == [("支出/合计", ["支出/一般公共预算/小计", "支出/政府性基金", "支出/国有资本经营预算"])]
    assert "一般公共预算/其中：财政拨款" not in sums("t07")[0][1]
    assert sums("t08") == [("“三公”经费合计", ["因公出国（境）费", "公务用车购置及运行费/小计", "公务接待费"]),
                           ("公务用车购置及运行费/小计", ["公务用车购置及运行费/公务用车购置费",
                                                 "公务用车购置及运行费/公务用车运行费"])]
    assert sums("t12")[0][0] == "项目金额（万元）/资金总额"


def test_two_sided_sums_follow_the_declared_lines(luoyang: Outcome) -> None:
    fiscal = next(t for t in luoyang.tables if t.key == "t04")

    def named(rows: tuple[int, ...], col: int) -> list[str]:
        return [cell_row_label(fiscal, (r, col)) for r in rows]

    sums = [(named((s.total,), s.columns[0])[0], named(s.parts, s.columns[0])[:2]) for s in fiscal.sums or ()]
    assert sums == [("一、本年收入", ["（一）一般公共预算拨款", "（二）政府性基金预算拨款"]),
                    ("二、上年结转", ["（一）一般公共预算拨款", "（二）政府性基金预算拨款"]),
                    ("收入合计", ["一、本年收入", "二、上年结转"]),
                    ("一、本年支出", ["（一）一般公共服务支出", "（二）外交支出"]),
                    ("支出合计", ["一、本年支出", "二、年终结转结余"])]


def test_nesting_and_totals_are_declared_not_read_from_labels(luoyang: Outcome) -> None:
    """Lines under a group need no （一） label, a total column may say 共计 and a 其中 column 内含:
    the profile declares them (level, role) and the compile is clean."""
    data = raw("henan-2022")
    fiscal = table_of(data, "t04")
    for row in fiscal["income_rows"]:
        row["label"] = row["label"].lstrip("一二、（）").replace("其中：", "内含 ")
        if row["label"].startswith("内含"):
            row["part"] = True
    fiscal["columns"][3]["path"] = ["支出", "共计"]
    fiscal["columns"][3]["role"] = "total"
    fiscal["columns"][5]["path"] = ["支出", "一般公共预算", "内含：财政拨款"]
    fiscal["columns"][5]["role"] = "part"
    data["figures"]["cells"]["fiscal_expenditure"]["column"] = ["支出", "共计"]
    for name in ("fiscal_income", "fiscal_expenditure", "fiscal_general", "fiscal_fund", "fiscal_capital"):
        data["figures"]["cells"][name].pop("label_column", None)
    profile = profile_from_data(data, "mine.toml")
    assert luoyang.budget
    tables = derive_tables(luoyang.budget, profile)
    assert [f.code for f in run_checks(luoyang.budget, tables, profile=profile) if f.code.startswith("XB30")] == []
    fiscal_table = next(t for t in tables if t.key == "t04")
    assert column_sums(fiscal_table) == [(3, (4, 6, 7))]  # 共计 = 一般公共预算 + 政府性基金 + 国有资本经营
    # a wrong figure under a declared total is still found
    broken_cell = replace(fiscal_table, rows=tuple(
        replace(r, cells=(*r.cells[:1], int(r.cells[1] or 0) + 10_000_00, *r.cells[2:])) if i == 1 else r
        for i, r in enumerate(fiscal_table.rows)))
    tables = [broken_cell if t.key == "t04" else t for t in tables]
    assert [f.code for f in run_checks(luoyang.budget, tables, profile=profile) if f.code == "XB302"] == ["XB302"]


def broken(outcome: Outcome, key: str, row_kind: str, column: str, delta: int) -> list[Table]:
    """The outcome's tables with ``delta`` 分 added to one cell."""
    tables = []
    for table in outcome.tables:
        if table.key == key:
            col = next(i for i, c in enumerate(table.columns) if column_label(table, i) == column)
            index = next(i for i, r in enumerate(table.rows) if r.kind == row_kind)
            cells = list(table.rows[index].cells)
            cells[col] = int(cells[col] or 0) + delta
            rows = list(table.rows)
            rows[index] = replace(rows[index], cells=tuple(cells))
            table = replace(table, rows=tuple(rows))
        tables.append(table)
    return tables


def test_xb302_a_total_that_is_not_the_sum_of_its_parts(luoyang: Outcome) -> None:
    assert luoyang.budget is not None
    tables = broken(luoyang, "t11", TOTAL, "本年拨款/一般公共预算", 20_000)  # + 0.02 万元
    found = [(f.code, str(f.where)) for f in run_checks(luoyang.budget, tables) if f.severity == ERROR]
    assert found == [("XB302", "项目支出预算表!D5"), ("XB302", "项目支出预算表!E5")]


def test_xb304_the_same_figure_differs_between_tables(luoyang: Outcome) -> None:
    assert luoyang.budget is not None
    tables = broken(luoyang, "t06", TOTAL, "本年一般公共预算基本支出/合计", 20_000)
    found = [(f.code, str(f.where)) for f in run_checks(luoyang.budget, tables) if f.code != "XB404"]
    assert found == [("XB302", "一般公共预算基本支出预算表!E5"),  # 合计 ≠ 人员经费 + 公用经费
                     ("XB302", "一般公共预算基本支出预算表!E5"),  # 合计 ≠ the rows below
                     ("XB304", "一般公共预算支出预算表!G6")]  # 基本支出 of table 5 ≠ 合计 of table 6


def test_table_identities_wait_for_the_input_errors(tmp_path: Path) -> None:
    """A unit listed twice doubles the tables' unit rows; only the cause is reported."""
    rows = [["单位编码", "单位名称", "单位类型"], [UNIT, "测试单位", "行政单位"], [UNIT, "测试单位", "行政单位"]]
    assert report(workbook(tmp_path, 单位=rows)) == [("XB120", "单位!A3")]
