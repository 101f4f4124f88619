"""The two Shanghai examples reproduce every printed figure of their nine tables, read back from
the compiled workbook cell by cell: sheet names, titles, the 编制部门/编制单位 and 单位 lines, the
header trees, every row (by 类/款/项 code and name, or by label) and every amount as printed
(blank when zero), and the empty-table notes. Expected figures: tests/data/shanghai_2025_*.json,
transcribed from the published documents (see each example's source/NOTES.md)."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner
from openpyxl.worksheet.worksheet import Worksheet

from tests.conftest import ROOT, example_profile
from xlbudget.cli import main
from xlbudget.pipeline import compile_workbook

DATA = Path(__file__).resolve().parent / "data"
EXAMPLES = {"shanghai-2025-shangwuwei": "shanghai_2025_shangwuwei.json",
            "shanghai-2025-qufuban": "shanghai_2025_qufuban.json"}
LABEL_LEAVES = {"项目", "类", "款", "项", "功能分类科目名称", "经济分类科目名称", "部门经济分类科目名称"}
FIRST_HEADER_ROW = 3  # 1-based: title, then the 编制 line, then the header
HEADER_FILL = "F2F2F2"  # header cells are shaded (xlbudget.render.STYLES)


@pytest.fixture(scope="module", params=sorted(EXAMPLES))
def compiled(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
             ) -> tuple[openpyxl.Workbook, dict[str, Any]]:
    example = ROOT / "examples" / request.param
    output = tmp_path_factory.mktemp(request.param) / "公开表.xlsx"
    outcome = compile_workbook([example / "input.xlsx"], output, profile=example_profile(example),
                               narrative=())
    assert outcome.exit_code == 0, outcome.findings
    assert [f for f in outcome.findings if f.severity == "error" or f.code.startswith("XB3")] == []  # XB3xx: tables
    expected = json.loads((DATA / EXAMPLES[request.param]).read_text(encoding="utf-8"))
    return openpyxl.load_workbook(output), expected


def tables(expected: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {name: t for name, t in expected.items() if not name.startswith("_")}


def sheet(table: dict[str, Any]) -> str:
    """The sheet of a transcribed table: its title without the year, 预算单位… as 单位…."""
    return str(table["title"]).removeprefix("2025年").removeprefix("预算")


def cell_text(ws: Worksheet, row: int, col: int) -> str:
    """A cell's text, or the text of the merged range it lies in."""
    for merged in ws.merged_cells.ranges:
        if (row, col) in merged.cells:  # type: ignore[operator]
            row, col = merged.min_row, merged.min_col
            break
    value = ws.cell(row, col).value
    return "" if value is None else str(value)


def header_paths(ws: Worksheet, width: int) -> tuple[list[str], int]:
    """Each column's header path joined by "/" (a merged cell counted once), and the first data row."""
    row = FIRST_HEADER_ROW
    while any(str(ws.cell(row, c).fill.fgColor.rgb).endswith(HEADER_FILL) for c in range(1, width + 1)):
        row += 1
    paths = []
    for col in range(1, width + 1):
        path: list[str] = []
        for r in range(FIRST_HEADER_ROW, row):
            text = cell_text(ws, r, col)
            if not path or path[-1] != text:
                path.append(text)
        paths.append("/".join(path))
    return paths, row


def shown(value: object) -> str | None:
    """A money cell as printed: 2 decimals with thousands separators, blank for none."""
    if value is None:
        return None
    number = Decimal(repr(value)) if isinstance(value, float) else Decimal(str(value))
    return f"{number:,.2f}"


