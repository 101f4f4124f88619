"""机关运行经费 is the 公用经费 of the units whose 单位类型 the profile counts
(``operating_cost_units``; by default the national definition: 行政单位 and 参照公务员法管理的事业单位),
in every format: a 事业单位 has none, and a 部门 of mixed units sums only the counting ones."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from tests.conftest import ROOT
from tests.workbooks import BASIC, INCOME, UNITS, workbook
from xlbudget.cli import main
from xlbudget.figures import named_figures
from xlbudget.layout import column_of, find_table, row_of
from xlbudget.pipeline import derive
from xlbudget.profile import ProfileError, load_profile

QUFUBAN = ROOT / "examples" / "shanghai-2025-qufuban"
SHANGHAI_COLUMN = ("机关运行经费预算数",)


def mixed_department(tmp_path: Path, second: str) -> Path:
    """A 行政单位 with 30.00 万元 and a unit of type ``second`` with 20.00 万元 of 公用经费 (办公费),
    each beside 100.00 万元 of 人员经费."""
    return workbook(
        tmp_path,
        单位=[UNITS, ["001001", "局机关", "行政单位"], ["001002", "服务中心", second]],
        收入=[INCOME, ["001001", "一般公共预算", "140.00"], ["001002", "一般公共预算", "120.00"]],
        基本支出=[BASIC, ["001001", "2010301", "30101", "一般公共预算", "100.00"],
                  ["001001", "2010301", "30201", "一般公共预算", "30.00"],
                  ["001002", "2010350", "30101", "一般公共预算", "100.00"],
                  ["001002", "2010350", "30201", "一般公共预算", "20.00"]])


def shanghai_operating_costs(path: Path, profile: str) -> int:
    outcome = derive([path], profile=profile)
    table = find_table(outcome.tables, "sh09")
    value = table.rows[row_of(table)].cells[column_of(table, SHANGHAI_COLUMN)]
    return value if isinstance(value, int) else 0


@pytest.mark.parametrize(("second", "expected"), [
    ("事业单位", 300_000_00), ("其他", 300_000_00), ("参照公务员法管理事业单位", 500_000_00)])
def test_a_mixed_department_sums_only_the_counting_units(tmp_path: Path, second: str, expected: int) -> None:
    path = mixed_department(tmp_path, second)
    assert shanghai_operating_costs(path, "shanghai-department") == expected
    henan = derive([path], profile="henan-2022")
    assert named_figures(henan.budget, henan.tables, load_profile("henan-2022"))["operating_costs"] == expected


def test_the_profile_says_which_unit_types_count(tmp_path: Path) -> None:
    mine = tmp_path / "mine.toml"
    mine.write_text('extends = "shanghai-department"\n'
                    'operating_cost_units = ["行政单位", "参照公务员法管理事业单位", "事业单位"]\n', encoding="utf-8")
    assert shanghai_operating_costs(mixed_department(tmp_path, "事业单位"), str(mine)) == 500_000_00
    mine.write_text('extends = "shanghai-department"\noperating_cost_units = ["机关"]\n', encoding="utf-8")
    with pytest.raises(ProfileError, match="mine.toml 中 operating_cost_units：“机关”不是单位类型"):
        load_profile(str(mine))


def test_a_shanghai_public_institution_prints_no_operating_costs(tmp_path: Path) -> None:
    """区府办 retyped as a 事业单位: table 9 leaves 机关运行经费 blank (zero) and the 预算说明 says
    “本单位无机关运行经费。” (the Shanghai template's wording), while 三公 stays as published."""
    source = tmp_path / "事业单位.xlsx"
    shutil.copy(QUFUBAN / "input.xlsx", source)
    book = openpyxl.load_workbook(source)
    sheet = book["单位"]
    assert sheet["C2"].value == "行政单位"
    sheet["C2"] = "事业单位"
    book.save(source)
    out = tmp_path / "公开表.xlsx"
    result = CliRunner().invoke(main, ["compile", str(source), "-o", str(out), "--profile", "shanghai-unit"])
    assert result.exit_code == 0, result.output
    ws = openpyxl.load_workbook(out)["单位“三公”经费和机关运行经费预算表"]
    headers = {ws.cell(row, col).value: col for row in (3, 4, 5) for col in range(1, 9)}
    values = [ws.cell(row, headers["机关运行经费预算数"]).value for row in range(4, ws.max_row + 1)]
    assert [v for v in values if v not in (None, "")] == []
    narrative = (tmp_path / "公开表_预算说明.md").read_text(encoding="utf-8")
    section = narrative[narrative.index("二、机关运行经费预算"):narrative.index("三、")]
    assert "本单位无机关运行经费。" in section and "万元" not in section
