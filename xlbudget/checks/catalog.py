"""Catalog rules: every 功能分类 and 经济分类 code is a leaf of the budget year's catalogs, basic
expenditure uses only the economic classes it may, and each line has one 政府经济分类."""

from __future__ import annotations

from collections.abc import Iterator

from xlbudget.catalog import ECON_DEPT, ECON_GOV, FUNCTIONAL, GOV_FUND, MAPPING, STATE_CAPITAL, UNVERIFIED
from xlbudget.checks.base import Context, Rule, check
from xlbudget.findings import ERROR, INFO, WARNING, Finding
from xlbudget.model import Line
from xlbudget.reading.rules import CATALOG

FAMILY = CATALOG
# 部门经济分类 类 allowed in 基本支出: 工资福利支出, 商品和服务支出, 对个人和家庭的补助, 资本性支出.
BASIC_ECON_CLASSES = ("301", "302", "303", "310")
CATALOG_HINT = "核对编码；如确为本年度新增科目，可用 --catalog 提供自定义科目文件。"
_COLUMN = {FUNCTIONAL: "功能分类编码", ECON_DEPT: "经济分类编码", ECON_GOV: "政府经济分类编码"}

def _coded(ctx: Context) -> Iterator[tuple[Line, str, str]]:
    """(line, catalog kind, code) of every code a line carries (a 部门决算 line may carry no 经济分类,
    and a “三公” 预算 line no 功能分类)."""
    for line in ctx.budget.lines:
        if line.function or not line.flow:
            yield line, FUNCTIONAL, line.function
        if line.econ or not line.flow:
            yield line, ECON_DEPT, line.econ
        if line.gov_override:
            yield line, ECON_GOV, line.gov_override


def _is_leaf(ctx: Context, kind: str, code: str) -> bool:
    """``Catalog.is_leaf`` with the parents of each catalog collected once per run."""
    key = f"parents:{kind}"
    if key not in ctx.memo:
        ctx.memo[key] = {e.parent for e in ctx.budget.catalog.table(kind).values()}
    return code not in ctx.memo[key]  # type: ignore[operator]


# 资金来源 → the budget whose subjects it must sit on ("" = 一般公共预算); other sources may sit anywhere.
SOURCE_FUND = {"一般公共预算": "", "一般公共预算结转": "", "政府性基金预算": GOV_FUND,
               "政府性基金预算结转": GOV_FUND, "国有资本经营预算": STATE_CAPITAL, "国有资本经营预算结转": STATE_CAPITAL}


def _budget_name(fund: str) -> str:
    return f"{fund or '一般公共'}预算"


def _mapped_lines(ctx: Context) -> Iterator[Line]:
    """Lines whose 政府经济分类 comes from the mapping and is printed: none when the format prints no
    政府经济分类; not those of unregistered units (their 单位类型 is unknown: XB122)."""
    if ECON_GOV not in ctx.printed:
        return
    for line in ctx.budget.lines:
        if not line.gov_override and line.unit not in ctx.unregistered_units:
            yield line


def _sheet(line: Line) -> str:
    return line.where.sheet or ("基本支出" if line.is_basic else "项目支出")


@check(Rule("XB201", ERROR, "科目编码不存在", CATALOG_HINT, FAMILY))
def unknown_codes(ctx: Context) -> Iterator[Finding]:
    """功能分类编码须是预算年度《政府收支分类科目》支出功能分类中的科目，经济分类编码须是部门预算
    支出经济分类科目（政府经济分类编码须是政府预算支出经济分类科目）。不存在的编码无法取得科目名称，
    公开表中会显示为“科目表中无此编码”。"""
    catalog = ctx.budget.catalog
    for line, kind, code in _coded(ctx):
        if code not in catalog.table(kind):
            yield unknown_codes.rule.finding(
                f"{_sheet(line)}表中的{kind}编码“{code}”不在{ctx.budget.year}年{kind}科目中",
                ctx.cell(line.where, _COLUMN[kind]), actual=code, unit=line.unit, project=line.project)


