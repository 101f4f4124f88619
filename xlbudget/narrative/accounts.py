"""The 部门决算 情况说明 (a profile of family 决算 with ``[narrative]``): what its templates see.

Amounts come from the displayed tables (the profile's named cells, the 项 rows of the table marked
``narrative_items``, the 基本支出决算表's 款 rows); 年初预算 per 项 and per “三公” item, counts,
政府采购, assets and performance from the clerk's sheets. A percentage is taken of figures as
displayed, never of a zero 年初预算; shares of a whole add up to 100 % as printed. Missing inputs are
findings (checks.narrative_inputs, checks.accounts); their sentence is left out.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from xlbudget import contract
from xlbudget.layout import column_of, find_table
from xlbudget.model import Budget, note_amount, note_count
from xlbudget.money import Fen, percent, round_display, shares
from xlbudget.narrative import declared
from xlbudget.narrative.declared import items
from xlbudget.narrative.text import escape
from xlbudget.profile import NarrativeSpec, Profile
from xlbudget.tables.base import MONEY, TEXT, TOTAL, Table
from xlbudget.tables.econ_sides import EconSidesSpec

INCOME_PARTS = {"一般公共预算": "财政拨款收入", "政府性基金预算": "财政拨款收入", "国有资本经营预算": "财政拨款收入",
                "上级补助收入": "上级补助收入", "事业收入": "事业收入", "事业单位经营收入": "经营收入",
                "附属单位上缴收入": "附属单位上缴收入", "其他收入": "其他收入"}
COUNTS = {"因公出国（境）费": ("因公出国团组数", "因公出国人次"), "公务用车购置费": ("公务用车购置数", "公务用车保有量"),
          "公务接待费": ("公务接待批次", "公务接待人次")}
PROCUREMENT = ("政府采购货物", "政府采购工程", "政府采购服务")


@dataclass(frozen=True)
class Part:
    """One part of a whole as printed: its name, amount (分, displayed) and share of the whole."""

    name: str
    amount: Fen
    share: Decimal


@dataclass(frozen=True)
class Compared:
    """A 决算 against its 年初预算, both as displayed: the rate only when the 年初预算 is not 0."""

    name: str
    budget: Fen
    actual: Fen
    reason: str

    @property
    def rate(self) -> Decimal | None:
        return percent(self.actual, self.budget) if self.budget else None

    @property
    def direction(self) -> str:
        """大于 / 小于 / 等于: the 决算 against the 年初预算."""
        return "大于" if self.actual > self.budget else "小于" if self.actual < self.budget else "等于"


def parts_of(named: list[tuple[str, Fen]]) -> list[Part]:
    """The non-zero parts (displayed) with shares adding up to 100.00."""
    shown = [(name, round_display(amount)) for name, amount in named if round_display(amount)]
    return [Part(name, amount, s) for (name, amount), s in zip(shown, shares([a for _, a in shown]), strict=True)]


def _sum(budget: Budget, keep: Any) -> Fen:
    return sum(line.amount for line in budget.lines if keep(line))


def income_parts(budget: Budget) -> list[Part]:
    """本年收入 by source, in the 收入决算表's order (the three 财政拨款 together)."""
    sums: dict[str, Fen] = {}
    for source, name in INCOME_PARTS.items():
        sums[name] = sums.get(name, 0) + _sum(budget, lambda x, s=source: x.flow == contract.INCOME_FLOW and x.source == s)
    return parts_of(list(sums.items()))


def spending_parts(budget: Budget) -> list[Part]:
    return parts_of([(flow, _sum(budget, lambda x, f=flow: x.flow == f)) for flow in contract.SPENDING_FLOWS])


def class_parts(tables: list[Table], profile: Profile) -> list[Part]:
    """The 一般公共预算财政拨款支出 by 功能分类 类 (the 类 rows of the ``narrative_items`` table)."""
    found = []
    for spec in profile.tables:
        if getattr(spec, "narrative_items", ()):
            table = find_table(tables, spec.key)
            money = column_of(table, spec.narrative_items)  # type: ignore[attr-defined]
            name = next(i for i, c in enumerate(table.columns) if c.kind == TEXT)
            found += [(f"{row.cells[name]}（类）", row.cells[money] or 0) for row in table.rows if row.level == 1]
    return parts_of(found)  # type: ignore[arg-type]


