"""The figures as displayed: 舍位平衡 (``--rounding balanced``) over the whole set of tables.

Budgets in 元 (every amount a whole 分, most not a whole 0.01 万元) rounded balanced must show
no total that differs from the sum of its displayed parts, no figure a step (0.01 万元) or more
from exact, and the same figure wherever it is shown.
"""

from __future__ import annotations

import itertools
import tomllib
from dataclasses import replace
from decimal import Decimal
from importlib import resources
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from hypothesis import assume, given, settings
from hypothesis import strategies as st

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
from xlbudget.display import (
    Display,
    _cell_sets,
    _Chains,
    _search,
    _spread,
    _Steer,
    apportion,
    balanced_lines,
    display_tables,
)
from xlbudget.figures import named_figures
from xlbudget.model import Budget, Income, Line, Project, Unit
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
    """Totals equal their displayed parts, shared figures agree, the rows by 功能分类 are within a
    step by construction, and every cell is within a step unless no rounding of the lines can do
    that (tried exhaustively over the lines the cells hold; budgets of more lines are not decided)."""
    display = balanced(budget)
    assert imbalances(display) == []
    assert shared_differences(budget, display) == []
    assert all(v % DISPLAY_STEP == 0 for _, _, v in _money(display.shown))
    assert family_misses(budget, balanced_lines(budget, PROFILE)) == []
    if display.far_cells():
        cells = _cell_sets(budget, PROFILE, [line.amount for line in budget.lines])
        assume(len({i for c in cells for i in c}) <= 16)
        assert not any_rounding_within_a_step(budget, cells)


def any_rounding_within_a_step(budget: Budget, cells: list[list[int]]) -> bool:
    """Whether some floor-or-ceiling rounding of the lines brings every cell within a step (all tried)."""
    lines = sorted({i for c in cells for i in c})
    below = {i: budget.lines[i].amount % DISPLAY_STEP for i in lines}
    for ups in itertools.product((0, 1), repeat=len(lines)):
        up = dict(zip(lines, ups, strict=True))
        if all(abs(sum(DISPLAY_STEP * up[i] - below[i] for i in c)) < DISPLAY_STEP for c in cells):
            return True
    return False


def _money(tables: tuple[Table, ...]) -> list[tuple[str, int, int]]:
    return [(t.name, i, v) for t in tables for row in t.rows for i, v in enumerate(row.cells)
            if t.columns[i].kind == MONEY and isinstance(v, int)]


@st.composite
def same_way_budgets(draw: st.DrawFn) -> Budget:
    """Many lines whose amounts all have the same part below a whole step, so that each rounded
    alone would go the same way and their sums drift: e.g. 80 lines of 40 元 each (0.004 万元, each
    shown alone as 0) summing to 0.32 万元."""
    budget = draw(strategies.budgets(max_lines=80))
    below = draw(st.sampled_from((1, 4_000, 4_999, 5_000, 5_001, 6_000, 9_999)))
    steps = st.integers(0, 3) if draw(st.booleans()) else st.just(0)
    lines = tuple(replace(line, amount=draw(steps) * DISPLAY_STEP + below) for line in budget.lines)
    return replace(budget, lines=lines, incomes=strategies.balanced_incomes(lines))


def family_misses(budget: Budget, rounded: list[int]) -> list[tuple[str, ...]]:
    """The sums of the two families rounded by construction (docs/rounding.md) that are a step or
    more from exact: per unit, 功能分类 类/款/项 and 资金来源, all sources and each one."""
    exact: dict[tuple[str, ...], int] = {}
    shown: dict[tuple[str, ...], int] = {}
    for line, r in zip(budget.lines, rounded, strict=True):
        for digits in (0, 3, 5, 7):
            for source in ("", line.source):
                key = (line.unit, line.function[:digits], source)
                exact[key] = exact.get(key, 0) + line.amount
                shown[key] = shown.get(key, 0) + r
        for key in [("", "", ""), ("", "", line.source)]:
            exact[key] = exact.get(key, 0) + line.amount
            shown[key] = shown.get(key, 0) + r
    return [key for key in exact if abs(shown[key] - exact[key]) >= DISPLAY_STEP]


