"""Prior-year rules: the 上年数 the narrative compares with are given, and the changes it must
explain have a reason in 说明事项."""

from __future__ import annotations

from collections.abc import Iterator

from xlbudget.checks.base import Context, Rule, check, shown_fen
from xlbudget.figures import Change, changes
from xlbudget.findings import ERROR, WARNING, Finding

FAMILY = "上年对比"
PRIOR_SHEET, NOTES_SHEET = "上年数", "说明事项"

# The 三公 上年数 keys: a rise of one needs a reason (XB502); any other compared key with a declared
# reason needs it when it changes either way (XB503). Which keys are compared, and the 说明事项 key
# of each reason, the profile's [narrative] declares (prior, compared, reasons).
THREE_PUBLIC = ("因公出国（境）费", "公务用车购置费", "公务用车运行维护费", "公务接待费")
# 上年数 that are the sum of other 上年数, checked where the format (or the clerk) gives all of them.
PRIOR_SUMS = (
    ("三公经费", THREE_PUBLIC),
    ("公务用车购置及运行费", ("公务用车购置费", "公务用车运行维护费")),
    ("财政拨款支出", ("一般公共预算支出", "政府性基金预算支出", "国有资本经营预算支出")),
)
HALF_STEP = 5000  # 分: half of 0.01 万元, how far a figure copied from a disclosure may be off


@check(Rule("XB501", WARNING, "缺少上年数",
            "在“上年数”表中填写上年预算数（没有的填 0），预算说明才能写出增减额和增减率。", FAMILY))
def missing_prior(ctx: Context) -> Iterator[Finding]:
    """预算说明要把格式配置所列的各项（如收入总计、财政拨款收入、一般公共预算支出、“三公”经费及其
    各项）与上年预算比较（增加/减少多少、增长百分之几），这些上年数必须在“上年数”表中填写；上年为零的
    填 0。缺少的，公开的预算说明不写该项与上年的比较；缺少的各项合为一条列出。"""
    spec = ctx.layout.narrative
    keys = spec.required_prior if spec else ()
    if not keys:
        return
    if PRIOR_SHEET not in ctx.budget.columns and not ctx.budget.prior:  # (--prior gives them too)
        yield missing_prior.rule.finding(
            f"未填写“{PRIOR_SHEET}”表，预算说明不写与上年的比较", ctx.sheet(PRIOR_SHEET),
            expected="、".join(keys))
        return
    missing = [key for key in keys if key not in ctx.budget.prior]
    if missing:
        yield missing_prior.rule.finding(
            f"“{PRIOR_SHEET}”表缺少 {len(missing)} 项：{'、'.join(f'“{k}”' for k in missing)}，预算说明不写这些项与上年的比较",
            ctx.sheet(PRIOR_SHEET), expected="、".join(missing))


@check(Rule("XB507", ERROR, "上年数合计与其各项之和不符",
            "按上年公开的预算核对该合计及其各项；合计应等于各项之和。", FAMILY))
def prior_sums(ctx: Context) -> Iterator[Finding]:
    """上年数中的合计须等于其各项之和：“三公”经费 = 因公出国（境）费 + 公务用车购置费 + 公务用车运行维护费
    + 公务接待费，公务用车购置及运行费 = 公务用车购置费 + 公务用车运行维护费，财政拨款支出 = 一般公共预算支出
    + 政府性基金预算支出 + 国有资本经营预算支出（格式有这些项时）。否则预算说明会写出自相矛盾的比较（如合计
    减少而各项都持平）。照抄公开文件的两位小数万元时，每个数可能有不到 0.005 万元的舍入差，不算不符。"""
    prior = ctx.budget.prior
    for total, parts in PRIOR_SUMS:
        if total not in prior or any(part not in prior for part in parts):
            continue
        summed = sum(prior[part] for part in parts)
        if abs(prior[total] - summed) > HALF_STEP * len(parts):
            listed = " + ".join(f"{part} {ctx.amount(prior[part])}" for part in parts)
            yield prior_sums.rule.finding(
                f"上年数“{total}”为 {ctx.amount(prior[total])}，其各项之和为 {ctx.amount(summed)}（{listed}）",
                ctx.key_cell(PRIOR_SHEET, total), expected=ctx.amount(summed), actual=ctx.amount(prior[total]),
                difference=("" if prior[total] >= summed else "-") + ctx.amount(abs(prior[total] - summed)))


