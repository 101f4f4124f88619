"""The named figures, read once from the derived tables (never recomputed from the lines).

``named_figures`` picks each figure from the table cells the profile names (``[figures.*]``:
table, row label, column header path); a reference the tables cannot resolve is a
``FiguresError``. The 预算说明, the prior-year figures of next year's template (``prior_of``), the
year-over-year comparisons (``changes``) and the checks all use these values, so a number shown
in the narrative is the number shown in the tables.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from xlbudget.layout import LayoutError, column_of, find_table, locate, row_of
from xlbudget.model import Budget
from xlbudget.money import Fen, percent, round_display
from xlbudget.profile import CellRef, ItemsRef, Profile, RowsRef, TargetsRef, UnitsRef
from xlbudget.tables.base import DETAIL, UNIT, Row, Table

# Growth rates: one decimal (增长 652.1%); two when one would read 0.0% (增长 0.05%); a rate that
# reads 0.00% even so is "基本持平" in the templates (macros.md.j2).
GROWTH_DECIMALS = (1, 2)
SHARE_DECIMALS = 2  # 占 8.54%
VEHICLES_KEY = "公务用车购置及运行费"  # compared with the sum of its two 上年数 parts
VEHICLE_PARTS = ("公务用车购置费", "公务用车运行维护费")


class FiguresError(ValueError):
    """A table the narrative needs is missing or laid out differently from the profile."""


def total_or_none(values: tuple[int | None, ...]) -> int | None:
    """The sum, or None when any part is unknown."""
    known = [v for v in values if v is not None]
    return sum(known) if len(known) == len(values) else None


@dataclass(frozen=True)
class Change:
    """This year against last year's budget as a reader sees both: each rounded to the displayed
    0.01 万元 first, so the change and its rate agree with the figures printed beside them.
    Last year is the base of the rate."""

    current: Fen
    prior: Fen | None  # None: the 上年数 was not given

    @property
    def shown(self) -> tuple[Fen, Fen | None]:
        """(this year, last year) as displayed, in 分."""
        return round_display(self.current), None if self.prior is None else round_display(self.prior)

    @property
    def kind(self) -> str:
        """missing | none (both show 0.00) | new (last year shows 0.00) | flat | up | down."""
        now, before = self.shown
        if before is None:
            return "missing"
        if now == before:
            return "none" if now == 0 else "flat"
        if before == 0:
            return "new"
        return "up" if now > before else "down"

    @property
    def delta(self) -> Fen:
        """The displayed change (a multiple of 0.01 万元), without sign."""
        now, before = self.shown
        return abs(now - (before or 0))

    @property
    def rate(self) -> Decimal | None:
        """Growth or decline in percent of last year as displayed, with the decimals it needs to
        read other than 0 (``GROWTH_DECIMALS``); None without a base."""
        base = self.shown[1] or 0
        value = None
        for decimals in GROWTH_DECIMALS:
            value = percent(self.delta, base, decimals)
            if value:
                break
        return value


# -- reading cells ------------------------------------------------------------------------------
def amount(row: Row, index: int) -> Fen:
    value = row.cells[index]
    return value if isinstance(value, int) else 0


def cell_value(tables: list[Table], ref: CellRef) -> Fen:
    table, (row, col) = locate(tables, ref)
    return amount(table.rows[row], col)


# -- the figures ------------------------------------------------------------------------------
def named_figures(budget: Budget, tables: list[Table], profile: Profile) -> dict[str, Any]:
    """Every figure the profile declares, by name, read from ``tables``: cells (an amount), rows
    ((name, amount) pairs), items (names), units (an amount or None), counts and targets
    ((count, amount))."""
    f = profile.figures
    out: dict[str, Any] = named_cells(tables, profile)
    try:
        out |= {name: _rows(tables, ref) for name, ref in f.rows.items()}
        out |= {name: _items(tables, ref) for name, ref in f.items.items()}
        out |= {name: _operating_costs(budget, tables, ref, profile.operating_cost_units)
                for name, ref in f.units.items()}
        out |= {name: len(find_table(tables, ref.table).rows_of(DETAIL)) for name, ref in f.counts.items()}
        out |= {name: _targets(tables, ref) for name, ref in f.targets.items()}
    except LayoutError as exc:
        raise FiguresError(f"{exc}（格式配置 {profile.name}）") from None
    return out


def named_cells(tables: list[Table], profile: Profile) -> dict[str, Fen]:
    """Every cell figure of the profile (``[figures.cells]``) by name."""
    try:
        return {name: cell_value(tables, ref) for name, ref in profile.figures.cells.items()}
    except LayoutError as exc:
        raise FiguresError(f"{exc}（格式配置 {profile.name}）") from None


def _rows(tables: list[Table], ref: RowsRef) -> tuple[tuple[str, Fen], ...]:
    """(source name, amount) of fixed rows: 一、一般公共预算 → 一般公共预算."""
    table = find_table(tables, ref.table)
    col = column_of(table, ref.column)
    return tuple((label.strip().split("、", 1)[-1].strip(),
                  amount(table.rows[row_of(table, label, ref.label_column)], col)) for label in ref.rows)


def _items(tables: list[Table], ref: ItemsRef) -> tuple[str, ...]:
    """Names of the detail rows with money under the column, largest first (ties in table order)."""
    table = find_table(tables, ref.table)
    money, name = column_of(table, ref.column), column_of(table, ref.name)
    rows = sorted((r for r in table.rows_of(DETAIL) if amount(r, money)), key=lambda r: -amount(r, money))
    return tuple(dict.fromkeys(str(r.cells[name]) for r in rows))


def _operating_costs(budget: Budget, tables: list[Table], ref: UnitsRef, types: tuple[str, ...]) -> Fen | None:
    """机关运行经费: the column (公用经费) of the units of ``types`` (the profile's
    ``operating_cost_units``); None when the budget has none of them.

    With several units the table has a row per unit (its code in the ``code`` column); with one
    unit the 合计 row is that unit's.
    """
    table = find_table(tables, ref.table)
    public = column_of(table, ref.column)
    units = table.rows_of(UNIT)
    if units:
        code = column_of(table, ref.code)
        admin = [r for r in units if budget.unit_type(str(r.cells[code])) in types]
        return sum(amount(r, public) for r in admin) if admin else None
    codes = {u.code for u in budget.units} | {line.unit for line in budget.lines}
    if not any(budget.unit_type(c) in types for c in codes):
        return None
    return amount(table.rows[row_of(table)], public)


def _targets(tables: list[Table], ref: TargetsRef) -> tuple[int, Fen]:
    """(projects with at least one indicator, their amount) from the 绩效目标表."""
    table = find_table(tables, ref.table)
    amounts = column_of(table, ref.column)
    texts = [i for i, c in enumerate(table.columns) if c.path[0] == ref.indicators]
    first: dict[int, Row] = {}
    with_target: set[int] = set()
    for row in table.rows_of(DETAIL):
        first.setdefault(row.group, row)
        if any(row.cells[i] for i in texts):
            with_target.add(row.group)
    return len(with_target), sum(amount(first[g], amounts) for g in with_target)


# -- prior year ---------------------------------------------------------------------------------
def prior_of(profile: Profile, figures: dict[str, Any]) -> dict[str, Fen]:
    """This year's figures as next year's 上年数: each key of the narrative's ``prior`` whose
    figure has a value."""
    spec = profile.narrative
    values = {key: figures.get(name) for key, name in (spec.prior.items() if spec else ())}
    return {key: value for key, value in values.items() if value is not None}


def changes(profile: Profile, figures: dict[str, Any], prior: dict[str, Fen]) -> dict[str, Change]:
    """Each compared 上年数 key's comparison (figures without a value are left out), and
    公务用车购置及运行费 against the sum of its two parts when both are compared."""
    spec = profile.narrative
    pairs = spec.prior.items() if spec else ()
    out = {key: Change(figures[name], prior.get(key)) for key, name in pairs if figures.get(name) is not None}
    parts = [out[key] for key in VEHICLE_PARTS if key in out]
    if len(parts) == len(VEHICLE_PARTS):
        out[VEHICLES_KEY] = Change(sum(c.current for c in parts),
                                   total_or_none(tuple(c.prior for c in parts)))
    return out


def share(part: Fen, whole: Fen) -> Decimal | None:
    """``part`` in percent of ``whole`` as both are displayed, two decimals (the one rounding of
    shares), so a share agrees with the figures printed beside it."""
    return percent(round_display(part), round_display(whole), SHARE_DECIMALS)

