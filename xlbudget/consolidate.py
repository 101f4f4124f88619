"""One department from several unit workbooks: the budgets merged into one, conflicts reported.

Nothing a clerk typed is lost and the result does not depend on the order of the files:

- the workbooks are ordered first — the 部门's own (本级) workbook, then the others by their
  smallest 单位编码 and file name — and everything is merged in that order;
- 说明事项 amounts (政府采购) and counts (车辆, 设备) are added up over the units;
- descriptive 说明事项 texts (主要职能, 机构设置, 变动原因 …) and each 项's 主要用途 come from the 本级
  workbook (from the first other workbook that gives one when 本级 leaves it empty); a different
  text of another unit is a finding naming both;
- every unit's 项目经费情况说明, 政府采购 and 政府购买服务 lines are kept (they belong to the unit and its projects);
- every 整体绩效目标 row is kept: one a one-unit workbook leaves without 单位编码 is its unit's.

Amounts are already exact 分 whatever each file's 金额单位, so differing units need no
conversion; year, department code and unit codes must agree across files.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TypeVar

from xlbudget.contract import NOTE_AMOUNT_KEYS, NOTE_COUNT_KEYS
from xlbudget.findings import INFO, Finding, Location
from xlbudget.model import Budget, Goal, Indicator, Purchase, Task, Unit, note_amount, note_count
from xlbudget.money import normalize_text, to_exact
from xlbudget.reading.rules import NOTE_NOT_SUMMABLE, NOTE_TEXTS_DIFFER, PURPOSES_DIFFER, WORKBOOKS_DISAGREE

HEAD_SUFFIXES = ("本级", "本部")  # unit names such as “XX局本级”, “XX局（本部）”
EXCERPT = 30  # characters of a text quoted in a message


def _file(budget: Budget) -> str:
    locations = [u.where for u in budget.units] + [i.where for i in budget.incomes]
    return next((loc.file for loc in locations if loc.file), "")


def _cell(budget: Budget, sheet: str, key: str) -> Location:
    """Where ``key`` was read in a unit workbook's key sheet (说明事项, 功能科目用途); the sheet when
    the budget does not know."""
    return budget.key_cells.get(sheet, {}).get(key) or Location(sheet, file=_file(budget))


def head_unit(units: Sequence[Unit], dept_code: str, dept_name: str) -> Unit | None:
    """The 部门's own unit (本级): the unit named as the 部门; else the one coded 部门编码 + "001"
    (the usual numbering); else one whose name ends in 本级 or 本部. None when no unit is."""
    def bare(name: str) -> str:
        return normalize_text(name).strip("()（）")

    tests: tuple[Callable[[Unit], bool], ...] = (
        lambda u: bare(u.name) == bare(dept_name),
        lambda u: u.code == dept_code + "001",
        lambda u: normalize_text(u.name).rstrip(")）").endswith(HEAD_SUFFIXES),
    )
    for test in tests:
        found = sorted((u for u in units if test(u)), key=lambda u: u.code)
        if found:
            return found[0]
    return None


def order_budgets(budgets: Sequence[Budget]) -> list[Budget]:
    """The 本级 workbook first, then the others by smallest 单位编码 and file name."""
    def key(budget: Budget) -> tuple[str, str]:
        return min((u.code for u in budget.units), default=""), _file(budget)

    ordered = sorted(budgets, key=key)
    lead = ordered[0]
    head = head_unit([u for b in ordered for u in b.units], lead.dept_code, lead.dept_name)
    first = next((b for b in ordered if head is not None and head in b.units), lead)
    return [first, *(b for b in ordered if b is not first)]


def merge_budgets(budgets: Sequence[Budget]) -> tuple[Budget, list[Finding]]:
    """Merge unit workbooks; the 本级 workbook's 基本信息 leads, disagreements are findings."""
    ordered = order_budgets(budgets)
    first = ordered[0]
    findings = _conflicts(ordered)
    notes, note_findings = _merge_notes(ordered)
    purposes, purpose_findings = _merge_purposes(ordered)
    prior: dict[str, int] = {}
    for budget in ordered:
        for key, value in budget.prior.items():
            prior[key] = prior.get(key, 0) + value
    merged = Budget(
        year=first.year, dept_code=first.dept_code, dept_name=first.dept_name,
        amount_unit=first.amount_unit,
        units=tuple(u for b in ordered for u in b.units),
        incomes=tuple(i for b in ordered for i in b.incomes),
        lines=tuple(line for b in ordered for line in b.lines),
        projects=tuple(p for b in ordered for p in b.projects),
        indicators=tuple(i for b in ordered for i in b.indicators),
        prior=prior, notes=notes, purposes=purposes,
        statements=tuple(s for b in ordered for s in b.statements),
        services=tuple(s for b in ordered for s in b.services),
        purchases=_merge_purchases(ordered),
        goals=tuple(g for b in ordered for g in _own(b, b.goals)),
        tasks=tuple(t for b in ordered for t in _own(b, b.tasks)),
        goal_indicators=tuple(i for b in ordered for i in _own(b, b.goal_indicators)),
        catalog=first.catalog, columns=_columns(ordered), key_cells=_text_cells(ordered),
    )
    return merged, findings + note_findings + purpose_findings


def _merge_purchases(ordered: Sequence[Budget]) -> tuple[Purchase, ...] | None:
    """Every unit's 政府采购 lines, in the merge order; None when no workbook has the sheet."""
    if all(b.purchases is None for b in ordered):
        return None
    return tuple(p for b in ordered for p in b.purchases or ())


