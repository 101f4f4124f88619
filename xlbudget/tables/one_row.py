"""A table of one row of money columns for the whole 部门 or 单位 (上海: “三公”经费和机关运行经费
预算表), whatever the number of units."""

from __future__ import annotations

from dataclasses import dataclass

from xlbudget.model import Budget
from xlbudget.tables.base import MONEY, TOTAL, Row, Table
from xlbudget.tables.grid import accumulate, table_lines
from xlbudget.tables.spec import TableSpec, table_columns


@dataclass(frozen=True)
class OneRowSpec(TableSpec):
    """``unit_line``: the text of the 单位 line when not 单位：<unit> (e.g. 单位:万元)."""

    unit_line: str = ""


def build(budget: Budget, spec: TableSpec) -> Table:
    assert isinstance(spec, OneRowSpec)
    sums = accumulate(table_lines(budget, spec), spec.columns, budget, lambda line: [("total",)])
    values = iter(sums.get(("total",), [0] * sum(1 for c in spec.columns if c.kind == MONEY)))
    row = Row(tuple(next(values) if c.kind == MONEY else None for c in spec.columns), TOTAL)
    return Table(spec.key, spec.name, spec.title, budget.dept_name,
                 table_columns(spec.columns), (row,),
                 note=spec.note, unit_line=spec.unit_line)
