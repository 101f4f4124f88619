"""政府购买服务 rules: a project's purchases fit in its budget and belong to its unit, and each
purchase names a 一级目录 of the format's 指导性目录 (when the format lists them)."""

from __future__ import annotations

from collections.abc import Iterator

from xlbudget.checks.base import Context, Rule, check
from xlbudget.findings import WARNING, Finding, Location
from xlbudget.model import BASIC
from xlbudget.money import Fen, normalize_text
from xlbudget.tables.services import ServicesSpec

FAMILY = "政府购买服务"


@check(Rule("XB421", WARNING, "项目的政府购买服务金额超过项目预算",
            "核对“政府购买服务”表中该项目各行的金额，或“项目支出”表中该项目的支出。", FAMILY))
def services_within_projects(ctx: Context) -> Iterator[Finding]:
    """一个项目中购买服务的金额（“政府购买服务”表中该项目各行之和）是该项目预算的一部分，不应超过该项目
    在“项目支出”表中的支出合计。报告在该项目的第一行购买服务的金额单元格。"""
    bought: dict[str, Fen] = {}
    first: dict[str, Location] = {}
    for service in ctx.budget.services:
        if service.project != BASIC:
            bought[service.project] = bought.get(service.project, 0) + service.amount
            first.setdefault(service.project, service.where)
    for code, amount in bought.items():
        budgeted = ctx.project_amounts.get(code, 0)
        project = ctx.budget.project(code)
        if amount > budgeted and project is not None:
            yield services_within_projects.rule.finding(
                f"项目“{ctx.project_label(code)}”的政府购买服务合计 {ctx.amount(amount)}，超过该项目的预算 "
                f"{ctx.amount(budgeted)}", first[code], expected=f"≤ {ctx.amount(budgeted)}",
                actual=ctx.amount(amount), difference=ctx.amount(amount - budgeted), unit=project.unit, project=code)


@check(Rule("XB422", WARNING, "购买服务的单位不是项目所属单位",
            "核对单位编码或项目编码；项目中的购买服务可不填单位编码（取项目所属单位）。", FAMILY))
def services_of_project_unit(ctx: Context) -> Iterator[Finding]:
    """“政府购买服务”表中一行同时填写了单位编码和项目编码时，单位应是“项目”表中该项目所属的单位；
    否则这笔购买服务在公开表中列在哪个单位下无法确定。"""
    for service in ctx.budget.services:
        project = ctx.budget.project(service.project) if service.project != BASIC else None
        if project is not None and project.unit != service.unit:
            yield services_of_project_unit.rule.finding(
                f"单位编码“{service.unit}”不是项目“{ctx.project_label(project.code)}”所属的单位“{project.unit}”",
                ctx.cell(service.where, "单位编码"), expected=project.unit, actual=service.unit,
                unit=service.unit, project=project.code)


@check(Rule("XB423", WARNING, "购买服务内容不在指导性目录中",
            "从本地政府购买服务指导性目录中选择一级目录，按目录的文字填写。", FAMILY))
def services_in_directory(ctx: Context) -> Iterator[Finding]:
    """公开格式列出了本地政府购买服务指导性目录的一级目录（格式配置中政府购买服务表的 categories）时，
    “政府购买服务”表每行的一级目录须是其中之一（忽略空格与全角半角差异）。"""
    listed = [c for spec in ctx.layout.tables if isinstance(spec, ServicesSpec) for c in spec.categories]
    known = {normalize_text(c) for c in listed}
    for service in ctx.budget.services if known else ():
        if normalize_text(service.category) not in known:
            yield services_in_directory.rule.finding(
                f"一级目录“{service.category}”不在本格式的政府购买服务指导性目录中",
                ctx.cell(service.where, "一级目录"), expected="、".join(dict.fromkeys(listed)),
                actual=service.category, unit=service.unit, project=service.project)


CHECKS = (services_within_projects, services_of_project_unit, services_in_directory)
