"""The figures as displayed: 舍位平衡 (``--rounding balanced``) over the whole set of tables.

Budgets in 元 (every amount a whole 分, most not a whole 0.01 万元) rounded balanced must show
no total that differs from the sum of its displayed parts, no figure a step (0.01 万元) or more
from exact, and the same figure wherever it is shown.
"""

from __future__ import annotations

import tomllib
from dataclasses import replace
from decimal import Decimal
from importlib import resources
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from hypothesis import given, settings

from tests import strategies
from tests.workbooks import BASIC, GOALS, INCOME, KEYED, PROJECT_LINES, PROJECTS, UNIT, info, workbook
from xlbudget.checks.balance import (
    balanced_bound,
    disagreements,
    displayed,
    same_figure_pairs,
)
from xlbudget.checks.base import Context
from xlbudget.cli import main
from xlbudget.derive import derive_tables
from xlbudget.display import Display, apportion, display_tables
from xlbudget.figures import compute_figures
from xlbudget.model import Budget, Income, Line, Unit
from xlbudget.money import DISPLAY_STEP, round_display
from xlbudget.pipeline import derive
from xlbudget.profile import ProfileError, load_profile, profile_from_data
from xlbudget.tables.base import MONEY, TOTAL, Table
from xlbudget.tables.base import UNIT as UNIT_ROW

PROFILE = load_profile()
BALANCED_PROPERTY = settings(max_examples=200, deadline=None)


def imbalances(display: Display) -> list[tuple[str, tuple[int, int]]]:
    """Every identity (a total and its parts, across rows and columns) whose displayed figures differ."""
    out = []
    for exact, shown in zip(display.exact, display.shown, strict=True):
        grid = displayed(exact, shown)
        out += [(exact.name, identity.total) for identity in disagreements(exact, grid)]
    return out


def shared_differences(budget: Budget, display: Display) -> list[str]:
    """Figures shown in two tables (the profile's identities; each unit's total in every table
    listing units) that do not display identically."""
    ctx = Context(budget, display.exact, given_display=display, profile=PROFILE)
    out = []
    for name, first, second in same_figure_pairs(ctx):
        a, b = ctx.cells[first], ctx.cells[second]
        if a and b and a[0].rows[a[1][0]].cells[a[1][1]] != b[0].rows[b[1][0]].cells[b[1][1]]:
            out.append(name)
    totals = []  # the 合计 and each unit's total, in the order the tables list them
    for table in display.shown:
        if table.key in ("t02", "t03", "t07"):  # 收入表, 支出表, 支出经济分类汇总表: all spending
            column = table.money_indexes()[0]
            totals.append([row.cells[column] for row in table.rows if row.kind in (TOTAL, UNIT_ROW)])
    return out + ["单位合计"] * (len({tuple(t) for t in totals}) > 1)


def balanced(budget: Budget) -> Display:
    return display_tables(budget, PROFILE, derive_tables(budget, PROFILE), "balanced")


@BALANCED_PROPERTY
@given(strategies.budgets())
def test_balanced_rounding_adds_up_stays_within_a_step_and_shares_figures(budget: Budget) -> None:
    display = balanced(budget)
    assert imbalances(display) == []
    assert display.far_cells() == []
    assert shared_differences(budget, display) == []
    assert all(v % DISPLAY_STEP == 0 for _, _, v in _money(display.shown))


def _money(tables: tuple[Table, ...]) -> list[tuple[str, int, int]]:
    return [(t.name, i, v) for t in tables for row in t.rows for i, v in enumerate(row.cells)
            if t.columns[i].kind == MONEY and isinstance(v, int)]


@settings(max_examples=100, deadline=None)
@given(strategies.budgets())
def test_exact_rounding_rounds_each_figure_alone(budget: Budget) -> None:
    tables = derive_tables(budget, PROFILE)
    display = display_tables(budget, PROFILE, tables)
    assert [v for _, _, v in _money(display.shown)] == [round_display(v) for _, _, v in _money(display.exact)]


