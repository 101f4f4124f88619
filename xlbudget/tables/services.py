"""政府购买服务预算表: 合计, each unit, each purchase of the unit — a project (or 基本支出) and a
指导性目录 一级/二级目录 — with its amounts by the money columns' 资金来源. The table's own
``sources`` (e.g. 财政拨款 only, as 北京's 财政拨款明细表) keeps only those purchases."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from xlbudget.model import BASIC, Budget, Line, Service
from xlbudget.tables.base import DETAIL, MONEY, UNIT, Table
from xlbudget.tables.grid import (
    RowKey,
    RowPlan,
    accumulate_items,
    build_table,
    empty_plan,
    total_plan,
    unit_name,
    unit_order,
)
from xlbudget.tables.projects import UNKNOWN_PROJECT
from xlbudget.tables.spec import TableSpec

# The filters a purchase can be selected by: it has a 资金来源, a project (or 基本支出) and a unit, no 科目.
FILTERS = frozenset({"sources", "expense", "project_type", "operating_units"})


@dataclass(frozen=True)
class ServicesSpec(TableSpec):
    """合计, each unit, each purchase (project or 基本支出, 一级/二级目录)."""

    FIELDS = frozenset({"unit_code", "unit_name", "project_code", "project_name", "category", "item", "content"})

    basic_label: str = ""  # project_name of a purchase in 基本支出 (no project), e.g. 基本支出
    categories: tuple[str, ...] = ()  # the format's 指导性目录 一级目录 (XB423 checks the input); () = any

    def problems(self) -> Iterator[tuple[str, str]]:
        for where, f in [("", self.filter), *((f"columns[{i}].", c.filter) for i, c in enumerate(self.columns))]:
            for key in sorted(f.given() - FILTERS):
                yield f"{where}{key}", f"政府购买服务表只按 {'、'.join(sorted(FILTERS))} 筛选"


def build(budget: Budget, spec: TableSpec) -> Table:
    assert isinstance(spec, ServicesSpec)
    several = len({u.code for u in budget.units} | {s.unit for s in budget.services}) > 1
    columns = spec.visible_columns(several)
    label = next((c.field for c in columns if c.kind != MONEY), "")  # where 合计 and unit names go

    def keys(s: Service, line: Line) -> list[RowKey]:
        return [("total",), ("unit", s.unit), ("service", s.unit, s.project, s.category, s.item)]

    lines, sums = accumulate_items(budget.services, Service.as_line, keys, columns, budget, spec.filter)
    kept = [key for key in sums if isinstance(key, tuple) and key[0] == "service"]
    plans = [total_plan(spec, label)]
    if not lines:
        plans += empty_plan(spec, columns, label)
    for unit in unit_order(budget, lines):
        if ("unit", unit) not in sums:
            continue
        name = unit_name(budget, unit)
        if spec.unit_rows == "always" or several:
            plans.append(RowPlan(("unit", unit), UNIT, {label: name, "unit_code": unit, "unit_name": name}))
        plans += [RowPlan(key, DETAIL, _fields(budget, spec, *key[1:])) for key in kept if key[1] == unit]
    return build_table(budget, spec, plans, sums, columns)


def _fields(budget: Budget, spec: ServicesSpec, unit: str, project: str, category: str, item: str
            ) -> dict[str, str]:
    found = budget.project(project)
    name = spec.basic_label if project == BASIC else found.name if found else UNKNOWN_PROJECT
    return {"unit_code": unit, "unit_name": unit_name(budget, unit), "project_code": project,
            "project_name": name, "category": category, "item": item, "content": item or category}