def printed_rows(ws: Worksheet, columns: list[str], first: int) -> dict[str, dict[str, str | None]]:
    """Row key → column → printed amount, keyed as the transcription keys them."""
    sides: dict[str, list[int]] = {}
    for i, path in enumerate(columns):
        sides.setdefault(path.split("/")[0], []).append(i)
    two_sided = [idx for idx in sides.values()
                 if any(columns[i].split("/")[-1] == "项目" for i in idx) and len(idx) > 1]
    out: dict[str, dict[str, str | None]] = {}
    for r in range(first, ws.max_row + 1):
        values = [ws.cell(r, c + 1).value for c in range(len(columns))]
        if str(values[0] or "").startswith("注"):
            break  # the note under the table
        if len(two_sided) > 1:
            for idx in two_sided:
                label = next(i for i in idx if columns[i].split("/")[-1] == "项目")
                if values[label]:
                    out[str(values[label])] = {columns[i]: shown(values[i]) for i in idx if i != label}
            continue
        labels = [i for i, p in enumerate(columns) if p.split("/")[-1] in LABEL_LEAVES]
        if not labels:
            key = "预算数"
        elif values[0] == "合计":
            key = "合计"
        else:
            key = " ".join([str(values[i]) for i in labels[:-1] if values[i]] + [str(values[labels[-1]])])
        assert key not in out, f"{ws.title}: row {key} twice"
        out[key] = {columns[i]: shown(values[i]) for i in range(len(columns)) if i not in labels}
    return out


def test_sheets_are_the_nine_tables_in_published_order(
        compiled: tuple[openpyxl.Workbook, dict[str, Any]]) -> None:
    workbook, expected = compiled
    # sheet = printed title without the year (and without 预算 of 预算单位: 单位财务收支预算总表)
    assert [n for n in workbook.sheetnames if n not in ("目录", "校验结果")] == [
        sheet(t) for t in tables(expected).values()]


def test_titles_lines_and_notes(compiled: tuple[openpyxl.Workbook, dict[str, Any]]) -> None:
    workbook, expected = compiled
    for name, table in tables(expected).items():
        ws = workbook[sheet(table)]
        lines = [str(c.value) for c in ws[2] if c.value]
        assert (ws["A1"].value, lines) == (table["title"], [table["org"], table["unit"]]), name
        notes = [str(ws.cell(r, 1).value) for r in range(4, ws.max_row + 1)
                 if str(ws.cell(r, 1).value or "").startswith("注")]
        assert notes == ([table["note"]] if "note" in table else []), name


def test_every_printed_figure(compiled: tuple[openpyxl.Workbook, dict[str, Any]]) -> None:
    workbook, expected = compiled
    checked = 0
    for name, table in tables(expected).items():
        ws = workbook[sheet(table)]
        columns, first = header_paths(ws, len(table["columns"]))
        assert columns == table["columns"], name
        assert ws.max_column == len(columns), name
        rows = printed_rows(ws, columns, first)
        assert list(rows) == list(table["rows"]), name  # the same rows in the printed order
        for key, values in table["rows"].items():
            assert rows[key] == values, (name, key)
            checked += len(values)
    assert checked > 300


def test_total_label_spans_the_code_and_name_columns(compiled: tuple[openpyxl.Workbook, dict[str, Any]]) -> None:
    """合计 is written across the merged 类:款:项:名称 cells, as published."""
    workbook, expected = compiled
    for name, table in tables(expected).items():
        labels = [c for c in table["columns"] if c.split("/")[-1] in LABEL_LEAVES]
        if "合计" not in table["rows"] or len(labels) < 2 or "/项目" in "".join(labels):
            continue
        ws = workbook[sheet(table)]
        row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "合计")
        assert f"A{row}:{chr(ord('A') + len(labels) - 1)}{row}" in {str(m) for m in ws.merged_cells.ranges}, name


@pytest.mark.parametrize(("profile", "unit"), [("shanghai-unit", "元"), ("shanghai-department", "元"),
                                               ("henan-2022", "万元")])
def test_template_for_a_profile_is_in_its_money_unit(tmp_path: Path, profile: str, unit: str) -> None:
    done = CliRunner().invoke(main, ["template", "-o", str(tmp_path / "模板.xlsx"), "--year", "2026",
                                     "--profile", profile])
    assert done.exit_code == 0, done.output
    info = openpyxl.load_workbook(tmp_path / "模板.xlsx")["基本信息"]
    assert {row[0]: row[1] for row in info.iter_rows(values_only=True)}["金额单位"] == unit


def test_template_for_an_unknown_profile_is_refused(tmp_path: Path) -> None:
    done = CliRunner().invoke(main, ["template", "-o", str(tmp_path / "模板.xlsx"), "--profile", "shanghai"])
    assert (done.exit_code, (tmp_path / "模板.xlsx").exists()) == (2, False)
    assert "shanghai" in done.output