@check(Rule("XB202", ERROR, "科目不是末级", "改填该科目下的末级科目编码。", FAMILY))
def non_leaf_codes(ctx: Context) -> Iterator[Finding]:
    """支出须填到末级科目：功能分类到“项”（7 位），经济分类到“款”（5 位）。填了“类”或“款”级
    编码时，公开表无法按项、款列示。"""
    catalog = ctx.budget.catalog
    for line, kind, code in _coded(ctx):
        if code in catalog.table(kind) and not _is_leaf(ctx, kind, code):
            children = [e for e in catalog.table(kind).values() if e.parent == code][:3]
            examples = "、".join(f"{e.code} {e.name}" for e in children)
            yield non_leaf_codes.rule.finding(
                f"{_sheet(line)}表中的{kind}编码“{code} {catalog.name(kind, code)}”不是末级科目",
                ctx.cell(line.where, _COLUMN[kind]), hint=f"改填其下的末级科目，例如 {examples}。",
                actual=code, unit=line.unit, project=line.project)


@check(Rule("XB203", ERROR, "基本支出使用了不允许的经济分类",
            "基本建设、对企业补助等支出应作为项目支出填报；如确属基本支出，请改用相应的经济分类。", FAMILY))
def basic_econ_class(ctx: Context) -> Iterator[Finding]:
    """基本支出只包括人员经费（301 工资福利支出、303 对个人和家庭的补助）和公用经费（302 商品和服务
    支出、310 资本性支出）。309 基本建设支出、312 对企业补助等经济分类只能出现在项目支出中。"""
    b = ctx.budget
    for line in b.lines:
        if line.is_basic and line.econ_class not in BASIC_ECON_CLASSES and line.econ_class.isdigit():
            class_name = b.econ_name(line.econ_class) or line.econ_class
            yield basic_econ_class.rule.finding(
                f"基本支出中的经济分类“{line.econ} {b.econ_name(line.econ)}”属于“{line.econ_class} "
                f"{class_name}”，不能列入基本支出", ctx.cell(line.where, "经济分类编码"),
                expected="、".join(BASIC_ECON_CLASSES), actual=line.econ, unit=line.unit)


@check(Rule("XB204", ERROR, "政府经济分类对照不唯一",
            "在“政府经济分类编码”列填写该行应对照的政府预算支出经济分类编码。", FAMILY))
def ambiguous_mapping(ctx: Context) -> Iterator[Finding]:
    """部门经济分类通过官方对照表转换为政府经济分类。对照关系取决于单位类型（行政/事业）而单位类型
    为“其他”，或对照表中有多个候选时，须在该行的“政府经济分类编码”列指明，否则公开表无法列示。"""
    b = ctx.budget
    for line in _mapped_lines(ctx):
        if line.econ not in b.catalog.econ_dept:
            continue
        found = sorted(b.catalog.gov_candidates(line.econ, b.unit_type(line.unit)))
        if len(found) > 1:
            options = "、".join(f"{code} {b.gov_name(code)}" for code in found)
            yield ambiguous_mapping.rule.finding(
                f"经济分类“{line.econ} {b.econ_name(line.econ)}”对单位“{ctx.unit_label(line.unit)}”"
                f"（{b.unit_type(line.unit) or '未填单位类型'}）可对照多个政府经济分类：{options}",
                ctx.cell(line.where, "经济分类编码"), expected=" 或 ".join(found), unit=line.unit,
                project=line.project)


@check(Rule("XB205", WARNING, "经济分类没有政府经济分类对照",
            "在“政府经济分类编码”列填写对照的政府预算支出经济分类编码，或用 --catalog 补充对照关系。", FAMILY))
def missing_mapping(ctx: Context) -> Iterator[Finding]:
    """每个部门经济分类都须对照到一个政府经济分类，才能编制一般公共预算基本支出表和支出经济分类
    汇总表。对照表中没有该编码（对该单位类型）的对照时，须在该行指明。"""
    b = ctx.budget
    for line in _mapped_lines(ctx):
        if line.econ not in b.catalog.econ_dept or not _is_leaf(ctx, ECON_DEPT, line.econ):
            continue
        if not b.catalog.gov_candidates(line.econ, b.unit_type(line.unit)):
            yield missing_mapping.rule.finding(
                f"经济分类“{line.econ} {b.econ_name(line.econ)}”在对照表中没有"
                f"{b.unit_type(line.unit) or ''}对应的政府经济分类", ctx.cell(line.where, "经济分类编码"),
                unit=line.unit, project=line.project)


@check(Rule("XB208", INFO, "科目名称未经核实",
            "公开前请与预算年度的《政府收支分类科目》核对这些科目的名称；如有出入，可用 --catalog 提供更正。",
            FAMILY))
