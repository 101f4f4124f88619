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
  tables is the same sum of the same atoms. Each line goes to its floor or ceiling step: the rows
  by 功能分类 (合计 and each 资金来源) within one step of exact by construction (controlled
  rounding as a flow, ``balanced_lines``), the other cells steered towards exact and repaired.
  Every cell is checked (``Display.far_cells``; ``check`` reports any cell still a step away).
"""

from __future__ import annotations

import random
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, replace

from xlbudget.controlled import round_two_trees
from xlbudget.derive import derive_tables
from xlbudget.model import Budget, Income, Line, Purchase
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

# The chain repair (_Chains): lines (and partners of each) tried per cell, the cells partners are
# sought in, links per chain, passes
# over the far cells, and tries per line of the budget before the cells still far are reported.
WIDTH, NEAREST, DEPTH, PASSES, EFFORT = 12, 3, 8, 4, 3
EXHAUSTIVE = 16  # lines (not in whole steps, in a cell of two or more) up to which _search decides

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
    when the unit balances), apportioned over the income rows by largest remainder; the 政府采购
    lines rounded by ``_rounded_purchases``."""
    lines = tuple(replace(line, amount=r) for line, r in zip(budget.lines, rounded, strict=True))
    purchases = None if budget.purchases is None else _rounded_purchases(budget.purchases)
    return replace(budget, lines=lines, incomes=_incomes(budget, rounded), purchases=purchases)


def _rounded_purchases(purchases: Sequence[Purchase]) -> tuple[Purchase, ...]:
    """政府采购 lines rounded to whole steps with 小微 ≤ 中小企业 ≤ 金额 on every line: each line is cut
    into its 小微 part, the rest of its 中小企业 part and the rest of its 金额, and the parts are rounded
    to their floor or ceiling (``round_two_trees``) so that each line's 金额, 中小企业 and 小微 (one tree)
    and each unit's sums of them (the other) are within one step of exact: with one unit, so is the
    合计 row. 采购类型 rows, and the 合计 of several units, are sums of rows within a step (XB305
    reports one that ends a step or more away)."""
    parts: list[int] = []
    by_line: list[tuple[tuple[str, int], ...]] = []
    by_unit: list[tuple[tuple[str, str], ...]] = []
    for index, p in enumerate(purchases):
        line = (("line", index), ("sme", index), ("small", index))
        unit = (("unit", p.unit), ("sme", p.unit), ("small", p.unit))
        for depth, amount in ((1, p.amount - p.sme), (2, p.sme - p.small), (3, p.small)):
            parts.append(amount)
            by_line.append(line[:depth])
            by_unit.append(unit[:depth])
    rounded = round_two_trees(parts, DISPLAY_STEP, by_line, by_unit)
    out = []
    for index, p in enumerate(purchases):
        rest, middle, small = rounded[3 * index:3 * index + 3]
        out.append(replace(p, amount=rest + middle + small, sme=middle + small, small=small))
    return tuple(out)


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
    """Every line's amount rounded to its floor or ceiling step, in three stages (docs/rounding.md):

    1. controlled rounding of the two nested families of ``_tree_paths`` as a flow
       (``controlled.round_two_trees``), over bundles of the lines sharing a leaf of both (one
       unit, 功能分类 项 and 资金来源): every sum of either family is then within one step of exact;
    2. each bundle's rounded total spread over its lines, each line up or down, the ups where they
       best keep the other displayed cells near exact (``_Steer``);
    3. the cells still a step or more from exact repaired by ``_Chains``, which never takes a cell
       that is within a step out of it, so the guarantee of stage 1 holds at the end."""
    amounts = [line.amount for line in budget.lines]
    if all(a % DISPLAY_STEP == 0 for a in amounts):
        return amounts
    trees = [_tree_paths(line) for line in budget.lines]
    bundles: dict[tuple[tuple[str, ...], tuple[str, ...]], list[int]] = {}
    for i, (rows, columns) in enumerate(trees):
        if amounts[i] % DISPLAY_STEP:
            bundles.setdefault((rows[-1], columns[-1]), []).append(i)
    members = list(bundles.values())
    totals = round_two_trees([sum(amounts[i] for i in group) for group in members], DISPLAY_STEP,
                             [trees[group[0]][0] for group in members], [trees[group[0]][1] for group in members])
    cells = _cell_sets(budget, profile, amounts)
    families = _tree_sets(trees, amounts)
    rounded = _spread(members, totals, amounts,
                      _Steer([c for c in cells if tuple(c) not in families], len(amounts)))
    present = {tuple(c) for c in cells}
    cells += [list(c) for c in families if c not in present]  # kept within a step too
    rounded = _Chains(cells, amounts, rounded).run()
    if len({i for c in cells for i in c}) <= EXHAUSTIVE and any(_far(cells, amounts, rounded)):
        return _search(cells, amounts, rounded) or rounded
    return rounded