def stated_change(ctx: Context, key: str) -> Change | None:
    """The comparison the 预算说明 writes for ``key`` (on the figures as displayed), when it
    states a change."""
    change = changes(ctx.layout, ctx.figures, ctx.budget.prior).get(key) if ctx.figures else None
    return change if change and change.kind in ("up", "down", "new") else None


def declared_reasons(ctx: Context) -> dict[str, str]:
    """上年数 key → the 说明事项 key of its 变动原因, as the profile's 预算说明 declares them."""
    spec = ctx.layout.narrative
    return dict(spec.reasons) if spec else {}


def _unexplained(rule: Rule, ctx: Context, key: str, reason: str, change: Change) -> Finding:
    now, before = change.shown
    word = "增加" if change.kind in ("up", "new") else "减少"
    signed = change.delta if word == "增加" else -change.delta
    return rule.finding(
        f"{key} {shown_fen(now)}，比上年 {shown_fen(before or 0)}{word} {shown_fen(change.delta)}，"
        f"“{NOTES_SHEET}”中没有填写“{reason}”", ctx.sheet(NOTES_SHEET),
        expected=shown_fen(before or 0), actual=shown_fen(now), difference=shown_fen(signed))


@check(Rule("XB502", WARNING, "“三公”经费增加但未说明原因",
            "在“说明事项”中填写该项的变动原因（如“接待外地市单位参观学习批次增加”）。", FAMILY))
def three_public_rises(ctx: Context) -> Iterator[Finding]:
    """“三公”经费的因公出国（境）费、公务用车购置费、公务用车运行维护费、公务接待费比上年预算增加时，
    预算说明须说明增加的原因，原因填写在“说明事项”的“…变动原因”中；上年为零、本年新增的也在此提示。"""
    for key, reason in declared_reasons(ctx).items():
        change = stated_change(ctx, key) if key in THREE_PUBLIC else None
        if change and change.kind != "down" and not ctx.budget.notes.get(reason):
            yield _unexplained(three_public_rises.rule, ctx, key, reason, change)


@check(Rule("XB508", WARNING, "“三公”经费某项本年取消但未说明",
            "在“说明事项”中填写该项的变动原因（如“本年无出国（境）计划”），或核对本年该项支出的经济分类。", FAMILY))
def three_public_stops(ctx: Context) -> Iterator[Finding]:
    """“三公”经费的某一项上年有预算而本年为零时，多半是本年的支出列错了经济分类（如因公出国列入 30211
    差旅费），或有需要说明的变化。没有在“说明事项”的“…变动原因”中说明时提示，位置为该项的上年数。
    （上年为零、本年新增的，由 XB502 提示。）"""
    for key, reason in declared_reasons(ctx).items():
        change = stated_change(ctx, key) if key in THREE_PUBLIC else None
        if change and change.kind == "down" and not change.shown[0] and not ctx.budget.notes.get(reason):
            before = shown_fen(change.shown[1] or 0)
            yield three_public_stops.rule.finding(
                f"{key}上年 {before}，本年为 0，“{NOTES_SHEET}”中没有填写“{reason}”",
                ctx.key_cell(PRIOR_SHEET, key), expected=before, actual=shown_fen(0))


@check(Rule("XB503", WARNING, "收入变动未说明原因",
            "在“说明事项”中填写“收入变动原因”或“财政拨款变动原因”。", FAMILY))
def income_changes(ctx: Context) -> Iterator[Finding]:
    """收入总计、财政拨款收入与上年预算相比增加或减少时，预算说明须写明主要原因，原因填写在
    “说明事项”的“收入变动原因”“财政拨款变动原因”中。"""
    for key, reason in declared_reasons(ctx).items():
        change = stated_change(ctx, key) if key not in THREE_PUBLIC else None
        if change and not ctx.budget.notes.get(reason):
            yield _unexplained(income_changes.rule, ctx, key, reason, change)


CHECKS = (missing_prior, prior_sums, three_public_rises, three_public_stops, income_changes)
