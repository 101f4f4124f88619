"""The disclosure workbook: a 目录 sheet, one sheet per table, the findings.

The only module that writes .xlsx output; layout and styles are defined once, below.
xlsxwriter is imported inside ``write_disclosure`` so importing this module stays cheap.
"""

from __future__ import annotations

import math
import re
import tempfile
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from xlbudget.findings import SEVERITY_LABEL, Finding
from xlbudget.layout import HEADER_ROW, INFO_ROW, TITLE_ROW
from xlbudget.money import UNITS, display_scale
from xlbudget.outputs import atomic_write
from xlbudget.tables.base import COUNT, DETAIL, MONEY, TEXT, TOTAL, UNIT, Column, Table

# --- layout and styles: the one place to change how the workbook looks -------------------

WORKBOOK_OPTIONS = {
    "strings_to_formulas": False,  # text is never turned into a formula …
    "strings_to_urls": False,  # … nor a link …
    "strings_to_numbers": False,  # … nor a number (codes keep leading zeros)
    "in_memory": True,  # … assembled in memory, unless the workbook is large:
}
# Past this many table cells each sheet's XML goes to a temporary file as soon as the sheet is
# filled, and its cell records are dropped (xlsxwriter's in-memory mode holds every sheet's XML
# until the zip is written, its file mode every sheet's cell records: 270 / 220 MB for 50,000
# projects).
IN_MEMORY_CELLS = 1_000_000
FIXED_DATE = datetime(2000, 1, 1)  # document dates: same input → byte-identical output
TOC_SHEET = "目录"
FINDINGS_SHEET = "校验结果"
FINDINGS_NOTE = ("另有工作表“{sheet}”（{count} 条）：已隐藏，不打印，也不计入页数；"
                 "右击任一工作表标签，选择“取消隐藏”即可查看。")
FOOTER = "&C第 &P 页，共 &N 页"
MARGINS = {"left": 0.4, "right": 0.4, "top": 0.5, "bottom": 0.6}
TITLE_HEADER_MARGIN, TITLE_HEADER_TOP = 0.45, 0.9  # inches: a title printed as the page header
PAPER_A4 = 9
MONEY_FORMAT = "#,##0.00;-#,##0.00;;@"  # zero shown blank
MONEY_FORMATS = {0: "#,##0;-#,##0;;@", 1: "#,##0.0;-#,##0.0;;@", 2: MONEY_FORMAT}  # by decimals
BOLD_KINDS = (TOTAL, UNIT)
TITLE_HEIGHT, INFO_HEIGHT, MIN_ROW_HEIGHT = 32, 20, 20  # points
DATA_ROW_HEIGHT = 18  # points: one line of 11 pt Chinese text clear of the borders
LINE_HEIGHT = 16  # points per wrapped line of 11 pt text
TITLE_SIZE, TITLE_LINE_HEIGHT = 16, 24  # points
ROW_PADDING = 6  # points
# Column widths from content: text is measured with ``text_width`` (Chinese 2 units), plus a
# tenth for fonts wider than that and 2 units of padding; never below MIN_WIDTH.
TEXT_MARGIN, CELL_PADDING, MIN_WIDTH, MIN_MONEY_WIDTH = 1.1, 2, 6, 10
# Printing: columns are measured as the widest office suite draws them (LibreOffice without
# Calibri: 7 pt a width unit and 4 pt a column; Excel's Calibri is 5.25 pt). A table that fits
# A4 landscape at ≥ FIT_SCALE % is shrunk to the page width; a wider one prints at PRINT_SCALE %
# (11 pt text at 8.25 pt) over several pages, its label columns repeated on each.
POINTS_PER_UNIT, POINTS_PER_COLUMN = 7.0, 4.0
A4_LANDSCAPE_WIDTH = 841.9  # points
FIT_SCALE, PRINT_SCALE = 80, 75  # percent

