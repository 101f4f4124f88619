"""Generated budgets: valid, balanced, on the real 2022 catalog.

``budgets()`` is a hypothesis strategy for property tests; ``generate_budget()`` is a plain,
seeded generator (no hypothesis) for benchmarks and fuzzing. Both build the budget through
``assemble``, which derives the incomes from the lines so every unit balances per source.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from dataclasses import replace
from functools import cache

from hypothesis import strategies as st
from hypothesis.vendor.pretty import for_type_by_name

from xlbudget import contract
from xlbudget.catalog import Catalog, load_catalog
from xlbudget.checks.catalog import SOURCE_FUND
from xlbudget.model import BASIC, Budget, Income, Indicator, Line, Project, Unit

YEAR = 2022
DEPT_CODE = "157"
BASIC_ECON_CLASSES = ("301", "302", "303", "310")
THREE_PUBLIC_ECON = ("30212", "31013", "30913", "30231", "30217")  # drawn more often than others
MAX_AMOUNT = 10**11  # 分, i.e. 10 亿元
SMALL_AMOUNT = 100  # 分: amounts below 1 元 exercise the display rounding
# Text a clerk types: Chinese, digits, signs that look like formulas or numbers, inner spaces.
TEXT_ALPHABET = "政务服务大数据中心管理局宣传经费网络安全检测修复接待差旅群众满意度" \
                "0123456789.%≥≤=+-（）()、，ABCxyz "


@cache
def catalog() -> Catalog:
    """The 2022 catalog, loaded once per process."""
    return load_catalog(YEAR)


# A falsifying example prints the catalog as the call that made it, not its thousand entries.
for_type_by_name("xlbudget.catalog", "Catalog", lambda obj, p, cycle: p.text(f"load_catalog({obj.year})"))


@cache
def function_codes() -> tuple[str, ...]:
    """7-digit 功能分类 项 codes that are leaves of the catalog."""
    table = catalog().functional
    parents = {e.parent for e in table.values()}
    return tuple(sorted(c for c, e in table.items() if e.level == "项" and len(c) == 7 and c not in parents))


@cache
def fund_function_codes(source: str) -> tuple[str, ...]:
    """The 项 of ``function_codes`` that money of ``source`` may sit on (XB209): a fiscal source
    on its own budget's subjects, any other source anywhere."""
    if source not in SOURCE_FUND:
        return function_codes()
    return tuple(c for c in function_codes() if catalog().functional[c].fund == SOURCE_FUND[source])


@cache
def econ_codes(basic: bool) -> tuple[str, ...]:
    """5-digit 部门经济分类 款 codes; for basic lines only the classes 301/302/303/310."""
    codes = sorted(c for c, e in catalog().econ_dept.items() if e.level == "款" and len(c) == 5)
    return tuple(c for c in codes if not basic or c[:3] in BASIC_ECON_CLASSES)


def line_key(line: Line) -> tuple[str, str, str, str, str]:
    """What identifies a line in the workbook (two rows with the same key would be duplicates)."""
    return (line.unit, line.project, line.function, line.econ, line.source)


def balanced_incomes(lines: Iterable[Line]) -> tuple[Income, ...]:
    """One income per (unit, source): the total of the unit's lines of that source."""
    totals: dict[tuple[str, str], int] = {}
    for line in lines:
        totals[(line.unit, line.source)] = totals.get((line.unit, line.source), 0) + line.amount
    return tuple(Income(unit, source, amount) for (unit, source), amount in totals.items())


def assemble(units: Sequence[Unit], projects: Sequence[Project], lines: Sequence[Line],
             indicators: Sequence[Indicator] = (), prior: dict[str, int] | None = None,
             notes: dict[str, str] | None = None, amount_unit: str = "万元",
             dept_name: str = "某某市某某局") -> Budget:
    """A balanced budget of these items (duplicate line keys dropped, first kept)."""
    unique: dict[tuple[str, ...], Line] = {}
    for line in lines:
        unique.setdefault(line_key(line), line)
    kept = tuple(unique.values())
    return Budget(
        year=YEAR, dept_code=units[0].code if units else DEPT_CODE + "001", dept_name=dept_name,
        amount_unit=amount_unit, units=tuple(units), incomes=balanced_incomes(kept), lines=kept,
        projects=tuple(projects), indicators=tuple(indicators), prior=dict(prior or {}),
        notes=dict(notes or {}), catalog=catalog(),
    )


# -- hypothesis ----------------------------------------------------------------------------------
def texts(min_size: int = 1, max_size: int = 12) -> st.SearchStrategy[str]:
    """Non-empty text without leading/trailing spaces (readers trim cells)."""
    return (st.text(TEXT_ALPHABET, min_size=min_size, max_size=max_size)
            .map(str.strip).filter(lambda s: len(s) >= min_size))


