"""Last year's workbook in a Shanghai format, as a clerk uses it: ``compile --prior`` and
``template --from`` read its figures as published and compare or carry the 上年数 its 预算说明
declares ([narrative.prior]). Real processes on the 区府办 2025 example workbook; the expected
figures are those printed in its published document (tests/data/shanghai_2025_qufuban.json)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from tests.conftest import ROOT

QUFUBAN = ROOT / "examples" / "shanghai-2025-qufuban" / "input.xlsx"

# The 2025 document: 财政拨款收支预算总表 (元) and 三公 table (867.50 / 839.00 / 28.50 万元, no vehicles).
PUBLISHED_2025 = {
    "财政拨款收入": Decimal("91016775.35"), "财政拨款支出": Decimal("91016775.35"),
    "一般公共预算支出": Decimal("91016775.35"), "政府性基金预算支出": Decimal(0), "国有资本经营预算支出": Decimal(0),
    "三公经费": Decimal("8675000.00"), "因公出国（境）费": Decimal("8390000.00"), "公务用车购置费": Decimal(0),
    "公务用车运行维护费": Decimal(0), "公务接待费": Decimal("285000.00"),
}


def xlbudget(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "xlbudget", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=120)


@pytest.fixture
def stamped(tmp_path: Path) -> Path:
    """The 区府办 2025 workbook as a clerk has it from a shanghai-unit template: 基本信息 ends with
    the template's 公开格式 and 模板版本 rows."""
    shutil.copy(QUFUBAN, tmp_path / "2025.xlsx")  # the example is written from that template, stamp included
    return tmp_path / "2025.xlsx"


def test_template_from_a_shanghai_workbook_carries_its_published_figures(stamped: Path, tmp_path: Path) -> None:
    done = xlbudget("template", "--from", str(stamped), "-o", "2026.xlsx", cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    book = openpyxl.load_workbook(tmp_path / "2026.xlsx")
    info = dict(book["基本信息"].iter_rows(min_row=2, max_col=2, values_only=True))
    assert (info["预算年度"], info["金额单位"], info["公开格式"]) == (2026, "元", "shanghai-unit")
    prior = {key: Decimal(str(value)) for key, value in book["上年数"].iter_rows(min_row=2, values_only=True)
             if value is not None}
    assert prior == PUBLISHED_2025
    # 说明事项 of one year (资产统计日期, 政府采购预留, the Shanghai vehicle and equipment counts) are the
    # format's inputs: left for the clerk to fill; descriptive texts carry over
    notes = {key for key, value in book["说明事项"].iter_rows(min_row=2, max_col=2, values_only=True) if value}
    assert notes == {"主要职能", "机构设置"}


def test_compile_with_a_shanghai_prior_compares_with_its_figures(tmp_path: Path) -> None:
    last = shutil.copy(QUFUBAN, tmp_path / "2024.xlsx")  # this year's figures as last year's: all 持平
    done = xlbudget("compile", str(QUFUBAN), "--profile", "shanghai-unit", "--prior", str(last), "-o", "公开表.xlsx",
                    "--narrative", "md", cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    text = (tmp_path / "公开表_预算说明.md").read_text(encoding="utf-8")
    # The 上年数 sheet's 11,491.20万元 would say 减少2,389.52万元; --prior's figures replace it.
    assert "2,389.52" not in text
    assert "财政拨款收入9,101.68万元，与2024年预算持平" in text
    assert "一般公共预算拨款支出预算9,101.68万元，与2024年预算持平" in text
