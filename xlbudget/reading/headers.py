"""Finding each template sheet and its header row by header text (never by position), what the
grid does not show (hidden rows, formulas without values, error values, merged cells), the data
rows, and copies of template sheets or other sheets holding numbers."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from xlbudget import contract, safety
from xlbudget.findings import INFO, column_letter
from xlbudget.money import normalize_text
from xlbudget.reading.cells import canonical, cell_text, filled
from xlbudget.reading.rules import (
    DUPLICATE_HEADER,
    ERROR_VALUE,
    HIDDEN_DATA,
    MERGED_CELLS,
    MISSING_COLUMNS,
    MISSING_SHEET,
    OTHER_SHEET,
    OUTSIDE_COLUMNS,
    SHEET_COPY,
    UNCACHED_FORMULA,
)
from xlbudget.reading.session import NAME_COLUMNS, Session, SheetRows
from xlbudget.reading.workbook import ALL_SHEETS, COPY_SUFFIX, Grid

HEADER_SCAN_ROWS = 30  # the header row may sit below a title row or two


def header_row(grid: Grid, spec: contract.Sheet) -> tuple[int, dict[str, list[int]]]:
    """The header row (0-based; the first rows holding most of the sheet's headers) and the
    columns of each header found in it (more than one when a header is duplicated)."""
    wanted = [c.header for c in spec.columns]
    wanted += [extra for extra, (code, _) in NAME_COLUMNS.items() if code in wanted]
    best_row, best = 0, dict[str, list[int]]()
    for index, row in enumerate(grid[:HEADER_SCAN_ROWS]):
        found = match_headers(row, wanted)
        if len(found) > len(best):
            best_row, best = index, found
    return best_row, best


def match_headers(row: Sequence[object], wanted: Sequence[str]) -> dict[str, list[int]]:
    found: dict[str, list[int]] = {}
    for index, value in enumerate(row):
        header = canonical(cell_text(value), wanted)
        if header:
            found.setdefault(header, []).append(index)
    return found


def locate(session: Session, spec: contract.Sheet) -> SheetRows | None:
    """Find the sheet and its header row; report a missing sheet or missing columns."""
    name = next((n for n in session.raw if canonical(n, [spec.name])), None)
    if name is None:
        if spec.required:
            names = "、".join(session.book.names) or "（无）"
            session.report(MISSING_SHEET, f"缺少工作表“{spec.name}”。文件中的工作表：{names}",
                           session.where(spec.name), f"请使用 xlbudget template 生成的模板，保留工作表“{spec.name}”。")
        return None
    grid = session.raw[name]
    best_row, found = header_row(grid, spec)
    best = {header: columns[0] for header, columns in found.items()}
    for header, columns in found.items():
        if len(columns) > 1:
            cells = "、".join(f"{column_letter(c)}{best_row + 1}" for c in columns)
            session.report(DUPLICATE_HEADER, f"工作表“{spec.name}”的表头“{header}”出现了 {len(columns)} 次（{cells}），"
                           "无法确定应读取哪一列", session.where(spec.name, best_row + 1, column_letter(columns[1])),
                           f"删除多余的列，或把它的表头改为其他文字，只保留一列“{header}”。")
    missing = [c.header for c in spec.columns if c.required and c.header not in best]
    if missing:
        session.report(MISSING_COLUMNS, f"工作表“{spec.name}”缺少列：{'、'.join(missing)}",
                       session.where(spec.name, best_row + 1 if best else 0),
                       "表头文字须与模板一致（可调整列序、可增加列）。")
        return None
    located = SheetRows(spec.name, best)
    for index in range(best_row + 1, len(grid)):
        located.rows.append((index + 1, grid[index]))
    note_unseen(session, located, name, best_row)
    return located


def note_unseen(session: Session, located: SheetRows, name: str, header: int) -> None:
    """Report what the grid does not show: a hidden sheet or hidden rows (read anyway),
    formulas without a cached value and error values (their cells are then not reported
    as blank again), and merged cells."""
    facts = session.book.facts.get(name, safety.SheetFacts())
    if name in session.book.hidden:
        session.report(HIDDEN_DATA, f"工作表“{located.name}”是隐藏的工作表，已照常读取",
                       session.where(located.name), "如其中的数据不应使用，请删除这些行。")
    nonblank = {number for number, row in located.rows if any(map(filled, row))} if facts.hidden_rows else set()
    hidden = [row for row in facts.hidden_rows if row in nonblank]
    if hidden:
        rows = "、".join(map(str, hidden[:20])) + ("等" if len(hidden) > 20 else "")
        session.report(HIDDEN_DATA, f"工作表“{located.name}”第{rows}行是隐藏行，已照常读取",
                       session.where(located.name, hidden[0]), "如其中的数据不应使用，请删除这些行。")
    for row, column in facts.uncached:
        located.flagged.add((row, column))
        session.report(UNCACHED_FORMULA, "单元格是公式，但文件中没有保存它的计算结果，无法读取",
                       session.where(located.name, row, column_letter(column)),
                       "用 Excel 或 WPS 打开此文件、保存一次后再试（由程序填写、从未在 Excel/WPS 中打开过的"
                       "文件没有计算结果）。")
    for row, column, value in facts.errors:
        located.flagged.add((row, column))
        session.report(ERROR_VALUE, f"单元格的值是错误值 {value}", session.where(located.name, row, column_letter(column)),
                       "修正公式，或直接填写数值。", actual=value)
    for first, last in session.book.merged.get(name, ()):
        if last[0] > header:
            merged(session, located, session.raw[name], first, last, header)


def merged(session: Session, located: SheetRows, grid: Grid, first: tuple[int, int],
           last: tuple[int, int], header: int) -> None:
    """A merged range below the header: a code or text cell merged down is used in every
    row it covers (info); any other merge keeps its value in the top-left cell (warning)."""
    columns = {index: name for name, index in located.columns.items()}
    top = grid[first[0]] if first[0] < len(grid) else []
    value = top[first[1]] if first[1] < len(top) else None
    if not cell_text(value) or not any(column in columns for column in range(first[1], last[1] + 1)):
        return  # an empty merge (formatting only), or outside the template's columns
    area = f"{column_letter(first[1])}{first[0] + 1}:{column_letter(last[1])}{last[0] + 1}"
    where = session.where(located.name, first[0] + 1, column_letter(first[1]))
    spec = session.contract.sheet(located.name)
    header_name = columns.get(first[1], "")
    kind = spec.column(header_name).kind if header_name in {c.header for c in spec.columns} else ""
    if first[1] == last[1] and first[0] > header and kind in ("code", "choice", "text"):
        for row in grid[first[0] + 1:last[0] + 1]:
            row.extend([""] * (first[1] + 1 - len(row)))
            row[first[1]] = value
        session.report(MERGED_CELLS, f"合并单元格 {area}：已把“{cell_text(value)}”用于其中每一行", where,
                       "合并单元格在排序、筛选时容易出错，建议取消合并、逐行填写。", severity=INFO)
    else:
        session.report(MERGED_CELLS, f"合并单元格 {area} 的值只计入左上角的单元格，其余单元格按空白读取",
                       where, "取消合并，在每一行（每一列）分别填写。")


def data_rows(session: Session, located: SheetRows) -> Iterator[tuple[int, dict[str, object]]]:
    """Non-empty rows as header → value; a row with data only in other columns is reported."""
    headers, indices = tuple(located.columns), tuple(located.columns.values())
    width = max(indices) + 1
    unit = located.columns.get("单位编码")
    for number, row in located.rows:
        if len(row) < width:  # calamine's rows are all as wide as the sheet; merged() may widen some
            row = row + [None] * (width - len(row))
        cells = [row[i] for i in indices]
        session.row_unit = session.listed_code("单位编码", row[unit]) if unit is not None else ""
        if any(map(filled, cells)):
            yield number, dict(zip(headers, cells, strict=True))
        elif any(map(filled, row)):
            session.report(OUTSIDE_COLUMNS, f"第{number}行只在模板以外的列中有内容，未读取",
                           session.where(located.name, number), "如为预算数据，请填入模板列。")
    session.row_unit = ""


def report_other_sheets(session: Session) -> None:
    """Rows in a copy of a template sheet are an error, not read: read with their sheet they
    could count money twice (a backup or an earlier version), left out it would vanish. Numbers
    in any other sheet are a warning."""
    hint = "只读取模板中的工作表；如其中有预算数据，请填入对应的模板工作表。"
    for name, (base, grid) in session.book.copies.items():
        header, found = header_row(grid, ALL_SHEETS[base])
        rows = sum(1 for row in grid[header + 1 if found else 0:] if any(cell_text(v) for v in row))
        if rows and len(found) < 2 and not COPY_SUFFIX.match(normalize_text(name)[len(normalize_text(base)):]):
            # the clerk's own sheet that merely starts like a template sheet (项目库, 收入测算):
            # neither a copy's name nor a copy's headers (two or more of the template's)
            session.report(OTHER_SHEET, f"工作表“{name}”不是模板中的工作表，其中的数字未读取", session.where(name), hint)
        elif rows and any(canonical(n, [base]) for n in session.raw):
            session.report(SHEET_COPY, f"工作表“{name}”像是“{base}”的副本或续表，其中 {rows} 行数据未读取",
                           session.where(name), f"如这些行是预算数据，请移到“{base}”表中；如是备份或草稿，"
                           "请删除该工作表（或另存到其他文件）。", actual=f"{rows} 行")
        elif rows:
            session.report(SHEET_COPY, f"工作表“{name}”像是改了名的“{base}”，其中 {rows} 行数据未读取",
                           session.where(name), f"把工作表名改回“{base}”。", actual=f"{rows} 行")
    for name in session.book.numbers:
        session.report(OTHER_SHEET, f"工作表“{name}”不是模板中的工作表，其中的数字未读取", session.where(name), hint)
    for name in session.book.unseen:
        session.report(OTHER_SHEET, f"工作表“{name}”不是模板中的工作表，数据区域过大或无法读取，未读取", session.where(name), hint)
