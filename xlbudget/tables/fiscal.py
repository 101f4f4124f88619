"""财政拨款收支预算表: fiscal income (本年 and 上年结转 by source) at left, fiscal expenditure
by 功能分类 类 at right with the columns of each fiscal source."""

from __future__ import annotations

from xlbudget import contract
from xlbudget.model import Budget
from xlbudget.money import Fen
from xlbudget.profile import TableSpec
from xlbudget.tables.base import DETAIL, MONEY, TOTAL, Cell, Column, Table
from xlbudget.tables.grid import accumulate
from xlbudget.tables.two_sided import Side, class_codes, class_label, income_side, pair


def build(budget: Budget, spec: TableSpec) -> Table:
    o = spec.options
    fiscal = [line for line in budget.lines if line.source in contract.FISCAL]
    incomes = [i for i in budget.incomes if i.source in contract.FISCAL]
    money = [c for c in spec.columns[3:] if c.kind == MONEY]  # the expenditure side's columns
    sums = accumulate(fiscal, money, budget, lambda ln: [("total",), ("class", ln.function_class)])

    def vector(key: tuple[str, ...]) -> tuple[Fen, ...]:
        return tuple(sums.get(key, [0] * len(money)))

    blank: tuple[Cell, ...] = (None,) * len(money)
    right: list[Side] = [((o["expenditure_total"], *vector(("total",))), TOTAL)]
    right += [((class_label(code, label, budget, "（）"), *vector(("class", code))), DETAIL)
              for code, label in class_codes(spec, fiscal)]
    right.append(((o["year_end"], *blank), DETAIL))
    rows = pair(income_side(incomes, spec), right, 2, 1 + len(money))
    rows += pair([((o["income_total"], sum(i.amount for i in incomes)), TOTAL)],
                 [((o["grand_expenditure"], *vector(("total",))), TOTAL)], 2, 1 + len(money))
    return Table(spec.key, spec.name, f"{budget.year}年{spec.name}", budget.dept_name,
                 tuple(Column(c.path, c.kind, c.width) for c in spec.columns), tuple(rows))
