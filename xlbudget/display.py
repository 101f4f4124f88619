"""The figures as displayed: every money cell of the derived tables at the published precision.

``display_tables`` computes them once per budget; render, the checks and the 预算说明 all read
``Display.shown``, so a figure printed in two places is printed the same. Two roundings
(docs/rounding.md):

- ``exact``: each cell rounded alone, half away from zero (``money.display_steps``). Every figure is
  the nearest displayed value; a total may differ from the sum of its displayed parts by a few
  0.01 万元 (the 尾差 that ``check`` explains).
- ``balanced`` (舍位平衡): the lines of the budget (the atoms every table cell sums) are rounded,
  then every table is derived again from the rounded lines. Each displayed total is then the sum
  of its displayed parts in every table, across rows and columns, and a figure shown in several
  tables is the same sum of the same atoms. Each line goes to its floor or ceiling step, chosen
  greedily to keep the cells it belongs to near exact; cells still a step or more from exact are
  then repaired by a local search. The one-step bound is sought, then checked on every cell
  (``Display.far_cells``; ``check`` reports any cell it could not meet).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, replace

from xlbudget.derive import derive_tables
from xlbudget.model import Budget, Income, Line
from xlbudget.money import (
    BALANCED,
    DISPLAY_STEP,
    DISPLAY_UNIT,
    EXACT,
    ROUNDINGS,
    Fen,
    display_rounder,
    display_step,
    round_display,
)
from xlbudget.profile import Profile
from xlbudget.tables.base import Cell as TableCell
from xlbudget.tables.base import Row, Table

MAX_REPAIRS, REPAIRS_PER_LINE = 20_000, 12  # moves tried (at least; more for large budgets) before
# the cells still too far are reported
# The local search: lines weighed per move, swap partners tried, steps a moved line rests.
SAMPLE, PAIRS, TABU = 32, 8, 8

Cell = tuple[int, int, int]  # (table index, row index, column index)


@dataclass(frozen=True)
class Display:
    """The derived tables exactly (分) and as displayed (分, multiples of 0.01 万元)."""

    rounding: str
    exact: tuple[Table, ...]
    shown: tuple[Table, ...]

    def far_cells(self) -> list[Cell]:
        """Cells displayed a whole step (0.01 万元) or more from their exact value."""
        if self.rounding == EXACT:  # each figure rounded alone is within half a step of exact
            return []
        far: list[Cell] = []
        for t, (exact, shown) in enumerate(zip(self.exact, self.shown, strict=True)):
            step, money = display_step(table_unit(exact)), exact.money_indexes()
            for r, (row, shown_row) in enumerate(zip(exact.rows, shown.rows, strict=True)):
                if row is shown_row:  # a table shown in 元 is its exact table
                    continue
                for c in money:
                    value, seen = row.cells[c], shown_row.cells[c]
                    if isinstance(value, int) and abs((seen if isinstance(seen, int) else 0) - value) >= step:
                        far.append((t, r, c))
        return far


class RoundingError(ValueError):
    """An unknown rounding name; the message is for the clerk."""


def table_unit(table: Table) -> str:
    """The money unit a table is shown in: its own where it has one (``unit``, formats whose
    tables show 元), else 万元."""
    return getattr(table, "unit", "") or DISPLAY_UNIT


def check_rounding(name: str) -> str:
    if name not in ROUNDINGS:
        raise RoundingError(f"未知的舍入方式“{name}”，应为 {'、'.join(ROUNDINGS)} 之一")
    return name


def display_tables(budget: Budget, profile: Profile, tables: Sequence[Table],
                   rounding: str = EXACT) -> Display:
    """The figures as displayed of ``tables`` (derived from ``budget`` with ``profile``)."""
    if check_rounding(rounding) == EXACT:
        return Display(EXACT, tuple(tables), tuple(round_each(t) for t in tables))
    rounded = balanced_lines(budget, profile)
    shown = derive_tables(_rounded_budget(budget, rounded), profile)
    return Display(BALANCED, tuple(tables), tuple(s if _in_steps(t) else t for t, s in zip(tables, shown, strict=True)))


def _in_steps(table: Table) -> bool:
    """Whether the table shows its amounts in 0.01 万元 steps (a table in 元 shows every 分 exactly)."""
    return display_step(table_unit(table)) == DISPLAY_STEP


def round_each(table: Table) -> Table:
    """The table with each money cell rounded alone to the displayed precision."""
    money, rounder = table.money_indexes(), display_rounder(table_unit(table))
    rows = []
    for row in table.rows:
        cells: list[TableCell] | None = None
        for i in money:
            value = row.cells[i]
            if isinstance(value, int) and value:  # 0 is displayed as 0: most cells of a wide table
                rounded = rounder(value)
                if rounded != value:
                    cells = cells or list(row.cells)
                    cells[i] = rounded
        rows.append(row if cells is None else Row(tuple(cells), row.kind, row.group, row.level))
    return replace(table, rows=tuple(rows))


# -- balanced rounding ------------------------------------------------------------------------------
def _order(lines: Sequence[Line]) -> list[int]:
    """Lines by unit, project (basic lines together), 功能分类, 经济分类 and source: the nesting most
    tables show (合计 → unit → project or 功能分类 项 …)."""
    return sorted(range(len(lines)), key=lambda i: (
        lines[i].unit, lines[i].project, lines[i].function, lines[i].econ, lines[i].source))


def _rounded_budget(budget: Budget, rounded: Sequence[Fen]) -> Budget:
    """The budget with every line at its rounded amount and the incomes rounded to match: a unit's
    income from a source is its rounded lines of that source plus the rounded difference (none
    when the unit balances), apportioned over the income rows by largest remainder."""
    lines = tuple(replace(line, amount=r) for line, r in zip(budget.lines, rounded, strict=True))
    return replace(budget, lines=lines, incomes=_incomes(budget, rounded))


def _incomes(budget: Budget, rounded: Sequence[Fen]) -> tuple[Income, ...]:
    exact_spent: dict[tuple[str, str], Fen] = {}
    shown_spent: dict[tuple[str, str], Fen] = {}
    for line, r in zip(budget.lines, rounded, strict=True):
        key = (line.unit, line.source)
        exact_spent[key] = exact_spent.get(key, 0) + line.amount
        shown_spent[key] = shown_spent.get(key, 0) + r
    groups: dict[tuple[str, str], list[int]] = {}
    for i, income in enumerate(budget.incomes):
        groups.setdefault((income.unit, income.source), []).append(i)
    amounts = [0] * len(budget.incomes)
    for key, members in groups.items():
        exact = [budget.incomes[i].amount for i in members]
        spent = exact_spent.get(key, 0)
        target = shown_spent.get(key, 0) + round_display(sum(exact) - spent)
        for i, value in zip(members, apportion(exact, target), strict=True):
            amounts[i] = value
    return tuple(replace(income, amount=a) for income, a in zip(budget.incomes, amounts, strict=True))


def apportion(values: Sequence[Fen], target: Fen) -> list[Fen]:
    """``values`` rounded to steps summing to ``target`` (a multiple of the step): floors, then one
    step more for the largest remainders; a target beyond that reach goes to the largest value."""
    floors = [v - v % DISPLAY_STEP for v in values]
    extra = (target - sum(floors)) // DISPLAY_STEP
    ranked = sorted(range(len(values)), key=lambda i: (-(values[i] % DISPLAY_STEP), i))
    if 0 <= extra <= len(values):
        for i in ranked[:extra]:
            floors[i] += DISPLAY_STEP
    else:
        floors[max(range(len(values)), key=lambda i: values[i])] += extra * DISPLAY_STEP
    return floors


def balanced_lines(budget: Budget, profile: Profile) -> list[Fen]:
    """Every line's amount rounded to a floor or ceiling step so that each displayed cell (a sum of
    lines) stays within one step of exact: a greedy pass in table order, then a local search."""
    amounts = [line.amount for line in budget.lines]
    if all(a % DISPLAY_STEP == 0 for a in amounts):
        return amounts
    sets = _cell_sets(budget, profile)
    containing: dict[int, list[int]] = {}
    for j, members in enumerate(sets):
        for i in members:
            containing.setdefault(i, []).append(j)
    errors = [0] * len(sets)
    rounded = list(amounts)
    for i in _order(budget.lines):
        low = amounts[i] - amounts[i] % DISPLAY_STEP
        if low == amounts[i]:
            continue
        # up when it lowers the squared errors of the cells holding the line
        pull = sum(errors[j] for j in containing.get(i, ()))
        up = 2 * pull < len(containing.get(i, ())) * (2 * amounts[i] - 2 * low - DISPLAY_STEP)
        rounded[i] = low + DISPLAY_STEP if up else low
        for j in containing.get(i, ()):
            errors[j] += rounded[i] - amounts[i]
    return _repair(sets, containing, errors, amounts, rounded)


def _repair(sets: list[list[int]], containing: dict[int, list[int]], errors: list[int],
            amounts: list[Fen], rounded: list[Fen]) -> list[Fen]:
    """Move lines between their floor and ceiling step until no cell is a step or more from exact,
    or the moves run out; the best state seen is kept. A WalkSAT-like local search with a fixed
    seed (same input, same output): take a cell that is too far and move one of its lines towards
    exact — mostly the move that helps most overall, or, when no single move helps, that line
    together with a line of a neighbouring cell moved the other way (a swap that leaves the cells
    holding both unchanged); sometimes a random line, to leave a local optimum; never a line moved
    in the last few steps."""
    rng = random.Random(0)
    current, best = list(rounded), list(rounded)
    moved: dict[int, int] = {}

    def excess(error: int) -> int:
        return abs(error) // DISPLAY_STEP

    def free(i: int, move: int, step: int) -> bool:
        return abs(current[i] + move - amounts[i]) < DISPLAY_STEP and moved.get(i, -TABU) + TABU <= step

    def gain(moves: list[tuple[int, int]]) -> int:
        change: dict[int, int] = {}
        for i, move in moves:
            for j in containing[i]:
                change[j] = change.get(j, 0) + move
        return sum(excess(errors[j] + c) - excess(errors[j]) for j, c in change.items() if c)

    def swap(j: int, lines: list[int], move: int, step: int) -> tuple[int, list[tuple[int, int]]] | None:
        inside = set(sets[j])
        options = []
        for i in lines[:PAIRS]:
            near = min((sets[k] for k in containing[i] if k != j and len(sets[k]) > 1), key=len, default=[])
            partners = [b for b in near if b not in inside and free(b, -move, step)]
            for b in rng.sample(partners, min(len(partners), PAIRS)):
                moves = [(i, move), (b, -move)]
                options.append((gain(moves), moves))
        return min(options, key=lambda o: o[0], default=None)

    far = {j for j, e in enumerate(errors) if excess(e)}
    best_far = len(far)
    for step in range(max(MAX_REPAIRS, REPAIRS_PER_LINE * len(amounts))):
        if not far:
            break
        j = rng.choice(sorted(far))
        move = -DISPLAY_STEP if errors[j] > 0 else DISPLAY_STEP
        movable = [i for i in sets[j] if free(i, move, step)]
        if not movable:
            continue
        sample = rng.sample(movable, min(len(movable), SAMPLE))
        score, moves = min((gain([(i, move)]), rng.random(), [(i, move)]) for i in sample)[::2]
        if score >= 0:
            paired = swap(j, sample, move, step)
            if paired and paired[0] < score:
                moves = paired[1]
        for i, change in moves:
            current[i] += change
            moved[i] = step
            for k in containing[i]:
                errors[k] += change
                if excess(errors[k]):
                    far.add(k)
                else:
                    far.discard(k)
        if len(far) < best_far:
            best, best_far = list(current), len(far)
    return best


def _cell_sets(budget: Budget, profile: Profile) -> list[list[int]]:
    """The lines each distinct displayed cell sums. Found by deriving the tables once more from a
    budget whose i-th line is worth 2**i: a cell's value is then the set of its lines (a line counts
    once in a cell); a unit's income from a source carries the bits of its lines of that source."""
    lines = tuple(replace(line, amount=1 << i) for i, line in enumerate(budget.lines))
    bits: dict[tuple[str, str], int] = {}
    for line in lines:
        key = (line.unit, line.source)
        bits[key] = bits.get(key, 0) | line.amount
    seen: set[tuple[str, str]] = set()
    incomes = []
    for income in budget.incomes:
        key = (income.unit, income.source)
        incomes.append(replace(income, amount=0 if key in seen else bits.get(key, 0)))
        seen.add(key)
    masks: set[int] = set()
    for table in derive_tables(replace(budget, lines=lines, incomes=tuple(incomes)), profile):
        if not _in_steps(table):
            continue
        money = table.money_indexes()
        for row in table.rows:
            masks.update(v for c in money if isinstance(v := row.cells[c], int) and v)
    return [[i for i, bit in enumerate(reversed(bin(mask)[2:])) if bit == "1"] for mask in masks]
