"""A two-unit Shanghai 部门 like the 区府办 of 2025: 本部 and 交流服务中心, each filling its own workbook.

本部 is the 区府办 example exactly as typed (examples/shanghai-2025-qufuban/input.xlsx): 政府采购服务
34.00 万元, no vehicle. 交流服务中心 (a 事业单位 of the same 部门) is written from the template of the
same format and filled as its clerk would: its own 主要职能, 政府采购服务 10.00 万元 and one 应急保障用车,
its own 主要用途 for 2010350 事业运行 (the 本部's differs) and for 2010303 机关服务 (only it has money
there), and a project with its 项目经费情况说明. The 部门 therefore publishes 44.00 万元 of 政府采购 and
one vehicle, 13 项 with their 主要用途 and one 项目经费情况说明.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.conftest import ROOT
from xlbudget.catalog import load_catalog
from xlbudget.contract import STATEMENT_SECTIONS
from xlbudget.model import Budget, Income, Line, Project, Statement, Unit
from xlbudget.money import to_fen
from xlbudget.profile import load_profile
from xlbudget.template import write_budget_workbook

QUFUBAN = ROOT / "examples" / "shanghai-2025-qufuban"
PROFILE = "shanghai-department"
DEPT, DEPT_NAME = "301", "上海市普陀区人民政府办公室"
CENTRE_UNIT, CENTRE_NAME = "301002", "上海市普陀区交流服务中心"
CENTRE_PROJECT, CENTRE_PROJECT_NAME = "QF2025101", "交流服务保障经费"
CENTRE_FUNCTIONS = "上海市普陀区交流服务中心主要承担区政府合作交流、对口支援的服务保障工作。"
CENTRE_PURPOSES = {"2010350": "交流服务中心的基本支出", "2010303": "为机关提供交流接待服务保障的支出"}
STATEMENT = ("保障区政府合作交流活动的接待服务。", "区政府合作交流工作安排。", CENTRE_NAME,
             "按活动计划实施。", "2025年1月至12月", "安排80万元。")


def _yuan(text: str) -> int:
    return to_fen(text, "元")


def centre_budget() -> Budget:
    """The 交流服务中心's workbook as its clerk fills it (amounts in 元)."""
    basic = [("2010350", "30101", "1200000.00"), ("2010350", "30102", "800000.00"), ("2010350", "30201", "200000.00")]
    lines = tuple(Line(CENTRE_UNIT, f, e, "一般公共预算", _yuan(a)) for f, e, a in basic)
    project = Line(CENTRE_UNIT, "2010303", "30299", "一般公共预算", _yuan("800000.00"), CENTRE_PROJECT)
    same_year = {k: _yuan("3000000.00") for k in ("收入总计", "支出总计", "财政拨款收入", "一般公共预算支出", "财政拨款支出")}
    zero = {k: 0 for k in ("三公经费", "因公出国（境）费", "公务用车购置费", "公务用车运行维护费", "公务接待费",
                           "政府性基金预算支出", "国有资本经营预算支出")}
    notes = {"主要职能": CENTRE_FUNCTIONS, "财政拨款变动原因": "项目调整",
             "政府采购货物": "0", "政府采购工程": "0", "政府采购服务": "100000.00",
             "政府采购预留中小企业": "100000.00", "政府采购预留小微企业": "100000.00",
             "资产统计日期": "2024年8月31日", "应急保障用车": "1"}
    return Budget(
        year=2025, dept_code=DEPT, dept_name=DEPT_NAME, amount_unit="元",
        units=(Unit(CENTRE_UNIT, CENTRE_NAME, "事业单位"),),
        incomes=(Income(CENTRE_UNIT, "一般公共预算", _yuan("3000000.00")),),
        lines=(*lines, project),
        projects=(Project(CENTRE_PROJECT, CENTRE_PROJECT_NAME, "特定目标类", CENTRE_UNIT, targets_set=True),),
        prior=same_year | zero, notes=notes, purposes=dict(CENTRE_PURPOSES),
        statements=(Statement(CENTRE_PROJECT, tuple(zip(STATEMENT_SECTIONS, STATEMENT, strict=True))),),
        catalog=load_catalog(2025),
    )


def write_department(folder: Path) -> list[Path]:
    """The two unit workbooks: [本部, 交流服务中心]."""
    folder.mkdir(parents=True, exist_ok=True)
    head = folder / "本部.xlsx"
    shutil.copy(QUFUBAN / "input.xlsx", head)
    centre = folder / "交流服务中心.xlsx"
    write_budget_workbook(centre_budget(), centre, version=load_profile("shanghai-unit").input_contract)
    return [head, centre]
