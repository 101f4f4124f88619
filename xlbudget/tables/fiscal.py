"""财政拨款收支预算表: fiscal income (本年 and 上年结转 by source) at left, fiscal expenditure
by 功能分类 类 at right with the columns of each fiscal source."""

from __future__ import annotations

from dataclasses import dataclass

from xlbudget import contract
from xlbudget.model import Budget
from xlbudget.money import Fen
from xlbudget.tables.base import DETAIL, MONEY, TEXT, TOTAL, Cell, Column, Table
from xlbudget.tables.grid import accumulate
from xlbudget.tables.spec import IncomeRow, TableSpec
from xlbudget.tables.two_sided import Side, class_codes, class_label, income_side, labelled, pair


@dataclass(frozen=True)
class FiscalSpec(TableSpec):
    """The fixed lines of the 财政拨款收支表 (a line labelled "" is not printed)."""

    income_rows: tuple[IncomeRow, ...] = ()
    expenditure_total: str = ""  # 本年支出
    year_end: str = ""  # 年终结转结余
    income_total: str = ""  # 收入合计
    grand_expenditure: str = ""  # 支出合计

    def row_labels(self) -> frozenset[str]:
        fixed = {self.expenditure_total, self.year_end, self.income_total, self.grand_expenditure,
                 *(r.label for r in self.income_rows)}
        return frozenset(fixed - {""})


def expenditure_side(spec: TableSpec) -> int:
    """Index of the expenditure side's first column: the second text column."""
    texts = [i for i, c in enumerate(spec.columns) if c.kind == TEXT]
    return texts[1] if len(texts) > 1 else len(spec.columns)


def build(budget: Budget, spec: TableSpec) -> Table:
    assert isinstance(spec, FiscalSpec)
    fiscal = [line for line in budget.lines if line.source in contract.FISCAL]
    incomes = [i for i in budget.incomes if i.source in contract.FISCAL]
    split = expenditure_side(spec)
    money = [c for c in spec.columns[split:] if c.kind == MONEY]
    sums = accumulate(fiscal, money, budget, lambda ln: [("total",), ("class", ln.function_class)])

    def vector(key: tuple[str, ...]) -> tuple[Fen, ...]:
        return tuple(sums.get(key, [0] * len(money)))

    blank: tuple[Cell, ...] = (None,) * len(money)
    right: list[Side] = labelled([(spec.expenditure_total, vector(("total",)), TOTAL)])
    right += [((class_label(code, label, budget, "（）"), *vector(("class", code))), DETAIL)
              for code, label in class_codes(spec, fiscal)]
    right += labelled([(spec.year_end, blank, DETAIL)])
    rows = pair(income_side(incomes, spec.income_rows), right, split, 1 + len(money))
    rows += pair(labelled([(spec.income_total, sum(i.amount for i in incomes), TOTAL)]),
                 labelled([(spec.grand_expenditure, vector(("total",)), TOTAL)]), split, 1 + len(money))
    return Table(spec.key, spec.name, spec.title, budget.dept_name,
                 tuple(Column(c.path, c.kind, c.width) for c in spec.columns), tuple(rows))
