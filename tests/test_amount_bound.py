"""An amount beyond 1 万亿元 (money.MAX_FEN) is a finding, XB130, never an internal error (issue 10,
item 8): ``1E+30`` typed as text or stored as a number by Excel."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.workbooks import BASIC, INCOME, UNIT, info, report, workbook
from xlbudget.cli import main
from xlbudget.money import MAX_FEN, beyond_bound


@pytest.mark.parametrize("huge", ["1E+30", 1e30, "100000000.000001"])
def test_a_huge_amount_is_xb130(tmp_path: Path, huge: object) -> None:
    path = workbook(tmp_path, 收入=[INCOME, [UNIT, "一般公共预算", "110.00"]],
                    基本支出=[BASIC, [UNIT, "2010301", "30101", "一般公共预算", huge]])
    assert ("XB130", "基本支出!E2") in report(path)


def test_the_bound_itself_is_allowed(tmp_path: Path) -> None:
    """100,000,000 万元 = 1 万亿元 exactly: read, no XB130 (the budget is merely unbalanced)."""
    path = workbook(tmp_path, 基本支出=[BASIC, [UNIT, "2010301", "30101", "一般公共预算", "100000000"]])
    assert [code for code, _ in report(path) if code == "XB130"] == []
    assert not beyond_bound(MAX_FEN) and beyond_bound(MAX_FEN + 1)


def test_compile_with_1e30_reports_instead_of_crashing(tmp_path: Path) -> None:
    path = workbook(tmp_path, 基本信息=info("元"), 收入=[INCOME, [UNIT, "一般公共预算", 1e30 + 10]],
                    基本支出=[BASIC, [UNIT, "2010301", "30101", "一般公共预算", 1e30]])
    for force in ([], ["--force"]):
        result = CliRunner().invoke(main, ["compile", str(path), "-o", str(tmp_path / "公开表.xlsx"), *force])
        assert result.exit_code == 1, result.output
        assert "内部错误" not in result.output and "[错误 XB130]" in result.output
    assert (tmp_path / "公开表.xlsx").exists()  # with --force
