"""财政拨款收支预算表: fiscal income (本年 and 上年结转 by source) at left, fiscal expenditure
by 功能分类 类 at right with the columns of each fiscal source."""

from __future__ import annotations

from dataclasses import dataclass

from xlbudget import contract
from xlbudget.model import Budget
from xlbudget.money import Fen
from xlbudget.tables.base import MONEY, TEXT, TOTAL, Cell, Table
from xlbudget.tables.grid import accumulate
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
)


@dataclass(frozen=True)
class FiscalSpec(ClassRowsSpec):
    """The fixed lines of the 财政拨款收支表 (a line labelled "" is not printed). The 类 lines are
    components of the 本年支出 line above them."""

    class_label: str = "（{number}）{name}"
    class_suffix: str = "支出"
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
    fiscal = [ln for ln in budget.lines if ln.source in contract.FISCAL]
    incomes = [i for i in budget.incomes if i.source in contract.FISCAL]
    split = expenditure_side(spec)
    money = [c for c in spec.columns[split:] if c.kind == MONEY]
    sums = accumulate(fiscal, money, budget, lambda ln: [("total",), ("class", ln.function_class)])

    def vector(key: tuple[str, ...]) -> tuple[Fen, ...]:
        return tuple(sums.get(key, [0] * len(money)))

    blank: tuple[Cell, ...] = (None,) * len(money)
    total = vector(("total",))
    spending = line(spec.expenditure_total, total, TOTAL)
    level = 2 if spending else 1  # the 类 lines are the 本年支出 line's components
    spending += [Entry((label, *vector(("class", code))), level=level)
              for code, label in class_lines(spec, fiscal, budget)]
    left, right = stack(
        (income_entries(incomes, spec.income_rows), [*spending, *line(spec.year_end, blank)]),
        (closing(spec.income_total, sum(i.amount for i in incomes)),
         closing(spec.grand_expenditure, total)))
    rows, row_sums = pair(left, right, split, 1 + len(money))
    return Table(spec.key, spec.name, spec.title, budget.dept_name, table_columns(spec.columns), tuple(rows),
                 sums=row_sums)
