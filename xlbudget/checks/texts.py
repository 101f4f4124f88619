"""Rules on the texts clerks type (说明事项, 功能科目用途, 项目经费情况说明): the defects found in
published documents — a reason left blank, a word typed twice, another body's name, a wrong year,
an amount the tables contradict, a 主要用途 of another subject. Each is a warning at the text's cell."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from xlbudget import contract
from xlbudget.checks.base import Context, Rule, check, shown, shown_fen
from xlbudget.checks.prior_year import declared_reasons, stated_change
from xlbudget.findings import WARNING, Finding, Location
from xlbudget.money import to_display

FAMILY = "填写的文字"
NOTES_SHEET, PURPOSES_SHEET, STATEMENTS_SHEET = "说明事项", "功能科目用途", "项目经费情况说明"
# 说明事项 keys that hold a figure or a date, not a text
_NOT_TEXT = frozenset((*contract.NOTE_AMOUNT_KEYS, *contract.NOTE_COUNT_KEYS, "资产统计日期"))
_BLANK_REASON = re.compile(r"原因(?:是|为|主要是|主要为|如下|[：:])\s*(?:[。；;，,.！!]|$)")
_TWICE = re.compile(r"([\u4e00-\u9fff]{2,4})\1")
_COMPARED_YEAR = re.compile(r"(?:比|较|与)(20\d\d)年")
_YEAR = re.compile(r"(20\d\d)年")
_ORG_SUFFIXES = ("街道办事处", "委员会", "办公室", "管理局", "中心", "局", "委", "院", "馆", "站", "所", "队")
# a body's name right before a year or 预算: the text speaks of that body's own budget
_SELF_NAME = re.compile(r"([\u4e00-\u9fff（）()]{2,30}?(?:" + "|".join(_ORG_SUFFIXES) + r"))(?=20\d\d年|部门预算|单位预算|预算)")
_CHANGE_AMOUNT = re.compile(r"(增加|减少|增长|下降)(\d+(?:\.\d+)?)万元")
# Words that say which kind of spending a 主要用途 is about; a subject whose name has words of one
# kind and a text naming only another kind describes another subject.
PURPOSE_KINDS = {"住房": ("住房", "公积金", "提租", "购房"), "医疗": ("医疗", "医保"), "养老": ("养老", "年金")}


@dataclass(frozen=True)
class Text:
    """One text a clerk typed: where it is, what it is about, and the text."""

    where: Location
    about: str  # 说明事项 key, 功能分类 code, or 项目编码 + section
    text: str
    sheet: str


def typed_texts(ctx: Context) -> Iterator[Text]:
    b = ctx.budget
    for key, text in b.notes.items():
        if key not in _NOT_TEXT:
            yield Text(ctx.key_cell(NOTES_SHEET, key), key, text, NOTES_SHEET)
    for code, text in b.purposes.items():
        yield Text(ctx.key_cell(PURPOSES_SHEET, code), code, text, PURPOSES_SHEET)
    for statement in b.statements:
        for section, text in statement.sections:
            yield Text(ctx.cell(statement.where, section), f"{statement.project} {section}", text, STATEMENTS_SHEET)


def _finding(rule: Rule, item: Text, message: str, **fields: str) -> Finding:
    return rule.finding(f"“{item.sheet}”中“{item.about}”的文字{message}", item.where, **fields)


def _matches(ctx: Context, rule: Rule, pattern: re.Pattern[str], say: str) -> Iterator[Finding]:
    """A finding of ``rule`` for each text ``pattern`` is found in; ``say`` formats the match's groups."""
    for item in typed_texts(ctx):
        found = pattern.search(item.text)
        if found:
            yield _finding(rule, item, say.format(*found.groups(), found.group(0)), actual=found.group(0))


@check(Rule("XB601", WARNING, "原因未填写", "写明具体原因，如“主要原因是新增网络安全运维项目”。", FAMILY))
def blank_reasons(ctx: Context) -> Iterator[Finding]:
    """说明原因的句子写了“主要原因是”却没有写原因（如“主要原因是。”），公开后是一句空话。"""
    return _matches(ctx, blank_reasons.rule, _BLANK_REASON, "“{0}”后没有写明原因")


@check(Rule("XB602", WARNING, "词语重复", "删除重复的词语。", FAMILY))
def repeated_words(ctx: Context) -> Iterator[Finding]:
    """同一个词连写两遍（如“增加增加”“万元万元”）多是复制粘贴留下的错误。"""
    return _matches(ctx, repeated_words.rule, _TWICE, "中“{0}”连写了两遍")


