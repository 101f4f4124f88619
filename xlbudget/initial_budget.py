"""The year's budget as the 部门决算's 年初预算 (``compile --budget``, ``check --budget``, ``template
--from`` a budget workbook with a 决算 format): the budget workbook xlbudget compiled gives the
年初预算 per 功能分类 项 and the “三公” 预算数, so the clerk does not type them again.

What is taken is 一般公共预算财政拨款 — the sources 一般公共预算 and 一般公共预算结转, what every built-in
budget format's 一般公共预算支出表 and “三公”经费表 show — summed per 项 (the 决算's 一般公共预算财政拨款
支出决算表 and the 情况说明's per-项 sentences) and per “三公” item (its 部门经济分类 款). Amounts stay
in 分, whatever 金额单位 either workbook is typed in. Where the 决算 workbook's own 年初预算 differs as
the 决算 prints it, a finding at its cell names the budget's figure; the budget's is used.

Where the format prints a 项目支出决算表 (its tables take the flow 项目年初预算), each project of the budget
(its 项目 sheet's unit and name: the 决算 project ``project_key``) gets as 项目年初预算 its lines'
一般公共预算财政拨款 — the same scope, what the 项目年初预算 sheet and the table's 年初预算数 column hold —
per 功能分类 项; a project with none is not taken, a project with no 决算 spending is still listed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace

from xlbudget import contract
from xlbudget.accounts_reader import project_key, projects_of
from xlbudget.findings import Finding, Location
from xlbudget.model import Budget, Line, total
from xlbudget.money import display_steps, fmt
from xlbudget.reading.rules import BUDGET_DISAGREES, BUDGET_OTHER_BODY, BUDGET_OTHER_UNITS, BUDGET_OTHER_YEAR

GENERAL = ("一般公共预算", "一般公共预算结转")  # 一般公共预算财政拨款 of a budget
PER_FUNCTION, PER_ITEM = contract.BUDGET_FLOWS[0], contract.THREE_PUBLIC_BUDGET_FLOWS[0]
EVERYWHERE = tuple(contract.THREE_PUBLIC_ITEMS)[:4]  # “三公” in every format; 会议费/培训费 only where budgeted
ITEM_OF_ECON = {codes[0]: item for item, codes in contract.THREE_PUBLIC_ITEMS.items()}  # a 决算's 三公 line
PER_PROJECT = contract.PROJECT_BUDGET_FLOWS[0]
SHEETS = {PER_FUNCTION: "年初预算", PER_ITEM: "三公经费"}  # the 决算 template's sheet of each flow
PROJECT_SHEET = "项目年初预算"
CARRIED_NOTES = ("主要职能",)  # 说明事项 a 决算 template takes from the year's budget

# A budget's 资金来源 as a 决算's: 财政拨款 carried over is spent as its fund, 财政专户管理资金 is 事业收入;
# the others by name (其他资金结转, 用事业基金弥补收支差额 are left for the clerk to choose).
ACCOUNT_SOURCE = {"一般公共预算结转": "一般公共预算", "政府性基金预算结转": "政府性基金预算",
                  "国有资本经营预算结转": "国有资本经营预算", "财政专户管理资金": "事业收入"}

Planned = dict[tuple[str, str], list[Line]]  # (flow, 项 code or “三公” item) → the budget lines it sums
# (决算 project key, 项 code, or "" for the project as a whole) → the budget lines it sums
ProjectPlan = dict[tuple[str, str], list[Line]]


def planned(budget: Budget) -> Planned:
    """The budget's 一般公共预算财政拨款 lines per 功能分类 项 (flow 年初预算) and per “三公” item (flow
    三公年初预算; the four items always, 会议费/培训费 when budgeted)."""
    general = [line for line in budget.lines if line.source in GENERAL]
    out: Planned = {}
    for line in general:
        out.setdefault((PER_FUNCTION, line.function), []).append(line)
    for item, codes in contract.THREE_PUBLIC_ITEMS.items():
        lines = [line for line in general if line.econ in codes]
        if item in EVERYWHERE or total(lines):
            out[(PER_ITEM, item)] = lines
    return out


def planned_projects(budget: Budget) -> ProjectPlan:
    """The budget's 一般公共预算财政拨款 project lines per 决算 project (unit and 项目名称) and 功能分类 项."""
    out: ProjectPlan = {}
    for line in budget.lines:
        if line.is_basic or line.source not in GENERAL:
            continue
        project = budget.project(line.project)
        key = project_key(line.unit, project.name if project else line.project)
        out.setdefault((key, line.function), []).append(line)
    return out


def project_lines(plan: ProjectPlan, where: Callable[[tuple[str, str]], Location]) -> list[Line]:
    """The 项目年初预算 as 决算 lines, each of its project's unit, at ``where`` its key."""
    return [Line(parts[0].unit, function, "", GENERAL[0], total(parts), key, where=where((key, function)),
                 flow=PER_PROJECT) for (key, function), parts in sorted(plan.items()) if total(parts)]


