"""Project and performance rules: every project has lines and a complete 绩效目标, buys no more
than it spends (政府采购), its cost indicator agrees with its amount, its code has the workbook's
format and its name is unique."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from xlbudget import contract
from xlbudget.checks.base import Context, Rule, check, row_ref, shown, shown_fen
from xlbudget.findings import WARNING, Finding, Location
from xlbudget.model import Indicator, Project, Purchase
from xlbudget.money import FEN_PER_UNIT, Fen, normalize_text, to_display

FAMILY = "项目与绩效"
COST = contract.INDICATOR_CATEGORIES[0]  # 成本指标
# A cost indicator stating a saving, not what the project costs, is not compared with the amount.
SAVING_WORDS = ("节约", "节省", "降低", "减少")
_MONEY_VALUE = re.compile(r"^(?P<op>≥|≤|>=|<=|>|<|=)?(?P<number>\d+(?:\.\d+)?)(?P<unit>万元|万|元)$")
_OPERATORS = {">=": "≥", "<=": "≤", "=": ""}
# Words of a project name that say it is 三公经费, and the 部门经济分类 codes of that 三公 item.
THREE_PUBLIC_WORDS: tuple[tuple[tuple[str, ...], str, tuple[str, ...]], ...] = (
    (("出国", "出访", "出境"), "因公出国（境）费", ("30212",)),
    (("接待",), "公务接待费", ("30217",)),
    (("公务用车",), "公务用车购置及运行费", ("31013", "30913", "30231")),
)


@check(Rule("XB401", WARNING, "项目没有支出", "在“项目支出”表中填写该项目的支出行，或从“项目”表中删除该项目。",
            FAMILY))
def projects_without_lines(ctx: Context) -> Iterator[Finding]:
    """“项目”表中登记的每个项目都应在“项目支出”表中有支出行；没有支出的项目在项目支出表和绩效目标
    表中显示为 0。"""
    for project in ctx.budget.projects:
        if project.code not in ctx.project_amounts:
            yield projects_without_lines.rule.finding(
                f"项目“{ctx.project_label(project.code)}”在“项目支出”表中没有支出行",
                ctx.cell(project.where, "项目编码"), unit=project.unit, project=project.code)


@check(Rule("XB402", WARNING, "项目没有绩效目标",
            "在“绩效目标”表中为该项目填写成本、产出、效益、满意度指标。", FAMILY))
def projects_without_goals(ctx: Context) -> Iterator[Finding]:
    """每个项目都须设置绩效目标（单位预算项目绩效目标表逐项目公开）：在“绩效目标”表逐条填写指标，
    或（指标不逐条公开的格式，如上海）在“项目”表的“已设绩效目标”列填“是”。"""
    with_goals = {i.project for i in ctx.budget.indicators}
    for project in ctx.budget.projects:
        if project.code not in with_goals and not project.targets_set:
            yield projects_without_goals.rule.finding(
                f"项目“{ctx.project_label(project.code)}”没有绩效目标", ctx.cell(project.where, "项目编码"),
                unit=project.unit, project=project.code)


@check(Rule("XB163", WARNING, "政府采购金额超过项目或基本支出的预算",
            "核对政府采购行的金额和项目编码：项目的采购不超过该项目的支出，基本支出中的采购不超过该单位的基本支出。",
            FAMILY))
def procurement_within_budget(ctx: Context) -> Iterator[Finding]:
    """“政府采购”表中一个项目各行的采购金额之和不应超过该项目在“项目支出”表中的支出；一个单位基本支出中的
    采购（未填项目编码的行）之和不应超过该单位的基本支出。超过时报告在该项目（或单位）第一行采购的金额单元格，
    列出两个金额。未登记的单位和项目见 XB122、XB123。"""
    budget = ctx.budget
    groups: dict[tuple[str, str], list[Purchase]] = {}
    for purchase in budget.purchases or ():
        groups.setdefault(("" if purchase.project else purchase.unit, purchase.project), []).append(purchase)
    basic: dict[str, Fen] = {}
    for line in budget.lines:
        if line.is_basic:
            basic[line.unit] = basic.get(line.unit, 0) + line.amount
    for (unit, project), lines in groups.items():
        if project:
            if budget.project(project) is None:
                continue
            label, budgeted = f"项目“{ctx.project_label(project)}”", ctx.project_amounts.get(project, 0)
        else:
            if unit in ctx.unregistered_units:
                continue
            label, budgeted = f"单位“{ctx.unit_label(unit)}”基本支出中", basic.get(unit, 0)
        bought = sum(p.amount for p in lines)
        if bought > budgeted:
            yield procurement_within_budget.rule.finding(
                f"{label}的政府采购共 {ctx.amount(bought)}（{len(lines)} 行），超过其支出 {ctx.amount(budgeted)}",
                lines[0].where, expected=f"不超过 {ctx.amount(budgeted)}", actual=ctx.amount(bought),
                unit=lines[0].unit, project=project)


@check(Rule("XB403", WARNING, "绩效目标缺少一级指标",
            "为该项目补充缺少的一级指标（至少一个三级指标及其指标值）。", FAMILY))
def missing_categories(ctx: Context) -> Iterator[Finding]:
    """项目的绩效目标须包括成本指标、产出指标、效益指标和满意度指标四类一级指标，各至少一条。"""
    first: dict[str, Indicator] = {}
    seen: dict[str, set[str]] = {}
    for indicator in ctx.budget.indicators:
        first.setdefault(indicator.project, indicator)
        seen.setdefault(indicator.project, set()).add(indicator.category)
    for code, categories in seen.items():
        missing = [c for c in contract.INDICATOR_CATEGORIES if c not in categories]
        if missing:
            project = ctx.budget.project(code)
            yield missing_categories.rule.finding(
                f"项目“{ctx.project_label(code)}”的绩效目标缺少：{'、'.join(missing)}",
                first[code].where, expected="、".join(contract.INDICATOR_CATEGORIES),
                actual="、".join(c for c in contract.INDICATOR_CATEGORIES if c in categories),
                unit=project.unit if project else "", project=code)


@dataclass(frozen=True)
class Stated:
    """A money amount stated in an indicator value: ``≤1390万`` → (≤, 13,900,000,000 分)."""

    operator: str  # "" (equal), ≥, ≤, >, <
    fen: Fen


def parse_stated(value: str) -> Stated | None:
    """The amount an indicator value states (``3万元``, ``≥50万元``, ``14.8万``, ``5000元``), or None."""
    match = _MONEY_VALUE.match(normalize_text(value))
    if not match:
        return None
    unit = "万元" if match["unit"].startswith("万") else "元"
    fen = Decimal(match["number"]) * FEN_PER_UNIT[unit]
    operator = match["op"] or ""
    return Stated(_OPERATORS.get(operator, operator), int(fen)) if fen == int(fen) else None


def agrees(stated: Stated, amount: Fen) -> bool:
    """Whether the project amount satisfies the stated one, exact to the displayed 0.01 万元."""
    shown, limit = to_display(amount), to_display(stated.fen)
    return {"": shown == limit, "≥": shown >= limit, "≤": shown <= limit, ">": shown > limit,
            "<": shown < limit}[stated.operator]


@check(Rule("XB404", WARNING, "成本指标与项目金额不一致",
            "成本指标应反映项目的预算金额；请核对指标值或项目支出金额。", FAMILY))
def cost_indicators(ctx: Context) -> Iterator[Finding]:
    """以金额表述的成本指标（如“3万元”“≥50万元”“≤1390万”）应与项目预算金额相符：无比较符时须相等
    （精确到 0.01 万元），有 ≥、≤、>、< 时项目金额须满足该条件。表述节约、降低等的成本指标不比较。"""
    for indicator in ctx.budget.indicators:
        stated = parse_stated(indicator.value) if indicator.category == COST else None
        if stated is None or any(word in indicator.level3 for word in SAVING_WORDS):
            continue
        amount = ctx.project_amounts.get(indicator.project)
        if amount is None or agrees(stated, amount):
            continue
        difference = to_display(stated.fen) - to_display(amount)
        project = ctx.budget.project(indicator.project)
        verdict = f"项目金额 {shown_fen(amount)}不满足该条件" if stated.operator else f"与项目金额 {shown_fen(amount)}不一致"
        yield cost_indicators.rule.finding(
            f"项目“{ctx.project_label(indicator.project)}”的成本指标“{indicator.level3}”为“{indicator.value}”，"
            f"{verdict}", ctx.cell(indicator.where, "指标值"),
            expected=shown_fen(amount), actual=indicator.value,
            difference=shown(difference),
            unit=project.unit if project else "", project=indicator.project)


def code_format(code: str) -> str:
    """A code's shape: ``20位数字``, ``12位字母数字``."""
    kind = "数字" if code.isdigit() else "字母数字" if code.isalnum() else "字符"
    return f"{len(code)}位{kind}"


