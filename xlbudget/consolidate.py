"""One department from several unit workbooks: the budgets merged into one, conflicts reported.

Amounts are already exact 分 whatever each file's 金额单位, so differing units need no
conversion; year, department code and unit codes must agree across files.
"""

from __future__ import annotations

from collections.abc import Sequence

from xlbudget.findings import INFO, Finding, Location
from xlbudget.model import Budget
from xlbudget.reading.rules import WORKBOOKS_DISAGREE


def _file(budget: Budget) -> str:
    locations = [u.where for u in budget.units] + [i.where for i in budget.incomes]
    return next((loc.file for loc in locations if loc.file), "")


def merge_budgets(budgets: Sequence[Budget]) -> tuple[Budget, list[Finding]]:
    """Merge unit workbooks; the first file's 基本信息 leads, disagreements are errors."""
    first, findings = budgets[0], []
    first_file = _file(first)
    seen_units = {u.code: u for u in first.units}
    for other in budgets[1:]:
        other_file = _file(other)
        for label, mine, theirs in (("预算年度", first.year, other.year),
                                    ("部门编码", first.dept_code, other.dept_code)):
            if mine != theirs:
                findings.append(WORKBOOKS_DISAGREE.finding(
                    f"{other_file} 的{label}为“{theirs}”，与 {first_file} 的“{mine}”不一致",
                    Location("基本信息", file=other_file),
                    hint="同一部门的各单位工作簿应填写相同的预算年度和部门编码。",
                    expected=str(mine), actual=str(theirs)))
        if other.amount_unit != first.amount_unit:
            findings.append(WORKBOOKS_DISAGREE.finding(
                f"{other_file} 以{other.amount_unit}填报，{first_file} 以{first.amount_unit}填报，"
                "已按分精确换算后合并", Location("基本信息", file=other_file), severity=INFO, hint="无需处理。"))
        for unit in other.units:
            if unit.code in seen_units:
                earlier = seen_units[unit.code]
                findings.append(WORKBOOKS_DISAGREE.finding(
                    f"单位编码 {unit.code} 同时出现在 {earlier.where.file}（{earlier.where}）"
                    f"和 {unit.where.file}（{unit.where}）", unit.where,
                    hint="每个单位只应在一个工作簿中填报；请删除重复的单位。", unit=unit.code))
            else:
                seen_units[unit.code] = unit
    prior: dict[str, int] = {}
    notes: dict[str, str] = {}
    for budget in budgets:
        for key, value in budget.prior.items():
            prior[key] = prior.get(key, 0) + value
        for key, text in budget.notes.items():
            notes.setdefault(key, text)
    merged = Budget(
        year=first.year, dept_code=first.dept_code, dept_name=first.dept_name,
        amount_unit=first.amount_unit,
        units=tuple(u for b in budgets for u in b.units),
        incomes=tuple(i for b in budgets for i in b.incomes),
        lines=tuple(line for b in budgets for line in b.lines),
        projects=tuple(p for b in budgets for p in b.projects),
        indicators=tuple(i for b in budgets for i in b.indicators),
        prior=prior, notes=notes, catalog=first.catalog, columns=first.columns,
    )
    return merged, findings