_BORDER = {"border": 1, "valign": "vcenter"}
STYLES: dict[str, dict[str, Any]] = {
    "title": {"bold": True, "font_size": TITLE_SIZE, "align": "center", "valign": "vcenter", "text_wrap": True},
    "org": {"align": "left", "valign": "vcenter", "text_wrap": True},
    "unit": {"align": "right", "valign": "vcenter"},
    "header": {
        **_BORDER, "bold": True, "align": "center", "text_wrap": True, "bg_color": "#F2F2F2"
    },
    "text": {**_BORDER, "align": "left", "text_wrap": True},
    "code": {**_BORDER, "align": "center"},
    "money": {**_BORDER, "align": "right", "num_format": MONEY_FORMAT},
    "note": {"align": "left", "valign": "top", "text_wrap": True},
    "link": {**_BORDER, "align": "left", "font_color": "blue", "underline": 1},
    "number": {**_BORDER, "align": "center"},
}
TOC_WIDTHS = (8, 40)  # 序号, 表名
FINDING_COLUMNS: tuple[tuple[str, float], ...] = (
    ("规则", 10),
    ("级别", 8),
    ("位置", 24),
    ("说明", 60),
    ("期望", 14),
    ("实际", 14),
    ("差额", 14),
    ("处理建议", 40),
)

_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f\ufffe\uffff]")  # not allowed in XML, or invisible


def write_disclosure(
    tables: Sequence[Table],
    path: Path,
    *,
    findings: Sequence[Finding] = (),
    money_unit_label: str = "万元",
) -> None:
    """Write the disclosure workbook to ``path`` atomically.

    ``money_unit_label`` is both the "单位：…" text and the display unit of the amounts
    (one of ``money.UNITS``); amounts are rounded once, by ``money.display_steps``.
    """
    if money_unit_label not in UNITS:
        raise ValueError(f"不支持的金额单位“{money_unit_label}”，应为 {'、'.join(UNITS)} 之一")
    import xlsxwriter
    from xlsxwriter.exceptions import FileCreateError

    from xlbudget.sheetdata import DataSheet

    def fill(workbook: Any, folder: str | None) -> None:
        """The sheets in order; with a ``folder`` each goes to XML there as soon as it is filled."""
        workbook.set_properties({"created": FIXED_DATE})
        formats = _Formats(workbook)

        def filled(ws: Any) -> None:  # a large workbook's sheet becomes XML once it is filled
            if folder is not None:
                ws.stream(folder)

        toc = workbook.add_worksheet(TOC_SHEET, DataSheet)
        _write_toc(toc, tables, formats, len(findings))
        filled(toc)
        for table in tables:
            ws = workbook.add_worksheet(table.name, DataSheet)
            _write_table(ws, table, formats, table.unit or money_unit_label)
            filled(ws)
        if findings:
            ws = workbook.add_worksheet(FINDINGS_SHEET, DataSheet)
            _write_findings(ws, findings, formats)
            filled(ws)
        try:
            workbook.close()
        except FileCreateError as error:  # xlsxwriter wraps the OSError; unwrap for atomic_write
            raise OSError(str(error)) from error

    def write(target: Path) -> None:
        if sum(len(t.rows) * len(t.columns) for t in tables) < IN_MEMORY_CELLS:
            fill(xlsxwriter.Workbook(str(target), WORKBOOK_OPTIONS), None)
            return
        with tempfile.TemporaryDirectory(prefix="xlbudget-") as folder:  # a large workbook: streamed
            fill(xlsxwriter.Workbook(str(target), {**WORKBOOK_OPTIONS, "in_memory": False, "tmpdir": folder}), folder)

    atomic_write(Path(path), write)


# --- formats ----------------------------------------------------------------------------


class _Formats:
    """The workbook's formats, created once: each style plain and bold."""

    def __init__(self, workbook: Any) -> None:
        self._workbook = workbook
        self._money: dict[tuple[int, bool], Any] = {}
        self._plain = {name: workbook.add_format(style) for name, style in STYLES.items()}
        self._bold = {
            name: workbook.add_format({**style, "bold": True}) for name, style in STYLES.items()
        }

    def __getitem__(self, name: str) -> Any:
        return self._plain[name]

    def row(self, row_kind: str, decimals: int = 2) -> dict[str, Any]:
        """Formats by column kind for a row of this kind (amounts with ``decimals``)."""
        bold = row_kind in BOLD_KINDS
        styles = self._bold if bold else self._plain
        if MONEY_FORMATS[decimals] == STYLES["money"]["num_format"]:
            return styles
        key = (decimals, bold)
        if key not in self._money:  # created on first use: workbooks without them stay the same
            self._money[key] = self._workbook.add_format(
                {**STYLES["money"], "num_format": MONEY_FORMATS[decimals], "bold": bold})
        return styles | {"money": self._money[key]}


