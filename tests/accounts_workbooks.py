"""Small 部门决算 workbooks written inline (see tests/workbooks.py). ``BASE`` balances every identity:
one 行政单位, 财政拨款 income and spending on two 项, a 财政拨款 carry-over unchanged on 2010302, 其他收入
kept as 年末结转和结余, 年初预算 equal to the 决算, a “三公” 年初预算. A test replaces the sheets it is about."""

from __future__ import annotations

from pathlib import Path

from tests.workbooks import NOTES, Rows, info, write_workbook
from xlbudget.findings import Finding
from xlbudget.pipeline import derive

PROFILE = "juesuan-2024"
UNIT = "001"
INCOME = ["单位编码", "功能分类编码", "资金来源", "金额"]
SPENDING = ["单位编码", "功能分类编码", "经济分类编码", "资金来源", "支出类型", "金额"]
BALANCES = ["单位编码", "类别", "资金来源", "功能分类编码", "金额"]
BUDGETS = ["功能分类编码", "年初预算数", "调整预算数", "差异原因"]
THREE = ["项目", "年初预算数", "调整预算数", "差异原因"]

BASE: dict[str, Rows] = {
    "基本信息": [*info()[:1], ["预算年度", "2024"], *info()[2:]],
    "单位": [["单位编码", "单位名称", "单位类型"], [UNIT, "测试单位", "行政单位"]],
    "本年收入": [INCOME, [UNIT, "2010301", "一般公共预算", "100.00"], [UNIT, "2010302", "一般公共预算", "10.00"],
             [UNIT, "2010301", "其他收入", "5.00"]],
    "本年支出": [SPENDING, [UNIT, "2010301", "30101", "一般公共预算", "基本支出", "80.00"],
             [UNIT, "2010301", "30201", "一般公共预算", "基本支出", "20.00"],
             [UNIT, "2010302", "", "一般公共预算", "项目支出", "10.00"]],
    "结转结余": [BALANCES, [UNIT, "年初结转和结余", "一般公共预算", "2010302", "3.00"],
             [UNIT, "年末结转和结余", "一般公共预算", "2010302", "3.00"],
             [UNIT, "年末结转和结余", "其他收入", "", "5.00"]],
    "年初预算": [BUDGETS, ["2010301", "100.00", "", ""], ["2010302", "10.00", "", ""]],
    "三公经费": [THREE, ["公务接待费", "1.00", "", "未发生公务接待。"]],
    "上年数": [["项目", "金额"], ["收入支出总计", "100"], ["财政拨款收入支出总计", "100"],
            ["一般公共预算财政拨款支出", "100"], ["三公经费", "0"]],
    "说明事项": [NOTES, ["主要职能", "测试。"]],
}


def workbook(tmp_path: Path, name: str = "决算.xlsx", **sheets: Rows | None) -> Path:
    """BASE with the given sheets replaced."""
    return write_workbook(tmp_path / name, {**BASE, **sheets})


def findings(path: Path) -> list[Finding]:
    return derive([path], profile=PROFILE).findings


def report(path: Path) -> list[tuple[str, str]]:
    """(rule, location) of every finding, in report order."""
    return [(f.code, str(f.where)) for f in findings(path)]