def initial_lines(plan: Planned, owner: str, where: dict[tuple[str, str], Location]) -> list[Line]:
    """The 年初预算 as 决算 lines of ``owner`` (the 部门's first unit), each at ``where`` its key, else at
    its sheet of the 决算 template."""
    lines = []
    for (flow, key), parts in sorted(plan.items(), key=_order):
        function, econ = (key, "") if flow == PER_FUNCTION else ("", contract.THREE_PUBLIC_ITEMS[key][0])
        place = where.get((flow, key), Location(SHEETS[flow]))
        lines.append(Line(owner, function, econ, GENERAL[0], total(parts), where=place, flow=flow))
    return lines


def _order(entry: tuple[tuple[str, str], list[Line]]) -> tuple[str, int, str]:
    """项 by code, then the “三公” items in the contract's order (因公出国（境）费 first)."""
    (flow, key), _ = entry
    items = list(contract.THREE_PUBLIC_ITEMS)
    return (flow, items.index(key) if flow == PER_ITEM else 0, key)


def with_budget(accounts: Budget, budget: Budget, unit: str, decimals: int,
                projects: bool = False) -> tuple[Budget, list[Finding]]:
    """The 决算 ``accounts`` with the 年初预算 of ``budget`` (its year's budget workbook; ``projects``: the
    项目年初预算 too, when the format prints it), and the findings: another year or 部门 (nothing taken),
    other units, and each 年初预算 the 决算 workbook typed that differs as printed (``unit``, ``decimals``:
    the 决算 format's) or that it left out."""
    mismatch = list(_other_body(accounts, budget))
    if mismatch:
        return accounts, mismatch
    plan = planned(budget)
    typed = _typed(accounts)
    file = _file(accounts)
    where = {key: lines[0].where for key, lines in typed.items()}
    where |= {key: Location(SHEETS[key[0]], file=file) for key in plan if key not in where}
    kept = tuple(line for line in accounts.lines if line.flow not in SHEETS)
    owner = accounts.units[0].code if accounts.units else ""
    filled = replace(accounts, lines=kept + tuple(initial_lines(plan, owner, where)))
    found = [*_other_units(accounts, budget), *_disagreements(accounts, typed, plan, where, unit, decimals)]
    if projects:
        filled, more = _with_projects(filled, planned_projects(budget), file, unit, decimals)
        found += more
    return filled, found


def _with_projects(accounts: Budget, plan: ProjectPlan, file: str, unit: str,
                   decimals: int) -> tuple[Budget, list[Finding]]:
    """``accounts`` with the budget's 项目年初预算 in place of its own, and each typed one that differs as
    printed (per project and 项, or per project where the clerk typed no 功能分类编码) or that is left out."""
    typed: ProjectPlan = {}
    for line in accounts.lines:
        if line.flow == PER_PROJECT:
            typed.setdefault((line.project, line.function), []).append(line)
    whole = {key for key, function in typed if not function}  # typed without 项: compared as a whole
    compared: ProjectPlan = {}
    for (key, function), parts in plan.items():
        compared.setdefault((key, "" if key in whole else function), []).extend(parts)
    sheet = Location(PROJECT_SHEET, file=file)
    places = {key: lines[0].where for key, lines in typed.items()}

    def where(key: tuple[str, str]) -> Location:
        return places.get(key) or places.get((key[0], "")) or sheet
    lines = project_lines(plan, where)
    kept = tuple(line for line in accounts.lines if line.flow != PER_PROJECT)
    known = {project.code for project in accounts.projects}
    filled = replace(accounts, lines=kept + tuple(lines),
                     projects=accounts.projects + tuple(p for p in projects_of(lines) if p.code not in known))
    due = set(typed) | ({key for key, parts in compared.items() if total(parts)} if typed else set())
    names = {project.code: project.name for project in filled.projects}

    def name(key: tuple[str, str]) -> str:
        project, function = key
        return f"项目“{names.get(project, project)}”" + (f"（{function}）" if function else "")
    return filled, list(_differences(due, typed, compared, {k: where(k) for k in due}, name, unit, decimals))


def _file(budget: Budget) -> str:
    """The workbook's file name (as its rows remember it)."""
    places = [unit.where.file for unit in budget.units] + [line.where.file for line in budget.lines]
    return next((file for file in places if file), "")


def _typed(accounts: Budget) -> Planned:
    """The 决算 workbook's own 年初预算 lines by (flow, key)."""
    out: Planned = {}
    for line in accounts.lines:
        if line.flow == PER_FUNCTION:
            out.setdefault((PER_FUNCTION, line.function), []).append(line)
        elif line.flow == PER_ITEM:
            out.setdefault((PER_ITEM, ITEM_OF_ECON[line.econ]), []).append(line)
    return out


def _other_body(accounts: Budget, budget: Budget) -> Iterator[Finding]:
    """A budget of another year or of another 部门 (both 部门编码 given and different)."""
    info = Location("基本信息", file=_file(budget))
    if budget.year != accounts.year:
        yield BUDGET_OTHER_YEAR.finding(
            f"预算工作簿的预算年度是 {budget.year}，决算年度是 {accounts.year}：未取用预算工作簿的年初预算", info,
            expected=str(accounts.year), actual=str(budget.year))
    if budget.dept_code and accounts.dept_code and budget.dept_code != accounts.dept_code:
        yield BUDGET_OTHER_BODY.finding(
            f"预算工作簿的部门是“{budget.dept_code} {budget.dept_name}”，决算工作簿的部门是“{accounts.dept_code} "
            f"{accounts.dept_name}”：未取用预算工作簿的年初预算", info,
            expected=accounts.dept_code, actual=budget.dept_code)