# --- text helpers -----------------------------------------------------------------------


def clean(text: str) -> str:
    """Text as written to a cell: control characters other than line breaks removed."""
    return _CONTROL.sub("", text)


def text_width(text: str) -> int:
    """Width in Excel units of the longest line: wide (Chinese) characters count 2."""
    return max((_line_width(line) for line in text.split("\n")), default=0)


@lru_cache(maxsize=4096)
def _line_width(line: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)


@lru_cache(maxsize=4096)
def _lines_needed(text: str, width: float) -> int:
    """Lines ``text`` wraps onto in a cell ``width`` units wide (as ``fit_width`` measures)."""
    usable = max(width - CELL_PADDING, 1)
    return sum(max(1, math.ceil(_line_width(line) * TEXT_MARGIN / usable)) for line in text.split("\n"))


def _merge(ws: Any, first: tuple[int, int], last: tuple[int, int], text: str, fmt: Any) -> None:
    """A (possibly single-cell) range holding literal text."""
    if first != last:
        ws.merge_range(*first, *last, "", fmt)
    _write_text(ws, *first, text, fmt)


def _sheet_link(name: str) -> str:
    return "internal:'{}'!A1".format(name.replace("'", "''"))


def _print_setup(ws: Any, *, landscape: bool = True, widths: Sequence[float] = (), labels: int = 0,
                 breaks: Sequence[int] = ()) -> None:
    """A4, page numbers, shrunk to the page width, or (``widths`` of a table too wide to shrink
    legibly) at PRINT_SCALE over several pages with the first ``labels`` columns repeated, the
    pages broken before the ``breaks`` columns (``page_breaks``)."""
    if landscape:
        ws.set_landscape()
    else:
        ws.set_portrait()
    ws.set_paper(PAPER_A4)
    if print_scale(widths) >= FIT_SCALE:
        ws.fit_to_pages(1, 0)
    else:
        ws.set_print_scale(PRINT_SCALE)
        if labels:
            ws.repeat_columns(0, labels - 1)
        ws.set_v_pagebreaks(list(breaks))
    ws.center_horizontally()
    ws.set_margins(**MARGINS)
    ws.set_footer(FOOTER)


def print_scale(widths: Sequence[float]) -> float:
    """The scale (percent) at which columns of ``widths`` fill the width of A4 landscape."""
    printable = A4_LANDSCAPE_WIDTH - 72 * (MARGINS["left"] + MARGINS["right"])
    drawn = sum(w * POINTS_PER_UNIT + POINTS_PER_COLUMN for w in widths)
    return 100 * printable / drawn if drawn else 100.0


def page_breaks(widths: Sequence[float], labels: int, groups: Sequence[int]) -> list[int]:
    """The columns that start a new page of a table printed at PRINT_SCALE (none when it is
    shrunk to one page wide): each page holds the ``labels`` columns and as many more as fit; a
    header group (``groups``: each column's group's first column) that fits on a page of its own
    is not split."""
    if print_scale(widths) >= FIT_SCALE:
        return []
    printable = (A4_LANDSCAPE_WIDTH - 72 * (MARGINS["left"] + MARGINS["right"])) * 100 / PRINT_SCALE
    room = printable - sum(w * POINTS_PER_UNIT + POINTS_PER_COLUMN for w in widths[:labels])
    drawn = [w * POINTS_PER_UNIT + POINTS_PER_COLUMN for w in widths]
    group_width = {g: sum(d for d, h in zip(drawn, groups, strict=True) if h == g) for g in set(groups)}
    breaks: list[int] = []
    start = labels
    for col in range(labels, len(widths)):
        if sum(drawn[start : col + 1]) > room and col > start:
            whole = start < groups[col] and group_width[groups[col]] <= room
            start = groups[col] if whole else col
            breaks.append(start)
    return breaks


