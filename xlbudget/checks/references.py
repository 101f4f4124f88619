"""Profile rules: every cell the profile names (for the 预算说明, the checks and the 汇总) is in
the derived tables. A reference that cannot be resolved is reported, never skipped."""

from __future__ import annotations

from collections.abc import Iterator

from xlbudget.checks.base import Context, Rule, check
from xlbudget.findings import ERROR, Finding, Location
from xlbudget.layout import LayoutError, locate

FAMILY = "格式配置"
HINT = "格式配置（--profile）与公开表不一致：请检查格式配置文件中 [figures] 所引用的表、行和列，或联系维护人员。"


@check(Rule("XB306", ERROR, "格式配置引用的单元格在公开表中找不到", HINT, FAMILY))
def unresolved_references(ctx: Context) -> Iterator[Finding]:
    """格式配置中命名的每个数字（预算说明、校验和批量汇总所读的表、行、列）都必须能在编制出的公开表中
    找到；找不到时报告为错误，相关的校验不会悄悄跳过。"""
    if not ctx.tables:
        return
    where = Location(file=ctx.layout.source)  # the profile file
    for name, ref in ctx.layout.figures.cells.items():
        try:
            locate(ctx.tables, ref)
        except LayoutError as exc:
            yield unresolved_references.rule.finding(f"数字“{name}”：{exc}", where)
    if ctx.figures_problem:
        yield unresolved_references.rule.finding(ctx.figures_problem, where)


CHECKS = (unresolved_references,)
