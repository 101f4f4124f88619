"""The 部门决算 example (上海市普陀区财政局 2024) reproduces every printed figure of its nine tables,
read back from the compiled workbook row by row: each data row as the non-blank cells it prints
(codes, names, labels and amounts with 2 decimals and thousands separators), and the empty-table notes.
Expected rows: tests/data/juesuan_2024_putuo.json, the published document's tables as transcribed.

Where the document contradicts itself xlbudget prints one consistent figure; ``DIFFERENT`` lists those
cells and examples/shanghai-2024-caizhengju-juesuan/NOTES.md says why."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from tests.conftest import ROOT
from xlbudget.pipeline import compile_workbook

DATA = Path(__file__).resolve().parent / "data" / "juesuan_2024_putuo.json"
EXAMPLE = ROOT / "examples" / "shanghai-2024-caizhengju-juesuan"
HEADER_FILL = "F2F2F2"  # header cells are shaded (xlbudget.render)
# (table, printed row) → the row xlbudget prints instead, and why (NOTES.md).
DIFFERENT: dict[tuple[str, int], list[str]] = {
    # 326.71 in both 总表 (a 舍位平衡 adjustment of one table), 326.72 in the detail tables and the
    # narrative (= 84.65 + 160.75 + 80.38 + 0.94): xlbudget prints the one figure everywhere.
    ("收入支出决算总表", 7): ["八、其他收入", "6.20", "八、社会保障和就业支出", "326.72"],
    ("财政拨款收入支出决算总表", 7): ["八、社会保障和就业支出", "326.72", "326.72"],
}


def printed(value: object) -> str:
    if isinstance(value, (int, float)):
        return f"{Decimal(repr(value)):,.2f}"
    return str(value)


def data_rows(ws: Worksheet) -> tuple[list[list[str]], list[str]]:
    """The rows below the shaded header, as their non-blank cells; and the notes (注：…)."""
    row = 3
    while not any(str(ws.cell(row, c).fill.fgColor.rgb).endswith(HEADER_FILL) for c in range(1, ws.max_column + 1)):
        row += 1
    while any(str(ws.cell(row, c).fill.fgColor.rgb).endswith(HEADER_FILL) for c in range(1, ws.max_column + 1)):
        row += 1
    rows, notes = [], []
    for r in range(row, ws.max_row + 1):
        cells = [printed(ws.cell(r, c).value) for c in range(1, ws.max_column + 1) if ws.cell(r, c).value not in (None, "")]
        if cells and cells[0].startswith("注"):
            notes.append(cells[0])
        elif cells:
            rows.append(cells)
    return rows, notes


@pytest.fixture(scope="module")
def compiled(tmp_path_factory: pytest.TempPathFactory) -> tuple[openpyxl.Workbook, dict[str, Any]]:
    output = tmp_path_factory.mktemp("juesuan") / "公开表.xlsx"
    outcome = compile_workbook([EXAMPLE / "input.xlsx"], output, profile="juesuan-2024", narrative=())
    assert outcome.exit_code == 0, outcome.findings
    assert [f for f in outcome.findings if f.severity == "error"] == []
    return openpyxl.load_workbook(output), json.loads(DATA.read_text(encoding="utf-8"))


def tables(expected: dict[str, Any]) -> dict[str, list[list[str]]]:
    return {name: rows for name, rows in expected.items() if not name.startswith("_")}


def test_the_nine_tables_in_published_order(compiled: tuple[openpyxl.Workbook, dict[str, Any]]) -> None:
    workbook, expected = compiled
    assert [n for n in workbook.sheetnames if n not in ("目录", "校验结果")] == list(tables(expected))


def test_every_printed_figure(compiled: tuple[openpyxl.Workbook, dict[str, Any]]) -> None:
    workbook, expected = compiled
    figures = 0
    for name, rows in tables(expected).items():
        wanted = [DIFFERENT.get((name, i), row) for i, row in enumerate(rows)]
        got, _ = data_rows(workbook[name])
        assert got == wanted, name
        figures += sum(1 for row in rows for cell in row if cell[:1].isdigit() and "." in cell)
    assert figures == 195  # every amount the nine tables print (the transcription holds all of them)


def test_titles_and_empty_table_notes(compiled: tuple[openpyxl.Workbook, dict[str, Any]]) -> None:
    workbook, expected = compiled
    for name in tables(expected):
        ws = workbook[name]
        assert ws["A1"].value == name  # the document's titles carry no year
        assert [str(c.value) for c in ws[2] if c.value] == ["编制部门：上海市普陀区财政局", "单位：万元"]
        assert data_rows(ws)[1] == ([expected["_notes"][name]] if name in expected["_notes"] else []), name


def test_the_narrative_key_figures(tmp_path: Path) -> None:
    """The 情况说明's figures as the document prints them (PDF pages 21–24), where it is consistent."""
    outcome = compile_workbook([EXAMPLE / "input.xlsx"], tmp_path / "公开表.xlsx", profile="juesuan-2024",
                               narrative=("md",))
    text = (tmp_path / "公开表_决算说明.md").read_text(encoding="utf-8")
    assert outcome.exit_code == 0
    for printed_text in (
        "收入、支出决算总计2995.39万元。与2023年度相比，收入、支出决算总计减少56.95万元，下降1.87%",
        "本年收入合计2946.25万元，其中：财政拨款收入2940.05万元，占99.79%；其他收入6.20万元，占0.21%",
        "本年支出合计2940.05万元，其中：基本支出2336.91万元，占79.49%；项目支出603.14万元，占20.51%",
        "财政拨款收入支出决算总计2961.68万元",  # the document's "0.3万元" contradicts its own table 四
        "一般公共预算财政拨款支出2940.05万元，占本年支出合计的100.00%。与2023年度相比，一般公共预算财政拨款支出"
        "减少63.14万元，下降2.10%",
        "年初预算为2993.92万元，支出决算为2940.05万元，完成年初预算的98.20%",
        "行政运行（项）。年初预算为1560.05万元，支出决算为1511.89万元",
        "购房补贴（项）。年初预算为258.50万元，支出决算为258.50万元，完成年初预算的100.00%",
        "人员经费2152.26万元",
        "公用经费184.65万元",
        "“三公”经费财政拨款支出年初预算为0.95万元，支出决算为0.00万元",
        "4个项目开展了绩效自评，涉及资金598.42万元",
        "机关运行经费支出184.65万元",
        "单价100万元（含）以上设备2台（套）",
    ):
        assert printed_text in text, printed_text
    # 类 shares as displayed add up to 100 % (the document's 71.73 + 11.11 + 2.07 + 15.16 = 100.07)
    shares = [Decimal(s) for s in ("71.65", "11.11", "2.08", "15.16")]
    assert "一般公共服务支出（类）2106.66万元，占71.65%；社会保障和就业支出（类）326.72万元，占11.11%；" \
           "卫生健康支出（类）60.99万元，占2.08%；住房保障支出（类）445.69万元，占15.16%" in text
    assert sum(shares) == 100
    # 政府采购: the parts as printed, 4.79 + 0 + 246.47 = 251.26 (the document states 251.25)
    assert "政府采购支出总额251.26万元，其中：政府采购货物支出4.79万元、政府采购工程支出0.00万元、政府采购服务支出246.47万元" in text
