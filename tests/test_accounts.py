"""部门决算: the template and its reading, each identity with a workbook that breaks it (the finding at
the clerk's cell), the plausibility warnings, and the 情况说明's rules (no percentage of a zero 年初预算,
shares adding up to 100 %)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import openpyxl
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from tests.accounts_workbooks import (
    BASE,
    BUDGETS,
    INCOME,
    PROFILE,
    THREE,
    UNIT,
    report,
    workbook,
)
from tests.conftest import ROOT
from xlbudget.accounts_contract import ACCOUNTS
from xlbudget.accounts_reader import read_accounts
from xlbudget.cli import main
from xlbudget.money import shares
from xlbudget.pipeline import compile_workbook

EXAMPLE = ROOT / "examples" / "shanghai-2024-caizhengju-juesuan"


def test_the_balanced_base_has_no_finding(tmp_path: Path) -> None:
    assert report(workbook(tmp_path)) == []


# -- identities (errors) ---------------------------------------------------------------------------
def test_totals_both_ways(tmp_path: Path) -> None:
    """本年收入 115 + 年初 3 ≠ 本年支出 110 + 年末 9: at the 年末结转和结余 row."""
    balances = [*BASE["结转结余"][:3], [UNIT, "年末结转和结余", "其他收入", "", "6.00"]]
    assert report(workbook(tmp_path, 结转结余=balances)) == [("XB702", "结转结余!E3")]


def test_fiscal_per_fund_type(tmp_path: Path) -> None:
    """1.00 of 一般公共预算 carried over as 其他收入: the fund and the source both say so."""
    balances = [BASE["结转结余"][0], BASE["结转结余"][1], [UNIT, "年末结转和结余", "一般公共预算", "2010302", "4.00"],
                [UNIT, "年末结转和结余", "其他收入", "", "4.00"]]
    assert report(workbook(tmp_path, 结转结余=balances)) == [("XB703", "结转结余!E3"), ("XB707", "结转结余!E4")]


def test_fiscal_per_function(tmp_path: Path) -> None:
    """1.00 of income typed on the wrong 项: each 项 is off, the fund's total is not."""
    income = [INCOME, [UNIT, "2010301", "一般公共预算", "99.00"], [UNIT, "2010302", "一般公共预算", "11.00"],
              [UNIT, "2010301", "其他收入", "5.00"]]
    assert report(workbook(tmp_path, 本年收入=income)) == [("XB704", "本年收入!D2"), ("XB704", "结转结余!E3")]


def test_basic_spending_outside_personnel_and_public(tmp_path: Path) -> None:
    """A 309 line in 基本支出 makes 一般公共预算财政拨款支出决算表's 基本支出 ≠ 人员经费 + 公用经费."""
    spending = [*BASE["本年支出"][:2], [UNIT, "2010301", "30905", "一般公共预算", "基本支出", "20.00"], BASE["本年支出"][3]]
    assert ("XB705", "本年支出!C3") in report(workbook(tmp_path, 本年支出=spending))


def test_fiscal_basic_spending_needs_its_economic_code(tmp_path: Path) -> None:
    spending = [*BASE["本年支出"][:2], [UNIT, "2010301", "", "一般公共预算", "基本支出", "20.00"], BASE["本年支出"][3]]
    assert ("XB701", "本年支出!C3") in report(workbook(tmp_path, 本年支出=spending))


def test_fiscal_carryover_needs_its_function(tmp_path: Path) -> None:
    balances = [BASE["结转结余"][0], [UNIT, "年初结转和结余", "一般公共预算", "", "3.00"], *BASE["结转结余"][2:]]
    assert ("XB701", "结转结余!D2") in report(workbook(tmp_path, 结转结余=balances))


# -- plausibility (warnings) -----------------------------------------------------------------------
def test_far_from_the_budget_without_a_reason(tmp_path: Path) -> None:
    budgets = [BUDGETS, ["2010301", "150.00", "", ""], ["2010302", "10.00", "", ""]]
    assert report(workbook(tmp_path, 年初预算=budgets)) == [("XB706", "年初预算!D2")]


def test_far_from_the_budget_with_a_reason_is_fine(tmp_path: Path) -> None:
    budgets = [BUDGETS, ["2010301", "150.00", "", "人员调出，工资支出减少。"], ["2010302", "10.00", "", ""]]
    assert report(workbook(tmp_path, 年初预算=budgets)) == []


def test_a_small_difference_without_a_reason_is_noted(tmp_path: Path) -> None:
    budgets = [BUDGETS, ["2010301", "101.00", "", ""], ["2010302", "10.00", "", ""]]
    assert report(workbook(tmp_path, 年初预算=budgets)) == [("XB709", "年初预算!D2")]


def test_spending_on_a_zero_budget_is_far(tmp_path: Path) -> None:
    budgets = [BUDGETS, ["2010301", "100.00", "", ""], ["2010302", "0", "", ""]]
    assert report(workbook(tmp_path, 年初预算=budgets)) == [("XB706", "年初预算!D3")]


