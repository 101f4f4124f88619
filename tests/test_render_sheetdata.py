"""The bulk row writer below xlsxwriter's public API writes the very bytes the public API writes."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime
from pathlib import Path

import pytest
import xlsxwriter
from hypothesis import given, settings
from hypothesis import strategies as st

from xlbudget.sheetdata import Blank, DataSheet, Number

# A cell: None (formatted blank), a number, or text (empty, plain, XML-special, a long one).
cell_values = st.one_of(
    st.none(),
    st.integers(-10**12, 10**12).map(lambda n: n / 100),
    st.sampled_from(["", "合计", "a<b & \"c\"", " 前后空格 ", "第一行\n第二行", "长" * 20_000]),
)
grids = st.lists(st.lists(st.tuples(cell_values, st.integers(0, 2)), min_size=1, max_size=6),
                 min_size=1, max_size=40)
heights = st.dictionaries(st.integers(0, 45), st.sampled_from([15, 20, 33.5]), max_size=5)
merges = st.lists(st.tuples(st.integers(0, 39), st.integers(0, 5), st.integers(1, 3)), max_size=3)


def book(grid, row_heights, merge_runs, bulk: bool) -> dict[str, bytes]:
    """The sheet XML and shared strings of a workbook holding ``grid`` from row 3 down, written
    cell by cell with ``write_*`` and ``merge_range`` or row by row with ``DataSheet.put_row``
    and ``merge_column``."""
    out = io.BytesIO()
    workbook = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_numbers": False,
                                         "strings_to_formulas": False, "strings_to_urls": False})
    workbook.set_properties({"created": datetime(2000, 1, 1)})
    formats = [workbook.add_format({"border": 1}), workbook.add_format({"bold": True}),
               workbook.add_format({"num_format": "#,##0.00"})]
    ws = workbook.add_worksheet("表", DataSheet if bulk else None)
    ws.merge_range(0, 0, 0, 3, "", formats[1])
    ws.write_string(0, 0, "标题", formats[1])
    merged, taken = set(), set()  # cells under a merge's first cell; every merged cell
    for row, col, extra in merge_runs:
        if row + extra < len(grid) and all((row + k, col) not in taken for k in range(extra + 1)):
            if bulk:
                ws.merge_column(row + 2, row + 2 + extra, col, formats[0])
            else:
                ws.merge_range(row + 2, col, row + 2 + extra, col, "", formats[0])
            merged.update((row + k, col) for k in range(1, extra + 1))
            taken.update((row + k, col) for k in range(extra + 1))
    for r, cells in enumerate(grid):
        record: dict[int, object] = {}
        for c, (value, f) in enumerate(cells):
            if (r, c) in merged:
                continue
            fmt = formats[f]
            if not bulk:
                if value is None or value == "":
                    ws.write_blank(r + 2, c, None, fmt)
                elif isinstance(value, float):
                    ws.write_number(r + 2, c, value, fmt)
                else:
                    ws.write_string(r + 2, c, value, fmt)
            elif value is None or value == "":
                record[c] = Blank(fmt)
            elif isinstance(value, float):
                record[c] = Number(value, fmt)
            elif len(value) > 16_383:
                ws.write_string(r + 2, c, value, fmt)
            else:
                record[c] = ws.string(value, fmt)
        if bulk:
            ws.put_row(r + 2, record)
    for row, height in row_heights.items():
        ws.set_row(row, height)
    workbook.close()
    with zipfile.ZipFile(io.BytesIO(out.getvalue())) as z:
        return {name: z.read(name) for name in ("xl/worksheets/sheet1.xml", "xl/sharedStrings.xml")}


@settings(max_examples=150, deadline=None)
@given(grids, heights, merges)
def test_bulk_rows_are_the_public_api_bytes(grid, row_heights, merge_runs):
    assert book(grid, row_heights, merge_runs, bulk=True) == book(grid, row_heights, merge_runs, bulk=False)


def test_row_beyond_the_sheet_is_refused():
    workbook = xlsxwriter.Workbook(io.BytesIO(), {"in_memory": True})
    ws = workbook.add_worksheet("表", DataSheet)
    with pytest.raises(ValueError, match="超出"):
        ws.put_row(1_048_576, {0: Blank(None)})


def test_a_large_workbook_streams_each_sheet_once_filled(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Past IN_MEMORY_CELLS every sheet is assembled into XML when it is filled and its cell
    records go: none is left when the workbook closes, and every part is the same as when the
    workbook is assembled at close (the Luoyang example: links, merges, hidden findings sheet)."""
    import xlbudget.render
    from tests.conftest import EXAMPLE_INPUT
    from xlbudget.pipeline import compile_workbook

    left: list[int] = []
    close = xlsxwriter.Workbook.close

    def counting(workbook: xlsxwriter.Workbook) -> None:
        left.extend(len(ws.table) for ws in workbook.worksheets())
        close(workbook)

    normal = tmp_path / "normal.xlsx"
    compile_workbook([EXAMPLE_INPUT], normal, narrative=())
    monkeypatch.setattr(xlbudget.render, "IN_MEMORY_CELLS", 10)
    monkeypatch.setattr(xlsxwriter.Workbook, "close", counting)
    streamed = tmp_path / "streamed.xlsx"
    compile_workbook([EXAMPLE_INPUT], streamed, narrative=())
    assert len(left) > 10 and set(left) == {0}
    with zipfile.ZipFile(normal) as a, zipfile.ZipFile(streamed) as b:
        assert a.namelist() == b.namelist()
        assert [n for n in a.namelist() if a.read(n) != b.read(n)] == []
