"""单位收支预算表 (收支总表): income by source at left, expenditure by 功能分类 类 at right."""

from __future__ import annotations

from xlbudget import contract
from xlbudget.model import Budget
from xlbudget.profile import TableSpec
from xlbudget.tables.base import TOTAL, Column, Table
from xlbudget.tables.two_sided import (
    class_codes,
    class_label,
    income_side,
    pair,
    sum_by_class,
)


def build(budget: Budget, spec: TableSpec) -> Table:
    o = spec.options
    incomes, lines = budget.incomes, budget.lines
    current = sum(i.amount for i in incomes if i.source not in contract.CARRYOVER)
    carryover = sum(i.amount for i in incomes if i.source in contract.CARRYOVER)
    spent = sum(line.amount for line in lines)
    by_class = sum_by_class(lines)
    right = [((class_label(code, label, budget, "、"), by_class.get(code, 0)), "detail")
             for code, label in class_codes(spec, lines)]
    rows = pair(income_side(incomes, spec), right, 2, 2)
    rows += pair(
        [((o["income_total"], current), TOTAL), ((o["carryover"]["label"], carryover), "detail"),
         ((o["grand_income"], current + carryover), TOTAL)],
        [((o["expenditure_total"], spent), TOTAL), ((o["year_end"], None), "detail"),
         ((o["grand_expenditure"], spent), TOTAL)], 2, 2)
    return Table(spec.key, spec.name, f"{budget.year}年{spec.name}", budget.dept_name,
                 tuple(Column(c.path, c.kind, c.width) for c in spec.columns), tuple(rows))
