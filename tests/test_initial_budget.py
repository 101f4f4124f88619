"""The year's budget as a 部门决算's 年初预算 (``compile --budget``, ``check --budget``): every 项 of the
决算说明 gets its 完成年初预算 percentage (or the wording of a zero 年初预算) from the budget workbook,
whatever 金额单位 the two are typed in; the 决算 workbook's own 年初预算 that differs is a finding at its
cell; a budget of another year or 部门, with errors, or not a budget at all, is a clear finding."""

from __future__ import annotations

import random
import re
import tempfile
from dataclasses import replace
from pathlib import Path

import openpyxl
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from tests import accounts_workbooks as acc
from tests import workbooks as bud
from xlbudget.accounts_contract import ACCOUNTS as ACCOUNTS_CONTRACT
from xlbudget.accounts_reader import read_accounts
from xlbudget.catalog import load_catalog
from xlbudget.cli import main
from xlbudget.contract import SOURCES
from xlbudget.initial_budget import accounts_from_budget, with_budget
from xlbudget.layout import column_of, find_table
from xlbudget.model import Budget, Line, Unit
from xlbudget.pipeline import derive
from xlbudget.reader import open_workbook, read_stamp
from xlbudget.template import write_template

# The year's budget (henan-2022 inputs): 2010301 100.00 (of it 1.00 公务接待费), 2010302 10.00 of which
# 4.00 carried over, 2080505 5.00, and lines that are not 一般公共预算财政拨款 (政府性基金, 事业收入).
BUDGET: dict[str, bud.Rows] = {
    **bud.BASE,
    "基本信息": [bud.INFO_HEAD, ["预算年度", "2024"], ["部门编码", "001"], ["部门名称", "测试部门"], ["金额单位", "万元"]],
    "单位": [bud.UNITS, [acc.UNIT, "测试单位", "行政单位"]],
    "收入": [bud.INCOME, [acc.UNIT, "一般公共预算", "111.00"]],
    "基本支出": [bud.BASIC, [acc.UNIT, "2010301", "30101", "一般公共预算", "79.00"],
             [acc.UNIT, "2010301", "30217", "一般公共预算", "1.00"],
             [acc.UNIT, "2010301", "30201", "一般公共预算", "20.00"],
             [acc.UNIT, "2080505", "30108", "一般公共预算", "5.00"],
             [acc.UNIT, "2010301", "30201", "政府性基金预算", "3.00"],
             [acc.UNIT, "2010301", "30201", "事业收入", "2.00"]],
    "项目": [bud.PROJECTS, [bud.PROJECT, "会议费", "其他运转类", acc.UNIT]],
    "项目支出": [bud.PROJECT_LINES, [bud.PROJECT, "2010302", "30215", "一般公共预算", "6.00"],
             [bud.PROJECT, "2010302", "30215", "一般公共预算结转", "4.00"]],
}
# The 决算 with no 年初预算 typed, and a 项 (2010350, 7.00) the budget has none for.
ACCOUNTS: dict[str, bud.Rows | None] = {
    **acc.BASE,
    "基本信息": [*acc.BASE["基本信息"], ["公开格式", "juesuan-2024"]],
    "本年收入": [*acc.BASE["本年收入"], [acc.UNIT, "2010350", "一般公共预算", "7.00"]],
    "本年支出": [*acc.BASE["本年支出"], [acc.UNIT, "2010350", "", "一般公共预算", "项目支出", "7.00"]],
    "年初预算": None,
    "三公经费": None,
}


def budget_book(tmp_path: Path, name: str = "2024填报.xlsx", **sheets: bud.Rows | None) -> Path:
    return bud.write_workbook(tmp_path / name, {**BUDGET, **sheets})


def accounts_book(tmp_path: Path, **sheets: bud.Rows | None) -> Path:
    return bud.write_workbook(tmp_path / "决算.xlsx", {**ACCOUNTS, **sheets})


def taken(tmp_path: Path, accounts: Path, budget: Path) -> list[tuple[str, str]]:
    """(rule, location) of the findings about the budget workbook (XB72x and its own errors)."""
    found = derive([accounts], profile=acc.PROFILE, year_budget=[budget]).findings
    return [(f.code, f"[{f.where.file}]{f.where}") for f in found
            if f.code.startswith("XB72") or f.message.startswith("预算工作簿")]