def _columns(ordered: Sequence[Budget]) -> dict[str, dict[str, str]]:
    """Each sheet's header letters, from the first workbook that has the sheet (an optional sheet
    such as 政府采购 may be in a unit's workbook only)."""
    columns: dict[str, dict[str, str]] = {}
    for budget in ordered:
        for sheet, letters in budget.columns.items():
            columns.setdefault(sheet, letters)
    return columns


Owned = TypeVar("Owned", Goal, Task, Indicator)


def _own(budget: Budget, items: tuple[Owned, ...]) -> tuple[Owned, ...]:
    """整体绩效目标 rows of a one-unit workbook with a blank 单位编码 are its unit's (a 部门's own goals
    name the 部门编码)."""
    if len(budget.units) != 1:
        return items
    code = budget.units[0].code
    return tuple(replace(item, unit=code) if not item.unit else item for item in items)


def _conflicts(ordered: Sequence[Budget]) -> list[Finding]:
    """Year, 部门编码 and 金额单位 against the lead workbook's; units given twice."""
    first, findings = ordered[0], []
    first_file = _file(first)
    seen_units = {u.code: u for u in first.units}
    for other in ordered[1:]:
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
    return findings


def _text_cells(ordered: Sequence[Budget]) -> dict[str, dict[str, Location]]:
    """The cells of the texts the 部门 takes from one workbook (descriptive 说明事项, 主要用途), in the
    workbook they are taken from; summed figures (说明事项 amounts and counts, 上年数) have no one cell."""
    cells: dict[str, dict[str, Location]] = {"说明事项": {}, "功能科目用途": {}}
    for budget in reversed(ordered):  # the first workbook that gives a text wins, as in _merge_notes
        for key, text in budget.notes.items():
            if text.strip() and key not in NOTE_AMOUNT_KEYS and key not in NOTE_COUNT_KEYS:
                cells["说明事项"][key] = _cell(budget, "说明事项", key)
        for code, text in budget.purposes.items():
            if text.strip():
                cells["功能科目用途"][code] = _cell(budget, "功能科目用途", code)
    return cells


def _excerpt(text: str) -> str:
    return text if len(text) <= EXCERPT else text[:EXCERPT] + "…"


def _merge_notes(ordered: Sequence[Budget]) -> tuple[dict[str, str], list[Finding]]:
    keys = list(dict.fromkeys(k for b in ordered for k in b.notes))
    notes: dict[str, str] = {}
    findings: list[Finding] = []
    for key in keys:
        given = [(b, text) for b in ordered if (text := b.notes.get(key, "").strip())]
        if not given:
            notes[key] = ""
        elif key in NOTE_AMOUNT_KEYS or key in NOTE_COUNT_KEYS:
            notes[key], found = _sum_note(key, given)
            findings += found
        else:
            notes[key], found = _one_text(key, given)
            findings += found
    return notes, findings


def _sum_note(key: str, given: Sequence[tuple[Budget, str]]) -> tuple[str, list[Finding]]:
    """The sum of a 说明事项 amount (as exact 元) or count over the units that give one."""
    is_amount = key in NOTE_AMOUNT_KEYS
    values = [(b, text, note_amount(b, key) if is_amount else note_count(b, key)) for b, text in given]
    findings = [NOTE_NOT_SUMMABLE.finding(
        f"{_file(b)} 说明事项“{key}”为“{_excerpt(text)}”，不是{'金额' if is_amount else '数量'}，未计入部门合计",
        _cell(b, "说明事项", key), actual=text) for b, text, value in values if value is None]
    numbers = [value for _, _, value in values if value is not None]
    if not numbers:
        return given[0][1], findings
    total = sum(numbers)
    return (f"{to_exact(total, '元')}元" if is_amount else str(total)), findings


def _one_text(key: str, given: Sequence[tuple[Budget, str]]) -> tuple[str, list[Finding]]:
    """A descriptive text: the 本级 one; each other unit's different text is a finding."""
    lead, text = given[0]  # in workbook order: the 本级 one when it gives one
    return text, [NOTE_TEXTS_DIFFER.finding(
        f"{_file(b)} 说明事项“{key}”为“{_excerpt(other)}”，与 {_file(lead)} 的“{_excerpt(text)}”"
        f"不同；部门预算说明采用 {_file(lead)} 的", _cell(b, "说明事项", key),
        expected=_excerpt(text), actual=_excerpt(other))
        for b, other in given if b is not lead and other != text]


def _merge_purposes(ordered: Sequence[Budget]) -> tuple[dict[str, str], list[Finding]]:
    """Each 项's 主要用途: the 本级 one; another unit's different text for the same 项 is a finding."""
    codes = sorted({code for b in ordered for code in b.purposes})
    purposes: dict[str, str] = {}
    findings: list[Finding] = []
    for code in codes:
        given = [(b, text) for b in ordered if (text := b.purposes.get(code, "").strip())]
        if not given:
            purposes[code] = ""
            continue
        lead, text = given[0]  # in workbook order: the 本级 one when it gives one
        purposes[code] = text
        name = lead.function_name(code)
        findings += [PURPOSES_DIFFER.finding(
            f"功能分类 {code} {name} 的主要用途：{_file(b)} 填写“{_excerpt(other)}”，"
            f"{_file(lead)} 填写“{_excerpt(text)}”；部门预算说明采用 {_file(lead)} 的",
            _cell(b, "功能科目用途", code), expected=_excerpt(text), actual=_excerpt(other))
            for b, other in given if b is not lead and other != text]
    return purposes, findings
