"""What every derived table is: a title, a header tree (column paths) and typed rows.

Tables hold money in exact 分; only ``render`` turns them into displayed 万元.
"""

from __future__ import annotations

from dataclasses import dataclass

from xlbudget.money import Fen

TEXT, CODE, MONEY = "text", "code", "money"
COUNT = "number"  # a whole number written as a number (汇总's 错误数), in render's "number" style
# Row kinds: how a row is styled (bold totals, unit rows) and what checks expect of it.
TOTAL, UNIT, GROUP, DETAIL, NOTE = "total", "unit", "group", "detail", "note"
DEPARTMENT = "department"  # a 部门's own detail row (summed over its units), before the unit blocks

Cell = str | Fen | None


@dataclass(frozen=True)
class Column:
    path: tuple[str, ...]  # header tree path, e.g. ("基本支出", "人员经费", "工资福利支出")
    kind: str = MONEY  # text | code | money
    width: float = 12
    role: str = ""  # money columns: total | part (其中, added nowhere) | item (ColumnSpec.role)

    @property
    def label(self) -> str:
        return self.path[-1]


@dataclass(frozen=True)
class Row:
    cells: tuple[Cell, ...]
    kind: str = DETAIL
    group: int = 0  # rows sharing a non-zero group belong together (merged in merge_down columns)
    level: int = 0  # outline tables: 1 类, 2 款, 3 项; a row equals the sum of the next level below it


@dataclass(frozen=True)
class RowSum:
    """A row total the builder declares: row ``total`` equals the sum of rows ``parts`` in each
    of the money ``columns`` (two-sided tables, whose sides nest by the profile's lines)."""

    total: int
    parts: tuple[int, ...]
    columns: tuple[int, ...]


@dataclass(frozen=True)
class Table:
    key: str  # "t01" …
    name: str  # sheet name, e.g. 单位收支预算表
    title: str  # e.g. 2022年单位收支预算表
    org_name: str  # the 单位 or 部门 the table is of
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    note: str = ""  # text printed under the table (e.g. the 三公 note)
    merge_down: tuple[int, ...] = ()  # column indexes merged over rows of one group
    org_label: str = ""  # shown before org_name, e.g. 编制单位 ("" = the name alone)
    unit: str = ""  # money unit shown (元 or 万元; "" = the writer's default)
    decimals: int = 2  # decimals shown
    unit_line: str = ""  # the line at right above the table; "" = 单位：<unit>
    total_span: int = 0  # the 合计 row's label merged across this many leading columns (0: none)
    # Row totals as declared by the builder; None: by row kinds (合计 = units, unit = its rows)
    # or by outline levels
    sums: tuple[RowSum, ...] | None = None

    def column_index(self, *path: str) -> int:
        return next(i for i, c in enumerate(self.columns) if c.path == path)

    def money_indexes(self) -> list[int]:
        return [i for i, c in enumerate(self.columns) if c.kind == MONEY]

    def rows_of(self, kind: str) -> list[Row]:
        return [r for r in self.rows if r.kind == kind]
