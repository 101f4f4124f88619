"""XB154: a budget workbook given to a 决算 format (or the reverse) is one finding that says so,
not a list of missing sheets and unknown keys (run as a clerk runs the CLI)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl

from tests.conftest import EXAMPLE_INPUT, ROOT

ACCOUNTS_INPUT = ROOT / "examples" / "shanghai-2024-caizhengju-juesuan" / "input.xlsx"


def xlbudget(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "xlbudget", *args], cwd=cwd, capture_output=True, text=True,
                          encoding="utf-8")


def test_a_budget_workbook_checked_as_a_final_account_is_one_finding(tmp_path: Path) -> None:
    shutil.copy(EXAMPLE_INPUT, tmp_path / "2024填报.xlsx")
    done = xlbudget("check", "2024填报.xlsx", "--profile", "juesuan-2024", cwd=tmp_path)
    assert done.returncode == 2, done.stdout + done.stderr
    assert "收入  [错误 XB154] 所选格式“juesuan-2024”编制部门决算，但工作簿是部门预算的填报工作簿" in done.stdout
    assert "XB101" not in done.stdout and "XB112" not in done.stdout
    assert "错误 1 个，警告 0 个，提示 0 个" in done.stdout


def test_an_unrecorded_final_account_compiled_in_a_budget_format_is_one_finding(tmp_path: Path) -> None:
    book = openpyxl.load_workbook(ACCOUNTS_INPUT)
    info = book["基本信息"]
    for row in range(info.max_row, 0, -1):  # an earlier template's workbook: no 公开格式 / 模板版本
        if info.cell(row, 1).value in ("公开格式", "模板版本"):
            info.delete_rows(row)
    book.save(tmp_path / "2024决算.xlsx")
    done = xlbudget("compile", "2024决算.xlsx", "--profile", "henan-2022", "-o", "公开表.xlsx", cwd=tmp_path)
    assert done.returncode == 2, done.stdout + done.stderr
    said = done.stdout + done.stderr  # compile reports on stderr
    assert "[错误 XB154] 所选格式“henan-2022”编制部门预算，但工作簿是部门决算的填报工作簿" in said
    assert "XB101" not in said
    assert not (tmp_path / "公开表.xlsx").exists()
