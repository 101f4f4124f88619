"""The narrative's figures, read once from the derived tables (never recomputed from the lines).

``compute_figures`` picks each figure from the table cell the profile names (``[figures]``:
table, row label, column header path); a reference the tables cannot resolve is a
``FiguresError``. The 预算说明, the prior-year figures
of next year's template (``prior_of``) and the year-over-year comparisons (``Change``) all
use these values, so a number shown in the narrative is the number shown in the tables.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from xlbudget import contract
from xlbudget.layout import LayoutError, column_of, find_table, locate, row_of
from xlbudget.model import Budget, note_amount, note_count
from xlbudget.money import Fen, percent, round_display
from xlbudget.profile import CellRef, ItemsRef, Profile, RowsRef, TargetsRef, UnitsRef
from xlbudget.tables.base import DETAIL, UNIT, Row, Table

# Growth rates: one decimal (增长 652.1%); two when one would read 0.0% (增长 0.05%); a rate that
# reads 0.00% even so is "基本持平" in the templates (macros.md.j2).
GROWTH_DECIMALS = (1, 2)
SHARE_DECIMALS = 2  # 占 8.54%
FISCAL_PARTS = contract.FISCAL_CURRENT  # names of fiscal_general, fiscal_fund, fiscal_capital

# 上年数 key → the figure it compares with (also what next year's 上年数 is filled from).
PRIOR_FIELDS: dict[str, str] = {
    "收入总计": "income_total",
    "支出总计": "expenditure_total",
    "财政拨款收入": "fiscal_income",
    "一般公共预算支出": "general_public",
    "基本支出": "basic",
    "项目支出": "project",
    "三公经费": "three_public",
    "因公出国（境）费": "abroad",
    "公务用车购置费": "vehicle_purchase",
    "公务用车运行维护费": "vehicle_operation",
    "公务接待费": "reception",
    "机关运行经费": "operating_costs",
}
VEHICLES_KEY = "公务用车购置及运行费"  # compared with the sum of its two 上年数 parts

PROCUREMENT_KEYS = ("政府采购货物", "政府采购工程", "政府采购服务")
VEHICLE_KEYS = ("一般公务用车", "一般执法执勤用车", "特种专业技术用车", "其他用车")
EQUIPMENT_KEYS = ("单价50万元以上通用设备", "单位价值100万元以上专用设备")


class FiguresError(ValueError):
    """A table the narrative needs is missing or laid out differently from the profile."""


@dataclass(frozen=True)
class BudgetFigures:
    """Every amount the narrative states, in 分; ``None`` where the budget cannot say."""

    income_current: Fen  # 本年收入合计
    carryover: Fen  # 上年结转结余
    income_total: Fen  # 收入总计
    income_sources: tuple[tuple[str, Fen], ...]  # 本年收入 by source, as listed in table 1
    expenditure_current: Fen  # 本年支出合计
    expenditure_total: Fen  # 支出总计
    basic: Fen
    project: Fen
    other_operating: Fen  # 其他运转类
    specific_target: Fen  # 特定目标类
    fiscal_income: Fen  # 财政拨款收入合计
    fiscal_expenditure: Fen  # 财政拨款本年支出
    fiscal_parts: tuple[tuple[str, Fen], ...]  # 一般公共预算 / 政府性基金预算 / 国有资本经营预算
    general_public: Fen  # 一般公共预算支出
    general_basic: Fen
    general_project: Fen
    personnel: Fen  # 一般公共预算基本支出 人员经费
    public: Fen  # 一般公共预算基本支出 公用经费
    personnel_items: tuple[str, ...]  # 经济分类 names with 人员经费, largest first
    public_items: tuple[str, ...]  # 经济分类 names with 公用经费, largest first
    three_public: Fen
    abroad: Fen
    vehicles: Fen  # 公务用车购置及运行费
    vehicle_purchase: Fen
    vehicle_operation: Fen
    reception: Fen
    fund: tuple[Fen, Fen, Fen]  # 政府性基金预算支出: 合计, 基本, 项目
    capital: tuple[Fen, Fen, Fen]  # 国有资本经营预算支出: 合计, 基本, 项目
    operating_costs: Fen | None  # 机关运行经费; None when no unit is 行政/参公
    project_count: int
    target_count: int  # projects with 绩效目标
    target_amount: Fen
    procurement: tuple[Fen | None, ...]  # PROCUREMENT_KEYS: 货物, 工程, 服务 (说明事项)
    vehicle_counts: tuple[int | None, ...]  # VEHICLE_KEYS (说明事项)
    equipment_counts: tuple[int | None, ...]  # EQUIPMENT_KEYS (说明事项)

    @property
    def procurement_total(self) -> Fen | None:
        return total_or_none(self.procurement)

    @property
    def vehicle_total(self) -> int | None:
        return total_or_none(self.vehicle_counts)


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
def compute_figures(budget: Budget, tables: list[Table], profile: Profile) -> BudgetFigures:
    """Read every narrative figure from the derived ``tables`` at the cells ``profile`` names."""
    return _compute(budget, named_figures(budget, tables, profile))


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


def _compute(budget: Budget, c: dict[str, Any]) -> BudgetFigures:
    target_count, target_amount = c["targets"]
    return BudgetFigures(
        income_current=c["income_current"],
        carryover=c["carryover"],
        income_total=c["income_total"],
        income_sources=c["income_sources"],
        expenditure_current=c["expenditure_current"],
        expenditure_total=c["expenditure_total"],
        basic=c["basic"],
        project=c["project"],
        other_operating=c["other_operating"],
        specific_target=c["specific_target"],
        fiscal_income=c["fiscal_income"],
        fiscal_expenditure=c["fiscal_expenditure"],
        fiscal_parts=tuple(zip(FISCAL_PARTS, (c["fiscal_general"], c["fiscal_fund"], c["fiscal_capital"]),
                               strict=True)),
        general_public=c["general_public"],
        general_basic=c["general_basic"],
        general_project=c["general_project"],
        personnel=c["personnel"],
        public=c["public"],
        personnel_items=c["personnel_items"],
        public_items=c["public_items"],
        three_public=c["three_public"],
        abroad=c["abroad"],
        vehicles=c["vehicles"],
        vehicle_purchase=c["vehicle_purchase"],
        vehicle_operation=c["vehicle_operation"],
        reception=c["reception"],
        fund=(c["fund_total"], c["fund_basic"], c["fund_project"]),
        capital=(c["capital_total"], c["capital_basic"], c["capital_project"]),
        operating_costs=c["operating_costs"],
        project_count=c["project_count"],
        target_count=target_count,
        target_amount=target_amount,
        procurement=tuple(note_amount(budget, k) for k in PROCUREMENT_KEYS),
        vehicle_counts=tuple(note_count(budget, k) for k in VEHICLE_KEYS),
        equipment_counts=tuple(note_count(budget, k) for k in EQUIPMENT_KEYS),
    )


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


# -- prior year -------------------------------------------------------------------------------
def prior_of(figures: BudgetFigures) -> dict[str, Fen]:
    """This year's figures as next year's 上年数 (keys whose figure exists)."""
    values = {key: getattr(figures, name) for key, name in PRIOR_FIELDS.items()}
    return {key: value for key, value in values.items() if value is not None}


def changes(figures: BudgetFigures, prior: dict[str, Fen]) -> dict[str, Change]:
    """Each 上年数 key's comparison (figures without a value are left out)."""
    out = {key: Change(getattr(figures, name), prior.get(key))
           for key, name in PRIOR_FIELDS.items() if getattr(figures, name) is not None}
    parts = tuple(prior.get(k) for k in ("公务用车购置费", "公务用车运行维护费"))
    out[VEHICLES_KEY] = Change(figures.vehicles, total_or_none(parts))
    return out


def share(part: Fen, whole: Fen) -> Decimal | None:
    """``part`` in percent of ``whole`` as both are displayed, two decimals (the one rounding of
    shares), so a share agrees with the figures printed beside it."""
    return percent(round_display(part), round_display(whole), SHARE_DECIMALS)

