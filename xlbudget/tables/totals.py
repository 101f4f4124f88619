"""Two-sided tables closed by 收入总计 | 支出总计 (上海: 财务收支预算总表, 财政拨款收支预算总表):
the profile's fixed income lines at left; at right one row per 功能分类 类 that has lines,
numbered 一、二、… in code order, with the money columns of the profile."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from xlbudget.model import Budget, Line
from xlbudget.money import Fen
from xlbudget.tables.base import DETAIL, MONEY, TOTAL, Cell, Column, Table
from xlbudget.tables.grid import RowKey, accumulate, table_lines
from xlbudget.tables.spec import IncomeRow, TableSpec
from xlbudget.tables.two_sided import Side, chinese_number, pair

LEFT_WIDTH = 2  # the income side: its label and its amount


@dataclass(frozen=True)
class TotalsSpec(TableSpec):
    """``income_rows``: the fixed income lines (``part`` = part of the line above, not added to
    收入总计); ``income_total`` / ``expenditure_total``: the closing row's two labels."""

    income_rows: tuple[IncomeRow, ...] = ()
    income_total: str = "收入总计"
    expenditure_total: str = "支出总计"

    def row_labels(self) -> frozenset[str]:
        return frozenset({r.label for r in self.income_rows} | {self.income_total, self.expenditure_total})


def income_side(budget: Budget, rows: Sequence[IncomeRow]) -> tuple[list[Side], Fen]:
    """Each income line and the 收入总计: the sum of the lines that are not ``part`` of another."""
    sides: list[Side] = []
    total = 0
    for row in rows:
        value = sum(i.amount for i in budget.incomes if i.source in row.sources)
        sides.append(((row.label, value), DETAIL))
        total += 0 if row.part else value
    return sides, total


def build(budget: Budget, spec: TableSpec) -> Table:
    assert isinstance(spec, TotalsSpec)
    lines = table_lines(budget, spec)
    right = spec.columns[LEFT_WIDTH:]
    money = [c for c in right if c.kind == MONEY]

    def keys(line: Line) -> list[RowKey]:
        return [("total",), ("class", line.function_class)]

    sums = accumulate(lines, right, budget, keys)
    blank: list[Fen] = [0] * len(money)
    classes = sorted(key[1] for key in sums if key[0] == "class")  # type: ignore[index]
    expenditure: list[Side] = [
        ((f"{chinese_number(n)}、{budget.function_name(code) or code}", *sums[("class", code)]), DETAIL)
        for n, code in enumerate(classes, start=1)
    ]
    incomes, income_total = income_side(budget, spec.income_rows)
    rows = pair(incomes, expenditure, LEFT_WIDTH, len(right))
    closing: tuple[Cell, ...] = (spec.income_total, income_total, spec.expenditure_total,
                                 *sums.get(("total",), blank))
    rows += pair([(closing[:LEFT_WIDTH], TOTAL)], [(closing[LEFT_WIDTH:], TOTAL)], LEFT_WIDTH, len(right))
    return Table(spec.key, spec.name, spec.title, budget.dept_name,
                 tuple(Column(c.path, c.kind, c.width) for c in spec.columns), tuple(rows))
