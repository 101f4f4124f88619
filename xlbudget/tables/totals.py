"""Two-sided tables closed by 收入总计 | 支出总计 (上海: 财务收支预算总表, 财政拨款收支预算总表):
the profile's fixed income lines at left; at right one row per 功能分类 类 that has lines,
numbered 一、二、… in code order, with the money columns of the profile."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from xlbudget.model import Budget, Line
from xlbudget.money import Fen
from xlbudget.tables.base import MONEY, Table
from xlbudget.tables.grid import RowKey, accumulate, table_lines
from xlbudget.tables.spec import IncomeRow, TableSpec, table_columns
from xlbudget.tables.two_sided import (
    ClassRowsSpec,
    Entry,
    class_lines,
    closing,
    income_entries,
    pair,
    stack,
    top_level_sum,
)

LEFT_WIDTH = 2  # the income side: its label and its amount


@dataclass(frozen=True)
class TotalsSpec(ClassRowsSpec):
    """``income_rows``: the fixed income lines (``level = 2``: a component of the line above;
    ``part``: 其中; neither is added to 收入总计); ``income_total`` / ``expenditure_total``: the
    closing row's two labels."""

    class_numbering: Literal["code", "sequence"] = "sequence"
    all_classes: bool = False
    income_rows: tuple[IncomeRow, ...] = ()
    income_total: str = "收入总计"
    expenditure_total: str = "支出总计"

    def row_labels(self) -> frozenset[str]:
        return frozenset({r.label for r in self.income_rows} | {self.income_total, self.expenditure_total})


def build(budget: Budget, spec: TableSpec) -> Table:
    assert isinstance(spec, TotalsSpec)
    lines = table_lines(budget, spec)
    right = spec.columns[LEFT_WIDTH:]
    width = sum(1 for c in right if c.kind == MONEY)

    def keys(line: Line) -> list[RowKey]:
        return [("total",), ("class", line.function_class)]

    sums = accumulate(lines, right, budget, keys)
    blank: list[Fen] = [0] * width
    expenditure = [Entry((label, *sums.get(("class", code), blank)))
                   for code, label in class_lines(spec, lines, budget)]
    incomes = income_entries(budget.incomes, spec.income_rows)
    left, right_side = stack(
        (incomes, expenditure),
        (closing(spec.income_total, top_level_sum(incomes)),
         closing(spec.expenditure_total, tuple(sums.get(("total",), blank)))))
    rows, row_sums = pair(left, right_side, LEFT_WIDTH, len(right))
    return Table(spec.key, spec.name, spec.title, budget.dept_name, table_columns(spec.columns), tuple(rows),
                 sums=row_sums)
