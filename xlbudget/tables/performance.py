"""单位预算项目绩效目标表: per project its amounts and, side by side, its 成本/产出/效益/满意度
indicators (三级指标, 指标值), as many rows as its longest indicator list."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import zip_longest
from typing import ClassVar

from xlbudget import contract
from xlbudget.model import Budget, Indicator
from xlbudget.tables.base import DETAIL, MONEY, Table
from xlbudget.tables.grid import (
    RowPlan,
    build_table,
    total_plan,
    unit_plan,
)
from xlbudget.tables.projects import project_blocks
from xlbudget.tables.spec import TableSpec

INDICATOR_FIELDS = frozenset(f"{c}.{part}" for c in contract.INDICATOR_CATEGORIES for part in ("name", "value"))


@dataclass(frozen=True)
class PerformanceSpec(TableSpec):
    """Per project its amounts and its indicators side by side."""

    FIELDS: ClassVar[frozenset[str]] = frozenset({"code", "name"}) | INDICATOR_FIELDS
    MERGED: ClassVar[frozenset[str]] = FIELDS | {"amounts"}

    merge_down: tuple[str, ...] = ()  # fields (or "amounts": the money columns) merged per project


def indicator_fields(row: tuple[Indicator | None, ...]) -> dict[str, str]:
    fields: dict[str, str] = {}
    for category, indicator in zip(contract.INDICATOR_CATEGORIES, row, strict=True):
        if indicator:
            fields[f"{category}.name"] = indicator.level3
            fields[f"{category}.value"] = indicator.value
    return fields


def build(budget: Budget, spec: TableSpec) -> Table:
    assert isinstance(spec, PerformanceSpec)
    columns, sums, blocks = project_blocks(budget, spec)
    plans = [total_plan(spec, "name")]
    indicators: dict[tuple[str, str], list[Indicator]] = {}
    for indicator in budget.indicators:
        indicators.setdefault((indicator.project, indicator.category), []).append(indicator)
    group = 0
    for unit, projects in blocks:
        plans.append(unit_plan(budget, unit, "code", "name"))
        for project in projects:
            group += 1
            by_category = [indicators.get((project.code, c), []) for c in contract.INDICATOR_CATEGORIES]
            rows = list(zip_longest(*by_category)) or [(None,) * len(by_category)]
            for index, row in enumerate(rows):
                fields = indicator_fields(row)
                if index == 0:
                    fields |= {"code": project.code, "name": project.name}
                plans.append(RowPlan(("project", project.code), DETAIL, fields, group, index == 0))
    merge = [i for i, c in enumerate(columns)
             if c.field in spec.merge_down or (c.kind == MONEY and "amounts" in spec.merge_down)]
    return build_table(budget, spec, plans, sums, columns, merge_down=merge)
