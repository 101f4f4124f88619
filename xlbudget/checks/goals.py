"""整体绩效目标 rules: whoever states 年度主要任务 or 整体绩效指标 states its 年度总体目标, once."""

from __future__ import annotations

from collections.abc import Iterator

from xlbudget.checks.base import Context, Rule, check, row_ref
from xlbudget.checks.projects import FAMILY
from xlbudget.findings import WARNING, Finding
from xlbudget.model import Budget, Goal, Indicator, Task
from xlbudget.tables.goals import GoalsSpec


def subject(budget: Budget, code: str) -> str:
    """Whose goals a row states: a unit's code, or "" for the 部门 (or unit) the workbook is of."""
    return "" if code == budget.dept_code else code


def subject_label(ctx: Context, code: str) -> str:
    return f"单位“{ctx.unit_label(code)}”" if code else "本部门（单位）整体"


@check(Rule("XB424", WARNING, "整体绩效目标缺少年度总体目标",
            "在“整体绩效目标”表中为该部门（单位）填写年度总体目标；单位编码与任务、指标行相同。", FAMILY))
def goals_stated(ctx: Context) -> Iterator[Finding]:
    """填写了年度主要任务或整体绩效指标的部门（单位），须在“整体绩效目标”表中填写年度总体目标：整体支出
    绩效目标表先写总体目标，再以任务和指标分解它。报告在该部门（单位）的第一行指标（没有指标时第一个任务）。"""
    b = ctx.budget
    stated = {subject(b, g.unit) for g in b.goals}
    first: dict[str, Task | Indicator] = {}
    items: list[Task | Indicator] = [*b.goal_indicators, *b.tasks]
    for item in items:
        first.setdefault(subject(b, item.unit), item)
    for code, item in first.items():
        if code not in stated:
            yield goals_stated.rule.finding(
                f"{subject_label(ctx, code)}填写了{item.where.sheet}，但没有填写年度总体目标",
                ctx.cell(item.where, "单位编码"), expected="年度总体目标", unit=code)


@check(Rule("XB425", WARNING, "年度总体目标填写了多行",
            "同一部门（单位）的年度总体目标写在一行中；删除或合并多余的行。", FAMILY))
def one_goal(ctx: Context) -> Iterator[Finding]:
    """每个部门（单位）只有一段年度总体目标。同一单位编码（部门整体：部门编码或不填）填写了多行时，公开表
    逐行列出，多半是重复录入或应合并为一段。合并编制的部门中，单位工作簿未填单位编码的行属于该单位。"""
    b = ctx.budget
    seen: dict[str, Goal] = {}
    for goal in b.goals:
        first = seen.setdefault(subject(b, goal.unit), goal)
        if first is not goal:
            yield one_goal.rule.finding(
                f"{subject_label(ctx, subject(b, goal.unit))}的年度总体目标在{row_ref(first.where, goal.where)}已填写过",
                ctx.cell(goal.where, "年度总体目标"), unit=subject(b, goal.unit))


@check(Rule("XB426", WARNING, "部门公开没有部门整体的绩效目标",
            "部门整体的目标在“整体绩效目标”等表中单位编码填部门编码（或在只有部门本级的工作簿中不填）。", FAMILY))
def department_goals(ctx: Context) -> Iterator[Finding]:
    """部门公开的整体支出绩效目标表印部门整体的目标：单位编码填部门编码的行（多个单位的工作簿中也可不填）。
    只填写了各单位的目标时，部门的表没有部门自己的目标；合并编制时，单位工作簿中不填单位编码的行属于该单位。
    格式印部门整体支出绩效目标表时报告在第一行填写的目标。"""
    b = ctx.budget
    prints = any(isinstance(spec, GoalsSpec) for spec in ctx.layout.tables) and ctx.layout.is_department(b)
    rows = b.goal_rows if prints else ()
    if rows and all(subject(b, row.unit) for row in rows):
        first = rows[0]
        yield department_goals.rule.finding(
            f"只填写了单位的整体绩效目标，没有部门整体的（单位编码为部门编码 {b.dept_code} 的行）",
            ctx.cell(first.where, "单位编码"), expected=b.dept_code, actual=first.unit, unit=first.unit)


CHECKS = (goals_stated, one_goal, department_goals)
