"""The narrative's figures, read once from the derived tables (never recomputed from the lines).

``compute_figures`` picks each figure from a table cell: the row by its kind or label, the
column by its header path (both declared in the profile). The 预算说明, the prior-year figures
of next year's template (``prior_of``) and the year-over-year comparisons (``Change``) all
use these values, so a number shown in the narrative is the number shown in the tables.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from xlbudget.model import Budget
from xlbudget.money import AmountError, Fen, normalize_text, percent, round_display, to_fen
from xlbudget.profile import Profile
from xlbudget.tables.base import DETAIL, TOTAL, UNIT, Row, Table

# Growth rates: one decimal (增长 652.1%); two when one would read 0.0% (增长 0.05%); a rate that
# reads 0.00% even so is "基本持平" in the templates (macros.md.j2).
GROWTH_DECIMALS = (1, 2)
SHARE_DECIMALS = 2  # 占 8.54%
ADMIN_TYPES = ("行政单位", "参照公务员法管理事业单位")  # units that report 机关运行经费

# Which table plays which role (keys of the henan-2022 profile).
SUMMARY, EXPENDITURE, FISCAL, GENERAL, GENERAL_BASIC = "t01", "t03", "t04", "t05", "t06"
THREE_PUBLIC, FUND, CAPITAL, PROJECTS, PERFORMANCE = "t08", "t09", "t10", "t11", "t12"

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
_COUNT = re.compile(r"^(\d+)(?:辆|台|套|台\(套\)|个)?$")


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
def table(tables: list[Table], key: str) -> Table:
    found = next((t for t in tables if t.key == key), None)
    if found is None:
        raise FiguresError(f"预算说明需要的表 {key} 不在公开表中")
    return found


def column(t: Table, *path: str) -> int:
    try:
        return t.column_index(*path)
    except StopIteration:
        raise FiguresError(f"{t.name}中没有列“{'/'.join(path)}”") from None


def amount(row: Row, index: int) -> Fen:
    value = row.cells[index]
    return value if isinstance(value, int) else 0


def total_row(t: Table) -> Row:
    rows = t.rows_of(TOTAL)
    if not rows:
        raise FiguresError(f"{t.name}没有合计行")
    return rows[0]


def total_cell(t: Table, *path: str) -> Fen:
    """The 合计 row's cell under the header ``path``."""
    return amount(total_row(t), column(t, *path))


def labelled_cell(t: Table, label_path: tuple[str, ...], label: str, *path: str) -> Fen:
    """The cell under ``path`` in the row whose ``label_path`` column reads ``label``."""
    where = column(t, *label_path)
    row = next((r for r in t.rows if r.cells[where] == label), None)
    if row is None:
        raise FiguresError(f"{t.name}中没有“{label}”行")
    return amount(row, column(t, *path))


# -- the figures ------------------------------------------------------------------------------
def compute_figures(budget: Budget, tables: list[Table], profile: Profile) -> BudgetFigures:
    """Read every narrative figure from the derived ``tables`` of ``profile``."""
    specs = {spec.key: spec for spec in profile.tables}
    t1, o1 = table(tables, SUMMARY), specs[SUMMARY].options
    t3, t4, o4 = table(tables, EXPENDITURE), table(tables, FISCAL), specs[FISCAL].options
    t5, t6, t8 = table(tables, GENERAL), table(tables, GENERAL_BASIC), table(tables, THREE_PUBLIC)

    def left(label: str) -> Fen:
        return labelled_cell(t1, ("收入", "项目"), label, "收入", "金额")

    def right(label: str) -> Fen:
        return labelled_cell(t1, ("支出", "项目"), label, "支出", "金额")

    def fiscal(*path: str) -> Fen:
        return labelled_cell(t4, ("支出", "项 目"), o4["expenditure_total"], "支出", *path)

    target_count, target_amount = _targets(table(tables, PERFORMANCE))
    return BudgetFigures(
        income_current=left(o1["income_total"]),
        carryover=left(o1["carryover"]["label"]),
        income_total=left(o1["grand_income"]),
        income_sources=tuple((_source_name(r["label"]), left(r["label"]))
                             for r in o1["income_rows"] if not r.get("part")),
        expenditure_current=right(o1["expenditure_total"]),
        expenditure_total=right(o1["grand_expenditure"]),
        basic=total_cell(t3, "基本支出", "小计"),
        project=total_cell(t3, "项目支出", "小计"),
        other_operating=total_cell(t3, "项目支出", "其他运转类"),
        specific_target=total_cell(t3, "项目支出", "特定目标类"),
        fiscal_income=labelled_cell(t4, ("收入", "项 目"), o4["income_total"], "收入", "金 额"),
        fiscal_expenditure=fiscal("合 计"),
        fiscal_parts=(("一般公共预算", fiscal("一般公共预算", "小 计")),
                      ("政府性基金预算", fiscal("政府性基金")),
                      ("国有资本经营预算", fiscal("国有资本经营预算"))),
        general_public=total_cell(t5, "合计"),
        general_basic=total_cell(t5, "基本支出", "小计"),
        general_project=total_cell(t5, "项目支出", "小计"),
        personnel=total_cell(t6, "本年一般公共预算基本支出", "人员经费"),
        public=total_cell(t6, "本年一般公共预算基本支出", "公用经费"),
        personnel_items=_items(t6, "人员经费"),
        public_items=_items(t6, "公用经费"),
        three_public=total_cell(t8, "“三公”经费合计"),
        abroad=total_cell(t8, "因公出国（境）费"),
        vehicles=total_cell(t8, "公务用车购置及运行费", "小计"),
        vehicle_purchase=total_cell(t8, "公务用车购置及运行费", "公务用车购置费"),
        vehicle_operation=total_cell(t8, "公务用车购置及运行费", "公务用车运行费"),
        reception=total_cell(t8, "公务接待费"),
        fund=_split(table(tables, FUND), "本年政府性基金预算支出"),
        capital=_split(table(tables, CAPITAL), "本年国有资本经营预算支出"),
        operating_costs=_operating_costs(budget, t6),
        project_count=len(table(tables, PROJECTS).rows_of(DETAIL)),
        target_count=target_count,
        target_amount=target_amount,
        procurement=tuple(_note_amount(budget, k) for k in PROCUREMENT_KEYS),
        vehicle_counts=tuple(_note_count(budget, k) for k in VEHICLE_KEYS),
        equipment_counts=tuple(_note_count(budget, k) for k in EQUIPMENT_KEYS),
    )


