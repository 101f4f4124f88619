"""Reading rules: the file and its sheets, cells, duplicate keys and references between sheets.

Most reading findings are reported while reading — by ``safety`` (the file's bytes), the reading
modules (they alone see the cells), ``consolidate`` and ``pipeline`` — through the rules declared in
``xlbudget.reading.rules``. The checks below need the whole budget: duplicates and references
across sheets.
"""

from __future__ import annotations

from collections.abc import Iterator

from xlbudget.checks.base import Context, Rule, check, row_ref
from xlbudget.findings import ERROR, WARNING, Finding, Location
from xlbudget.purchases import NAME as PURCHASES
from xlbudget.reading.rules import READING

FAMILY = READING


@check(Rule("XB120", ERROR, "单位编码重复", "每个单位只填写一行；如确为两个单位，请给其中一个改用正确的编码。",
            FAMILY))
def duplicate_units(ctx: Context) -> Iterator[Finding]:
    """单位表中同一个单位编码只能出现一次：两行同一编码时，收入和支出无法确定属于哪一行的单位。"""
    seen: dict[str, Location] = {}
    for unit in ctx.budget.units:
        if unit.code in seen:
            yield duplicate_units.rule.finding(
                f"单位编码“{unit.code}”重复，{row_ref(seen[unit.code], unit.where)}已填写过", ctx.cell(unit.where, "单位编码"),
                actual=unit.code, unit=unit.code)
        else:
            seen[unit.code] = unit.where


@check(Rule("XB121", ERROR, "项目编码重复",
            "每个项目只填写一行；如确为两个项目，请核对项目库中的项目编码。", FAMILY))
def duplicate_projects(ctx: Context) -> Iterator[Finding]:
    """项目表中同一个项目编码只能出现一次：项目支出和绩效目标按项目编码归属项目。"""
    seen: dict[str, Location] = {}
    for project in ctx.budget.projects:
        if project.code in seen:
            yield duplicate_projects.rule.finding(
                f"项目编码“{project.code}”（{project.name}）重复，{row_ref(seen[project.code], project.where)}已填写过",
                ctx.cell(project.where, "项目编码"), actual=project.code, unit=project.unit,
                project=project.code)
        else:
            seen[project.code] = project.where


@check(Rule("XB122", ERROR, "引用了未登记的单位",
            "先在“单位”表中登记该单位，或改正单位编码。", FAMILY))
def unknown_units(ctx: Context) -> Iterator[Finding]:
    """收入、基本支出、项目、政府采购和政府购买服务表中的单位编码必须是“单位”表中登记的单位，否则无法取得单位名称和类型，
    公开表中会显示为“单位表中未登记的单位”；整体绩效目标、年度主要任务和整体绩效指标表中的单位编码是登记的单位或部门编码（部门整体），
    或不填。每个未登记的编码报告一次（列出用到它的各行）；由它引起的
    问题（该单位的政府经济分类对照、按单位核对的收支平衡）在改正编码后再核对，不另行报告。"""
    b = ctx.budget
    rows = [("收入", i.unit, i.where) for i in b.incomes]
    rows += [("基本支出", line.unit, line.where) for line in b.lines if line.is_basic]
    rows += [("项目", p.unit, p.where) for p in b.projects]
    rows += [(PURCHASES, p.unit, p.where) for p in b.purchases or ()]
    rows += [("政府购买服务", s.unit, s.where) for s in b.services]
    rows += [(x.where.sheet, x.unit, x.where) for x in b.goal_rows]
    places: dict[str, list[tuple[str, Location]]] = {}
    for sheet, code, where in rows:
        if code in ctx.unregistered_units:
            places.setdefault(code, []).append((sheet, ctx.cell(where, "单位编码")))
    for code, found in places.items():
        sheets = "、".join(dict.fromkeys(sheet for sheet, _ in found))
        more = f"（共 {len(found)} 行：{'、'.join(str(where) for _, where in found[:10])}" + (
            "等）" if len(found) > 10 else "）") if len(found) > 1 else ""
        yield unknown_units.rule.finding(
            f"{sheets}表中的单位编码“{code}”未在“单位”表中登记{more}", found[0][1], actual=code, unit=code)


