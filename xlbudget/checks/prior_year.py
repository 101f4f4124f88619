"""Prior-year rules: the 上年数 the narrative compares with are given, and the changes it must
explain have a reason in 说明事项."""

from __future__ import annotations

from collections.abc import Iterator

from xlbudget.checks.base import Context, Rule, check, shown, shown_fen
from xlbudget.figures import PRIOR_FIELDS
from xlbudget.findings import WARNING, Finding
from xlbudget.money import Fen, to_display

FAMILY = "上年对比"
PRIOR_SHEET, NOTES_SHEET = "上年数", "说明事项"

# 上年数 keys (their figures are read from the tables by xlbudget.figures, as the 预算说明 does).
THREE_PUBLIC = ("因公出国（境）费", "公务用车购置费", "公务用车运行维护费", "公务接待费")
TOTALS = ("收入总计", "财政拨款收入")
# 上年数 the narrative compares with: total income, fiscal income, the 三公 total and items.
NARRATIVE_KEYS = (*TOTALS, "三公经费", *THREE_PUBLIC)
REASONS = {"收入总计": "收入变动原因", "财政拨款收入": "财政拨款变动原因"} | {
    key: f"{key}变动原因" for key in THREE_PUBLIC}


@check(Rule("XB501", WARNING, "缺少上年数",
            "在“上年数”表中填写上年预算数（没有的填 0），预算说明才能写出增减额和增减率。", FAMILY))
def missing_prior(ctx: Context) -> Iterator[Finding]:
    """预算说明要把收入总计、财政拨款收入、“三公”经费及其各项与上年预算比较（增加/减少多少、
    增长百分之几），这些上年数必须在“上年数”表中填写；上年为零的填 0。"""
    if PRIOR_SHEET not in ctx.budget.columns and not ctx.budget.prior:  # (--prior gives them too)
        yield missing_prior.rule.finding(
            f"未填写“{PRIOR_SHEET}”表，预算说明无法与上年比较", ctx.sheet(PRIOR_SHEET),
            expected="、".join(NARRATIVE_KEYS))
        return
    for key in NARRATIVE_KEYS:
        if key not in ctx.budget.prior:
            yield missing_prior.rule.finding(
                f"“{PRIOR_SHEET}”表缺少“{key}”，预算说明无法写出其与上年的比较", ctx.sheet(PRIOR_SHEET),
                expected=key)


def _current(ctx: Context, key: str) -> Fen | None:
    """This year's figure for a 上年数 key, as the 预算说明 states it."""
    return getattr(ctx.figures, PRIOR_FIELDS[key]) if ctx.figures else None


def _change(ctx: Context, key: str) -> tuple[Fen, Fen] | None:
    """(this year, prior year) when both are known and differ as displayed."""
    now, before = _current(ctx, key), ctx.budget.prior.get(key)
    if now is None or before is None or to_display(now) == to_display(before):
        return None
    return now, before


def _unexplained(rule: Rule, ctx: Context, key: str, now: Fen, before: Fen) -> Finding:
    delta = to_display(now) - to_display(before)
    word = "增加" if delta > 0 else "减少"
    return rule.finding(
        f"{key} {shown_fen(now)}，比上年 {shown_fen(before)}{word} {shown(abs(delta))}，"
        f"“{NOTES_SHEET}”中没有填写“{REASONS[key]}”", ctx.sheet(NOTES_SHEET),
        expected=shown_fen(before), actual=shown_fen(now), difference=shown(delta))


@check(Rule("XB502", WARNING, "“三公”经费增加但未说明原因",
            "在“说明事项”中填写该项的变动原因（如“接待外地市单位参观学习批次增加”）。", FAMILY))
def three_public_rises(ctx: Context) -> Iterator[Finding]:
    """“三公”经费的因公出国（境）费、公务用车购置费、公务用车运行维护费、公务接待费比上年预算增加时，
    预算说明须说明增加的原因，原因填写在“说明事项”的“…变动原因”中。"""
    for key in THREE_PUBLIC:
        change = _change(ctx, key)
        if change and change[0] > change[1] and not ctx.budget.notes.get(REASONS[key]):
            yield _unexplained(three_public_rises.rule, ctx, key, *change)


@check(Rule("XB503", WARNING, "收入变动未说明原因",
            "在“说明事项”中填写“收入变动原因”或“财政拨款变动原因”。", FAMILY))
def income_changes(ctx: Context) -> Iterator[Finding]:
    """收入总计、财政拨款收入与上年预算相比增加或减少时，预算说明须写明主要原因，原因填写在
    “说明事项”的“收入变动原因”“财政拨款变动原因”中。"""
    for key in TOTALS:
        change = _change(ctx, key)
        if change and not ctx.budget.notes.get(REASONS[key]):
            yield _unexplained(income_changes.rule, ctx, key, *change)


CHECKS = (missing_prior, three_public_rises, income_changes)