def planned_lines(accounts: Path, budget: Path) -> dict[tuple[str, str, str], int]:
    """The 决算's 年初预算 lines after taking the budget: (flow, 项, 经济分类) → 分."""
    outcome = derive([accounts], profile=acc.PROFILE, year_budget=[budget])
    assert outcome.budget is not None
    return {(x.flow, x.function, x.econ): x.amount for x in outcome.budget.lines if x.flow.endswith("年初预算")}


# -- done when: every 项 of the 决算说明 has its 完成年初预算 percentage ----------------------------------
def test_compile_with_budget_gives_every_item_its_percentage(tmp_path: Path) -> None:
    out = tmp_path / "out" / "公开表.xlsx"
    out.parent.mkdir()
    result = CliRunner().invoke(main, ["compile", str(accounts_book(tmp_path)), "--budget", str(budget_book(tmp_path)),
                                       "-o", str(out), "--narrative", "md"])
    assert result.exit_code == 0, result.output
    text = (out.parent / "公开表_决算说明.md").read_text(encoding="utf-8")
    items = [line for line in text.splitlines() if re.match(r"^\d+\. .*（项）。", line)]
    # transcribed by hand from BUDGET and ACCOUNTS above
    assert [line.split("。")[1] for line in items] == [
        "年初预算为100.00万元，支出决算为100.00万元，完成年初预算的100.00%",
        "年初预算为10.00万元，支出决算为10.00万元，完成年初预算的100.00%",
        "年初预算为0.00万元，支出决算为7.00万元，年初未安排预算",
        "年初预算为5.00万元，支出决算为0.00万元，完成年初预算的0.00%",
    ]
    assert "公务接待费：年初预算为1.00万元，支出决算为0.00万元，完成年初预算的0.00%" in text
    assert "因公出国（境）费：年初预算为0.00万元" in text


def test_without_budget_the_items_have_no_initial_budget(tmp_path: Path) -> None:
    """The same 决算 without --budget: no 年初预算, so no percentage (what --budget adds)."""
    out = tmp_path / "公开表.xlsx"
    result = CliRunner().invoke(main, ["compile", str(accounts_book(tmp_path)), "-o", str(out), "--narrative", "md",
                                       "--force"])
    assert result.exit_code == 0, result.output
    assert "完成年初预算的" not in (tmp_path / "公开表_决算说明.md").read_text(encoding="utf-8")


def test_the_three_public_table_shows_the_budget(tmp_path: Path) -> None:
    lines = planned_lines(accounts_book(tmp_path), budget_book(tmp_path))
    assert lines == {("年初预算", "2010301", ""): 100_000_000, ("年初预算", "2010302", ""): 10_000_000,
                     ("年初预算", "2080505", ""): 5_000_000, ("三公年初预算", "", "30212"): 0,
                     ("三公年初预算", "", "31013"): 0, ("三公年初预算", "", "30231"): 0,
                     ("三公年初预算", "", "30217"): 1_000_000, ("三公年初预算", "", "30215"): 10_000_000}


# -- disagreements at the 决算 workbook's cell -------------------------------------------------------
def test_typed_initial_budget_that_differs_is_reported_at_its_cell(tmp_path: Path) -> None:
    accounts = accounts_book(tmp_path, 年初预算=[acc.BUDGETS, ["2010301", "90.00", "", ""], ["2010350", "7.00", "", ""]],
                             三公经费=[acc.THREE, ["公务接待费", "2.00", "", ""], ["因公出国（境）费", "0", "", ""]])
    assert taken(tmp_path, accounts, budget_book(tmp_path)) == [
        ("XB723", "[决算.xlsx]三公经费!B2"),  # 公务接待费 2.00 against 1.00
        ("XB723", "[决算.xlsx]年初预算"),  # 2010302 left out (10.00 in the budget)
        ("XB723", "[决算.xlsx]年初预算"),  # 2080505 left out
        ("XB723", "[决算.xlsx]年初预算!B2"),  # 90.00 against 100.00
        ("XB723", "[决算.xlsx]年初预算!B3"),  # the budget has no 2010350
    ]
    assert planned_lines(accounts, budget_book(tmp_path))[("年初预算", "2010301", "")] == 100_000_000


