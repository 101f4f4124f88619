"""Inputs of a profile's own 预算说明 ([narrative] in the profile): what its text reads must be
filled, because a missing input is reported here and never printed as a placeholder."""

from __future__ import annotations

from collections.abc import Iterator

from xlbudget import contract, purchases
from xlbudget.checks.base import Context, Rule, check
from xlbudget.findings import WARNING, Finding
from xlbudget.model import note_amount

FAMILY = "预算说明内容"
NOTES_SHEET = "说明事项"
PURPOSES_SHEET, STATEMENTS_SHEET = "功能科目用途", "项目经费情况说明"


def needed_notes(ctx: Context) -> tuple[list[str], list[str]]:
    """说明事项 keys the profile's 预算说明 reads: its notes (not the 政府采购 amounts when the
    workbook has 政府采购 lines), and the counts of each vehicle category and of costly equipment,
    held and planned (拟购置…)."""
    spec = ctx.profile.narrative if ctx.profile else None
    if spec is None:
        return [], []
    counts = [*spec.vehicle_categories, *([spec.equipment] if spec.equipment else [])]
    lines = ctx.budget.purchases is not None  # 政府采购 amounts are then the lines' sums
    notes = [key for key in spec.notes if not (lines and key in purchases.KEYS)]
    return notes, [*counts, *(contract.PLANNED + key for key in counts)]


@check(Rule("XB504", WARNING, "预算说明或决算说明所需的说明事项未填写",
            "在“说明事项”表中填写该项（数量为零的填 0），预算说明才能写出这句话。", FAMILY))
def missing_inputs(ctx: Context) -> Iterator[Finding]:
    """格式配置的预算说明列出的说明事项（如上海格式的主要职能、机构设置、政府采购、资产统计日期）、
    各类车辆和设备的现有数与拟购置数都须填写（与上年比较所需的上年数见 XB501）。未填写的不写入预算说明
    （不留“请填写”之类的占位文字），并在此列出；车辆和设备数量合为一条。"""
    notes, counts = needed_notes(ctx)
    document = f"{ctx.profile.family}说明" if ctx.profile else "预算说明"  # a 部门决算's is its 决算说明
    hint = missing_inputs.rule.hint.replace("预算说明", document)
    for key in notes:
        if not ctx.budget.notes.get(key, "").strip():
            yield missing_inputs.rule.finding(f"{document}需要“{NOTES_SHEET}”中的“{key}”，未填写", ctx.sheet(NOTES_SHEET),
                                              expected=key, hint=hint)
    unfilled = [key for key in counts if not ctx.budget.notes.get(key, "").strip()]
    if unfilled:
        yield missing_inputs.rule.finding(
            f"{document}的国有资产部分需要“{NOTES_SHEET}”中的车辆和设备数量，{len(unfilled)} 项未填写：{'、'.join(unfilled)}",
            ctx.sheet(NOTES_SHEET), expected="、".join(unfilled), hint=hint)


@check(Rule("XB505", WARNING, "项级科目未填写主要用途",
            "在“功能科目用途”表中为该功能分类项级科目填写主要用途。", FAMILY))
def missing_purposes(ctx: Context) -> Iterator[Finding]:
    """格式配置的预算说明逐项列出财政拨款支出的功能分类项级科目及其“主要用于……”时（上海格式），
    每个有财政拨款支出的项级科目都须在“功能科目用途”表中填写主要用途；没有填写的科目在说明中只列金额。"""
    spec = ctx.profile.narrative if ctx.profile else None
    if spec is None or not spec.purposes:
        return
    for code in sorted({line.function for line in ctx.budget.lines if line.source in contract.FISCAL}):
        if not ctx.budget.purposes.get(code, "").strip():
            name = ctx.budget.function_name(code)
            yield missing_purposes.rule.finding(f"“{code} {name}”有财政拨款支出，未填写主要用途",
                                                ctx.sheet(PURPOSES_SHEET), expected=code)


@check(Rule("XB506", WARNING, "项目经费情况说明不完整",
            "补全该项目在“项目经费情况说明”表中的各部分内容，或核对项目编码。", FAMILY))
def incomplete_statements(ctx: Context) -> Iterator[Finding]:
    """“项目经费情况说明”表中列出的项目，其经费情况说明在部门预算说明中逐项公开：项目编码须在
    “项目”表中，项目概述、立项依据、实施主体、实施方案、实施周期、年度预算安排都须填写。"""
    for statement in ctx.budget.statements:
        if ctx.budget.project(statement.project) is None:
            yield incomplete_statements.rule.finding(
                f"项目编码“{statement.project}”不在“项目”表中", ctx.cell(statement.where, "项目编码"),
                actual=statement.project)
        for section, text in statement.sections:
            if not text.strip():
                yield incomplete_statements.rule.finding(
                    f"项目“{statement.project}”的经费情况说明缺少“{section}”",
                    ctx.cell(statement.where, section), expected=section)


@check(Rule("XB162", WARNING, "说明事项的政府采购金额与政府采购表各行之和不同",
            "预算说明采用“政府采购”表各行之和：改正说明事项中的金额，或删去它（填报了政府采购表时不需填写）。", FAMILY))
def typed_procurement(ctx: Context) -> Iterator[Finding]:
    """填报了“政府采购”表时，预算说明中的政府采购货物、工程、服务预算和面向中小企业、小微企业预留的金额是
    该表各行之和（与政府采购预算表的合计行相同）。说明事项中也填写了这些金额而与各行之和不同（按分比较）时，
    报告在说明事项的该单元格，列出两个金额：预算说明不采用说明事项中的金额。"""
    budget = ctx.budget
    if budget.purchases is None:
        return
    sums = purchases.figures(budget)
    for key in purchases.KEYS:
        typed, summed = note_amount(budget, key), sums[key]
        if typed is not None and summed is not None and typed != summed:
            more = "多" if typed > summed else "少"
            yield typed_procurement.rule.finding(
                f"说明事项“{key}”为 {ctx.amount(typed)}，“{purchases.NAME}”表各行之和为 {ctx.amount(summed)}，"
                f"{more} {ctx.amount(abs(typed - summed))}；预算说明采用各行之和",
                budget.key_cells.get(NOTES_SHEET, {}).get(key) or ctx.sheet(NOTES_SHEET),
                expected=ctx.amount(summed), actual=ctx.amount(typed),
                difference=("" if typed > summed else "-") + ctx.amount(abs(typed - summed)))


CHECKS = (missing_inputs, missing_purposes, incomplete_statements, typed_procurement)