def _far(cells: list[list[int]], amounts: Sequence[Fen], rounded: Sequence[Fen]) -> list[int]:
    return [j for j, c in enumerate(cells) if abs(sum(rounded[i] - amounts[i] for i in c)) >= DISPLAY_STEP]


def _search(cells: list[list[int]], amounts: Sequence[Fen], rounded: Sequence[Fen]) -> list[Fen] | None:
    """A rounding with every cell within a step of exact, or None when there is none: a depth-first
    search over the floor or ceiling step of each line in a cell (each line first as ``rounded``
    has it), pruned as soon as a cell can no longer end within a step. Exhaustive, so for a small
    budget (``EXHAUSTIVE``) the bound is met whenever it can be."""
    lines = sorted({i for c in cells for i in c})
    floors = {i: amounts[i] - amounts[i] % DISPLAY_STEP for i in lines}
    low, high = [], []  # per cell: the fewest and most of its lines that may go up
    for c in cells:
        exact = sum(amounts[i] - floors[i] for i in c)
        low.append((exact - DISPLAY_STEP) // DISPLAY_STEP + 1)
        high.append(-((-(exact + DISPLAY_STEP)) // DISPLAY_STEP) - 1)
    containing: dict[int, list[int]] = {i: [] for i in lines}
    for j, c in enumerate(cells):
        for i in c:
            containing[i].append(j)
    ups, left = [0] * len(cells), [len(c) for c in cells]
    chosen: dict[int, int] = {}

    def place(k: int) -> bool:
        if k == len(lines):
            return True
        i = lines[k]
        first = int(rounded[i] > floors[i])
        for up in (first, 1 - first):
            for j in containing[i]:
                ups[j] += up
                left[j] -= 1
            if all(ups[j] <= high[j] and ups[j] + left[j] >= low[j] for j in containing[i]) and place(k + 1):
                chosen[i] = up
                return True
            for j in containing[i]:
                ups[j] -= up
                left[j] += 1
        return False

    if not place(0):
        return None
    return [floors[i] + DISPLAY_STEP * chosen[i] if i in chosen else r for i, r in enumerate(rounded)]


def _spread(bundles: list[list[int]], totals: list[Fen], amounts: list[Fen], steer: _Steer) -> list[Fen]:
    """Each bundle's lines at their floor step, then one step up for as many of them as its
    rounded total holds, one at a time, each time the line whose step up leaves the other cells
    nearest exact (lowest sum of squared errors; the first line on a tie)."""
    rounded = [a - a % DISPLAY_STEP for a in amounts]
    for group, total in zip(bundles, totals, strict=True):
        ups = (total - sum(rounded[i] for i in group)) // DISPLAY_STEP
        if ups == len(group):  # no choice: every line up
            steer.apply([(i, DISPLAY_STEP - amounts[i] % DISPLAY_STEP) for i in group])
            for i in group:
                rounded[i] += DISPLAY_STEP
            continue
        steer.apply([(i, -(amounts[i] % DISPLAY_STEP)) for i in group])
        free = list(group)
        for _ in range(ups):
            best = min(free, key=lambda i: (steer.cost_up(i), i))
            steer.apply([(best, DISPLAY_STEP)])
            rounded[best] += DISPLAY_STEP
            free.remove(best)
    return rounded


Paths = tuple[tuple[tuple[str, ...], ...], tuple[tuple[str, ...], ...]]


def _tree_paths(line: Line) -> Paths:
    """A line's place in the two families rounded by construction: 单位 → 功能分类 类 → 款 → 项
    (the rows of the tables by 功能分类, their 合计 column), and 资金来源 → 单位 → 类 → 款 → 项
    (the same rows, one column per 资金来源)."""
    unit, function, source = line.unit, line.function, line.source
    rows = (("单位", unit), ("类", unit, function[:3]), ("款", unit, function[:5]), ("项", unit, function))
    return rows, (("来源", source), *((*key, source) for key in rows))


def _tree_sets(trees: Sequence[Paths], amounts: Sequence[Fen]) -> dict[tuple[int, ...], None]:
    """The lines not in whole steps of each node of the two families holding two or more of them."""
    nodes: dict[tuple[str, ...], list[int]] = {}
    for i, paths in enumerate(trees):
        if amounts[i] % DISPLAY_STEP:
            for path in paths:
                for key in path:
                    nodes.setdefault(key, []).append(i)
    every = [i for i, a in enumerate(amounts) if a % DISPLAY_STEP]  # the department's total
    return dict.fromkeys(tuple(members) for members in [*nodes.values(), every] if len(members) > 1)


class _Steer:
    """The errors of the cells outside the two families (exact integers, 分), and what moving lines
    would cost: the change in their sum of squares."""

    def __init__(self, cells: list[list[int]], count: int) -> None:
        self.containing: list[list[int]] = [[] for _ in range(count)]
        for j, members in enumerate(cells):
            for i in members:
                self.containing[i].append(j)
        self.errors = [0] * len(cells)

    def _changes(self, moves: list[tuple[int, int]]) -> dict[int, int]:
        change: dict[int, int] = {}
        for i, move in moves:
            for j in self.containing[i]:
                change[j] = change.get(j, 0) + move
        return change

    def cost_up(self, i: int) -> int:
        """The change in the sum of squares if line ``i`` goes one step up."""
        errors = self.errors
        return sum(2 * errors[j] * DISPLAY_STEP + DISPLAY_STEP * DISPLAY_STEP for j in self.containing[i])

    def apply(self, changes: list[tuple[int, int]]) -> None:
        for j, c in self._changes(changes).items():
            self.errors[j] += c


class _Chains:
    """Repairs cells a step or more from exact by chains of moves (ejection chains, a breadth-first
    search): move a line of the far cell towards exact, together with a line sharing its smallest
    other cells moved the other way (so that the cells holding both stay put); if that takes exactly
    one other cell a step from exact, continue from that cell, up to ``DEPTH`` links. A chain is
    applied only when it leaves every cell that was within a step within a step and brings the far
    cell within a step: the number of far cells only falls. Lines and partners are sampled with a
    fixed seed (same input, same output); the effort is bounded by ``EFFORT`` tries per line."""

    def __init__(self, cells: list[list[int]], amounts: list[Fen], rounded: list[Fen]) -> None:
        self.cells, self.amounts, self.current = cells, amounts, list(rounded)
        self.containing: list[list[int]] = [[] for _ in amounts]
        for j, members in enumerate(cells):
            for i in members:
                self.containing[i].append(j)
        self.errors = [sum(rounded[i] - amounts[i] for i in members) for members in cells]
        self.rng = random.Random(0)
        self.tries = EFFORT * len(amounts)

    def run(self) -> list[Fen]:
        for _ in range(PASSES):
            far = [j for j, e in enumerate(self.errors) if abs(e) >= DISPLAY_STEP]
            fixed = 0
            for j in far:
                if self.tries <= 0:
                    return self.current
                chain = self._chain(j) if abs(self.errors[j]) >= DISPLAY_STEP else []
                for i, move in chain:
                    self.current[i] += move
                    for k in self.containing[i]:
                        self.errors[k] += move
                fixed += bool(chain)
            if not fixed:
                break
        return self.current

    def _movable(self, i: int, move: int) -> bool:
        return abs(self.current[i] + move - self.amounts[i]) < DISPLAY_STEP

    def _chain(self, far: int) -> list[tuple[int, int]]:
        """The moves of a chain repairing the cell ``far``, or none."""
        links: list[tuple[int, int, int]] = []  # (line, move, previous link)
        queue: deque[tuple[int, int, int]] = deque([(-1, far, 1)])  # (last link, cell to repair, depth)
        used: set[int] = set()
        errors = self.errors
        while queue and self.tries > 0:
            last, cell, depth = queue.popleft()
            before = self._changes(links, last)
            move = -DISPLAY_STEP if errors[cell] + before.get(cell, 0) > 0 else DISPLAY_STEP
            inside = set(self.cells[cell])
            for i in self._sample([i for i in self.cells[cell] if i not in used and self._movable(i, move)]):
                partners = self._sample(sorted({b for k in self._nearest(i, cell) for b in self.cells[k]
                                                if b not in inside and b not in used and self._movable(b, -move)}))
                for b in (-1, *partners):
                    self.tries -= 1
                    change = dict.fromkeys(self.containing[i], move)
                    for k in self.containing[b] if b >= 0 else ():
                        change[k] = change.get(k, 0) - move
                    broken = [k for k, c in change.items() if c and abs(errors[k] + before.get(k, 0) + c) >= DISPLAY_STEP
                              and (k == far or abs(errors[k]) < DISPLAY_STEP)]
                    if not broken or (len(broken) == 1 and depth < DEPTH):
                        links.append((i, move, last))
                        if b >= 0:
                            links.append((b, -move, len(links) - 1))
                        if not broken:
                            return [(line, change) for line, change, _ in self._walk(links, len(links) - 1)]
                        used.update((i, b) if b >= 0 else (i,))
                        queue.append((len(links) - 1, broken[0], depth + 1))
        return []

    def _nearest(self, i: int, cell: int) -> list[int]:
        """The smallest cells holding line ``i`` besides ``cell``: where its partners are sought."""
        return sorted((k for k in self.containing[i] if k != cell), key=lambda k: len(self.cells[k]))[:NEAREST]

    def _sample(self, lines: list[int]) -> list[int]:
        return self.rng.sample(lines, WIDTH) if len(lines) > WIDTH else lines

    @staticmethod
    def _walk(links: list[tuple[int, int, int]], last: int) -> list[tuple[int, int, int]]:
        out = []
        while last >= 0:
            out.append(links[last])
            last = links[last][2]
        return out

    def _changes(self, links: list[tuple[int, int, int]], last: int) -> dict[int, int]:
        """How much the chain ending at link ``last`` moves each cell it touches."""
        change: dict[int, int] = {}
        for i, move, _ in self._walk(links, last):
            for k in self.containing[i]:
                change[k] = change.get(k, 0) + move
        return change


class _Line:
    """A line standing for its amount while the tables are derived once more (``_cell_sets``)."""

    __slots__ = ("index",)

    def __init__(self, index: int) -> None:
        self.index = index

    def __add__(self, other: object) -> _Sum:
        return _Sum([self] if other == 0 else [self, other])

    __radd__ = __add__


class _Sum(_Line):
    """What a cell adds up: lines and sums of lines. ``+=`` appends (a sum is only ever added to
    in place by the one cell or variable that made it: ``0 + x`` and ``x + y`` make new sums)."""

    __slots__ = ("parts",)

    def __init__(self, parts: list[object]) -> None:
        super().__init__(-1)
        self.parts = parts

    def __iadd__(self, other: object) -> _Sum:
        if other != 0:
            self.parts.append(other)
        return self


def _members(value: _Sum) -> frozenset[int]:
    """The lines a cell's traced value adds up (a line counts once)."""
    flat = {part.index for part in value.parts}  # type: ignore[attr-defined]
    if -1 not in flat:  # lines only (a sum's index is -1): most cells
        return frozenset(flat)
    lines: set[int] = set()
    stack = [value]
    while stack:
        for part in stack.pop().parts:
            if isinstance(part, _Sum):
                stack.append(part)
            elif isinstance(part, _Line):
                lines.add(part.index)
    return frozenset(lines)


def _cell_sets(budget: Budget, profile: Profile, amounts: Sequence[Fen]) -> list[list[int]]:
    """The lines of each distinct displayed cell holding two lines or more that are not whole
    steps (a cell of one such line is within a step of exact whatever happens). Found by deriving
    the tables once more from a budget whose lines stand for themselves (``_Line``): each cell
    then holds the lines it adds up; a unit's income from a source holds its lines of that source."""
    lines = tuple(replace(line, amount=_Line(i)) for i, line in enumerate(budget.lines))  # type: ignore[arg-type]
    by_source: dict[tuple[str, str], _Sum] = {}
    for line in lines:
        by_source.setdefault((line.unit, line.source), _Sum([])).parts.append(line.amount)
    seen: set[tuple[str, str]] = set()
    incomes = []
    for income in budget.incomes:
        key = (income.unit, income.source)
        incomes.append(replace(income, amount=0 if key in seen else by_source.get(key, 0)))  # type: ignore[arg-type]
        seen.add(key)
    cells: dict[frozenset[int], None] = {}
    for table in derive_tables(replace(budget, lines=lines, incomes=tuple(incomes)), profile):
        if not _in_steps(table):
            continue
        money = table.money_indexes()
        for row in table.rows:
            for c in money:
                value = row.cells[c]
                if isinstance(value, _Sum):
                    cells[_members(value)] = None
    out: dict[tuple[int, ...], None] = {}
    for members in cells:
        fractional = tuple(sorted(i for i in members if amounts[i] % DISPLAY_STEP))
        if len(fractional) > 1:
            out[fractional] = None
    return [list(members) for members in out]