def test_the_message_names_the_budgets_figure_and_where_it_comes_from(tmp_path: Path) -> None:
    accounts = accounts_book(tmp_path, 年初预算=[acc.BUDGETS, ["2010301", "90.00", "", ""]])
    found = derive([accounts], profile=acc.PROFILE, year_budget=[budget_book(tmp_path)]).findings
    first = next(f for f in found if f.where.row == 2 and f.code == "XB723")
    assert first.message == ("“2010301 行政运行”的年初预算：决算工作簿填 90.00 万元，预算工作簿为 100.00 万元"
                             "（2024填报.xlsx 基本支出!E2 等 3 行一般公共预算支出的合计），按预算工作簿编制")
    assert (first.expected, first.actual, first.difference) == ("100.00", "90.00", "-10.00")


def test_typed_figures_that_agree_are_silent(tmp_path: Path) -> None:
    accounts = accounts_book(tmp_path, 年初预算=[acc.BUDGETS, ["2010301", "100", "", ""], ["2010302", "10", "", ""],
                                              ["2080505", "5", "", ""]],
                             三公经费=[acc.THREE, ["公务接待费", "1", "", ""]])
    assert taken(tmp_path, accounts, budget_book(tmp_path)) == []


def test_reasons_stay_at_the_clerks_row(tmp_path: Path) -> None:
    """A typed row keeps its place: 2080505 (5.00 budgeted, nothing spent) without a reason is reported at
    its 差异原因 cell; not typed, at the 年初预算 sheet, where its row is to be added."""
    budget = budget_book(tmp_path)
    for typed, where in (("2080505", "年初预算!D2"), ("2010301", "年初预算")):
        accounts = accounts_book(tmp_path, 年初预算=[acc.BUDGETS, [typed, "100" if typed == "2010301" else "5", "", ""]])
        found = derive([accounts], profile=acc.PROFILE, year_budget=[budget]).findings
        assert [(f.code, str(f.where)) for f in found if f.code == "XB706"] == [("XB706", where)]


# -- 元 and 万元 ------------------------------------------------------------------------------------
def test_budget_in_yuan_accounts_in_wan(tmp_path: Path) -> None:
    """1,000,000.00 元 is 100.00 万元 exactly: no difference, the same 分."""
    yuan = [[r[0], r[1], r[2], r[3], str(int(float(r[4]) * 10_000))] if i else r
            for i, r in enumerate(BUDGET["基本支出"])]
    budget = budget_book(tmp_path, 基本信息=[*BUDGET["基本信息"][:4], ["金额单位", "元"]], 基本支出=yuan,
                         收入=[bud.INCOME, [acc.UNIT, "一般公共预算", "1110000"]],
                         项目支出=[bud.PROJECT_LINES, [bud.PROJECT, "2010302", "30215", "一般公共预算", "60000"],
                               [bud.PROJECT, "2010302", "30215", "一般公共预算结转", "40000"]])
    accounts = accounts_book(tmp_path, 年初预算=[acc.BUDGETS, ["2010301", "100.00", "", ""]])
    assert taken(tmp_path, accounts, budget) == [("XB723", "[决算.xlsx]年初预算"), ("XB723", "[决算.xlsx]年初预算")]
    assert planned_lines(accounts, budget) == planned_lines(accounts, budget_book(tmp_path, "万元.xlsx"))


def test_budget_in_wan_accounts_in_yuan(tmp_path: Path) -> None:
    """A budget typed to 6 decimals of 万元 (1,234.56 元) against a 决算 in 元: exact, and equal as printed."""
    budget = budget_book(tmp_path, 基本支出=[bud.BASIC, [acc.UNIT, "2010301", "30101", "一般公共预算", "0.123456"]],
                         项目支出=[bud.PROJECT_LINES])
    info = [*acc.BASE["基本信息"][:-1], ["金额单位", "元"], ["公开格式", "juesuan-2024"]]
    accounts = accounts_book(tmp_path, 基本信息=info, 年初预算=[acc.BUDGETS, ["2010301", "1234.56", "", ""]])
    assert planned_lines(accounts, budget)[("年初预算", "2010301", "")] == 123_456
    assert [code for code, _ in taken(tmp_path, accounts, budget)] == []