def unverified_names(ctx: Context) -> Iterator[Finding]:
    """公开表中的科目名称取自 xlbudget 的科目表。科目表中部分科目（等级 C）及部分经济分类对照（等级 D）
    尚未找到公开来源核实。公开表用到这些科目时提示一次，列出涉及的编码，请对照当年的《政府收支分类科目》
    核实后再公开。"""
    b, catalog = ctx.budget, ctx.budget.catalog
    # kind → (code, what the message lists); a 部门经济分类 code may map differently per unit kind,
    # so a mapping is keyed by all three codes (never "whichever came last")
    used: dict[str, dict[tuple[str, ...], str]] = {kind: {} for kind in (FUNCTIONAL, ECON_DEPT, ECON_GOV, MAPPING)}
    codes = {(FUNCTIONAL, line.function) for line in b.lines}
    # each distinct (economic code, unit type, override) once: a large budget repeats them
    for econ, unit_type, override in {(x.econ, b.unit_type(x.unit), x.gov_override) for x in b.lines}:
        gov = override or catalog.gov_code(econ, unit_type)
        codes |= {(ECON_DEPT, econ), (ECON_GOV, gov)}
        for (dept, unit_kind), mapping in catalog.mappings(econ, unit_type).items():
            if gov and not override and mapping.gov_code == gov and mapping.confidence in UNVERIFIED:
                used[MAPPING][(dept, gov, unit_kind)] = f"{dept}→{gov}（{unit_kind}）"
    for kind, code in codes:
        entry = catalog.table(kind).get(code)
        if entry and entry.confidence in UNVERIFIED and _is_leaf(ctx, kind, code):
            used[kind][(code,)] = f"{code} {entry.name}"
    listed = [f"{kind} {'、'.join(sorted(items.values()))}" for kind, items in used.items()
              if items and kind in ctx.printed]
    if listed:
        yield unverified_names.rule.finding(
            f"公开表中以下科目名称或对照取自未经核实的科目表（等级C/D）：{'；'.join(listed)}",
            hint=f"公开前请与{b.year}年《政府收支分类科目》核对这些科目的名称；如有出入，可用 --catalog 提供更正。",
            actual="、".join(sorted({key[0] for kind, items in used.items() if kind in ctx.printed for key in items})))


@check(Rule("XB209", ERROR, "资金来源与功能分类科目不符",
            "核对资金来源和功能分类编码：政府性基金预算资金列政府性基金预算支出科目（如 2290804、2296002），"
            "国有资本经营预算资金列 223 类等国有资本经营预算支出科目，一般公共预算资金不能列这两类预算的专用科目。",
            FAMILY))
def fund_and_subject(ctx: Context) -> Iterator[Finding]:
    """政府性基金预算、国有资本经营预算和一般公共预算的支出各有自己的功能分类科目：政府性基金预算
    （含结转）资金只能列政府性基金预算支出科目（如 212 08 国有土地使用权出让收入安排的支出、229 60
    彩票公益金安排的支出），国有资本经营预算（含结转）资金只能列国有资本经营预算支出科目（223 类），
    一般公共预算（含结转）资金不能列这两类预算的专用科目。否则政府性基金、国有资本经营预算支出表会
    列出不属于该预算的科目（如“一般行政管理事务”）。"""
    catalog = ctx.budget.catalog
    for line in ctx.budget.lines:
        entry = catalog.functional.get(line.function)
        if entry is None or line.source not in SOURCE_FUND or SOURCE_FUND[line.source] == entry.fund:
            continue
        yield fund_and_subject.rule.finding(
            f"{_sheet(line)}表中{line.source}资金列在功能分类“{entry.code} {entry.name}”，该科目是"
            f"{_budget_name(entry.fund)}支出科目，不是{_budget_name(SOURCE_FUND[line.source])}支出科目",
            ctx.cell(line.where, _COLUMN[FUNCTIONAL]), expected=f"{_budget_name(SOURCE_FUND[line.source])}支出科目",
            actual=f"{entry.code} {entry.name}（{_budget_name(entry.fund)}）", unit=line.unit, project=line.project)


CHECKS = (unknown_codes, non_leaf_codes, fund_and_subject, basic_econ_class, ambiguous_mapping, missing_mapping,
          unverified_names)
