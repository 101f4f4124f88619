"""Small input workbooks written inline, so a test shows its input next to its assertion.

``BASE`` is a complete, clean budget (no findings): one 行政单位, one basic line, one project
with its four indicator categories, every 上年数 the narrative needs. A test replaces the sheets
it is about: ``workbook(tmp_path, 收入=[INCOME, ["001001", "一般公共预算", "110.01"]])``; a sheet
given as ``None`` is left out.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl

from xlbudget.findings import Finding
from xlbudget.pipeline import derive

Rows = list[list[Any]]  # cells of any type: list is invariant, so list[list[object]] refuses list[list[str]]

UNIT = "001001"
PROJECT = "41030022000000000001"
INFO_HEAD = ["项目", "内容"]
UNITS = ["单位编码", "单位名称", "单位类型"]
INCOME = ["单位编码", "资金来源", "金额"]
BASIC = ["单位编码", "功能分类编码", "经济分类编码", "资金来源", "金额"]
PROJECTS = ["项目编码", "项目名称", "项目类型", "单位编码"]
PROJECT_LINES = ["项目编码", "功能分类编码", "经济分类编码", "资金来源", "金额"]
GOALS = ["项目编码", "一级指标", "二级指标", "三级指标", "指标值"]
KEYED = ["项目", "金额"]
NOTES = ["项目", "内容"]


def info(unit: str = "万元") -> Rows:
    return [INFO_HEAD, ["预算年度", "2022"], ["部门编码", "001"], ["部门名称", "测试部门"], ["金额单位", unit]]


def goals(project: str = PROJECT, cost: str = "10万元") -> Rows:
    """The four indicator categories of one project (without the header row)."""
    return [[project, "成本指标", "经济成本指标", "会议经费", cost],
            [project, "产出指标", "数量指标", "举办会议次数", "≥10次"],
            [project, "效益指标", "社会效益指标", "会议效果", "良好"],
            [project, "满意度指标", "服务对象满意度指标", "参会人员满意度", "≥95%"]]


BASE: dict[str, Rows] = {
    "基本信息": info(),
    "单位": [UNITS, [UNIT, "测试单位", "行政单位"]],
    "收入": [INCOME, [UNIT, "一般公共预算", "110.00"]],
    "基本支出": [BASIC, [UNIT, "2010301", "30101", "一般公共预算", "100.00"]],
    "项目": [PROJECTS, [PROJECT, "会议费", "其他运转类", UNIT]],
    "项目支出": [PROJECT_LINES, [PROJECT, "2010302", "30215", "一般公共预算", "10.00"]],
    "绩效目标": [GOALS, *goals()],
    "上年数": [KEYED, ["收入总计", "110"], ["财政拨款收入", "110"], ["一般公共预算支出", "110"], ["三公经费", "0"],
              ["因公出国（境）费", "0"], ["公务用车购置费", "0"], ["公务用车运行维护费", "0"], ["公务接待费", "0"],
              ["机关运行经费", "0"]],
    "说明事项": [NOTES, ["主要职能", "测试。"], ["收入变动原因", "项目增加。"], ["财政拨款变动原因", "项目增加。"]],
}


def write_workbook(path: Path, sheets: dict[str, Rows | None]) -> Path:
    """An .xlsx with one sheet per entry (rows as given; None = no such sheet)."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        if rows is None:
            continue
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def workbook(tmp_path: Path, name: str = "填报.xlsx", **sheets: Rows | None) -> Path:
    """BASE with the given sheets replaced."""
    return write_workbook(tmp_path / name, {**BASE, **sheets})


def findings(path: Path) -> list[Finding]:
    return derive([path]).findings


def report(path: Path) -> list[tuple[str, str]]:
    """The whole report in one line: (rule, location) of every finding, in report order."""
    return [(f.code, str(f.where)) for f in findings(path)]