def three_public_budget() -> Budget:
    """三公 parts of 36,050 元, 36,050 元 and 35,900 元 (total 108,000 元): each alone rounds to
    3.61 + 3.61 + 3.59 = 10.81 万元 while the total shows 10.80 — the issue's 三公合计."""
    lines = [Line("001001", "2010301", econ, "一般公共预算", fen)
             for econ, fen in (("30212", 3_605_000), ("30217", 3_605_000), ("30231", 3_590_000))]
    return strategies.assemble([Unit("001001", "测试单位", "行政单位")], [], lines, amount_unit="元")


def three_public_row(display_tables_: tuple[Table, ...]) -> list[int]:
    t8 = next(t for t in display_tables_ if t.key == "t08")
    row = next(r for r in t8.rows if r.kind == TOTAL)
    return [row.cells[t8.column_index(*p)] for p in (  # type: ignore[misc]
        ("“三公”经费合计",), ("因公出国（境）费",), ("公务用车购置及运行费", "小计"), ("公务接待费",))]


def test_the_issues_three_public_total_adds_up_when_balanced() -> None:
    budget = three_public_budget()
    exact = display_tables(budget, PROFILE, derive_tables(budget, PROFILE))
    total, *parts = three_public_row(exact.shown)
    assert (total, sum(parts)) == (10_800_000, 10_810_000)  # 10.80 against 10.81
    total, *parts = three_public_row(balanced(budget).shown)
    assert total == sum(parts) == 10_800_000
    assert sorted(parts) == [3_590_000, 3_600_000, 3_610_000]  # one 3.605 goes down, each within 0.01


def test_the_narrative_states_the_balanced_figures() -> None:
    budget = three_public_budget()
    display = balanced(budget)
    figures = compute_figures(budget, list(display.shown), PROFILE)
    assert figures.three_public == figures.abroad + figures.vehicles + figures.reception == 10_800_000


@pytest.mark.parametrize(("values", "target", "expected"), [
    ([15_000, 15_000], 30_000, [20_000, 10_000]),  # equal remainders: the first gets the step
    ([15_000, 5_000], 20_000, [20_000, 0]),
    ([15_000, 5_000], 50_000, [50_000, 0]),  # beyond reach (an unbalanced unit): the largest takes it
])
def test_apportion(values: list[int], target: int, expected: list[int]) -> None:
    assert apportion(values, target) == expected


def test_unbalanced_incomes_keep_their_difference() -> None:
    """A unit whose income exceeds its spending by 1.00 万元 still shows that difference."""
    budget = three_public_budget()
    budget = replace(budget, incomes=(Income("001001", "一般公共预算", 10_800_000 + 1_000_000),))
    t1 = next(t for t in balanced(budget).shown if t.key == "t01")
    income = t1.rows[0].cells[1]
    assert income == 11_800_000


def test_profile_rounding_key() -> None:
    data = tomllib.loads((resources.files("xlbudget") / "profiles" / "henan-2022.toml").read_text(encoding="utf-8"))
    assert profile_from_data(data, "x.toml").rounding == "exact"
    assert profile_from_data({**data, "rounding": "balanced"}, "x.toml").rounding == "balanced"
    with pytest.raises(ProfileError, match="rounding"):
        profile_from_data({**data, "rounding": "floor"}, "x.toml")


# -- as a clerk runs it ----------------------------------------------------------------------------------
def yuan_workbook(tmp_path: Path) -> Path:
    """The 三公 budget typed in 元, with every 上年数 the narrative compares."""
    lines = [[UNIT, "2010301", econ, "一般公共预算", amount]
             for econ, amount in (("30212", "36050"), ("30217", "36050"), ("30231", "35900"))]
    prior = [KEYED, *([key, "108000"] for key in ("收入总计", "财政拨款收入", "一般公共预算支出", "三公经费")),
             ["因公出国（境）费", "36050"], ["公务用车购置费", "0"], ["公务用车运行维护费", "35900"], ["公务接待费", "36050"]]
    return workbook(tmp_path, "元.xlsx", 基本信息=info("元"), 收入=[INCOME, [UNIT, "一般公共预算", "108000"]],
                    基本支出=[BASIC, *lines], 项目=[PROJECTS], 项目支出=[PROJECT_LINES], 绩效目标=[GOALS],
                    上年数=prior)


