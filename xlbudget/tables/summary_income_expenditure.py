"""收支总表: income by source at left, expenditure by 功能分类 类 at right."""

from __future__ import annotations

from dataclasses import dataclass

from xlbudget import contract
from xlbudget.model import Budget
from xlbudget.tables.base import Table
from xlbudget.tables.spec import IncomeRow, TableSpec, table_columns
from xlbudget.tables.two_sided import (
    ClassRowsSpec,
    Entry,
    class_lines,
    closing,
    income_entries,
    line,
    pair,
    stack,
    sum_by_class,
)


@dataclass(frozen=True)
class IncomeExpenditureSpec(ClassRowsSpec):
    """The fixed lines of the 收支总表 (a line labelled "" is not printed)."""

    income_rows: tuple[IncomeRow, ...] = ()
    income_total: str = ""  # 本年收入合计
    carryover: IncomeRow = IncomeRow("")  # 上年结转结余
    grand_income: str = ""  # 收入总计
    expenditure_total: str = ""  # 本年支出合计
    year_end: str = ""  # 年终结转结余
    grand_expenditure: str = ""  # 支出总计

    def row_labels(self) -> frozenset[str]:
        fixed = {self.income_total, self.carryover.label, self.grand_income, self.expenditure_total,
                 self.year_end, self.grand_expenditure, *(r.label for r in self.income_rows)}
        return frozenset(fixed - {""})


def build(budget: Budget, spec: TableSpec) -> Table:
    assert isinstance(spec, IncomeExpenditureSpec)
    incomes, lines = budget.incomes, budget.lines
    current = sum(i.amount for i in incomes if i.source not in contract.CARRYOVER)
    carryover = sum(i.amount for i in incomes if i.source in contract.CARRYOVER)
    spent = sum(ln.amount for ln in lines)
    by_class = sum_by_class(lines)
    classes = [Entry((label, by_class.get(code, 0))) for code, label in class_lines(spec, lines, budget)]
    left, right = stack(
        (income_entries(incomes, spec.income_rows), classes),
        ([*closing(spec.income_total, current), *line(spec.carryover.label, carryover),
          *closing(spec.grand_income, current + carryover)],
         [*closing(spec.expenditure_total, spent), *line(spec.year_end, None),
          *closing(spec.grand_expenditure, spent)]))
    rows, sums = pair(left, right, 2, 2)
    return Table(spec.key, spec.name, spec.title, budget.dept_name, table_columns(spec.columns), tuple(rows),
                 sums=sums)