@check(Rule("XB405", WARNING, "项目编码格式不一致",
            "核对项目库中的项目编码，多位或少位通常是录入错误。", FAMILY))
def project_code_format(ctx: Context) -> Iterator[Finding]:
    """同一工作簿的项目编码应有相同的长度和格式（如都是 20 位数字）。与多数项目不同的编码，多半多录或
    少录了一位。"""
    by_file: dict[str, list[Project]] = {}
    for project in ctx.budget.projects:
        by_file.setdefault(project.where.file, []).append(project)
    for projects in by_file.values():
        formats = Counter(code_format(p.code) for p in projects)
        usual, count = formats.most_common(1)[0]
        for project in projects:
            if code_format(project.code) != usual:
                yield project_code_format.rule.finding(
                    f"项目“{ctx.project_label(project.code)}”的编码为{code_format(project.code)}，"
                    f"本工作簿其他 {count} 个项目编码为{usual}", ctx.cell(project.where, "项目编码"),
                    expected=usual, actual=code_format(project.code), unit=project.unit, project=project.code)


@check(Rule("XB406", WARNING, "项目名称重复", "核对是否同一项目录入了两次；不同项目请使用能区分的名称。",
            FAMILY))
def duplicate_project_names(ctx: Context) -> Iterator[Finding]:
    """不同的项目编码不应使用相同的项目名称（忽略空格与全角半角差异）：公开表按名称列示项目，同名项目
    读者无法区分，也常是同一项目以两个编码录入了两次。"""
    seen: dict[str, tuple[str, Location]] = {}
    for project in ctx.budget.projects:
        name = normalize_text(project.name)
        if not name:
            continue
        code, where = seen.setdefault(name, (project.code, project.where))
        if code != project.code:
            yield duplicate_project_names.rule.finding(
                f"项目名称“{project.name}”与{row_ref(where, project.where)}的项目“{code}”相同",
                ctx.cell(project.where, "项目名称"), actual=project.name, unit=project.unit,
                project=project.code)