def _source_name(label: str) -> str:
    """一、一般公共预算 → 一般公共预算."""
    return label.strip().split("、", 1)[-1].strip()


def _split(t: Table, head: str) -> tuple[Fen, Fen, Fen]:
    return (total_cell(t, head, "合计"), total_cell(t, head, "基本支出"), total_cell(t, head, "项目支出"))


def _items(t6: Table, part: str) -> tuple[str, ...]:
    """Names of the 经济分类 rows with money in ``part``, largest first (ties in table order)."""
    money, name = column(t6, "本年一般公共预算基本支出", part), column(t6, "部门预算支出经济分类科目", "科目名称")
    rows = sorted((r for r in t6.rows_of(DETAIL) if amount(r, money)), key=lambda r: -amount(r, money))
    return tuple(dict.fromkeys(str(r.cells[name]) for r in rows))


def _operating_costs(budget: Budget, t6: Table) -> Fen | None:
    """机关运行经费: 一般公共预算基本支出的公用经费 of the 行政单位 and 参公事业单位.

    With several units the table has a row per unit (its code in the 科目编码 column); with one
    unit the 合计 row is that unit's.
    """
    public = column(t6, "本年一般公共预算基本支出", "公用经费")
    units = t6.rows_of(UNIT)
    if units:
        code = column(t6, "部门预算支出经济分类科目", "科目编码")
        admin = [r for r in units if budget.unit_type(str(r.cells[code])) in ADMIN_TYPES]
        return sum(amount(r, public) for r in admin) if admin else None
    codes = {u.code for u in budget.units} | {line.unit for line in budget.lines}
    if not any(budget.unit_type(c) in ADMIN_TYPES for c in codes):
        return None
    return amount(total_row(t6), public)


def _targets(t12: Table) -> tuple[int, Fen]:
    """(projects with at least one indicator, their 资金总额) from the 绩效目标表."""
    amounts = column(t12, "项目金额（万元）", "资金总额")
    texts = [i for i, c in enumerate(t12.columns) if c.path[0] == "绩效目标"]
    first: dict[int, Row] = {}
    with_target: set[int] = set()
    for row in t12.rows_of(DETAIL):
        first.setdefault(row.group, row)
        if any(row.cells[i] for i in texts):
            with_target.add(row.group)
    return len(with_target), sum(amount(first[g], amounts) for g in with_target)


def _note_amount(budget: Budget, key: str) -> Fen | None:
    """An amount of 说明事项, in the workbook's 金额单位 unless the text names 万元 or 元."""
    text = normalize_text(budget.notes.get(key, ""))
    if not text:
        return None
    unit = next((u for u in ("万元", "元") if text.endswith(u)), budget.amount_unit)
    try:
        return to_fen(text, unit)
    except AmountError:
        return None


def _note_count(budget: Budget, key: str) -> int | None:
    """A count of 说明事项 (车辆、设备), e.g. "2" or "2辆"; None if missing or not a count."""
    match = _COUNT.match(normalize_text(budget.notes.get(key, "")))
    return int(match.group(1)) if match else None


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

