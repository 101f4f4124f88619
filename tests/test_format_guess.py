"""A workbook without a recorded format (an earlier template) is read as henan-2022, unless it
fills inputs that only another built-in format reads: then it is XB152 at the first such cell,
naming the likely formats, and nothing is read or written (exit 2). Run as a clerk runs them, on
the real 区府办 2025 workbook with its record removed (功能科目用途 and 已设绩效目标 filled) and on Henan
ones."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl

from tests.conftest import EXAMPLE_INPUT, ROOT
from tests.workbooks import BASE, write_workbook

QUFUBAN = ROOT / "examples" / "shanghai-2025-qufuban" / "input.xlsx"
XB152 = ("项目!F4  [错误 XB152] 工作簿没有记载公开格式，按默认的“henan-2022”读取；但“项目”表的“已设绩效目标”列、"
         "“功能科目用途”表填写了内容，“henan-2022”不读取，它们是 shanghai-department、shanghai-unit 格式的输入")


def xlbudget(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "xlbudget", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=120)


def unstamped(folder: Path) -> Path:
    """The 区府办 workbook as an earlier template left it: no 公开格式 / 模板版本 rows in 基本信息."""
    book = openpyxl.load_workbook(QUFUBAN)
    info = book["基本信息"]
    for row in sorted((c.row for c in info["A"] if c.value in ("公开格式", "模板版本")), reverse=True):
        info.delete_rows(row)
    book.save(folder / "旧模板2025.xlsx")
    return folder / "旧模板2025.xlsx"


def test_a_shanghai_workbook_without_a_record_is_not_compiled_as_henan(tmp_path: Path) -> None:
    old = unstamped(tmp_path)
    done = xlbudget("compile", str(old), "-o", "公开表.xlsx", cwd=tmp_path)
    assert done.returncode == 2
    assert XB152 in done.stderr and "错误 1 个，警告 0 个，提示 0 个" in done.stderr
    assert "--profile 指定格式。确应按“henan-2022”编制时写 --profile henan-2022。" in done.stderr
    assert list(tmp_path.iterdir()) == [old]
    checked = xlbudget("check", str(old), cwd=tmp_path)
    assert checked.returncode == 2 and XB152 in checked.stdout
    carried = xlbudget("template", "--from", str(old), "-o", "2026.xlsx", cwd=tmp_path)
    assert carried.returncode == 2 and XB152 in carried.stderr and not (tmp_path / "2026.xlsx").exists()


def test_a_sheet_of_the_shanghai_format_alone_is_enough(tmp_path: Path) -> None:
    book = openpyxl.load_workbook(unstamped(tmp_path))
    for row in book["项目"].iter_rows(min_row=2, min_col=6, max_col=6):
        row[0].value = None
    book.save(tmp_path / "只填科目用途.xlsx")
    done = xlbudget("check", "只填科目用途.xlsx", cwd=tmp_path)
    assert done.returncode == 2
    assert ("功能科目用途!A2  [错误 XB152] 工作簿没有记载公开格式，按默认的“henan-2022”读取；但“功能科目用途”表填写了"
            "内容") in done.stdout


def test_the_format_named_or_recorded_is_used(tmp_path: Path) -> None:
    old = unstamped(tmp_path)
    named = xlbudget("check", str(old), "--profile", "shanghai-unit", "--format", "json", cwd=tmp_path)
    assert named.returncode == 0 and "XB152" not in named.stdout
    henan = xlbudget("check", str(old), "--profile", "henan-2022", "--format", "json", cwd=tmp_path)
    assert henan.returncode == 0 and "XB152" not in henan.stdout  # the clerk chose it
    book = openpyxl.load_workbook(old)
    book["基本信息"].append(["公开格式", "shanghai-unit"])  # what the hint says to do
    book.save(tmp_path / "记载.xlsx")
    done = xlbudget("compile", "记载.xlsx", "-o", "公开表.xlsx", "--narrative", "none", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "单位“三公”经费和机关运行经费预算表" in openpyxl.load_workbook(tmp_path / "公开表.xlsx", read_only=True).sheetnames


def test_henan_workbooks_without_a_record_compile_as_before(tmp_path: Path) -> None:
    shutil.copy(EXAMPLE_INPUT, tmp_path / "洛阳.xlsx")
    done = xlbudget("compile", "洛阳.xlsx", "-o", "公开表.xlsx", cwd=tmp_path)
    assert done.returncode == 0 and "XB152" not in done.stderr
    # An earlier template's workbook with empty sheets of the Shanghai format, as a clerk may keep them.
    write_workbook(tmp_path / "旧模板.xlsx", {**BASE, "功能科目用途": [["功能分类编码", "主要用途"]],
                                              "项目经费情况说明": [["项目编码", "项目概述"], [None, None]]})
    old = xlbudget("check", "旧模板.xlsx", "--format", "json", cwd=tmp_path)
    assert old.returncode == 0 and "XB15" not in old.stdout


def test_the_bundled_examples_record_their_format(tmp_path: Path) -> None:
    """Each example's input.xlsx is written as its format's template writes it, so it compiles as it
    is, without --profile."""
    done = xlbudget("compile", str(QUFUBAN), "-o", "公开表.xlsx", "--narrative", "none", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "单位“三公”经费和机关运行经费预算表" in openpyxl.load_workbook(tmp_path / "公开表.xlsx", read_only=True).sheetnames