def fit_width(text: str, size: float = 11) -> float:
    """The column width (units) that shows ``text`` at ``size`` points on one line."""
    return text_width(text) * TEXT_MARGIN * size / 11 + CELL_PADDING


# --- 目录 ---------------------------------------------------------------------------------


def _write_toc(ws: Any, tables: Sequence[Table], formats: _Formats, findings: int) -> None:
    widths = (TOC_WIDTHS[0], max([TOC_WIDTHS[1]] + [text_width(t.name) + 4 for t in tables]))
    for col, width in enumerate(widths):
        ws.set_column(col, col, width)
    ws.set_default_row(DATA_ROW_HEIGHT)
    ws.set_row(TITLE_ROW, TITLE_HEIGHT)
    _merge(ws, (TITLE_ROW, 0), (TITLE_ROW, 1), "目录", formats["title"])
    header = TITLE_ROW + 1
    ws.write_string(header, 0, "序号", formats["header"])
    ws.write_string(header, 1, "表名", formats["header"])
    for number, table in enumerate(tables, start=1):
        row = header + number
        ws.write_number(row, 0, number, formats["number"])
        ws.write_url(row, 1, _sheet_link(table.name), formats["link"], string=clean(table.name))
    if findings:
        row = header + len(tables) + 2
        note = FINDINGS_NOTE.format(sheet=FINDINGS_SHEET, count=findings)
        (height,) = _fit_heights([_Span(0, 0, note, sum(widths))], 1, DATA_ROW_HEIGHT)
        ws.set_row(row, height)
        _merge(ws, (row, 0), (row, 1), note, formats["note"])
    ws.freeze_panes(header + 1, 0)
    _print_setup(ws, landscape=False)
    ws.repeat_rows(header)


# --- one table ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _HeaderCell:
    text: str
    first: tuple[int, int]  # (row, col), 0-based
    last: tuple[int, int]


def header_cells(columns: Sequence[Column], top: int = HEADER_ROW) -> list[_HeaderCell]:
    """The header tree as cells: a level's run of columns sharing a path prefix is merged
    across; a path shorter than the deepest one is merged down to the last header row."""
    depth = max(len(c.path) for c in columns)
    cells: list[_HeaderCell] = []
    for level in range(depth):
        col = 0
        while col < len(columns):
            path = columns[col].path
            if len(path) <= level:
                col += 1
                continue
            end = col
            while _same_branch(columns[col], columns[end + 1 : end + 2], level):
                end += 1
            bottom = top + depth - 1 if len(path) == level + 1 and end == col else top + level
            cells.append(_HeaderCell(path[level], (top + level, col), (bottom, end)))
            col = end + 1
    return cells


def _same_branch(column: Column, following: Sequence[Column], level: int) -> bool:
    """Whether the next column continues ``column``'s header group at ``level``."""
    if not following:
        return False
    a, b = column.path, following[0].path
    inner = level + 1 < len(a) and level + 1 < len(b)  # leaves never merge with each other
    return inner and a[: level + 1] == b[: level + 1]


def _write_table(ws: Any, table: Table, formats: _Formats, unit_label: str) -> None:
    columns = table.columns
    if not columns:
        raise ValueError(f"表“{table.name}”没有列")
    for i, row in enumerate(table.rows):
        if len(row.cells) != len(columns):
            raise ValueError(
                f"表“{table.name}”第 {i + 1} 行有 {len(row.cells)} 个单元格，应为 {len(columns)} 个"
            )
    depth = max(len(c.path) for c in columns)
    first_data = HEADER_ROW + depth
    ws.set_default_row(DATA_ROW_HEIGHT)
    widths = _write_rows(ws, table, first_data, formats, unit_label)
    for col, width in enumerate(widths):
        ws.set_column(col, col, width)

    leading = next((i for i, c in enumerate(columns) if c.kind == MONEY), 0)
    groups = [next(i for i, c in enumerate(columns) if c.path[0] == column.path[0]) for column in columns]
    breaks = page_breaks(widths, leading, groups)
    first_page = widths[: breaks[0]] if breaks else widths  # title and 单位名称 on the first page
    _write_title(ws, table.title, first_page, formats)
    _write_info_row(ws, table, first_page, formats, unit_label, leading if breaks else len(first_page))
    cells = header_cells(columns)
    for cell in cells:
        _merge(ws, cell.first, cell.last, cell.text, formats["header"])
    _set_header_heights(ws, cells, widths, depth)
    if table.note:
        _write_note(ws, table, widths, first_data + len(table.rows), formats)

    ws.freeze_panes(first_data, leading)
    _print_setup(ws, widths=widths, labels=leading, breaks=breaks)
    ws.repeat_rows(HEADER_ROW, first_data - 1)
    if breaks:
        _print_title_in_header(ws, table.title, first_data + len(table.rows) - (0 if table.note else 1),
                               len(widths) - 1)


