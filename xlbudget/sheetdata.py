"""A table sheet's cells written in bulk: xlsxwriter's worksheet with a lean ``<sheetData>``.

Goes below xlsxwriter's public API through its documented ``worksheet_class`` hook: cells are
stored as xlsxwriter's own cell records (``table``, ``str_table``) without the per-call checks
of ``write_*``, and rows of number, string and blank cells are written as XML in one pass.
Anything else is left to xlsxwriter. A large workbook's sheets are each assembled into XML as
soon as they are filled (``stream``), so their cell records never all live at once. The output
is byte for byte what the public API writes (tests/test_render.py, tests/test_examples.py); the
xlsxwriter versions this was checked against are pinned in pyproject.toml. Imported only when a
workbook is written.
"""

from __future__ import annotations

import os
import tempfile
from io import StringIO
from typing import Any

from xlsxwriter.format import Format
from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.worksheet import CellBlankTuple, CellNumberTuple, CellStringTuple, Worksheet

Blank, Number, String = CellBlankTuple, CellNumberTuple, CellStringTuple
SPAN_ROWS = 16  # xlsxwriter's block of rows sharing one "spans" attribute
MAX_SHARED = 16383  # longer strings may need xlsxwriter's UTF-16 truncation: left to write_string


class DataSheet(Worksheet):  # type: ignore[misc]  # xlsxwriter is untyped
    """A worksheet that takes whole rows of cell records (``put_row``)."""

    streamed: str | None = None  # the file holding this sheet's XML once ``stream`` assembled it

    def stream(self, folder: str) -> None:
        """Assemble this sheet's XML now, into a file in ``folder``, and drop its cell records.
        Every sheet of the workbook must be streamed, in order, each once it is filled: formats
        are numbered in the order the sheets' XML first uses them, as when the workbook closes.
        The first sheet is marked selected and active as ``Workbook.close`` would mark it."""
        meta = self.worksheet_meta
        if self.index == meta.activesheet:
            self.active = 1
            if self.index == 0:
                self.selected, self.hidden = 1, 0
        descriptor, path = tempfile.mkstemp(suffix=".xml", dir=folder)
        os.close(descriptor)
        super()._set_xml_writer(path)
        super()._assemble_xml_file()
        self.streamed = path
        self.table.clear()
        self.merge.clear()

    def _set_xml_writer(self, filename: Any) -> None:
        """At close: the streamed XML becomes the sheet's part (moved, or copied into memory)."""
        if self.streamed is None:
            super()._set_xml_writer(filename)
        elif isinstance(filename, StringIO):
            with open(self.streamed, encoding="utf-8") as xml:
                filename.write(xml.read())
        else:
            os.replace(self.streamed, filename)

    def _assemble_xml_file(self) -> None:
        if self.streamed is None:
            super()._assemble_xml_file()

    def string(self, text: str, fmt: Format) -> Any:
        """The cell record of a shared string (registered now, so string order is kept)."""
        return String(self.str_table._get_shared_string_index(text), fmt)

    def put_row(self, row: int, cells: dict[int, Any]) -> None:
        """Store ``cells`` (column → record from ``string``, ``Number`` or ``Blank``) in
        ``row``, over any cells already there, as ``write_*`` would."""
        if not cells:
            return
        if row >= self.xls_rowmax or max(cells) >= self.xls_colmax:
            raise ValueError(f"第 {row + 1} 行超出工作表的行列范围")
        self._check_dimensions(row, min(cells))
        self._check_dimensions(row, max(cells))
        self.table[row].update(cells)

    def merge_column(self, first: int, last: int, col: int, fmt: Format) -> None:
        """Merge rows ``first``…``last`` of ``col`` as ``merge_range`` would (the cells below
        the first become formatted blanks), without its overlap bookkeeping, a dictionary entry
        per merged cell: the renderer's merges of one column never overlap."""
        self.merge.append([first, col, last, col])
        blank = Blank(fmt)
        for row in range(first, last + 1):
            self.table[row][col] = blank
        self._check_dimensions(first, col)
        self._check_dimensions(last, col)

    def _calculate_spans(self) -> None:
        if self.comments:
            super()._calculate_spans()
            return
        bounds: dict[int, tuple[int, int]] = {}
        for row_num, cells in self.table.items():
            if not cells or not self.dim_rowmin <= row_num <= self.dim_rowmax:
                continue
            block = row_num // SPAN_ROWS
            low, high = min(cells), max(cells)
            if block in bounds:
                low, high = min(low, bounds[block][0]), max(high, bounds[block][1])
            bounds[block] = (low, high)
        self.row_spans = {block: f"{low + 1}:{high + 1}" for block, (low, high) in bounds.items()}

    def _write_rows(self) -> None:
        if self.comments or self.constant_memory:
            super()._write_rows()
            return
        self._calculate_spans()
        letters = [xl_col_to_name(col) for col in range(self.dim_colmax + 1)]
        styles: dict[Format, str] = {}
        write = self.fh.write
        for row_num in range(self.dim_rowmin, self.dim_rowmax + 1):
            cells = self.table.get(row_num)
            info = self.row_info.get(row_num)
            if not cells and info is None:
                continue
            span = self.row_spans.get(row_num // SPAN_ROWS)
            if not cells:
                self._write_empty_row(row_num, span, info)
                continue
            self._write_row(row_num, span, info)
            number = str(row_num + 1)
            parts: list[str] = []
            for col in sorted(cells):
                cell = cells[col]
                kind, fmt = type(cell), cell.format
                if fmt is None or kind not in (String, Number, Blank):
                    write("".join(parts))
                    parts.clear()
                    self._write_cell(row_num, col, cell)
                    continue
                style = styles.get(fmt)
                if style is None:
                    style = styles[fmt] = f' s="{fmt._get_xf_index()}"'
                if kind is Blank:
                    parts.append(f'<c r="{letters[col]}{number}"{style}/>')
                elif kind is String:
                    parts.append(f'<c r="{letters[col]}{number}"{style} t="s"><v>{cell.string}</v></c>')
                else:
                    parts.append(f'<c r="{letters[col]}{number}"{style}><v>{cell.number:.16G}</v></c>')
            parts.append("</row>")
            write("".join(parts))
