"""Issue 18 item 10: Excel dates in date keys, batch lines with their warning count, and a 汇总.xlsx
with numbers as numbers, 功能分类 类 with their names and nothing of the output folder's name."""

from __future__ import annotations

import shutil
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest

from tests.conftest import ROOT
from tests.workbooks import NOTES, workbook
from xlbudget.reader import read_budget


@pytest.mark.parametrize("typed", [datetime(2024, 8, 31), 45535, "2024-08-31", "2024/8/31", "2024年8月31日"],
                         ids=["date cell", "serial number", "iso text", "slashes", "as printed"])
def test_a_date_key_reads_as_the_document_prints_it(tmp_path: Path, typed: object) -> None:
    path = workbook(tmp_path, 说明事项=[NOTES, ["主要职能", "测试。"], ["资产统计日期", typed]])
    budget, _ = read_budget(path)
    assert budget.notes["资产统计日期"] == "2024年8月31日"


def batch(source: Path, out: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "xlbudget", "compile", "--batch", str(source), "--out-dir", str(out),
                           "--jobs", "1", "--narrative", "none", "--profile", "shanghai-unit"],
                          capture_output=True, text=True, timeout=300)


def test_batch_lines_and_the_summary(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    shutil.copy(ROOT / "examples" / "shanghai-2025-qufuban" / "input.xlsx", tmp_path / "in" / "区府办.xlsx")
    first, second = batch(tmp_path / "in", tmp_path / "甲"), batch(tmp_path / "in", tmp_path / "乙" / "输出")
    assert first.returncode == second.returncode == 0, first.stdout + first.stderr
    lines = first.stderr.splitlines()
    warnings = sum("区府办" in line and "成功（错误 0 个，警告" in line for line in lines)
    assert warnings == 1, lines
    assert (tmp_path / "甲" / "汇总.xlsx").read_bytes() == (tmp_path / "乙" / "输出" / "汇总.xlsx").read_bytes()
    book = openpyxl.load_workbook(tmp_path / "甲" / "汇总.xlsx")
    rows = list(book["汇总"].iter_rows(values_only=True))
    unit = next(r for r in rows if r[0] == "区府办")
    assert unit[4] == 0 and isinstance(unit[5], int) and unit[5] > 0  # counts are numbers
    assert f"成功（错误 0 个，警告 {unit[5]} 个）" in first.stderr
    assert unit[-1] == "区府办_公开表.xlsx"
    header = next(r for r in book["按功能分类"].iter_rows(values_only=True) if r[0] == "部门")
    assert "201 一般公共服务支出" in header and "221 住房保障支出" in header
