"""Invariants of the derived tables and of the workbook round trip, on generated budgets.

Columns are found by their header path, never by position; row kinds (total / unit / detail)
say which rows a total sums.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
from hypothesis import given, settings

from tests.strategies import budgets
from xlbudget import contract
from xlbudget.derive import derive_tables
from xlbudget.findings import ERROR
from xlbudget.model import Budget, Line, total
from xlbudget.profile import load_profile
from xlbudget.reader import read_budget
from xlbudget.tables.base import DETAIL, MONEY, TOTAL, UNIT, Row, Table
from xlbudget.template import write_budget_workbook

PROFILE = load_profile()
HeaderPath = tuple[str, ...]

# table names (sheet names of the disclosure workbook)
SUMMARY, INCOME, EXPENDITURE, FISCAL = "单位收支预算表", "单位收入预算表", "单位支出预算表", "财政拨款收支预算表"
GENERAL, GENERAL_BASIC, ECONOMIC = "一般公共预算支出预算表", "一般公共预算基本支出预算表", "支出经济分类汇总表"
THREE_PUBLIC, FUND, STATE_CAPITAL = "一般公共预算“三公”经费预算表", "政府性基金预算支出预算表", "国有资本经营预算支出预算表"
PROJECTS, PERFORMANCE = "项目支出预算表", "单位预算项目绩效目标表"
GRID_TABLES = (INCOME, EXPENDITURE, GENERAL, FUND, STATE_CAPITAL, ECONOMIC, PROJECTS, PERFORMANCE)

GENERAL_SOURCES = ("一般公共预算", "一般公共预算结转")
FUND_SOURCES = ("政府性基金预算", "政府性基金预算结转")
STATE_CAPITAL_SOURCES = ("国有资本经营预算", "国有资本经营预算结转")
THREE_PUBLIC_ECON = ("30212", "31013", "30913", "30231", "30217")

# 支出表 and 一般公共预算支出表 (same columns)
TOTAL_COL = ("合计",)
BASIC = ("基本支出", "小计")
SALARIES = ("基本支出", "人员经费", "工资福利支出")
HOUSEHOLDS = ("基本支出", "人员经费", "对个人和家庭的补助")
GOODS = ("基本支出", "公用经费", "商品和服务支出")
CAPITAL = ("基本支出", "公用经费", "资本性支出")
PROJECT = ("项目支出", "小计")
RUNNING = ("项目支出", "其他运转类")
TARGETED = ("项目支出", "特定目标类")

PROPERTY = settings(max_examples=60, deadline=None)


# -- helpers ------------------------------------------------------------------------------------
def tables(budget: Budget) -> dict[str, Table]:
    """The derived tables by their 单位-level sheet name (a 部门's tables say 部门 instead)."""
    unit_names = [spec.name.format(subject=PROFILE.wording.unit.subject) for spec in PROFILE.tables]
    return dict(zip(unit_names, derive_tables(budget, PROFILE), strict=True))


def index(table: Table, path: HeaderPath) -> int:
    found = [i for i, column in enumerate(table.columns) if column.path == path]
    assert found, f"{table.name} has no column {path}; columns: {[c.path for c in table.columns]}"
    return found[0]


def cell(table: Table, row: Row, path: HeaderPath) -> int:
    """A money cell in 分 (a blank cell counts as 0)."""
    value = row.cells[index(table, path)]
    assert value is None or isinstance(value, int), (table.name, path, value)
    return value or 0


def money_paths(table: Table) -> list[HeaderPath]:
    return [column.path for column in table.columns if column.kind == MONEY]


def has_money(table: Table, row: Row) -> bool:
    return any(row.cells[i] is not None for i in table.money_indexes())


def total_row(table: Table) -> Row:
    (row,) = table.rows_of(TOTAL)
    return row


def grand(table: Table, path: HeaderPath = TOTAL_COL) -> int:
    return cell(table, total_row(table), path)


def blocks(table: Table) -> list[tuple[Row | None, list[Row]]]:
    """(unit row, its detail rows); detail rows before any unit row go under None."""
    out: list[tuple[Row | None, list[Row]]] = []
    for row in table.rows:
        if row.kind == UNIT:
            out.append((row, []))
        elif row.kind == DETAIL:
            if not out:
                out.append((None, []))
            out[-1][1].append(row)
    return out


def labelled(table: Table, label_path: HeaderPath, amount_path: HeaderPath, label: str) -> int:
    """The amount beside ``label`` in a two-sided table (收支总表, 财政拨款收支表)."""
    (row,) = [r for r in table.rows if r.cells[index(table, label_path)] == label]
    return cell(table, row, amount_path)


def lines_total(budget: Budget, keep: Callable[[Line], bool] = lambda _: True) -> int:
    return total(budget.lines, keep)


def of_sources(*sources: str) -> Callable[[Line], bool]:
    return lambda line: line.source in sources


def assert_total_is_sum_of_units_and_units_of_details(table: Table) -> None:
    """total = Σ unit rows (when there are unit rows), each unit row = Σ its detail rows (when
    the table has detail rows; in the 三公 table the unit rows are the parts); without unit
    rows, total = Σ detail rows."""
    top, units, details = total_row(table), table.rows_of(UNIT), table.rows_of(DETAIL)
    grouped = blocks(table)
    for path in money_paths(table):
        if units:
            assert grouped[0][0] is not None, f"{table.name}: detail rows before the first unit row"
            assert cell(table, top, path) == sum(cell(table, u, path) for u in units), (table.name, path)
            for unit, parts in grouped if details else ():
                assert unit is not None and parts, f"{table.name}: a unit row without detail rows"
                assert cell(table, unit, path) == sum(cell(table, d, path) for d in parts), \
                    (table.name, path, unit.cells)
        else:
            assert cell(table, top, path) == sum(cell(table, d, path) for d in details), (table.name, path)


def assert_whole_is_sum_of_parts(table: Table, whole: HeaderPath, parts: Sequence[HeaderPath]) -> None:
    """In every row with amounts: whole = Σ parts."""
    for row in table.rows:
        if has_money(table, row):
            assert cell(table, row, whole) == sum(cell(table, row, p) for p in parts), \
                (table.name, whole, parts, row.cells)


def all_but(table: Table, whole: HeaderPath) -> list[HeaderPath]:
    return [p for p in money_paths(table) if p != whole]


# -- totals are the sums of their rows -------------------------------------------------------------
@PROPERTY
@given(budgets())
def test_totals_are_sums_of_unit_rows_and_unit_rows_of_details(budget: Budget) -> None:
    derived = tables(budget)
    for name in GRID_TABLES:
        assert_total_is_sum_of_units_and_units_of_details(derived[name])
    for name in (GENERAL_BASIC, THREE_PUBLIC):
        table = derived[name]
        if table.rows_of(UNIT) or table.rows_of(DETAIL):
            assert_total_is_sum_of_units_and_units_of_details(table)
        else:
            assert len(table.rows) == 1, f"{name}: a one-unit table is its total row"


# -- identities within a row ------------------------------------------------------------------------
@PROPERTY
@given(budgets())
def test_columns_add_up_within_each_row(budget: Budget) -> None:
    derived = tables(budget)
    for name in (EXPENDITURE, GENERAL):
        table = derived[name]
        assert_whole_is_sum_of_parts(table, TOTAL_COL, [BASIC, PROJECT])
        assert_whole_is_sum_of_parts(table, BASIC, [SALARIES, HOUSEHOLDS, GOODS, CAPITAL])
        assert_whole_is_sum_of_parts(table, PROJECT, [RUNNING, TARGETED])
    assert_whole_is_sum_of_parts(derived[INCOME], TOTAL_COL, all_but(derived[INCOME], TOTAL_COL))
    assert_whole_is_sum_of_parts(derived[ECONOMIC], ("总计",), [
        ("一般公共预算", "小计"), ("政府性基金",), ("国有资本经营预算",), ("上年结转结余",),
        ("财政专户管理资金收入",), ("事业收入",), ("上级补助收入",), ("附属单位上缴收入",),
        ("事业单位经营收入",), ("其他收入",)])
    basic_total = ("本年一般公共预算基本支出", "合计")
    assert_whole_is_sum_of_parts(derived[GENERAL_BASIC], basic_total, [
        ("本年一般公共预算基本支出", "人员经费"), ("本年一般公共预算基本支出", "公用经费")])
    assert_whole_is_sum_of_parts(derived[THREE_PUBLIC], ("“三公”经费合计",), [
        ("因公出国（境）费",), ("公务用车购置及运行费", "小计"), ("公务接待费",)])
    assert_whole_is_sum_of_parts(derived[THREE_PUBLIC], ("公务用车购置及运行费", "小计"), [
        ("公务用车购置及运行费", "公务用车购置费"), ("公务用车购置及运行费", "公务用车运行费")])
    for name, head in ((FUND, "本年政府性基金预算支出"), (STATE_CAPITAL, "本年国有资本经营预算支出")):
        assert_whole_is_sum_of_parts(derived[name], (head, "合计"), [(head, "基本支出"), (head, "项目支出")])
    assert_whole_is_sum_of_parts(derived[PROJECTS], TOTAL_COL, all_but(derived[PROJECTS], TOTAL_COL))
    amount = "项目金额（万元）"
    assert_whole_is_sum_of_parts(derived[PERFORMANCE], (amount, "资金总额"), [
        (amount, "政府预算资金"), (amount, "财政专户管理资金"), (amount, "单位资金")])


# -- the two-sided tables (收支总表, 财政拨款收支表) ----------------------------------------------------
def side(table: Table, label_path: HeaderPath, amount_path: HeaderPath) -> list[tuple[str, int]]:
    """(label, amount) of one side's rows, top to bottom."""
    rows = [r for r in table.rows if r.cells[index(table, label_path)]]
    return [(str(r.cells[index(table, label_path)]).strip(), cell(table, r, amount_path)) for r in rows]


def is_part(label: str) -> bool:
    return label.startswith("其中")


@PROPERTY
@given(budgets())
def test_two_sided_tables_add_up(budget: Budget) -> None:
    derived = tables(budget)
    summary = derived[SUMMARY]
    income = dict(side(summary, ("收入", "项目"), ("收入", "金额")))
    numbered = [amount for label, amount in side(summary, ("收入", "项目"), ("收入", "金额"))
                if "、" in label and not is_part(label)]
    assert sum(numbered) == income["本年收入合计"]
    assert income["本年收入合计"] + income["上年结转结余"] == income["收入总计"]
    spending = side(summary, ("支出", "项目"), ("支出", "金额"))
    totals = {"本年支出合计", "年终结转结余", "支出总计"}
    assert sum(amount for label, amount in spending if label not in totals) == dict(spending)["本年支出合计"]
    assert dict(spending)["本年支出合计"] == dict(spending)["支出总计"]

    fiscal = derived[FISCAL]
    groups: list[list[int]] = []  # [group amount, its items …]
    for label, amount in side(fiscal, ("收入", "项 目"), ("收入", "金 额")):
        if label[:2] in ("一、", "二、"):
            groups.append([amount])
        elif label.startswith("（"):
            groups[-1].append(amount)
        elif label == "收入合计":
            assert amount == sum(group[0] for group in groups)
    assert len(groups) == 2 and all(group[0] == sum(group[1:]) for group in groups)
    fiscal_totals = {"一、本年支出", "二、年终结转结余", "支出合计"}
    for path in [p for p in money_paths(fiscal) if p[0] == "支出"]:
        right = side(fiscal, ("支出", "项 目"), path)
        by_class = sum(amount for label, amount in right if label not in fiscal_totals)
        assert by_class == dict(right)["一、本年支出"] == dict(right)["支出合计"], path
    assert_whole_is_sum_of_parts(fiscal, ("支出", "合 计"), [
        ("支出", "一般公共预算", "小 计"), ("支出", "政府性基金"), ("支出", "国有资本经营预算")])


# -- the same figure in different tables ------------------------------------------------------------
@PROPERTY
@given(budgets())
def test_tables_agree_with_each_other_and_with_the_lines(budget: Budget) -> None:
    derived = tables(budget)
    everything = lines_total(budget)
    assert sum(i.amount for i in budget.incomes) == everything  # the strategy balances
    summary = derived[SUMMARY]
    income_total = labelled(summary, ("收入", "项目"), ("收入", "金额"), "收入总计")
    spending_total = labelled(summary, ("支出", "项目"), ("支出", "金额"), "支出总计")
    assert income_total == spending_total == grand(derived[EXPENDITURE]) == everything
    assert grand(derived[ECONOMIC], ("总计",)) == grand(derived[INCOME]) == everything

    fiscal = derived[FISCAL]
    fiscal_lines = lines_total(budget, of_sources(*contract.FISCAL))
    assert labelled(fiscal, ("支出", "项 目"), ("支出", "合 计"), "支出合计") == fiscal_lines
    assert labelled(fiscal, ("收入", "项 目"), ("收入", "金 额"), "收入合计") == fiscal_lines

    general = of_sources(*GENERAL_SOURCES)
    assert grand(derived[GENERAL]) == lines_total(budget, general)
    assert grand(derived[GENERAL_BASIC], ("本年一般公共预算基本支出", "合计")) == lines_total(
        budget, lambda ln: general(ln) and ln.is_basic)
    assert grand(derived[THREE_PUBLIC], ("“三公”经费合计",)) == lines_total(
        budget, lambda ln: general(ln) and ln.econ in THREE_PUBLIC_ECON)

    projects = lines_total(budget, lambda ln: not ln.is_basic)
    assert grand(derived[PROJECTS]) == projects == grand(derived[EXPENDITURE], PROJECT)
    assert grand(derived[PERFORMANCE], ("项目金额（万元）", "资金总额")) == grand(derived[PROJECTS])

    assert grand(derived[FUND], ("本年政府性基金预算支出", "合计")) == lines_total(
        budget, of_sources(*FUND_SOURCES))
    assert grand(derived[STATE_CAPITAL], ("本年国有资本经营预算支出", "合计")) == lines_total(
        budget, of_sources(*STATE_CAPITAL_SOURCES))


@PROPERTY
@given(budgets())
def test_no_line_is_dropped(budget: Budget) -> None:
    derived = tables(budget)
    spending = derived[EXPENDITURE]
    details = spending.rows_of(DETAIL)
    assert sum(cell(spending, row, TOTAL_COL) for row in details) == lines_total(budget)
    assert len(details) == len({(ln.unit, ln.function) for ln in budget.lines})
    economic = derived[ECONOMIC]
    assert len(economic.rows_of(DETAIL)) == len(
        {(ln.unit, ln.econ, budget.gov_code(ln)) for ln in budget.lines})
    assert len(derived[PROJECTS].rows_of(DETAIL)) == len(budget.projects)


# -- template → read gives back the budget -----------------------------------------------------------
@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("roundtrip")


def line_rows(budget: Budget) -> list[tuple[str, ...]]:
    return sorted((ln.unit, ln.function, ln.econ, ln.source, str(ln.amount), ln.project, ln.gov_override)
                  for ln in budget.lines)


def income_rows(budget: Budget) -> list[tuple[str, str, int]]:
    return sorted((i.unit, i.source, i.amount) for i in budget.incomes)


@pytest.mark.parametrize("amount_unit", contract.AMOUNT_UNITS)
@PROPERTY
@given(budget=budgets())
def test_workbook_round_trip(workdir: Path, amount_unit: str, budget: Budget) -> None:
    path = workdir / f"b-{amount_unit}.xlsx"
    write_budget_workbook(budget, path, amount_unit)
    read, findings = read_budget(path, catalog=budget.catalog)
    assert [(f.code, str(f.where), f.message) for f in findings if f.severity == ERROR] == []
    assert (read.year, read.dept_code, read.dept_name, read.amount_unit) == (
        budget.year, budget.dept_code, budget.dept_name, amount_unit)
    assert read.units == budget.units
    assert income_rows(read) == income_rows(budget)
    assert line_rows(read) == line_rows(budget)
    assert read.projects == budget.projects
    assert read.indicators == budget.indicators
    assert (read.prior, read.notes) == (budget.prior, budget.notes)
    assert derive_tables(read, PROFILE) == derive_tables(budget, PROFILE)