def test_printed_equal_is_not_a_difference(tmp_path: Path) -> None:
    """The clerk typed the budget's published 万元 (2 decimals) in a 决算 of 万元: 0.123456 shows as 0.12."""
    budget = budget_book(tmp_path, 基本支出=[bud.BASIC, [acc.UNIT, "2010301", "30101", "一般公共预算", "0.123456"]],
                         项目支出=[bud.PROJECT_LINES])
    accounts = accounts_book(tmp_path, 年初预算=[acc.BUDGETS, ["2010301", "0.12", "", ""]])
    assert taken(tmp_path, accounts, budget) == []
    assert planned_lines(accounts, budget)[("年初预算", "2010301", "")] == 123_456


# -- the wrong budget ------------------------------------------------------------------------------
def test_budget_of_another_year(tmp_path: Path) -> None:
    budget = budget_book(tmp_path, 基本信息=[bud.INFO_HEAD, ["预算年度", "2023"], *BUDGET["基本信息"][2:]])
    accounts = accounts_book(tmp_path, 年初预算=[acc.BUDGETS, ["2010301", "90.00", "", ""]])
    outcome = derive([accounts], profile=acc.PROFILE, year_budget=[budget])
    assert [(f.code, str(f.where), f.where.file) for f in outcome.findings if f.code.startswith("XB72")] == [
        ("XB720", "基本信息", "2024填报.xlsx")]
    assert outcome.exit_code == 1
    assert outcome.budget is not None  # nothing taken: the 决算's own 年初预算 stays
    assert [(x.function, x.amount) for x in outcome.budget.lines if x.flow == "年初预算"] == [("2010301", 90_000_000)]


def test_budget_of_another_department(tmp_path: Path) -> None:
    budget = budget_book(tmp_path, 基本信息=[*BUDGET["基本信息"][:2], ["部门编码", "002"], *BUDGET["基本信息"][3:]])
    assert taken(tmp_path, accounts_book(tmp_path), budget) == [("XB721", "[2024填报.xlsx]基本信息")]


def test_budget_of_other_units(tmp_path: Path) -> None:
    budget = budget_book(tmp_path, 单位=[bud.UNITS, [acc.UNIT, "测试单位", "行政单位"], ["002", "下属单位", "事业单位"]])
    found = derive([accounts_book(tmp_path)], profile=acc.PROFILE, year_budget=[budget]).findings
    assert [(f.code, str(f.where), f.message) for f in found if f.code == "XB722"] == [
        ("XB722", "单位", "两个工作簿的单位不同（只在预算工作簿中：002）")]


def test_budget_of_unit_workbooks(tmp_path: Path) -> None:
    """A 部门 whose budget is two units' workbooks: --budget twice, their lines summed per 项."""
    other = budget_book(tmp_path, "下属单位.xlsx", 单位=[bud.UNITS, ["002", "下属单位", "事业单位"]],
                        收入=[bud.INCOME, ["002", "一般公共预算", "5.00"]],
                        基本支出=[bud.BASIC, ["002", "2010301", "30101", "一般公共预算", "5.00"]],
                        项目=[bud.PROJECTS], 项目支出=[bud.PROJECT_LINES], 绩效目标=[bud.GOALS])
    units = [*acc.BASE["单位"], ["002", "下属单位", "事业单位"]]
    accounts = accounts_book(tmp_path, 单位=units)
    outcome = derive([accounts], profile=acc.PROFILE, year_budget=[budget_book(tmp_path), other])
    assert [f.code for f in outcome.findings if f.code.startswith("XB72")] == []
    assert outcome.budget is not None
    assert [(x.function, x.amount) for x in outcome.budget.lines if x.flow == "年初预算"] == [
        ("2010301", 105_000_000), ("2010302", 10_000_000), ("2080505", 5_000_000)]


