"""The optional input sheets of the 部门（单位）整体支出绩效目标表: the 年度总体目标, the 年度主要任务
and the 整体绩效指标 of the 部门 and of each unit, for the formats that print the table.

单位编码 names whose goals a row states: a unit's code, the 部门编码 for the 部门 as a whole, or
blank for the workbook's own subject (its one unit; the 部门 when it holds several units).
"""

from __future__ import annotations

from xlbudget.contract import Column, Sheet

GOALS, TASKS, INDICATORS = "整体绩效目标", "年度主要任务", "整体绩效指标"
_SUBJECT = Column("单位编码", required=False, kind="code", width=12,
                  help="单位的目标填单位编码，部门整体的目标填部门编码；只有一个单位的工作簿可不填")

GOAL_SHEETS = (
    Sheet(GOALS, (_SUBJECT, Column("年度总体目标", width=80, help="部门（单位）本年度的总体绩效目标，一段文字")),
          "部门（单位）整体支出的年度总体目标，每个部门或单位一行", required=False),
    Sheet(TASKS, (
        _SUBJECT,
        Column("任务名称", width=30),
        Column("主要内容", required=False, width=50),
        Column("资金来源", required=False, kind="choice", choices="资金来源", width=20,
               help="可选：任务的预算按资金来源分行填写（同一任务名称填多行）"),
        Column("金额", required=False, kind="amount", width=16, help="可选：任务的预算金额，按基本信息中的金额单位填写"),
    ), "部门（单位）的年度主要任务，每个任务（或任务 × 资金来源）一行", required=False),
    Sheet(INDICATORS, (
        _SUBJECT,
        Column("一级指标", kind="choice", choices="一级指标", width=12),
        Column("二级指标", required=False, width=16),
        Column("三级指标", width=36),
        Column("指标值", width=16),
        Column("指标方向", required=False, width=10, help="可选：如 ≥、≤、＝、定性"),
        Column("度量单位", required=False, width=10, help="可选：如 %、次、万元"),
    ), "部门（单位）整体绩效指标，每个三级指标一行", required=False),
)
