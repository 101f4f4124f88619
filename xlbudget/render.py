"""The disclosure workbook (DESIGN §4): a 目录 sheet, one sheet per table, the findings.

The only module that writes .xlsx output; layout and styles are defined once, below.
xlsxwriter is imported inside ``write_disclosure`` so importing this module stays cheap.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from xlbudget.findings import SEVERITY_LABEL, Finding
from xlbudget.layout import HEADER_ROW, INFO_ROW, TITLE_ROW
from xlbudget.money import UNITS, display_number
from xlbudget.outputs import atomic_write
from xlbudget.tables.base import MONEY, TEXT, TOTAL, UNIT, Column, Table

# --- layout and styles: the one place to change how the workbook looks -------------------

WORKBOOK_OPTIONS = {
    "strings_to_formulas": False,  # text is never turned into a formula …
    "strings_to_urls": False,  # … nor a link …
    "strings_to_numbers": False,  # … nor a number (codes keep leading zeros)
    "in_memory": True,
}
FIXED_DATE = datetime(2000, 1, 1)  # document dates: same input → byte-identical output
TOC_SHEET = "目录"
FINDINGS_SHEET = "校验结果"
FOOTER = "&C第 &P 页，共 &N 页"
MARGINS = {"left": 0.4, "right": 0.4, "top": 0.5, "bottom": 0.6}
PAPER_A4 = 9
MONEY_FORMAT = "#,##0.00;-#,##0.00;;@"  # zero shown blank
MONEY_FORMATS = {0: "#,##0;-#,##0;;@", 1: "#,##0.0;-#,##0.0;;@", 2: MONEY_FORMAT}  # by decimals
BOLD_KINDS = (TOTAL, UNIT)
TITLE_HEIGHT, INFO_HEIGHT, MIN_ROW_HEIGHT = 32, 20, 20  # points
DATA_ROW_HEIGHT = 15  # points: Excel's default row height
LINE_HEIGHT = 15  # points per wrapped line of 11 pt text
ROW_PADDING = 6  # points

_BORDER = {"border": 1, "valign": "vcenter"}
STYLES: dict[str, dict[str, Any]] = {
    "title": {"bold": True, "font_size": 16, "align": "center", "valign": "vcenter"},
    "org": {"align": "left", "valign": "vcenter"},
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

    def write(target: Path) -> None:
        workbook = xlsxwriter.Workbook(str(target), WORKBOOK_OPTIONS)
        workbook.set_properties({"created": FIXED_DATE})
        formats = _Formats(workbook)
        _write_toc(workbook.add_worksheet(TOC_SHEET), tables, formats)
        for table in tables:
            _write_table(workbook.add_worksheet(table.name), table, formats, table.unit or money_unit_label)
        if findings:
            _write_findings(workbook.add_worksheet(FINDINGS_SHEET), findings, formats)
        try:
            workbook.close()
        except FileCreateError as error:  # xlsxwriter wraps the OSError; unwrap for atomic_write
            raise OSError(str(error)) from error

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


def _line_width(line: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)


def _lines_needed(text: str, width: float) -> int:
    usable = max(width - 1, 1)
    return sum(max(1, math.ceil(_line_width(line) / usable)) for line in text.split("\n"))


def _merge(ws: Any, first: tuple[int, int], last: tuple[int, int], text: str, fmt: Any) -> None:
    """A (possibly single-cell) range holding literal text."""
    if first != last:
        ws.merge_range(*first, *last, "", fmt)
    _write_text(ws, *first, text, fmt)


def _sheet_link(name: str) -> str:
    return "internal:'{}'!A1".format(name.replace("'", "''"))


def _print_setup(ws: Any, *, landscape: bool = True) -> None:
    if landscape:
        ws.set_landscape()
    else:
        ws.set_portrait()
    ws.set_paper(PAPER_A4)
    ws.fit_to_pages(1, 0)
    ws.center_horizontally()
    ws.set_margins(**MARGINS)
    ws.set_footer(FOOTER)


# --- 目录 ---------------------------------------------------------------------------------


def _write_toc(ws: Any, tables: Sequence[Table], formats: _Formats) -> None:
    widths = (TOC_WIDTHS[0], max([TOC_WIDTHS[1]] + [text_width(t.name) + 4 for t in tables]))
    for col, width in enumerate(widths):
        ws.set_column(col, col, width)
    ws.set_row(TITLE_ROW, TITLE_HEIGHT)
    _merge(ws, (TITLE_ROW, 0), (TITLE_ROW, 1), "目录", formats["title"])
    header = TITLE_ROW + 1
    ws.write_string(header, 0, "序号", formats["header"])
    ws.write_string(header, 1, "表名", formats["header"])
    for number, table in enumerate(tables, start=1):
        row = header + number
        ws.write_number(row, 0, number, formats["number"])
        ws.write_url(row, 1, _sheet_link(table.name), formats["link"], string=clean(table.name))
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
    last_col = len(columns) - 1
    for col, column in enumerate(columns):
        ws.set_column(col, col, column.width)

    ws.set_row(TITLE_ROW, TITLE_HEIGHT)
    _merge(ws, (TITLE_ROW, 0), (TITLE_ROW, last_col), table.title, formats["title"])
    _write_info_row(ws, table, formats, unit_label)

    depth = max(len(c.path) for c in columns)
    cells = header_cells(columns)
    for cell in cells:
        _merge(ws, cell.first, cell.last, cell.text, formats["header"])
    _set_header_heights(ws, cells, columns, depth)

    first_data = HEADER_ROW + depth
    _write_rows(ws, table, first_data, formats, unit_label)
    if table.note:
        _write_note(ws, table, first_data + len(table.rows), formats)

    leading = next((i for i, c in enumerate(columns) if c.kind == MONEY), 0)
    ws.freeze_panes(first_data, leading)
    _print_setup(ws)
    ws.repeat_rows(HEADER_ROW, first_data - 1)


def _write_info_row(ws: Any, table: Table, formats: _Formats, unit_label: str) -> None:
    """单位名称 at left (about half the columns, more when they are too narrow for it), 单位 at
    right (the last two columns)."""
    org = f"{table.org_label}：{table.org_name}" if table.org_label else table.org_name
    unit = table.unit_line or f"单位：{unit_label}"
    n = len(table.columns)
    ws.set_row(INFO_ROW, INFO_HEIGHT)
    if n == 1:
        _write_text(ws, INFO_ROW, 0, f"{org}　{unit}", formats["org"])
        return
    right_first = max(n - 2, 1)
    left_last = max(n // 2, 1) - 1 if n > 3 else right_first - 1
    while left_last < right_first - 1 and sum(c.width for c in table.columns[:left_last + 1]) < text_width(org):
        left_last += 1  # narrow code columns at left: widen the merge so the line is not cut
    _merge(ws, (INFO_ROW, 0), (INFO_ROW, left_last), org, formats["org"])
    _merge(ws, (INFO_ROW, right_first), (INFO_ROW, n - 1), unit, formats["unit"])


def _set_header_heights(
    ws: Any, cells: Sequence[_HeaderCell], columns: Sequence[Column], depth: int
) -> None:
    spans = [
        _Span(c.first[0] - HEADER_ROW, c.last[0] - HEADER_ROW, c.text, _width(columns, c))
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


def _width(columns: Sequence[Column], cell: _HeaderCell) -> float:
    return sum(c.width for c in columns[cell.first[1] : cell.last[1] + 1])


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


def _write_rows(ws: Any, table: Table, first_data: int, formats: _Formats, unit_label: str) -> None:
    anchors: dict[tuple[int, int], int] = {}  # (row index, col) → last row index of the merge
    covered: set[tuple[int, int]] = set()
    if table.merge_down:
        for first, last in merge_down_runs(table):
            for col in table.merge_down:
                anchors[(first, col)] = last
                covered.update((i, col) for i in range(first + 1, last + 1))
    kinds = [c.kind for c in table.columns]
    widths = [c.width for c in table.columns]
    spans: list[_Span] = []
    for i, row in enumerate(table.rows):
        if len(row.cells) != len(kinds):
            raise ValueError(f"{table.name}: row {i} has {len(row.cells)} cells for {len(kinds)} columns")
        styles = formats.row(row.kind, table.decimals)
        r = first_data + i
        for col, value in enumerate(row.cells):
            if covered and (i, col) in covered:
                continue
            if row.kind == TOTAL and col < table.total_span:  # 合计 across the label columns
                if col:
                    continue
                ws.merge_range(r, 0, r, table.total_span - 1, "", styles[kinds[0]])
            kind, fmt = kinds[col], styles[kinds[col]]
            last = anchors.get((i, col), i) if anchors else i
            if last != i:
                ws.merge_range(r, col, first_data + last, col, "", fmt)
            if value is None:
                ws.write_blank(r, col, None, fmt)
            elif kind == MONEY and type(value) is int:
                number = display_number(value, unit_label, table.decimals)
                if number:
                    ws.write_number(r, col, number, fmt)
                else:  # a figure that displays as zero is a blank cell, as in the published tables
                    ws.write_blank(r, col, None, fmt)
            else:
                text = clean(str(value))
                _write_text(ws, r, col, text, fmt)
                if kind == TEXT and (last != i or 2 * len(text) > widths[col] - 1 or "\n" in text):
                    spans.append(_Span(i, last, text, widths[col]))
    for i, height in enumerate(_fit_heights(spans, len(table.rows), DATA_ROW_HEIGHT)):
        if height > DATA_ROW_HEIGHT:
            ws.set_row(first_data + i, height)


def _write_text(ws: Any, row: int, col: int, text: str, fmt: Any) -> None:
    """Literal text (never a formula or link); an empty text is a blank cell."""
    text = clean(text) if _CONTROL.search(text) else text
    if text:
        ws.write_string(row, col, text, fmt)
    else:
        ws.write_blank(row, col, None, fmt)


def _write_note(ws: Any, table: Table, row: int, formats: _Formats) -> None:
    width = sum(c.width for c in table.columns)
    (height,) = _fit_heights([_Span(0, 0, clean(table.note), width)], 1, MIN_ROW_HEIGHT)
    ws.set_row(row, height)
    _merge(ws, (row, 0), (row, len(table.columns) - 1), table.note, formats["note"])


# --- 校验结果 -----------------------------------------------------------------------------


def _write_findings(ws: Any, findings: Sequence[Finding], formats: _Formats) -> None:
    for col, (label, width) in enumerate(FINDING_COLUMNS):
        ws.set_column(col, col, width)
        ws.write_string(0, col, label, formats["header"])
    spans: list[_Span] = []
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
        for col, value in enumerate(values):
            _write_text(ws, row, col, value, formats["text"])
            spans.append(_Span(row - 1, row - 1, clean(value), FINDING_COLUMNS[col][1]))
    for i, height in enumerate(_fit_heights(spans, len(findings), DATA_ROW_HEIGHT)):
        if height > DATA_ROW_HEIGHT:
            ws.set_row(i + 1, height)
    ws.autofilter(0, 0, len(findings), len(FINDING_COLUMNS) - 1)
    ws.freeze_panes(1, 0)
    _print_setup(ws)
    ws.repeat_rows(0)