def test_budget_with_errors(tmp_path: Path) -> None:
    """A budget line whose amount cannot be read would make the 年初预算 wrong: its error is this compile's."""
    lines = [*BUDGET["基本支出"], [acc.UNIT, "2010301", "30102", "一般公共预算", "十万"]]
    outcome = derive([accounts_book(tmp_path)], profile=acc.PROFILE, year_budget=[budget_book(tmp_path, 基本支出=lines)])
    errors = [(f.code, f"[{f.where.file}]{f.where}") for f in outcome.findings if f.severity == "error"]
    assert errors == [("XB104", "[2024填报.xlsx]基本支出!E8")]
    assert outcome.findings[0].message.startswith("预算工作簿：")
    assert outcome.exit_code == 1


def test_a_accounts_workbook_is_not_a_budget(tmp_path: Path) -> None:
    stamped = [*acc.BASE["基本信息"], ["公开格式", "juesuan-2024"]]
    other = bud.write_workbook(tmp_path / "另一决算.xlsx", {**acc.BASE, "基本信息": stamped})
    result = CliRunner().invoke(main, ["check", str(accounts_book(tmp_path)), "--budget", str(other)])
    assert result.exit_code == 2, result.output
    assert "XB724" in result.output and "不是预算工作簿" in result.output


def test_budget_only_for_final_accounts(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["check", str(budget_book(tmp_path)), "--budget", str(budget_book(tmp_path, "b.xlsx"))])
    assert result.exit_code == 2, result.output
    assert "XB724" in result.output and "--budget 只用于部门决算" in result.output


def test_missing_budget_file(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["check", str(accounts_book(tmp_path)), "--budget", str(tmp_path / "无.xlsx")])
    assert result.exit_code == 2, result.output
    assert "XB001" in result.output and "Traceback" not in result.output


def test_check_takes_budget(tmp_path: Path) -> None:
    accounts = accounts_book(tmp_path, 年初预算=[acc.BUDGETS, ["2010301", "90.00", "", ""]])
    result = CliRunner().invoke(main, ["check", str(accounts), "--budget", str(budget_book(tmp_path)),
                                       "--format", "json"])
    assert '"XB723"' in result.output and '"年初预算!B2"' in result.output


def test_batch_refuses_budget(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["compile", "--batch", str(tmp_path), "--budget", str(budget_book(tmp_path))])
    assert result.exit_code == 2 and "--budget 只用于单个部门" in result.output


# -- property: the 年初预算 per 项 is the budget's sum, whatever the order of its lines ----------------
FUNCTIONS = ("2010301", "2010302", "2080505", "2210201")
ECONS = ("30101", "30217", "30231", "30212", "31013", "30913", "30201")
LINES = st.lists(st.tuples(st.sampled_from(FUNCTIONS), st.sampled_from(ECONS), st.sampled_from(SOURCES),
                           st.integers(0, 10**12)), max_size=40)


def _budget(lines: list[tuple[str, str, str, int]], year: int = 2024) -> Budget:
    return Budget(year, "001", "测试部门", "元", (Unit(acc.UNIT, "测试单位", "行政单位"),), (),
                  tuple(Line(acc.UNIT, f, e, s, a) for f, e, s, a in lines), ())


@settings(max_examples=60, deadline=None)
@given(LINES, st.randoms(use_true_random=False))
def test_filled_initial_budget_is_the_budgets_sum_per_item(lines: list[tuple[str, str, str, int]],
                                                           order: random.Random) -> None:
    shuffled = list(lines)
    order.shuffle(shuffled)
    accounts = _budget([])
    filled, found = with_budget(accounts, _budget(shuffled), "万元", 2)
    assert found == []
    per_item = {x.function: x.amount for x in filled.lines if x.flow == "年初预算"}
    for code in FUNCTIONS:
        expected = sum(a for f, _, s, a in lines if f == code and s in ("一般公共预算", "一般公共预算结转"))
        assert per_item.get(code, 0) == expected
    assert filled == with_budget(accounts, _budget(lines), "万元", 2)[0]