def amounts() -> st.SearchStrategy[int]:
    """分: small ones (rounding tails), round 元/万元 figures and anything up to 10^11."""
    return st.one_of(
        st.integers(1, SMALL_AMOUNT),
        st.integers(1, MAX_AMOUNT // 1_000_000).map(lambda n: n * 1_000_000),
        st.integers(1, MAX_AMOUNT),
    )


@st.composite
def _line(draw: st.DrawFn, unit: str, project: str) -> Line:
    codes = econ_codes(project == BASIC)
    often = [c for c in THREE_PUBLIC_ECON if c in codes]
    econ = draw(st.one_of(st.sampled_from(codes), st.sampled_from(often)))
    # the optional 政府经济分类编码: one of the codes the mapping allows for this economic code
    overrides = sorted(catalog().gov_candidates(econ, "其他"))
    override = draw(st.sampled_from(["", "", "", *overrides]))
    return Line(unit=unit, function=draw(st.sampled_from(function_codes())), econ=econ,
                source=draw(st.sampled_from(contract.SOURCES)), amount=draw(amounts()),
                project=project, gov_override=override)


@st.composite
def _indicators(draw: st.DrawFn, project: str) -> list[Indicator]:
    return draw(st.lists(st.builds(
        Indicator, st.just(project), st.sampled_from(contract.INDICATOR_CATEGORIES),
        st.one_of(st.just(""), texts()), texts(), texts(max_size=8)), max_size=5))


@st.composite
def budgets(draw: st.DrawFn, max_units: int = 5, max_lines: int = 40,
            max_projects: int = 8) -> Budget:
    """A valid, balanced budget: 1..max_units units (codes like 157001), up to max_projects
    projects each with at least one line, 1..max_lines lines on real catalog codes, and
    incomes equal to the lines per unit and source."""
    dept = draw(st.sampled_from((DEPT_CODE, "041", "001")))  # codes may start with 0 (text, not numbers)
    numbers = draw(st.lists(st.integers(1, 999), min_size=1, max_size=max_units, unique=True))
    units = [Unit(f"{dept}{n:03d}", draw(texts()), draw(st.sampled_from(contract.UNIT_TYPES)))
             for n in numbers]
    unit_codes = [u.code for u in units]
    codes = draw(st.lists(st.integers(0, 10**20 - 1).map(lambda n: f"{n:020d}"), unique=True,
                          max_size=min(max_projects, max_lines)))
    projects = [Project(code, draw(texts()), draw(st.sampled_from(contract.PROJECT_TYPES)),
                        draw(st.sampled_from(unit_codes))) for code in codes]
    lines: list[Line] = []
    for project in projects:  # every project spends something
        lines.append(draw(_line(project.unit, project.code)))
    owners = [(u, BASIC) for u in unit_codes] + [(p.unit, p.code) for p in projects]
    extra = draw(st.integers(0 if lines else 1, max_lines - len(lines)))
    for _ in range(extra):
        unit, project = draw(st.sampled_from(owners))
        lines.append(draw(_line(unit, project)))
    indicators: list[Indicator] = []
    if draw(st.booleans()):
        for project in projects:
            indicators += draw(_indicators(project.code))
    prior = draw(st.dictionaries(st.sampled_from(contract.PRIOR_KEYS), amounts(), max_size=4))
    notes = draw(st.dictionaries(st.sampled_from(contract.NOTE_KEYS), texts(max_size=30), max_size=3))
    return assemble(units, projects, lines, indicators, prior, notes,
                    amount_unit=draw(st.sampled_from(contract.AMOUNT_UNITS)), dept_name=draw(texts()))


# -- plain, seeded -------------------------------------------------------------------------------
def _amount(rng: random.Random) -> int:
    """Mostly typical line amounts (1 千元 to 1 千万元), some tiny, some huge."""
    roll = rng.random()
    if roll < 0.1:
        return rng.randint(1, SMALL_AMOUNT)
    if roll < 0.2:
        return rng.randint(1, MAX_AMOUNT)
    return rng.randint(1_000_00, 10_000_000_00)


def _econ(rng: random.Random, basic: bool, unit_type: str, clean: bool) -> str:
    """An economic code; ``clean``: one whose government code the catalog decides for the unit."""
    while True:
        code = rng.choice(econ_codes(basic))
        if not clean or len(catalog().gov_candidates(code, unit_type)) == 1:
            return code


def generate_budget(seed: int, units: int, lines: int, projects: int, clean: bool = False) -> Budget:
    """A balanced budget of exactly ``units`` units, ``projects`` projects and ``lines`` lines
    (at least one per project, so ``lines >= projects``), deterministic for ``seed``.
    ``clean``: no finding of severity error (no 单位类型 其他, every mapping decided) — what a
    department that passes the checks looks like, for merging, batch and benchmarks."""
    if units < 1 or lines < max(projects, 1):
        raise ValueError("need units >= 1 and lines >= max(projects, 1)")
    rng = random.Random(seed)
    types = [t for t in contract.UNIT_TYPES if t != "其他"] if clean else list(contract.UNIT_TYPES)
    unit_items = [Unit(f"{DEPT_CODE}{n:03d}", f"单位{n:03d}", rng.choice(types))
                  for n in range(1, units + 1)]
    unit_types = {u.code: u.type for u in unit_items}
    project_items = [Project(f"{41030022 + seed % 1000:08d}{n:012d}", f"项目{n}",
                             rng.choice(contract.PROJECT_TYPES), rng.choice(unit_items).code)
                     for n in range(1, projects + 1)]
    owners = [(u.code, BASIC) for u in unit_items] + [(p.unit, p.code) for p in project_items]
    functions, sources = function_codes(), contract.SOURCES
    made: dict[tuple[str, ...], Line] = {}
    while len(made) < lines:
        # the first ``projects`` lines go one to each project, the rest anywhere
        unit, project = owners[units + len(made)] if len(made) < projects else rng.choice(owners)
        line = Line(unit, rng.choice(functions), _econ(rng, project == BASIC, unit_types[unit], clean),
                    rng.choice(sources), _amount(rng), project)
        if clean and line.function not in fund_function_codes(line.source):
            line = replace(line, function=rng.choice(fund_function_codes(line.source)))
        made.setdefault(line_key(line), line)
    indicators = [Indicator(p.code, category, "指标", f"{category}{k}", f"≥{rng.randint(1, 100)}%")
                  for p in project_items for k, category in enumerate(contract.INDICATOR_CATEGORIES)]
    return assemble(unit_items, project_items, list(made.values()), indicators,
                    dept_name=f"部门{seed}")
