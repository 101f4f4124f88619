"""政府采购预算表: the 政府采购 lines (``Budget.purchases``) by unit and project — 合计, optionally a
subtotal row per 采购类型 (货物, 工程, 服务), then per unit its lines (基本支出 first, then by
project in the 项目 sheet's order). Money columns name what they show (``field``): the amount,
the part reserved for 中小企业 or for 小微企业, or the amount of one 采购类型."""

from __future__ import annotations

import dataclasses
import string
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import ClassVar

from xlbudget import contract
from xlbudget.model import Budget, Purchase
from xlbudget.money import Fen
from xlbudget.tables.base import DETAIL, GROUP, MONEY, UNIT, RowSum, Table
from xlbudget.tables.grid import (
    RowKey,
    RowPlan,
    build_table,
    empty_plan,
    several_units,
    total_plan,
    unit_name,
)
from xlbudget.tables.projects import UNKNOWN_PROJECT
from xlbudget.tables.spec import LineFilter, TableSpec

TYPE_FIELDS = dict(zip(("goods", "works", "services"), contract.PROCUREMENT_TYPES, strict=True))


def _of_type(kind: str) -> Callable[[Purchase], Fen]:
    return lambda p: p.amount if p.type == kind else 0


AMOUNTS: dict[str, Callable[[Purchase], Fen]] = {
    "amount": lambda p: p.amount, "sme": lambda p: p.sme, "small": lambda p: p.small,
    **{name: _of_type(kind) for name, kind in TYPE_FIELDS.items()},
}
FILTERS = frozenset({"sources", "expense"})  # the LineFilter keys a 政府采购 line can be selected by


@dataclass(frozen=True)
class ProcurementSpec(TableSpec):
    """The 政府采购 lines by unit and project, with a 合计 row and (``type_rows``) one per 采购类型."""

    FIELDS: ClassVar[frozenset[str]] = frozenset({
        "unit_code", "unit_name", "project_code", "project_name", "name", "item", "type", "source"})
    MONEY_FIELDS: ClassVar[frozenset[str]] = frozenset(AMOUNTS)
    MERGED: ClassVar[frozenset[str]] = FIELDS

    label_field: str = "name"  # the text column of the 合计, 采购类型 and unit rows' labels
    type_rows: bool = False  # a subtotal row per 采购类型 after 合计
    type_label: str = "{type}"  # the label of those rows: {type} is 货物, 工程 or 服务
    merge_down: tuple[str, ...] = ()  # fields merged over the lines of one project
    basic_label: str = ""  # the project name shown for procurement in 基本支出 (which has no project)

    def row_labels(self) -> frozenset[str]:
        types = {self.type_label.format(type=kind) for kind in contract.PROCUREMENT_TYPES} if self.type_rows else set()
        return super().row_labels() | types

    def problems(self) -> Iterator[tuple[str, str]]:
        if self.label_field not in self.FIELDS:
            yield "label_field", f"“{self.label_field}”不是此类表的字段（可用：{'、'.join(sorted(self.FIELDS))}）"
        names = {name for _, name, _, _ in string.Formatter().parse(self.type_label) if name is not None}
        if names - {"type"}:
            yield "type_label", f"未知的占位符“{{{sorted(names - {'type'})[0]}}}”（可用：type）"
        for where, f in [("", self.filter), *((f"columns[{i}].", c.filter) for i, c in enumerate(self.columns))]:
            for key in sorted(_set_filters(f) - FILTERS):
                yield f"{where}{key}", f"政府采购表只按 {'、'.join(sorted(FILTERS))} 筛选"
        for i, column in enumerate(self.columns):
            if column.kind == MONEY and not column.field:
                yield f"columns[{i}].field", f"政府采购表的金额列须写明 field（可用：{'、'.join(sorted(AMOUNTS))}）"


def _set_filters(f: LineFilter) -> set[str]:
    """The keys of a filter the profile set (those that differ from the default)."""
    default = LineFilter()
    return {x.name for x in dataclasses.fields(f) if not x.metadata.get("internal")
            and getattr(f, x.name) != getattr(default, x.name)}