@check(Rule("XB407", WARNING, "项目名称是“三公”经费但支出不在“三公”经济分类",
            "核对该项目支出的经济分类：因公出国（境）费列 30212，公务接待费列 30217，公务用车购置列 31013 或 30913、"
            "运行维护列 30231；确实不属于“三公”经费的，可在项目名称中写明用途。", FAMILY))
def three_public_coverage(ctx: Context) -> Iterator[Finding]:
    """“三公”经费按经济分类统计：因公出国（境）费 30212，公务接待费 30217，公务用车购置费 31013、30913，
    公务用车运行维护费 30231。项目名称写明出国、出访、出境、接待或公务用车，而该项目没有一笔支出列在相应的
    经济分类时（如因公出国列入 30211 差旅费），“三公”经费表和预算说明会少计这部分经费。"""
    econ_by_project: dict[str, set[str]] = {}
    for line in ctx.budget.lines:
        if not line.is_basic:
            econ_by_project.setdefault(line.project, set()).add(line.econ)
    for project in ctx.budget.projects:
        used = econ_by_project.get(project.code)
        for words, item, codes in THREE_PUBLIC_WORDS:
            word = next((w for w in words if w in project.name), "")
            if word and used and not used & set(codes):
                yield three_public_coverage.rule.finding(
                    f"项目“{ctx.project_label(project.code)}”名称含“{word}”，但其支出没有列在{item}的经济分类"
                    f"（{'、'.join(codes)}），而是列在 {'、'.join(sorted(used))}", ctx.cell(project.where, "项目名称"),
                    expected="、".join(codes), actual="、".join(sorted(used)), unit=project.unit, project=project.code)


CHECKS = (projects_without_lines, projects_without_goals, procurement_within_budget, missing_categories, cost_indicators,
          three_public_coverage, project_code_format, duplicate_project_names)
