"""The disclosure tables as HTML, laid out like the printed sheets: title, 单位名称 and 单位,
the merged header tree, bold totals, merged cells of a group, blank zeros, the note.

Header and row merges come from ``render`` and the displayed amounts from ``money``, so the
preview shows exactly what the workbook prints.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from xlbudget.money import DISPLAY_UNIT, display_steps, fmt
from xlbudget.render import BOLD_KINDS, header_cells, merge_down_runs
from xlbudget.tables.base import MONEY, Cell, Table

PX_PER_WIDTH = 8  # pixels per Excel column-width unit


def _span(rows: int, cols: int) -> str:
    return (f' rowspan="{rows}"' if rows > 1 else "") + (f' colspan="{cols}"' if cols > 1 else "")


def _text(value: Cell, kind: str, unit: str, decimals: int) -> str:
    """A cell as printed: amounts in ``unit`` with ``decimals``, zero shown blank."""
    if value is None:
        return ""
    if kind == MONEY and isinstance(value, int):
        return fmt(value, unit, decimals) if display_steps(value, unit, decimals) else ""
    return str(value)


def _header(table: Table) -> str:
    rows: dict[int, list[str]] = {}
    for cell in sorted(header_cells(table.columns, top=0), key=lambda c: (c.first, c.last)):
        span = _span(cell.last[0] - cell.first[0] + 1, cell.last[1] - cell.first[1] + 1)
        rows.setdefault(cell.first[0], []).append(f"<th{span}>{escape(cell.text)}</th>")
    return "".join(f"<tr>{''.join(cells)}</tr>" for _, cells in sorted(rows.items()))


def _body(table: Table, unit: str) -> str:
    spans: dict[tuple[int, int], int] = {}  # (row, col) → rows merged down from there
    covered: set[tuple[int, int]] = set()
    for first, last in merge_down_runs(table) if table.merge_down else ():
        for col in table.merge_down:
            spans[(first, col)] = last - first + 1
            covered.update((i, col) for i in range(first + 1, last + 1))
    out = []
    for i, row in enumerate(table.rows):
        cells = []
        for col, (column, value) in enumerate(zip(table.columns, row.cells, strict=True)):
            if (i, col) in covered:
                continue
            text = _text(value, column.kind, unit, table.decimals)
            cells.append(f'<td class="{column.kind}"{_span(spans.get((i, col), 1), 1)}>{escape(text)}</td>')
        bold = ' class="bold"' if row.kind in BOLD_KINDS else ""
        out.append(f"<tr{bold}>{''.join(cells)}</tr>")
    return "".join(out)


def table_html(table: Table) -> str:
    """One table as a ``<section>``, its columns as wide as in the workbook."""
    unit = table.unit or DISPLAY_UNIT
    org = f"{table.org_label}：{table.org_name}" if table.org_label else table.org_name
    widths = "".join(f'<col style="width:{round(c.width * PX_PER_WIDTH)}px">' for c in table.columns)
    note = f'<p class="note">{escape(table.note)}</p>' if table.note else ""
    return (f'<section class="sheet" id="{escape(table.key)}" data-name="{escape(table.name)}">'
            f"<h3>{escape(table.title)}</h3>"
            f'<div class="info"><span>{escape(org)}</span><span>单位：{escape(unit)}</span></div>'
            f'<table class="disclosure"><colgroup>{widths}</colgroup><thead>{_header(table)}</thead>'
            f"<tbody>{_body(table, unit)}</tbody></table>{note}</section>")


def tables_html(tables: Sequence[Table]) -> str:
    """Every table, in the workbook's order, as one HTML fragment."""
    return "".join(table_html(t) for t in tables)
