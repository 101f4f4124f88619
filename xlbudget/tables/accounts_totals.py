"""部门决算 two-sided tables (收入支出决算总表, 财政拨款收入支出决算总表): at left the profile's income
rows, 本年收入合计 and the rows after it (使用非财政拨款结余, 年初结转和结余 …); at right one row per
功能分类 类 (the profile's list, numbered 一、二、… in order), 本年支出合计 and the rows after it
(结余分配, 年末结转和结余 …); 总计 | 总计 last.

Every row is a filter on the 决算's lines (their flow and 资金来源); at right it is combined with
each money column's own filter (合计, 一般公共预算财政拨款 …). How each side adds up is declared by
its rows (``level``, ``part``), as for the budget's two-sided tables."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from xlbudget.model import Budget
from xlbudget.money import Fen
from xlbudget.tables.base import GROUP, MONEY, Table
from xlbudget.tables.spec import FLAT, LineFilter, TableSpec, flows, parsed, table_columns
from xlbudget.tables.two_sided import (
    ClassRowsSpec,
    Entry,
    class_lines,
    closing,
    column_sum,
    pair,
    stack,
    top_level_sum,
)

LEFT_WIDTH = 2  # the income side: its label and its amount


@dataclass(frozen=True)
class SideRow:
    """A fixed row: its label, the lines it sums, and its place in its side's sums: ``level = 2`` a
    component of the level-1 row above it, ``part`` (其中) added nowhere."""

    label: str
    level: Literal[1, 2] = 1
    part: bool = False
    filter: LineFilter = field(default=LineFilter(), metadata=FLAT)


@dataclass(frozen=True)
class AccountsTotalsSpec(ClassRowsSpec):
    """``income_rows`` add up to ``income_total``; ``income_after`` rows follow it; the 类 rows sum
    the lines of ``expenditure_flows`` and add up to ``expenditure_total``; ``expenditure_after``
    rows follow; both sides close with ``grand_total``."""

    class_numbering: Literal["code", "sequence"] = "sequence"
    income_rows: tuple[SideRow, ...] = ()
    income_total: str = ""
    income_after: tuple[SideRow, ...] = ()
    expenditure_flows: frozenset[str] | None = parsed(flows)
    expenditure_total: str = ""
    expenditure_after: tuple[SideRow, ...] = ()
    grand_total: str = ""

    def row_labels(self) -> frozenset[str]:
        rows = (*self.income_rows, *self.income_after, *self.expenditure_after)
        return frozenset({r.label for r in rows} | {self.income_total, self.expenditure_total, self.grand_total})


def _sums(budget: Budget, row: LineFilter, columns: Sequence[LineFilter]) -> list[Fen]:
    """Each column's sum of the lines ``row`` keeps."""
    lines = [line for line in budget.lines if row.matches(line, budget)]
    return [sum(line.amount for line in lines if column.matches(line, budget)) for column in columns]


def _entries(budget: Budget, rows: Sequence[SideRow], columns: Sequence[LineFilter]) -> list[Entry]:
    return [Entry((row.label, *_sums(budget, row.filter, columns)),
                  GROUP if any(r.level == 2 for r in rows) and row.level == 1 else "detail", row.level, row.part)
            for row in rows]


def _added(entries: Sequence[Entry], width: int) -> list[Fen]:
    """Each money column's sum of the level-1 rows that are not 其中 (what a closing row adds)."""
    return [column_sum(entries, 1 + i) for i in range(width)]


def build(budget: Budget, spec: TableSpec) -> Table:
    assert isinstance(spec, AccountsTotalsSpec)
    right = spec.columns[LEFT_WIDTH:]
    money = [c.filter for c in right if c.kind == MONEY]
    spending = LineFilter(flow=spec.expenditure_flows)
    incomes = _entries(budget, spec.income_rows, [LineFilter()])
    after_left = _entries(budget, spec.income_after, [LineFilter()])
    lines = [line for line in budget.lines if spending.matches(line, budget)]
    classes = [Entry((label, *_sums(budget, LineFilter(flow=spec.expenditure_flows, function_class=frozenset({code})),
                                    money))) for code, label in class_lines(spec, lines, budget)]
    spent = _sums(budget, spending, money)
    after_right = _entries(budget, spec.expenditure_after, money)
    income_total = top_level_sum(incomes)
    left, right_side = stack(
        (incomes, classes),
        ([*closing(spec.income_total, income_total), *after_left],
         [*closing(spec.expenditure_total, tuple(spent)), *after_right]),
        (closing(spec.grand_total, income_total + top_level_sum(after_left)),
         closing(spec.grand_total, tuple(a + b for a, b in zip(spent, _added(after_right, len(money)), strict=True)))))
    rows, row_sums = pair(left, right_side, LEFT_WIDTH, len(right))
    return Table(spec.key, spec.name, spec.title, budget.dept_name, table_columns(spec.columns), tuple(rows),
                 sums=row_sums)