@check(Rule("XB123", ERROR, "引用了未登记的项目",
            "先在“项目”表中登记该项目（项目名称、类型、单位），或改正项目编码。", FAMILY))
def unknown_projects(ctx: Context) -> Iterator[Finding]:
    """项目支出、绩效目标、政府采购和政府购买服务（填写了项目编码的行）中的项目编码必须是“项目”表中登记的项目，否则无法
    确定项目名称、类型和所属单位。"""
    b = ctx.budget
    rows = [("项目支出", line.project, line.where) for line in b.lines if not line.is_basic]
    rows += [("绩效目标", i.project, i.where) for i in b.indicators]
    rows += [(PURCHASES, p.project, p.where) for p in b.purchases or () if p.project]
    rows += [("政府购买服务", s.project, s.where) for s in b.services if s.project]
    for sheet, code, where in rows:
        if b.project(code) is None:
            yield unknown_projects.rule.finding(
                f"{sheet}表中的项目编码“{code}”未在“项目”表中登记", ctx.cell(where, "项目编码"),
                actual=code, project=code)


@check(Rule("XB161", ERROR, "政府采购行的单位不是项目所属的单位",
            "把单位编码改为项目所属的单位，或改正项目编码。", FAMILY))
def purchase_units(ctx: Context) -> Iterator[Finding]:
    """“政府采购”表中填写了项目编码的行，单位编码须是“项目”表中该项目所属的单位：政府采购预算表按单位
    列示，项目支出的采购属于项目所属的单位。项目或单位未登记时见 XB122、XB123。"""
    for purchase in ctx.budget.purchases or ():
        project = ctx.budget.project(purchase.project) if purchase.project else None
        if project is not None and project.unit != purchase.unit and purchase.unit not in ctx.unregistered_units:
            yield purchase_units.rule.finding(
                f"采购项目“{purchase.name}”的单位编码为“{purchase.unit}”，项目“{ctx.project_label(project.code)}”"
                f"属于单位“{ctx.unit_label(project.unit)}”", ctx.cell(purchase.where, "单位编码"),
                expected=project.unit, actual=purchase.unit, unit=purchase.unit, project=project.code)


@check(Rule("XB124", WARNING, "重复的收支行",
            "如是重复录入，删除其中一行；如确为两笔，合并为一行填写合计金额。", FAMILY))
def duplicate_rows(ctx: Context) -> Iterator[Finding]:
    """收入表每个“单位 × 资金来源”、基本支出表每个“单位 × 功能分类 × 经济分类 × 资金来源”、
    项目支出表每个“项目 × 功能分类 × 经济分类 × 资金来源”应只有一行。同一组合出现两行，
    多半是重复录入（金额会被加总）。"""
    b = ctx.budget
    keyed: list[tuple[tuple[str, ...], str, Location, int]] = [
        (("收入", i.unit, i.source), i.unit, i.where, i.amount) for i in b.incomes]
    keyed += [(("支出", line.unit if line.is_basic else "", line.project, line.function, line.econ,
                line.source, line.flow), line.unit, line.where, line.amount) for line in b.lines]
    seen: dict[tuple[str, ...], Location] = {}
    for key, unit, where, amount in keyed:
        first = seen.setdefault(key, where)
        if first != where:
            yield duplicate_rows.rule.finding(
                f"与{row_ref(first, where)}的{_describe(key)}相同，金额 {ctx.amount(amount)}将与之加总",
                where.at(""), unit=unit, project=key[2] if key[0] == "支出" else "")


def _describe(key: tuple[str, ...]) -> str:
    if key[0] == "收入":
        return f"单位“{key[1]}”、资金来源“{key[2]}”"
    owner = f"项目“{key[2]}”" if key[2] else f"单位“{key[1]}”"
    return f"{owner}、功能分类“{key[3]}”、经济分类“{key[4]}”、资金来源“{key[5]}”"


CHECKS = (duplicate_units, duplicate_projects, unknown_units, unknown_projects, purchase_units, duplicate_rows)