def _other_units(accounts: Budget, budget: Budget) -> Iterator[Finding]:
    mine, theirs = ({u.code for u in b.units} for b in (accounts, budget))
    if mine != theirs:
        parts = [f"{label}：{'、'.join(sorted(codes))}" for label, codes in
                 (("只在决算工作簿中", mine - theirs), ("只在预算工作簿中", theirs - mine)) if codes]
        yield BUDGET_OTHER_UNITS.finding(f"两个工作簿的单位不同（{'；'.join(parts)}）", Location("单位", file=_file(accounts)),
                                         expected="、".join(sorted(mine)), actual="、".join(sorted(theirs)))


def _disagreements(accounts: Budget, typed: Planned, plan: Planned, where: dict[tuple[str, str], Location],
                   unit: str, decimals: int) -> Iterator[Finding]:
    """Each typed 年初预算 that differs from the budget's as printed, and each budgeted one left out of a
    sheet the clerk filled."""
    filled = {flow for flow, _ in typed}
    due = set(typed) | {key for key, lines in plan.items() if key[0] in filled and total(lines)
                        and (key[0] == PER_FUNCTION or key[1] in EVERYWHERE)}
    def name(key: tuple[str, str]) -> str:
        flow, code = key
        return f"“{code} {accounts.function_name(code)}”" if flow == PER_FUNCTION else f"“{code}”"
    yield from _differences(due, typed, plan, where, name, unit, decimals)


def _differences(due: set[tuple[str, str]], typed: Planned, plan: Planned, where: dict[tuple[str, str], Location],
                 name: Callable[[tuple[str, str]], str], unit: str, decimals: int) -> Iterator[Finding]:
    """A finding for each key of ``due`` whose typed and budgeted 年初预算 differ as printed."""
    for key in sorted(due):
        mine, theirs = total(typed.get(key, ())), total(plan.get(key, ()))
        if display_steps(mine, unit, decimals) == display_steps(theirs, unit, decimals):
            continue
        said = f"填 {fmt(mine, unit, decimals)} {unit}" if key in typed else "未填"
        yield BUDGET_DISAGREES.finding(
            f"{name(key)}的年初预算：决算工作簿{said}，预算工作簿为 {fmt(theirs, unit, decimals)} {unit}"
            f"（{_source(plan.get(key, ()))}），按预算工作簿编制", where[key],
            expected=fmt(theirs, unit, decimals), actual=fmt(mine, unit, decimals),
            difference=fmt(mine - theirs, unit, decimals))


def _source(lines: Iterable[Line]) -> str:
    """Where a budgeted figure comes from: the budget workbook's lines that add up to it."""
    lines = list(lines)
    if not lines:
        return "预算工作簿中没有这一项的一般公共预算支出"
    first = lines[0].where
    place = f"{first.file} {first}" if first.file else str(first)
    return f"{place}{f' 等 {len(lines)} 行' if len(lines) > 1 else ''}一般公共预算支出的合计"


def accounts_from_budget(budget: Budget, projects: bool = False) -> Budget:
    """The start of the year's 决算 template (``template --from`` the budget workbook with a 决算 format):
    its 部门, 单位, 主要职能 and 年初预算 (per 项 and per “三公” item; ``projects``: per project too); no
    actual figures."""
    owner = budget.units[0].code if budget.units else ""
    mine = project_lines(planned_projects(budget), lambda key: Location(PROJECT_SHEET)) if projects else []
    lines = (*initial_lines(planned(budget), owner, {}), *mine)
    return replace(budget, incomes=(), lines=lines, projects=projects_of(mine),
                   indicators=(), prior={}, notes={k: v for k, v in budget.notes.items() if k in CARRIED_NOTES},
                   note_units={}, purposes={}, statements=(), reasons={})


def project_rows(budget: Budget) -> list[dict[str, object]]:
    """The 决算 template's 本年支出 rows for the budget's projects, one per project × 功能分类 × 经济分类 ×
    资金来源 (as a 决算's), 金额 left blank for the clerk to fill with the actual (0 if none was spent)."""
    rows: dict[tuple[object, ...], dict[str, object]] = {}
    for line in budget.lines:
        if line.is_basic:
            continue
        project = budget.project(line.project)
        source = ACCOUNT_SOURCE.get(line.source, line.source if line.source in contract.ACCOUNT_SOURCES else "")
        row: dict[str, object] = {
            "单位编码": line.unit, "功能分类编码": line.function, "经济分类编码": line.econ, "资金来源": source,
            "支出类型": contract.SPENDING_FLOWS[1], "项目名称": project.name if project else line.project,
            "备注": f"预算项目 {line.project}"}
        rows.setdefault(tuple(row.values()), row)
    return list(rows.values())
