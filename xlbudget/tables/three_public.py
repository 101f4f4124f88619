"""一般公共预算“三公”经费预算表: one row (合计, then a row per unit when there are several)."""

from __future__ import annotations

from dataclasses import dataclass

from xlbudget.model import Budget, Line
from xlbudget.tables.base import Table
from xlbudget.tables.grid import (
    RowKey,
    accumulate,
    build_table,
    several_units,
    table_lines,
    total_plan,
    unit_order,
    unit_plan,
)
from xlbudget.tables.spec import TableSpec


@dataclass(frozen=True)
class SummarySpec(TableSpec):
    """A 合计 row and, when asked, a row per unit."""

    FIELDS = frozenset({"code", "name"})


def build(budget: Budget, spec: TableSpec) -> Table:
    lines = table_lines(budget, spec)
    multi = several_units(budget)
    columns = spec.visible_columns(multi)
    by_unit = spec.unit_rows == "always" or multi

    def keys(line: Line) -> list[RowKey]:
        return [("total",), ("unit", line.unit)] if by_unit else [("total",)]

    sums = accumulate(lines, columns, budget, keys)
    plans = [total_plan(spec, "name")]
    if by_unit:
        plans += [unit_plan(budget, unit, "code", "name") for unit in unit_order(budget, lines)]
    return build_table(budget, spec, plans, sums, columns)
