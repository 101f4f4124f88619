"""部门经济分类 类/款 printed as two side-by-side groups (部门决算: 一般公共预算财政拨款基本支出决算表,
人员经费 301 and 303 at left, 公用经费 302 and 310 at right), each group closed by its own total
on the last row. The 款 the profile lists (else every 款 of the year's catalog) under the group's 类
are printed, used or not, and any other 款 the lines use. A row holds a 类 at one side and a 款 at
the other, so the table declares its sums side by side (``Table.sums``): each 类 = its 款, each
group's total = its 类."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import zip_longest

from xlbudget.catalog import ECON_DEPT
from xlbudget.model import Budget
from xlbudget.money import Fen
from xlbudget.tables.base import DETAIL, GROUP, TOTAL, Cell, Column, Row, RowSum, Table
from xlbudget.tables.grid import table_lines
from xlbudget.tables.spec import TableSpec, codes_of, parsed

SIDE_WIDTH = 4  # 类 | 款 | 科目名称 | 决算数


@dataclass(frozen=True)
class EconSidesSpec(TableSpec):
    """``left`` / ``right``: the 部门经济分类 类 of each group, in printed order; ``left_total`` /
    ``right_total``: the label of each group's total. Columns: 类, 款, 名称, amount at left, then
    the same at right (the amount columns' own filters are not used: the table's filter is)."""

    left: frozenset[str] = parsed(codes_of(3), frozenset())
    right: frozenset[str] = parsed(codes_of(3), frozenset())
    left_total: str = ""
    right_total: str = ""
    listed: frozenset[str] = parsed(codes_of(5), frozenset())  # 款 printed even when empty; none: the catalog's

    def row_labels(self) -> frozenset[str]:
        return frozenset({self.left_total, self.right_total})


def _group(budget: Budget, spec: EconSidesSpec, classes: frozenset[str], sums: dict[str, Fen]
           ) -> list[tuple[tuple[Cell, ...], str]]:
    """Each 类 row followed by its 款 rows: the listed ones (or the catalog's) and any other the lines use."""
    kuan = spec.listed or {code for code, entry in budget.catalog.table(ECON_DEPT).items() if entry.level == "款"}
    rows: list[tuple[tuple[Cell, ...], str]] = []
    for cls in sorted(classes):
        rows.append(((cls, None, budget.econ_name(cls) or cls, sums.get(cls, 0)), GROUP))
        codes = sorted({c for c in kuan if c[:3] == cls} | {c for c in sums if len(c) == 5 and c[:3] == cls})
        rows += [((cls, code[3:], budget.econ_name(code) or code, sums.get(code, 0)), DETAIL) for code in codes]
    return rows


def build(budget: Budget, spec: TableSpec) -> Table:
    assert isinstance(spec, EconSidesSpec)
    sums: dict[str, Fen] = {}
    for line in table_lines(budget, spec):
        for code in (line.econ[:3], line.econ):
            sums[code] = sums.get(code, 0) + line.amount
    left, right = _group(budget, spec, spec.left, sums), _group(budget, spec, spec.right, sums)
    blank: tuple[Cell, ...] = (None,) * SIDE_WIDTH
    rows = [Row((lhs[0] if lhs else blank) + (rhs[0] if rhs else blank),
                (lhs or rhs)[1] if (lhs or rhs) else DETAIL)  # type: ignore[index]
            for lhs, rhs in zip_longest(left, right)]
    totals = [sum(sums.get(c, 0) for c in classes) for classes in (spec.left, spec.right)]
    rows.append(Row((spec.left_total, None, None, totals[0], spec.right_total, None, None, totals[1]), TOTAL))
    row_sums = (*_side_sums(left, len(rows) - 1, SIDE_WIDTH - 1), *_side_sums(right, len(rows) - 1, 2 * SIDE_WIDTH - 1))
    return Table(spec.key, spec.name, spec.title, budget.dept_name,
                 tuple(Column(c.path, c.kind, c.width) for c in spec.columns), tuple(rows), sums=row_sums)


def _side_sums(side: list[tuple[tuple[Cell, ...], str]], total: int, column: int) -> list[RowSum]:
    """The sums of one group (rows numbered from the top, its amounts in ``column``): each 类 row =
    its 款 rows, the total row = the 类 rows."""
    heads = [i for i, (_, kind) in enumerate(side) if kind == GROUP]
    ends = [*heads[1:], len(side)]
    out = [RowSum(head, tuple(range(head + 1, end)), (column,)) for head, end in zip(heads, ends, strict=True)
           if end > head + 1]
    return [*out, RowSum(total, tuple(heads), (column,))]