@check(Rule("XB603", WARNING, "文字中的单位名称与基本信息不符",
            "改为本部门（单位）的名称，核对是否从其他部门的材料复制而来。", FAMILY))
def other_bodies(ctx: Context) -> Iterator[Finding]:
    """文字中说到本部门（单位）预算时用的机构名称（如“××局2025年……”“××委员会部门预算”）须是“基本信息”
    的部门名称或“单位”表中的单位名称（可以是其简称，如省略地名）。名称不符多是从其他部门的材料复制而来。"""
    names = [ctx.budget.dept_name, *(u.name for u in ctx.budget.units)]
    for item in typed_texts(ctx):
        for found in _SELF_NAME.finditer(item.text):
            name = found.group(1)
            suffix = next(s for s in _ORG_SUFFIXES if name.endswith(s))
            if not any(_common_tail(name, own) >= len(suffix) + 2 for own in names if own):
                yield _finding(other_bodies.rule, item, f"说到“{name}”，与部门名称“{ctx.budget.dept_name}”不符",
                               expected=ctx.budget.dept_name, actual=name)


def _common_tail(a: str, b: str) -> int:
    n = 0
    while n < min(len(a), len(b)) and a[-1 - n] == b[-1 - n]:
        n += 1
    return n


@check(Rule("XB604", WARNING, "文字中的年度不对", "核对年度：与上年比较写“比上年”或上一年度。", FAMILY))
def wrong_years(ctx: Context) -> Iterator[Finding]:
    """与上年比较的句子（“比××××年……”）须比较预算年度的上一年；变动原因和主要用途中的年度须是预算年度
    或上一年度。如 2026 年的预算说明写“比2026年预算增加”，多是沿用了上一年的文字。"""
    year = ctx.budget.year
    for item in typed_texts(ctx):
        compared = {int(y) for y in _COMPARED_YEAR.findall(item.text)} - {year - 1}
        plain = set()
        if item.sheet == PURPOSES_SHEET or item.about.endswith("变动原因"):
            plain = {int(y) for y in _YEAR.findall(item.text)} - {year, year - 1}
        for wrong in sorted(compared | plain):
            yield _finding(wrong_years.rule, item, f"写了“{wrong}年”，预算年度是 {year} 年",
                           expected=f"{year}年或{year - 1}年", actual=f"{wrong}年")


@check(Rule("XB605", WARNING, "文字中的金额与公开表不符",
            "按公开表中的数字改正文字中的金额，或删去文字中的金额。", FAMILY))
def contradicted_amounts(ctx: Context) -> Iterator[Finding]:
    """变动原因中写的增减金额（如“减少5万元”）须与公开表中该项本年与上年的差额一致（按显示的两位小数
    万元），增减方向也须一致。"""
    for key, note in declared_reasons(ctx).items():
        text, change = ctx.budget.notes.get(note, ""), stated_change(ctx, key)
        if not text or change is None:
            continue
        item = Text(ctx.key_cell(NOTES_SHEET, note), note, text, NOTES_SHEET)
        rising = change.kind in ("up", "new")
        for word, amount in _CHANGE_AMOUNT.findall(text):
            if (word in ("增加", "增长")) != rising or Decimal(amount) != to_display(change.delta):
                truth = f"{'增加' if rising else '减少'} {shown_fen(change.delta)}"
                yield _finding(contradicted_amounts.rule, item, f"写“{word}{amount}万元”，公开表中{key}{truth}",
                               expected=truth, actual=f"{word} {shown(Decimal(amount))}")


@check(Rule("XB606", WARNING, "主要用途写的是其他科目",
            "按该科目的用途改写，核对是否复制了其他科目的文字。", FAMILY))
def other_subjects(ctx: Context) -> Iterator[Finding]:
    """“功能科目用途”中每个科目的主要用途须说该科目的用途。科目名称说的是住房、医疗或养老中的一类，
    而主要用途只说了另一类时（如 2210201 住房公积金“主要用于……医疗保险”），多是复制了其他科目的文字。"""
    for item in typed_texts(ctx):
        if item.sheet != PURPOSES_SHEET:
            continue
        name = ctx.budget.function_name(item.about)
        own = {kind for kind, words in PURPOSE_KINDS.items() if any(w in name for w in words)}
        said = {kind for kind, words in PURPOSE_KINDS.items() if any(w in item.text for w in words)}
        if own and said and not own & said:
            yield _finding(other_subjects.rule, item, f"说的是{'、'.join(sorted(said))}，而“{item.about} {name}”是"
                           f"{'、'.join(sorted(own))}方面的科目", expected=name, actual=item.text)


CHECKS = (blank_reasons, repeated_words, other_bodies, wrong_years, contradicted_amounts, other_subjects)