def compared_items(budget: Budget, tables: list[Table], profile: Profile) -> list[Compared]:
    """Each 项 of 一般公共预算财政拨款支出 (and each 项 with a 年初预算 but no 决算), 类（类）款（款）项（项）."""
    planned: dict[str, Fen] = {}
    for line in budget.lines:
        if line.flow == "年初预算":
            planned[line.function] = planned.get(line.function, 0) + line.amount
    spent = {item.code: item for item in items(budget, tables, profile)}
    out = []
    for code in sorted(set(planned) | set(spent)):
        item = spent.get(code)
        names = item.names if item else tuple(budget.function_name(code[:n]) for n in (3, 5, 7))
        label = f"{names[0]}（类）{names[1]}（款）{names[2]}（项）"
        out.append(Compared(label, round_display(planned.get(code, 0)), item.amount if item else 0,
                            escape(budget.reasons.get(code, ""))))
    return out


def econ_items(tables: list[Table], profile: Profile) -> tuple[list[str], list[str]]:
    """The names of the 款 with money at each side of the 基本支出决算表 (人员经费, 公用经费)."""
    sides: tuple[list[str], list[str]] = ([], [])
    for spec in profile.tables:
        if isinstance(spec, EconSidesSpec):
            table = find_table(tables, spec.key)
            money = [i for i, c in enumerate(table.columns) if c.kind == MONEY]
            for side, col in zip(sides, money, strict=False):
                side += [str(row.cells[col - 1]) for row in table.rows  # 类 | 款 | 名称 | 决算数
                         if row.kind != TOTAL and row.cells[col - 2] and row.cells[col]]
    return sides


def three_public(budget: Budget) -> list[dict[str, Any]]:
    """Each “三公” item: 年初预算 and 决算 (财政拨款, displayed), its reason and its counts."""
    out = []
    for item, codes in list(contract.THREE_PUBLIC_ITEMS.items())[:4]:
        planned = _sum(budget, lambda x, c=codes: x.flow == "三公年初预算" and x.econ in c)
        spent = _sum(budget, lambda x, c=codes: x.flow in contract.SPENDING_FLOWS
                     and x.source in contract.FISCAL_CURRENT and x.econ in c)
        keys = COUNTS.get(item, ())
        counts = [note_count(budget, key) for key in keys]
        out.append({"item": Compared(item, round_display(planned), round_display(spent), escape(budget.reasons.get(item, ""))),
                    "counts": counts if keys and None not in counts else None})
    return out


def operating_costs(budget: Budget, profile: Profile) -> Fen:
    """机关运行经费: the 公用经费 (not 301/303) of 财政拨款 基本支出 of the units the profile counts
    (``operating_cost_units``: 行政单位 and 参公事业单位 nationally), displayed; the template prints a
    profile's 机关运行经费 table figure instead when the profile names one (``f.operating_costs``)."""
    units = set(profile.operating_cost_units)
    return round_display(_sum(budget, lambda x: x.flow == "基本支出" and x.source in contract.FISCAL_CURRENT
                              and x.econ_class not in ("301", "303") and budget.unit_type(x.unit) in units))


def context(budget: Budget, tables: list[Table], profile: Profile, spec: NarrativeSpec) -> dict[str, Any]:
    """What the 决算 templates see: the declared narrative's values and the 决算's own; every user
    text is already Markdown-escaped."""
    planned = round_display(_sum(budget, lambda x: x.flow == "年初预算"))
    procurement = {key: note_amount(budget, key) for key in (*PROCUREMENT, "授予中小企业合同金额", "授予小微企业合同金额")}
    bought = [procurement[key] for key in PROCUREMENT]
    budgeted = compared_items(budget, tables, profile)
    personnel, public = econ_items(tables, profile)
    return declared.context(budget, tables, profile, spec) | {
        "pct": percent,
        "rd": round_display,
        "incomes": income_parts(budget),
        "spending": spending_parts(budget),
        "classes": class_parts(tables, profile),
        "items": budgeted,
        # the 一般公共预算财政拨款 年初预算 against a 决算 figure the template names (general(f.…)); a
        # profile printing 年初预算数 in a table passes that table's figure as well (general(f.…, f.…))
        "general": lambda actual, budgeted=None: Compared(
            "", planned if budgeted is None else round_display(budgeted), round_display(actual), ""),
        "personnel_items": personnel,
        "public_items": public,
        "three_public": three_public(budget),
        # an item a profile's table prints (会议费, 培训费): its 决算 and 年初预算 figures, with the item's reason
        "compared": lambda name, actual, budgeted: Compared(name, round_display(budgeted), round_display(actual),
                                                            escape(budget.reasons.get(name, ""))),
        "operating_costs": operating_costs(budget, profile),
        "procurement": procurement,
        "procurement_total": sum(b for b in bought if b is not None) if all(b is not None for b in bought) else None,
        "counts": {key: note_count(budget, key) for key in ("车辆总数", "单价100万元以上设备", "绩效目标项目数",
                                                           "绩效跟踪项目数", "绩效自评项目数")},
        "amounts": {key: note_amount(budget, key) for key in ("绩效目标金额", "绩效跟踪金额", "绩效自评金额")},
    }