def test_three_public_spending_without_its_budget(tmp_path: Path) -> None:
    spending = [*BASE["本年支出"][:2], [UNIT, "2010301", "30217", "一般公共预算", "基本支出", "20.00"], BASE["本年支出"][3]]
    assert report(workbook(tmp_path, 本年支出=spending, 三公经费=[THREE])) == [("XB708", "本年支出!C3")]


# -- template and reading ---------------------------------------------------------------------------
def test_the_template_command_writes_the_accounts_template(tmp_path: Path) -> None:
    out = tmp_path / "决算模板.xlsx"
    result = CliRunner().invoke(main, ["template", "--profile", PROFILE, "--year", "2024", "-o", str(out)])
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["填报说明", *(s.name for s in ACCOUNTS.sheets), "_lists"]
    assert book["填报说明"]["A1"].value == "2024年度部门决算填报模板 · 填报说明"
    assert [c.value for c in book["本年支出"][1]] == [c.header for c in ACCOUNTS.sheet("本年支出").columns]


def test_the_example_reads_back_as_written(tmp_path: Path) -> None:
    """template → fill → read: every line of the example, with its flow and amount in 分."""
    import sys

    sys.path.insert(0, str(ROOT / "scripts"))
    from build_example import build_accounts  # type: ignore[import-not-found]

    from xlbudget.template import write_budget_workbook

    written = build_accounts(EXAMPLE)
    write_budget_workbook(written, tmp_path / "in.xlsx", version=ACCOUNTS)
    read, found = read_accounts(tmp_path / "in.xlsx")
    assert [f.code for f in found] == []
    key = lambda b: sorted((x.unit, x.function, x.econ, x.source, x.amount, x.flow, x.project) for x in b.lines)  # noqa: E731
    assert key(read) == key(written) and read.reasons == written.reasons and read.notes == written.notes


def test_profiles_lists_the_accounts_profile() -> None:
    result = CliRunner().invoke(main, ["profiles"])
    assert "juesuan-2024\t部门决算公开" in result.output


def test_check_command_takes_an_accounts_workbook(tmp_path: Path) -> None:
    balances = [*BASE["结转结余"][:3], [UNIT, "年末结转和结余", "其他收入", "", "6.00"]]
    result = CliRunner().invoke(main, ["check", str(workbook(tmp_path, 结转结余=balances)), "--profile", PROFILE])
    assert result.exit_code == 1 and "XB702" in result.output and "结转结余!E3" in result.output


# -- 情况说明 ---------------------------------------------------------------------------------------
def narrative(tmp_path: Path, **sheets: list[list[object]]) -> str:
    outcome = compile_workbook([workbook(tmp_path, **sheets)], tmp_path / "公开表.xlsx", profile=PROFILE,
                               narrative=("md",), force=True)
    assert outcome.exit_code in (0, 1), outcome.findings
    return (tmp_path / "公开表_决算说明.md").read_text(encoding="utf-8")


def test_no_percentage_of_a_zero_budget(tmp_path: Path) -> None:
    text = narrative(tmp_path, 年初预算=[BUDGETS, ["2010301", "100.00", "", ""], ["2010302", "0", "", "新增项目。"]])
    line = next(x for x in text.splitlines() if "（项）" in x and "其他事务" in x or "2010302" in x or "一般行政管理事务" in x)
    assert "年初预算为0.00万元，支出决算为10.00万元，年初未安排预算。决算数大于年初预算数，主要原因是新增项目。" in line
    assert "完成年初预算的" not in line


def test_each_item_against_its_budget_with_the_reason(tmp_path: Path) -> None:
    text = narrative(tmp_path, 年初预算=[BUDGETS, ["2010301", "125.00", "", "人员调出。"], ["2010302", "10.00", "", ""]])
    assert "行政运行（项）。年初预算为125.00万元，支出决算为100.00万元，完成年初预算的80.00%。决算数小于年初预算数，主要原因是人员调出。" in text


def test_a_missing_input_is_a_finding_and_no_placeholder(tmp_path: Path) -> None:
    path = workbook(tmp_path, 说明事项=[["项目", "内容"]])
    assert ("XB504", "说明事项") in report(path)
    text = narrative(tmp_path, 说明事项=[["项目", "内容"]])
    assert "请填写" not in text and "None" not in text and "政府采购支出总额" not in text


@given(st.lists(st.integers(min_value=0, max_value=10**12), min_size=1, max_size=30))
def test_shares_add_up_to_one_hundred(parts: list[int]) -> None:
    got = shares(parts)
    assert sum(got) == (100 if sum(parts) else 0)
    whole = sum(parts)
    for part, share in zip(parts, got, strict=True):  # each within one step of its exact share
        assert whole == 0 or abs(Decimal(part) * 100 / whole - share) < Decimal("0.01")


def test_a_template_made_for_the_accounts_profile_is_read_as_one_without_naming_it(tmp_path: Path) -> None:
    """The 决算 template records its format (基本信息 公开格式): check finds the 决算 sheets by itself."""
    out = tmp_path / "决算模板.xlsx"
    CliRunner().invoke(main, ["template", "--profile", PROFILE, "--year", "2024", "-o", str(out)])
    result = CliRunner().invoke(main, ["check", str(out)])
    assert "XB127" in result.output and "XB101" not in result.output, result.output