# -- template --from the year's budget -------------------------------------------------------------
def accounts_template(tmp_path: Path, budget: Path, *args: str) -> Path:
    out = tmp_path / "2024决算填报.xlsx"
    result = CliRunner().invoke(main, ["template", "--profile", acc.PROFILE, "--from", str(budget), "-o", str(out),
                                       *args])
    assert result.exit_code == 0, result.output
    return out


def test_template_from_budget_carries_department_units_texts_and_initial_budget(tmp_path: Path) -> None:
    budget = budget_book(tmp_path)
    made = accounts_template(tmp_path, budget)
    accounts, found = read_accounts(made)
    assert (accounts.year, accounts.dept_code, accounts.dept_name, accounts.amount_unit) == (2024, "001", "测试部门", "万元")
    assert [(u.code, u.name, u.type) for u in accounts.units] == [(acc.UNIT, "测试单位", "行政单位")]
    assert accounts.notes == {"主要职能": "测试。"}
    assert {(x.flow, x.function, x.econ): x.amount for x in accounts.lines} == planned_lines(accounts_book(tmp_path), budget)
    assert read_stamp(open_workbook(made), made.name).format == acc.PROFILE
    # the project's two lines (一般公共预算 and its 结转) are one 本年支出 row to fill with the actual
    rows = list(openpyxl.load_workbook(made)["本年支出"].iter_rows(min_row=2, values_only=True))
    assert [r[:8] for r in rows] == [(acc.UNIT, "2010302", "30215", "一般公共预算", "项目支出", None, "会议费",
                                      f"预算项目 {bud.PROJECT}")]
    assert [(f.code, str(f.where)) for f in found if f.severity == "error"] == [("XB103", "本年支出!F2")]


def test_template_from_budget_filled_and_compiled_with_budget_agrees(tmp_path: Path) -> None:
    """A clerk's round: 决算 template from the budget, actuals typed, compiled with --budget: no difference."""
    budget = budget_book(tmp_path)
    made = accounts_template(tmp_path, budget)
    book = openpyxl.load_workbook(made)
    book["本年支出"]["F2"] = 10
    for row in ([acc.UNIT, "2010301", "30101", "一般公共预算", "基本支出", 80],
                [acc.UNIT, "2010301", "30201", "一般公共预算", "基本支出", 20]):
        book["本年支出"].append(row)
    for row in ([acc.UNIT, "2010301", "一般公共预算", 100], [acc.UNIT, "2010302", "一般公共预算", 10]):
        book["本年收入"].append(row)
    book.save(made)
    out = tmp_path / "公开表.xlsx"
    result = CliRunner().invoke(main, ["compile", str(made), "--budget", str(budget), "-o", str(out),
                                       "--narrative", "md"])
    assert result.exit_code == 0, result.output
    assert "XB723" not in result.output and "错误 0 个" in result.output
    text = (tmp_path / "公开表_决算说明.md").read_text(encoding="utf-8")
    assert "年初预算为10.00万元，支出决算为10.00万元，完成年初预算的100.00%" in text


def test_template_from_budget_in_yuan_keeps_yuan(tmp_path: Path) -> None:
    budget = budget_book(tmp_path, 基本信息=[*BUDGET["基本信息"][:4], ["金额单位", "元"]],
                         基本支出=[bud.BASIC, [acc.UNIT, "2010301", "30101", "一般公共预算", "1234.56"]])
    accounts, _ = read_accounts(accounts_template(tmp_path, budget))
    assert accounts.amount_unit == "元"
    assert [(x.function, x.amount) for x in accounts.lines if x.flow == "年初预算"] == [
        ("2010301", 123_456), ("2010302", 1_000)]  # 1,234.56 元; 6.00 + 4.00 元 (the project lines, now in 元)


def test_template_from_budget_of_another_year_is_refused(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["template", "--profile", acc.PROFILE, "--from", str(budget_book(tmp_path)),
                                       "--year", "2025", "-o", str(tmp_path / "x.xlsx")])
    assert result.exit_code == 2 and "--year 2025 与之不同" in result.output
    assert not (tmp_path / "x.xlsx").exists()