def matches(f: LineFilter, purchase: Purchase) -> bool:
    if f.sources is not None and purchase.source not in f.sources:
        return False
    return f.expense is None or (purchase.project == "") == (f.expense == "basic")


def ordered(budget: Budget, purchases: list[Purchase]) -> list[tuple[str, list[Purchase]]]:
    """Each unit (the 单位 sheet's order, then units only a line names) with its lines: 基本支出
    first, then by project in the 项目 sheet's order (unlisted projects last, by code), each in
    input order."""
    listed = {p.code: i for i, p in reversed(list(enumerate(budget.projects)))}
    rank = {code: index for index, code in enumerate(sorted(
        {p.project for p in purchases}, key=lambda c: (c != "", c not in listed, listed.get(c, 0), c)))}
    units = list(dict.fromkeys(u.code for u in budget.units))
    units += sorted({p.unit for p in purchases} - set(units))
    by_unit: dict[str, list[Purchase]] = {}
    for purchase in sorted(purchases, key=lambda p: rank[p.project]):  # stable: input order kept
        by_unit.setdefault(purchase.unit, []).append(purchase)
    return [(u, by_unit[u]) for u in units if u in by_unit]


def build(budget: Budget, spec: TableSpec) -> Table:
    assert isinstance(spec, ProcurementSpec)
    purchases = [p for p in budget.purchases or () if matches(spec.filter, p)]
    columns = spec.visible_columns(several_units(budget))
    money = [(AMOUNTS[c.field], c.filter) for c in columns if c.kind == MONEY]
    by_unit = spec.unit_rows == "always" or several_units(budget)
    label = spec.label_field
    plans = [total_plan(spec, label)]
    if not purchases:
        plans += empty_plan(spec, columns, label)
    types = [RowPlan(("type", kind), GROUP, {label: spec.type_label.format(type=kind)})
             for kind in contract.PROCUREMENT_TYPES] if spec.type_rows else []
    plans += types
    sums: dict[RowKey, list[Fen]] = {}
    declared: list[tuple[int, list[int]]] = [(0, [])]  # (row, the rows it sums)
    if types:
        declared.append((0, list(range(1, 1 + len(types)))))
    group = 0
    for unit, lines in ordered(budget, purchases):
        if by_unit:
            declared[0][1].append(len(plans))
            declared.append((len(plans), []))
            plans.append(RowPlan(("unit", unit), UNIT, {"unit_code": unit, "unit_name": unit_name(budget, unit),
                                                           label: unit_name(budget, unit)}))
        project = None
        for index, purchase in enumerate(lines):
            if purchase.project != project:
                group, project = group + 1, purchase.project
            (declared[-1] if by_unit else declared[0])[1].append(len(plans))
            key = ("line", unit, index)
            plans.append(RowPlan(key, DETAIL, _fields(budget, purchase, spec.basic_label), group))
            row = [amount(purchase) if matches(f, purchase) else 0 for amount, f in money]
            for target in (key, ("total",), ("unit", unit), ("type", purchase.type)):
                sums[target] = [a + b for a, b in zip(sums.get(target) or [0] * len(row), row, strict=True)]
    merge = [i for i, c in enumerate(columns) if c.kind != MONEY and c.field in spec.merge_down]
    table = build_table(budget, spec, plans, sums, columns, merge_down=merge)
    cols = tuple(table.money_indexes())
    return dataclasses.replace(table, sums=tuple(RowSum(head, tuple(parts), cols) for head, parts in declared))


def _fields(budget: Budget, purchase: Purchase, basic_label: str) -> dict[str, str]:
    project = budget.project(purchase.project) if purchase.project else None
    name = project.name if project else (UNKNOWN_PROJECT if purchase.project else basic_label)
    return {"unit_code": purchase.unit, "unit_name": unit_name(budget, purchase.unit),
            "project_code": purchase.project, "project_name": name, "name": purchase.name,
            "item": purchase.item, "type": purchase.type, "source": purchase.source}