@BALANCED_PROPERTY
@given(same_way_budgets())
def test_lines_that_all_round_the_same_way_still_add_up_and_keep_the_guarantee(budget: Budget) -> None:
    """Totals equal their displayed parts and shared figures agree on any budget; the rows by
    功能分类 (合计 and each 资金来源) are within a step of exact by construction. Other cells may
    have no rounding within a step at all (the next test): there XB305 reports them."""
    display = balanced(budget)
    assert imbalances(display) == []
    assert shared_differences(budget, display) == []
    rounded = balanced_lines(budget, PROFILE)
    assert all(abs(r - line.amount) < DISPLAY_STEP and r % DISPLAY_STEP == 0
               for r, line in zip(rounded, budget.lines, strict=True))
    assert family_misses(budget, rounded) == []


def five_lines() -> Budget:
    """Five project lines of 40 元 (0.004 万元) each, found by the property test above."""
    units = [Unit("157001", "甲", "行政单位"), Unit("157002", "乙", "行政单位")]
    kinds = ["其他运转类", "其他运转类", "其他运转类", "特定目标类", "其他运转类"]
    projects = [Project(f"{k:020d}", f"项目{k}", kind, "157002" if k == 4 else "157001")
                for k, kind in enumerate(kinds)]
    places = [("2010101", "一般公共预算"), ("2010101", "政府性基金预算"), ("2010102", "一般公共预算"),
              ("2010101", "一般公共预算"), ("2010101", "一般公共预算")]
    lines = [Line(p.unit, function, "30101", source, 4_000, project=p.code)
             for p, (function, source) in zip(projects, places, strict=True)]
    return strategies.assemble(units, projects, lines)


def test_some_budgets_have_no_rounding_within_a_step() -> None:
    """No way of rounding the five lines, each to 0 or 0.01 万元, shows every cell of every table
    within 0.01 万元 of exact (all 32 tried, each table derived from them); 舍位平衡 then reports
    the cells it could not bring within a step (XB305) rather than hide them."""
    budget = five_lines()
    exact = derive_tables(budget, PROFILE)

    def within(steps: tuple[int, ...]) -> bool:
        lines = tuple(replace(line, amount=s * DISPLAY_STEP) for line, s in zip(budget.lines, steps, strict=True))
        shown = derive_tables(replace(budget, lines=lines, incomes=strategies.balanced_incomes(lines)), PROFILE)
        return all(abs(b - a) < DISPLAY_STEP for t, u in zip(exact, shown, strict=True) for _, _, a, b in _pairs(t, u))

    assert not any(within(steps) for steps in itertools.product((0, 1), repeat=5))
    display = balanced(budget)
    assert display.far_cells() != [] and imbalances(display) == []
    ctx = Context(budget, display.exact, profile=PROFILE, given_display=display)
    assert {f.code for f in balanced_bound(ctx)} == {"XB305"}


def _pairs(exact: Table, shown: Table) -> list[tuple[int, int, int, int]]:
    return [(r, c, a, b) for r, (x, y) in enumerate(zip(exact.rows, shown.rows, strict=True))
            for c in exact.money_indexes() if isinstance(a := x.cells[c], int) and isinstance(b := y.cells[c], int)]


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
    f = named_figures(budget, list(display.shown), PROFILE)
    assert f["three_public"] == f["abroad"] + f["vehicles"] + f["reception"] == 10_800_000