def test_check_explains_tails_only_without_balancing(tmp_path: Path) -> None:
    path = yuan_workbook(tmp_path)
    assert "XB303" in {f.code for f in derive([path]).findings}
    assert {f.code for f in derive([path], rounding="balanced").findings} & {"XB302", "XB303", "XB304", "XB305"} == set()
    result = CliRunner().invoke(main, ["check", str(path), "--rounding", "balanced"])
    assert "XB303" not in result.output and "四舍五入尾差" not in result.output


def test_compile_balanced_writes_figures_that_add_up(tmp_path: Path) -> None:
    path = yuan_workbook(tmp_path)
    out = tmp_path / "公开表.xlsx"
    result = CliRunner().invoke(main, ["compile", str(path), "-o", str(out), "--rounding", "balanced"])
    assert result.exit_code == 0, result.output
    sheet = openpyxl.load_workbook(out)["一般公共预算“三公”经费预算表"]
    total, abroad, vehicles, purchase, operation, reception = (
        Decimal(str(c.value or 0)) for c in sheet[5][:6])
    assert total == Decimal("10.8") and abroad + vehicles + reception == total
    assert vehicles == purchase + operation
    text = (tmp_path / "公开表_预算说明.md").read_text(encoding="utf-8")
    assert "“三公”经费预算 10.80 万元" in text
    assert f"因公出国（境）费 {abroad:.2f} 万元" in text and f"公务接待费 {reception:.2f} 万元" in text


def test_unknown_rounding_is_refused(tmp_path: Path) -> None:
    outcome = derive([yuan_workbook(tmp_path)], rounding="floor")
    assert (outcome.exit_code, outcome.findings[0].code) == (2, "XB002")
    result = CliRunner().invoke(main, ["compile", str(yuan_workbook(tmp_path)), "--rounding", "floor"])
    assert result.exit_code == 2


def test_a_profile_may_prescribe_balanced_rounding(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A format whose profile says ``rounding = "balanced"`` compiles balanced unless told otherwise."""
    import xlbudget.pipeline

    monkeypatch.setattr(xlbudget.pipeline, "load_profile", lambda name: replace(PROFILE, rounding="balanced"))
    path = yuan_workbook(tmp_path)
    assert [derive([path]).display.rounding, derive([path], rounding="exact").display.rounding] == [  # type: ignore[union-attr]
        "balanced", "exact"]


def test_balanced_rounding_is_the_same_every_time() -> None:
    budget = strategies.generate_budget(7, 3, 120, 10)
    assert balanced(budget).shown == balanced(budget).shown


def test_a_cell_beyond_a_step_is_reported_per_table() -> None:
    """XB305: should 舍位平衡 leave a figure 0.01 万元 or more from exact, the clerk is told where."""
    budget = three_public_budget()
    display = balanced(budget)
    t8 = next(i for i, t in enumerate(display.shown) if t.key == "t08")
    table = display.shown[t8]
    row = next(r for r in table.rows if r.kind == TOTAL)
    off = replace(row, cells=(row.cells[0] + 20_000, *row.cells[1:]))  # type: ignore[operator]
    moved = replace(table, rows=tuple(off if r is row else r for r in table.rows))
    display = replace(display, shown=tuple(moved if i == t8 else t for i, t in enumerate(display.shown)))
    ctx = Context(budget, display.exact, profile=PROFILE, given_display=display)
    found = list(balanced_bound(ctx))
    assert [(f.code, str(f.where), f.actual, f.expected) for f in found] == [
        ("XB305", "一般公共预算“三公”经费预算表!A5", "10.82 万元", "10.800000 万元")]
    assert "1 处" in found[0].message and "相差 0.020000 万元" in found[0].message