def test_template_from_an_accounts_workbook_is_refused(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["template", "--from", str(accounts_book(tmp_path)), "-o", str(tmp_path / "x.xlsx")])
    assert result.exit_code == 2 and "XB724" in result.output, result.output
    assert not (tmp_path / "x.xlsx").exists()


def test_template_lists_the_three_public_items_in_their_order(tmp_path: Path) -> None:
    rows = openpyxl.load_workbook(accounts_template(tmp_path, budget_book(tmp_path)))["三公经费"].iter_rows(
        min_row=2, values_only=True)
    assert [(r[0], r[1]) for r in rows] == [("因公出国（境）费", 0), ("公务用车购置费", 0), ("公务用车运行费", 0),
                                             ("公务接待费", 1), ("会议费", 10)]


@settings(max_examples=10, deadline=None)
@given(LINES, st.sampled_from(["元", "万元"]))
def test_template_from_budget_reads_back_the_budgets_initial_budget(lines: list[tuple[str, str, str, int]],
                                                                    unit: str) -> None:
    """template → read gives back every 年初预算 exactly, in 元 or 万元, whatever its size."""
    budget = replace(_budget(lines), amount_unit=unit, catalog=load_catalog(2024))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "决算.xlsx"
        write_template(path, 2024, budget.catalog, accounts_from_budget(budget), unit, ACCOUNTS_CONTRACT, acc.PROFILE)
        read, _ = read_accounts(path)
    assert {(x.flow, x.function, x.econ): x.amount for x in read.lines} == {
        (x.flow, x.function, x.econ): x.amount for x in accounts_from_budget(budget).lines}


# -- a format with the regional switches shows what --budget takes ------------------------------------
def test_switched_format_prints_the_budgets_figures(tmp_path: Path) -> None:
    """tests/data/made-up-juesuan.toml prints 年初预算数 per 项 in its 一般公共预算 table and 会议费 /
    培训费 预算数 in its “三公” table: with --budget they are the budget's (transcribed from BUDGET)."""
    made_up = Path(__file__).resolve().parent / "data" / "made-up-juesuan.toml"
    outcome = derive([accounts_book(tmp_path)], profile=str(made_up), year_budget=[budget_book(tmp_path)])
    general, three = find_table(outcome.tables, "j05"), find_table(outcome.tables, "j07")
    code, planned = column_of(general, ["项目", "支出功能分类科目编码", "项"]), column_of(general, ["年初预算数"])
    name = column_of(general, ["项目", "科目名称"])
    assert [(row.cells[name], row.cells[planned]) for row in general.rows if row.level == 3 and row.cells[code]] == [
        ("行政运行", 100_000_000), ("一般行政管理事务", 10_000_000), ("事业运行", 0), ("机关事业单位基本养老保险缴费支出", 5_000_000)]
    row = three.rows[0].cells
    assert [row[column_of(three, path)] for path in (["会议费", "预算数"], ["培训费", "预算数"],
                                                     ["“三公”经费", "公务接待费", "预算数"])] == [10_000_000, 0, 1_000_000]


# -- the 项目年初预算 of a format printing the 项目支出决算表 ----------------------------------------------
MADE_UP = Path(__file__).resolve().parent / "data" / "made-up-juesuan.toml"
TRAINING = "41030022000000000002"
# Two budget projects: 会议费 (2010302: 6.00 + 4.00 结转, 一般公共预算财政拨款 10.00) and 培训项目 (2080505:
# 3.00 一般公共预算; 2.00 事业收入, outside the scope), the second with no 决算 spending.
PROJECTS = {"项目": [bud.PROJECTS, [bud.PROJECT, "会议费", "其他运转类", acc.UNIT],
                   [TRAINING, "培训项目", "其他运转类", acc.UNIT]],
            "项目支出": [*BUDGET["项目支出"], [TRAINING, "2080505", "30216", "一般公共预算", "3.00"],
                     [TRAINING, "2080505", "30216", "事业收入", "2.00"]]}
NAMED = [*acc.SPENDING, "项目名称"]
SPENT = {"本年支出": [NAMED, *[[*row, ""] for row in acc.BASE["本年支出"][1:3]],
                  [acc.UNIT, "2010302", "", "一般公共预算", "项目支出", "10.00", "会议费"],
                  [acc.UNIT, "2010350", "", "一般公共预算", "项目支出", "7.00", "其他项目"]]}