@pytest.mark.parametrize(("values", "target", "expected"), [
    ([15_000, 15_000], 30_000, [20_000, 10_000]),  # equal remainders: the first gets the step
    ([15_000, 5_000], 20_000, [20_000, 0]),
    ([15_000, 5_000], 50_000, [50_000, 0]),  # beyond reach (an unbalanced unit): the largest takes it
    ([15_000, 15_000], 40_000, [20_000, 20_000]),  # every value gets its step: still within reach
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


def three_public_total_moved(by: int) -> tuple[Budget, Display, tuple[int, int, int]]:
    """The balanced 三公 budget with its 三公 total displayed ``by`` 分 off, and that cell."""
    budget = three_public_budget()
    display = balanced(budget)
    t8 = next(i for i, t in enumerate(display.shown) if t.key == "t08")
    table = display.shown[t8]
    row = next(r for r in table.rows if r.kind == TOTAL)
    off = replace(row, cells=(row.cells[0] + by, *row.cells[1:]))  # type: ignore[operator]
    moved = replace(table, rows=tuple(off if r is row else r for r in table.rows))
    shown = tuple(moved if i == t8 else t for i, t in enumerate(display.shown))
    return budget, replace(display, shown=shown), (t8, table.rows.index(row), 0)


def test_a_cell_beyond_a_step_is_reported_per_table() -> None:
    """XB305: should 舍位平衡 leave a figure 0.01 万元 or more from exact, the clerk is told where."""
    budget, display, _ = three_public_total_moved(20_000)
    ctx = Context(budget, display.exact, profile=PROFILE, given_display=display)
    found = list(balanced_bound(ctx))
    assert [(f.code, str(f.where), f.actual, f.expected) for f in found] == [
        ("XB305", "一般公共预算“三公”经费预算表!A5", "10.82 万元", "10.800000 万元")]
    assert "1 处" in found[0].message and "相差 0.020000 万元" in found[0].message


def test_a_cell_exactly_a_step_from_exact_is_reported() -> None:
    """The bound is strict: a figure displayed exactly 0.01 万元 from its exact value is reported."""
    _, display, cell = three_public_total_moved(DISPLAY_STEP)
    assert display.far_cells() == [cell]


# -- the stages of balanced_lines on their own -------------------------------------------------------
def test_spread_puts_a_bundles_step_where_it_keeps_other_cells_within_a_step() -> None:
    """Four lines of 0.5 step; lines 2 and 3 are settled first (2 up, 3 down); the bundle of lines
    0 and 1 gets one step up. Line 0 shares a cell with line 2, line 1 with line 3: line 1 must go
    up (line 0 up would put the cell of 0 and 2 a whole step above exact)."""
    rounded = _spread([[2], [3], [0, 1]], [DISPLAY_STEP, 0, DISPLAY_STEP], [5_000] * 4,
                      _Steer([[0, 2], [1, 3]], 4))
    assert rounded == [0, DISPLAY_STEP, DISPLAY_STEP, 0]


def test_a_chain_moves_two_lines_where_one_would_break_a_cell() -> None:
    """Four lines of 0.5 step, lines 0 and 1 up: their cell is a whole step above exact. Moving line
    0 down alone would put its cell with line 2 a step below; moving line 2 up with it keeps that
    cell exact, and nothing is left a step from exact."""
    cells, amounts = [[0, 1], [0, 2], [1, 3]], [5_000] * 4
    repaired = _Chains(cells, amounts, [DISPLAY_STEP, DISPLAY_STEP, 0, 0]).run()
    assert far_of(cells, amounts, repaired) == set()
    assert sorted(repaired) == [0, 0, DISPLAY_STEP, DISPLAY_STEP]


@st.composite
def cell_systems(draw: st.DrawFn) -> tuple[list[list[int]], list[int], list[int]]:
    """Up to 9 lines (amounts of a few steps, not whole), cells of two or more of them, and a
    floor-or-ceiling rounding of each line."""
    count = draw(st.integers(2, 9))
    amounts = [draw(st.integers(0, 3)) * DISPLAY_STEP + draw(st.integers(1, DISPLAY_STEP - 1)) for _ in range(count)]
    cells = draw(st.lists(st.lists(st.integers(0, count - 1), min_size=2, max_size=4, unique=True)
                          .map(sorted), min_size=1, max_size=16))
    rounded = [a - a % DISPLAY_STEP + DISPLAY_STEP * draw(st.integers(0, 1)) for a in amounts]
    return cells, amounts, rounded


def far_of(cells: list[list[int]], amounts: list[int], rounded: list[int]) -> set[int]:
    return {j for j, c in enumerate(cells) if abs(sum(rounded[i] - amounts[i] for i in c)) >= DISPLAY_STEP}


@settings(max_examples=300, deadline=None)
@given(cell_systems())
def test_chains_never_take_a_cell_out_of_the_bound(system: tuple[list[list[int]], list[int], list[int]]) -> None:
    cells, amounts, rounded = system
    repaired = _Chains(cells, amounts, rounded).run()
    assert far_of(cells, amounts, repaired) <= far_of(cells, amounts, rounded)
    assert all(abs(r - a) < DISPLAY_STEP and r % DISPLAY_STEP == 0 for r, a in zip(repaired, amounts, strict=True))


@settings(max_examples=300, deadline=None)
@given(cell_systems())
def test_search_finds_a_rounding_within_a_step_exactly_when_there_is_one(
        system: tuple[list[list[int]], list[int], list[int]]) -> None:
    cells, amounts, rounded = system
    found = _search(cells, amounts, rounded)
    exists = any(not far_of(cells, amounts, [a - a % DISPLAY_STEP + DISPLAY_STEP * u for a, u in zip(amounts, ups, strict=True)])
                 for ups in itertools.product((0, 1), repeat=len(amounts)))
    assert (found is not None) == exists
    assert found is None or not far_of(cells, amounts, found)