def _write_title(ws: Any, title: str, widths: Sequence[float], formats: _Formats) -> None:
    """The title over the whole table, wrapped onto more lines when the table is narrower."""
    width = sum(widths) * 11 / TITLE_SIZE  # in units of 11 pt text
    lines = _lines_needed(clean(title), width)
    ws.set_row(TITLE_ROW, max(TITLE_HEIGHT, lines * TITLE_LINE_HEIGHT + ROW_PADDING))
    _merge(ws, (TITLE_ROW, 0), (TITLE_ROW, len(widths) - 1), title, formats["title"])


def _print_title_in_header(ws: Any, title: str, last_row: int, last_col: int) -> None:
    """A table printed over several pages repeats its label columns on each: the title, merged
    over the first page's columns, would print cut off at their edge on every other page. It
    prints as the page header instead (centered over the table, whole on each page) and the
    title row only shows on screen."""
    ws.print_area(INFO_ROW, 0, last_row, last_col)
    header = f"&C&{TITLE_SIZE}&B{title.replace('&', '&&')}"  # &B after the size: titles start with digits
    ws.set_header(header, {"scale_with_doc": False, "margin": TITLE_HEADER_MARGIN})
    ws.set_margins(**{**MARGINS, "top": TITLE_HEADER_TOP})


def _write_info_row(ws: Any, table: Table, widths: Sequence[float], formats: _Formats, unit_label: str,
                    org_columns: int) -> None:
    """单位名称 at left over as many columns as its text needs, at most ``org_columns`` (the
    label columns repeated on each page of a split table, where it must print whole), 单位 in
    the last column(s); a longer name wraps."""
    org = f"{table.org_label}：{table.org_name}" if table.org_label else table.org_name
    unit = table.unit_line or f"单位：{unit_label}"
    n = len(widths)
    if n == 1:
        _merge(ws, (INFO_ROW, 0), (INFO_ROW, 0), f"{org}　{unit}", formats["org"])
        _set_info_height(ws, f"{org}　{unit}", widths[0])
        return
    right_first = n - 1
    while right_first > 1 and sum(widths[right_first:]) < fit_width(unit):
        right_first -= 1
    left_last = 0
    while left_last < min(right_first, org_columns) - 1 and sum(widths[: left_last + 1]) < fit_width(org):
        left_last += 1
    _merge(ws, (INFO_ROW, 0), (INFO_ROW, left_last), org, formats["org"])
    _merge(ws, (INFO_ROW, right_first), (INFO_ROW, n - 1), unit, formats["unit"])
    _set_info_height(ws, org, sum(widths[: left_last + 1]))


def _set_info_height(ws: Any, text: str, width: float) -> None:
    (height,) = _fit_heights([_Span(0, 0, clean(text), width)], 1, INFO_HEIGHT)
    ws.set_row(INFO_ROW, height)


def _set_header_heights(ws: Any, cells: Sequence[_HeaderCell], widths: Sequence[float], depth: int) -> None:
    spans = [
        _Span(c.first[0] - HEADER_ROW, c.last[0] - HEADER_ROW, c.text, sum(widths[c.first[1] : c.last[1] + 1]))
        for c in cells
    ]
    for level, height in enumerate(_fit_heights(spans, depth, MIN_ROW_HEIGHT)):
        ws.set_row(HEADER_ROW + level, height)


@dataclass(frozen=True)
class _Span:
    """Wrapped text over rows ``top``…``bottom`` (0-based within a block) and ``width`` units."""

    top: int
    bottom: int
    text: str
    width: float


