"""Generated 部门决算 (hypothesis): valid and balanced, on the real catalog, as the 决算 reader gives
them — lines with flows, income equal to spending per unit × 功能分类 × 资金来源, 年初预算 and 调整预算
per 项, “三公” (and 会议费 / 培训费) 年初预算 per item, project names on 项目支出."""

from __future__ import annotations

from hypothesis import strategies as st

from tests.strategies import amounts, catalog, econ_codes, function_codes, texts
from xlbudget import contract
from xlbudget.accounts_reader import project_key, projects_of
from xlbudget.model import Budget, Line, Unit

YEAR = 2024
OFTEN = ("30212", "31013", "30231", "30217", "30215", "30216", "30201")  # 三公, 会议费, 培训费: drawn often
FISCAL = contract.FISCAL_CURRENT


@st.composite
def _spending(draw: st.DrawFn, unit: str, projects: list[str]) -> Line:
    flow = draw(st.one_of(st.sampled_from(contract.SPENDING_FLOWS[:2]), st.sampled_from(contract.SPENDING_FLOWS)))
    source = draw(st.one_of(st.just("一般公共预算"), st.sampled_from(contract.ACCOUNT_SOURCES)))
    basic = flow == "基本支出"
    codes = econ_codes(basic)
    econ = draw(st.one_of(st.sampled_from(codes), st.sampled_from([c for c in OFTEN if c in codes])))
    if not basic and draw(st.booleans()):
        econ = ""  # the 经济分类 is required only for 财政拨款 基本支出
    name = draw(st.sampled_from(projects)) if flow == "项目支出" and projects else ""
    return Line(unit, draw(st.sampled_from(function_codes())), econ, source, draw(amounts()), project_key(unit, name),
                flow=flow)


def _key(line: Line) -> tuple[str, ...]:
    return (line.unit, line.project, line.function, line.econ, line.source, line.flow)


def _incomes(spent: list[Line]) -> tuple[Line, ...]:
    """One income line per unit × 功能分类 × 资金来源, equal to what it spent: every identity holds."""
    sums: dict[tuple[str, str, str], int] = {}
    for line in spent:
        key = (line.unit, line.function, line.source)
        sums[key] = sums.get(key, 0) + line.amount
    return tuple(Line(unit, function, "", source, amount, flow=contract.INCOME_FLOW)
                 for (unit, function, source), amount in sorted(sums.items()))


@st.composite
def accounts(draw: st.DrawFn, max_units: int = 3, max_lines: int = 25) -> Budget:
    numbers = draw(st.lists(st.integers(1, 999), min_size=1, max_size=max_units, unique=True))
    units = [Unit(f"001{n:03d}", draw(texts()), draw(st.sampled_from(contract.UNIT_TYPES))) for n in numbers]
    names = draw(st.lists(texts(max_size=10), max_size=5, unique=True))
    spent: dict[tuple[str, ...], Line] = {}
    for _ in range(draw(st.integers(1, max_lines))):
        line = draw(_spending(draw(st.sampled_from([u.code for u in units])), names))
        spent.setdefault(_key(line), line)
    owner = units[0].code  # 年初预算 is the 部门's, kept with its first unit (as read)
    used = sorted({line.function for line in spent.values()})
    planned = [Line(owner, code, "", "一般公共预算", draw(amounts()), flow=flow)
               for code in draw(st.lists(st.sampled_from(used), unique=True))
               for flow in contract.BUDGET_FLOWS[: draw(st.integers(1, 2))]]
    items = draw(st.lists(st.sampled_from(list(contract.THREE_PUBLIC_ITEMS)), unique=True))
    three = [Line(owner, "", contract.THREE_PUBLIC_ITEMS[item][0], "一般公共预算", draw(amounts()),
                  flow=contract.THREE_PUBLIC_BUDGET_FLOWS[0]) for item in items]
    lines = (*_incomes(list(spent.values())), *spent.values(), *planned, *three,
             *draw(_project_budgets([u.code for u in units], names, list(spent.values()))))
    return Budget(year=YEAR, dept_code="001", dept_name=draw(texts()), amount_unit="万元", units=tuple(units),
                  incomes=(), lines=lines, projects=projects_of(lines), catalog=catalog())


@st.composite
def _project_budgets(draw: st.DrawFn, units: list[str], names: list[str], spent: list[Line]) -> list[Line]:
    """年初预算 and 调整预算 of some projects (of one unit and name), on a 项 the project spends on, another
    项 or none, and of projects with no spending."""
    out: list[Line] = []
    for unit in units:
        for name in draw(st.lists(st.sampled_from(names), unique=True)) if names else ():
            key = project_key(unit, name)
            used = sorted({x.function for x in spent if x.project == key}) or [""]
            function = draw(st.sampled_from([*used, "", draw(st.sampled_from(function_codes()))]))
            for flow in contract.PROJECT_BUDGET_FLOWS[: draw(st.integers(1, 2))]:
                out.append(Line(unit, function, "", "一般公共预算", draw(amounts()), key, flow=flow))
    return out