PROJECT_BUDGETS = ["单位编码", "项目名称", "功能分类编码", "年初预算数", "调整预算数", "差异原因"]


def test_compile_with_budget_prints_each_projects_initial_budget(tmp_path: Path) -> None:
    out = tmp_path / "公开表.xlsx"
    result = CliRunner().invoke(main, ["compile", str(accounts_book(tmp_path, **SPENT)), "--budget",
                                       str(budget_book(tmp_path, **PROJECTS)), "--profile", str(MADE_UP), "-o", str(out)])
    assert result.exit_code == 0, result.output
    sheet = openpyxl.load_workbook(out)["一般公共预算财政拨款项目支出决算表"]
    rows = [tuple(r) for r in sheet.iter_rows(values_only=True) if r[0] in ("会议费", "培训项目", "其他项目")]
    # transcribed by hand: 项目名称, 功能分类 编码, 年初预算数, 调整预算数, 决算数 (万元)
    assert [(r[0], r[1], r[3], r[4], r[5]) for r in rows] == [
        ("会议费", "2010302", 10, None, 10), ("其他项目", "2010350", None, None, 7), ("培训项目", "2080505", 3, None, None)]


def test_typed_project_initial_budget_that_differs_is_reported_at_its_cell(tmp_path: Path) -> None:
    accounts = accounts_book(tmp_path, **SPENT, 项目年初预算=[PROJECT_BUDGETS, [acc.UNIT, "会议费", "2010302", "12.00", "", ""]])
    found = derive([accounts], profile=str(MADE_UP), year_budget=[budget_book(tmp_path, **PROJECTS)]).findings
    assert [(f.code, f"[{f.where.file}]{f.where}", f.expected, f.actual) for f in found if f.code == "XB723"] == [
        ("XB723", "[决算.xlsx]项目年初预算", "3.00", "0.00"),  # 培训项目 left out
        ("XB723", "[决算.xlsx]项目年初预算!D2", "10.00", "12.00")]  # 12.00 against 10.00
    assert next(f for f in found if f.code == "XB723" and f.where.row == 2).message == (
        "项目“会议费”（2010302）的年初预算：决算工作簿填 12.00 万元，预算工作簿为 10.00 万元（2024填报.xlsx 项目支出!E2"
        " 等 2 行一般公共预算支出的合计），按预算工作簿编制")


def test_project_typed_without_item_is_compared_as_a_whole(tmp_path: Path) -> None:
    accounts = accounts_book(tmp_path, **SPENT, 项目年初预算=[PROJECT_BUDGETS, [acc.UNIT, "会议费", "", "10", "", ""],
                                                        [acc.UNIT, "培训项目", "", "3", "", ""]])
    outcome = derive([accounts], profile=str(MADE_UP), year_budget=[budget_book(tmp_path, **PROJECTS)])
    assert [f for f in outcome.findings if f.code in ("XB723", "XB710")] == []
    assert outcome.budget is not None
    assert [(x.project, x.function, x.amount, str(x.where)) for x in outcome.budget.lines if x.flow == "项目年初预算"] == [
        ("001:会议费", "2010302", 10_000_000, "项目年初预算!D2"), ("001:培训项目", "2080505", 3_000_000, "项目年初预算!D3")]


def test_template_from_budget_writes_the_project_initial_budget(tmp_path: Path) -> None:
    budget = budget_book(tmp_path, **PROJECTS)
    rows = openpyxl.load_workbook(accounts_template(tmp_path, budget, "--profile", str(MADE_UP)))["项目年初预算"]
    assert [r[:4] for r in rows.iter_rows(min_row=2, values_only=True)] == [
        (acc.UNIT, "会议费", "2010302", 10), (acc.UNIT, "培训项目", "2080505", 3)]
    national = openpyxl.load_workbook(accounts_template(tmp_path, budget))["项目年初预算"]  # prints no such table
    assert list(national.iter_rows(min_row=2, values_only=True)) == []