def _fit_heights(spans: Sequence[_Span], count: int, minimum: float) -> list[float]:
    """Row heights (points) so every span's wrapped text fits: one-row spans set their row,
    taller spans add any shortfall to their last row. Excel and LibreOffice do not refit
    wrapped rows of a generated file, so the heights are written explicitly."""
    heights = [float(minimum)] * count
    for span in spans:
        if span.top == span.bottom:
            heights[span.top] = max(heights[span.top], _needed(span))
    for span in spans:
        shortfall = _needed(span) - sum(heights[span.top : span.bottom + 1])
        if span.top != span.bottom and shortfall > 0:
            heights[span.bottom] += shortfall
    return heights


def _needed(span: _Span) -> float:
    lines = _lines_needed(span.text, span.width)
    return lines * LINE_HEIGHT + ROW_PADDING if lines > 1 else 0.0


def merge_down_runs(table: Table) -> list[tuple[int, int]]:
    """(first, last) row indexes of each run of >1 consecutive rows sharing a non-zero group."""
    runs: list[tuple[int, int]] = []
    start = 0
    for i in range(1, len(table.rows) + 1):
        if i == len(table.rows) or table.rows[i].group != table.rows[start].group:
            if table.rows[start].group and i - 1 > start:
                runs.append((start, i - 1))
            start = i
    return runs


def _write_rows(ws: Any, table: Table, first_data: int, formats: _Formats, unit_label: str) -> list[float]:
    """The data rows, one pass: formats and blank cells resolved once per column, money rounded
    by ``money.display_scale``, each distinct text cleaned and measured once. Returns the column
    widths sized to the content (``column_widths``); rows of wrapped text get their height."""
    from xlbudget.sheetdata import MAX_SHARED, Blank, Number

    ends = list(range(len(table.rows)))  # row index → last row of the merge it starts, or itself
    inside = [False] * len(table.rows)  # rows below the first of a merge (their merged cells: skipped)
    for first, last in merge_down_runs(table):
        ends[first] = last
        inside[first + 1 : last + 1] = [True] * (last - first)
    merged = frozenset(table.merge_down)
    span = table.total_span  # label columns a 合计 row's label is merged across
    kinds = [c.kind for c in table.columns]
    widths = [c.width for c in table.columns]
    needed = [0.0] * len(kinds)  # widest text of each column, or largest amount shown
    by_kind = {bold: [formats.row(kind, table.decimals)[k] for k in kinds]
               for bold, kind in ((False, DETAIL), (True, TOTAL))}
    blanks = {bold: [Blank(fmt) for fmt in fmts] for bold, fmts in by_kind.items()}
    number = display_scale(unit_label, table.decimals)
    texts: dict[str, tuple[str, float]] = {}  # cell text → text as written, width it needs
    wrapped: list[tuple[int, int, str, int]] = []  # (row index, last row index, text, col)
    for i, row in enumerate(table.rows):
        bold = row.kind in BOLD_KINDS
        fmts, blank = by_kind[bold], blanks[bold]
        r = first_data + i
        cells: dict[int, Any] = {}
        for col, value in enumerate(row.cells):
            if row.kind == TOTAL and col < span:  # 合计 across the label columns
                if col:
                    continue
                ws.merge_range(r, 0, r, span - 1, "", fmts[0])
            last = i
            if merged and col in merged:
                if inside[i]:
                    continue
                last = ends[i]
                if last != i:
                    ws.merge_column(r, first_data + last, col, fmts[col])
            if value is None:
                cells[col] = blank[col]
            elif value.__class__ is int and kinds[col] == COUNT:
                cells[col] = Number(value, fmts[col])
                needed[col] = max(needed[col], len(str(value)))
            elif value.__class__ is int and kinds[col] == MONEY:
                shown = number(value) if value else 0  # displayed as zero: blank, as published
                cells[col] = Number(shown, fmts[col]) if shown else blank[col]
                if abs(shown) > needed[col]:  # a comparison, not max(): once per cell of a large table
                    needed[col] = abs(shown)
            else:
                raw = value if value.__class__ is str else str(value)
                known = texts.get(raw)
                if known is None:
                    text = clean(raw)
                    known = texts[raw] = (text, fit_width(text))
                text, need = known
                if need > needed[col]:
                    needed[col] = need
                if not text:
                    cells[col] = blank[col]
                elif len(text) > MAX_SHARED:  # xlsxwriter truncates what Excel cannot hold
                    ws.write_string(r, col, text, fmts[col])
                else:
                    cells[col] = ws.string(text, fmts[col])
                if kinds[col] == TEXT and (last != i or need > widths[col] or "\n" in text):
                    wrapped.append((i, last, text, col))
        ws.put_row(r, cells)
    sized = column_widths(table.columns, needed, table.decimals)
    spans = [_Span(i, last, text, sized[col]) for i, last, text, col in wrapped]
    for i, height in enumerate(_fit_heights(spans, len(table.rows), DATA_ROW_HEIGHT)):
        if height > DATA_ROW_HEIGHT:
            ws.set_row(first_data + i, height)
    return sized


