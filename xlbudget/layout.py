"""Where things are in the disclosure workbook: the rows above each table's data, a table
cell's sheet address, and the cell a profile reference names in the derived tables.

Below ``render`` (which lays sheets out with these rows) and the checks (which point findings at
these addresses), so neither needs the other.
"""

from __future__ import annotations

from collections.abc import Sequence

from xlbudget.findings import Location, column_letter
from xlbudget.profile import CellRef
from xlbudget.tables.base import TOTAL, Table

TITLE_ROW, INFO_ROW, HEADER_ROW = 0, 1, 2  # 0-based rows of a table sheet
Cell = tuple[int, int]  # (row index, column index) in a Table


class LayoutError(ValueError):
    """A profile reference that the derived tables cannot resolve (a finding, never skipped)."""


def header_depth(table: Table) -> int:
    return max(len(c.path) for c in table.columns)


def disclosure_cell(table: Table, cell: Cell) -> Location:
    """Where the disclosure workbook shows ``cell``: the table's sheet, its row and column."""
    return Location(table.name, HEADER_ROW + header_depth(table) + cell[0] + 1, column_letter(cell[1]))


def find_table(tables: Sequence[Table], key: str) -> Table:
    found = next((t for t in tables if t.key == key), None)
    if found is None:
        raise LayoutError(f"公开表中没有格式配置所说的表“{key}”")
    return found


def column_of(table: Table, path: Sequence[str]) -> int:
    wanted = tuple(path)
    found = next((i for i, c in enumerate(table.columns) if c.path == wanted), None)
    if found is None:
        raise LayoutError(f"公开表“{table.name}”中没有列“{'/'.join(wanted)}”")
    return found


def row_of(table: Table, label: str = "", label_column: Sequence[str] = ()) -> int:
    """The first row labelled ``label`` (in ``label_column``, or any text cell); "" = the 合计 row."""
    if not label:
        found = next((i for i, r in enumerate(table.rows) if r.kind == TOTAL), None)
        if found is None:
            raise LayoutError(f"公开表“{table.name}”没有合计行")
        return found
    where = column_of(table, label_column) if label_column else None
    for index, row in enumerate(table.rows):
        cells = [row.cells[where]] if where is not None else row.cells
        if label in cells:
            return index
    raise LayoutError(f"公开表“{table.name}”中没有“{label}”行")


def locate(tables: Sequence[Table], ref: CellRef) -> tuple[Table, Cell]:
    """The table and cell a profile's cell reference names."""
    table = find_table(tables, ref.table)
    return table, (row_of(table, ref.row, ref.label_column), column_of(table, ref.column))