def column_widths(columns: Sequence[Column], needed: Sequence[float], decimals: int = 2) -> list[float]:
    """Columns sized to their content (``needed``: the widest text, or for money the largest
    amount shown): text within the profile's width (longer text wraps), codes and amounts
    whole (they never wrap); headers wrap to the width."""
    widths: list[float] = []
    for column, need in zip(columns, needed, strict=True):
        if column.kind == MONEY:
            widths.append(max(MIN_MONEY_WIDTH, len(f"{-need:,.{decimals}f}") + CELL_PADDING))  # room for a sign
        elif column.kind == TEXT:
            widths.append(max(MIN_WIDTH, min(column.width, need)))
        else:
            widths.append(max(MIN_WIDTH, need))
    return widths


def _write_text(ws: Any, row: int, col: int, text: str, fmt: Any) -> None:
    """Literal text (never a formula or link); an empty text is a blank cell."""
    text = clean(text) if _CONTROL.search(text) else text
    if text:
        ws.write_string(row, col, text, fmt)
    else:
        ws.write_blank(row, col, None, fmt)


def _write_note(ws: Any, table: Table, widths: Sequence[float], row: int, formats: _Formats) -> None:
    width = sum(widths)
    (height,) = _fit_heights([_Span(0, 0, clean(table.note), width)], 1, MIN_ROW_HEIGHT)
    ws.set_row(row, height)
    _merge(ws, (row, 0), (row, len(table.columns) - 1), table.note, formats["note"])


# --- 校验结果 -----------------------------------------------------------------------------


def _write_findings(ws: Any, findings: Sequence[Finding], formats: _Formats) -> None:
    from xlbudget.sheetdata import MAX_SHARED, Blank

    fmt = formats["text"]
    blank = Blank(fmt)
    ws.set_default_row(DATA_ROW_HEIGHT)
    for col, (label, width) in enumerate(FINDING_COLUMNS):
        ws.set_column(col, col, width)
        ws.write_string(0, col, label, formats["header"])
    texts: dict[str, str] = {}  # text → text as written
    for row, finding in enumerate(findings, start=1):
        values = (
            finding.code,
            SEVERITY_LABEL.get(finding.severity, finding.severity),
            str(finding.where),
            finding.message,
            finding.expected,
            finding.actual,
            finding.difference,
            finding.hint,
        )
        cells: dict[int, Any] = {}
        height = float(DATA_ROW_HEIGHT)
        for col, value in enumerate(values):
            text = texts.get(value)
            if text is None:
                text = texts[value] = clean(value)
            if not text:
                cells[col] = blank
            elif len(text) > MAX_SHARED:
                ws.write_string(row, col, text, fmt)
            else:
                cells[col] = ws.string(text, fmt)
            height = max(height, _needed(_Span(0, 0, text, FINDING_COLUMNS[col][1])))
        ws.put_row(row, cells)
        if height > DATA_ROW_HEIGHT:
            ws.set_row(row, height)
    ws.autofilter(0, 0, len(findings), len(FINDING_COLUMNS) - 1)
    ws.freeze_panes(1, 0)
    _print_setup(ws)
    ws.repeat_rows(0)
    ws.hide()  # for the clerk on screen, not for the printed, paginated tables
