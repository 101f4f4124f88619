"""What every check is made of: a rule (stable id, severity, title, hint), a check function
yielding findings, and the context the functions read (the budget and its derived tables)."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import Any

from xlbudget.catalog import ECON_GOV, FUNCTIONAL, MAPPING
from xlbudget.display import Display, display_tables
from xlbudget.figures import FiguresError, named_figures
from xlbudget.findings import ERROR, Finding, Location, Rule
from xlbudget.layout import Cell, LayoutError, locate
from xlbudget.model import Budget, Income, Indicator, Line, Project, Unit
from xlbudget.money import DISPLAY_DECIMALS, DISPLAY_UNIT, Fen, amount_text, to_display
from xlbudget.profile import Profile, load_profile
from xlbudget.tables.base import Table
from xlbudget.tables.by_economic import PRINTS


@dataclass
class Context:
    """What the checks read: the budget, its derived tables, and lookups shared by the rules."""

    budget: Budget
    tables: Sequence[Table] = ()
    reading: Sequence[Finding] = ()  # the reader's findings
    found: list[Finding] = field(default_factory=list)  # the findings of the checks run so far
    memo: dict[str, object] = field(default_factory=dict)  # results several rules share
    profile: Profile | None = None  # the layout the tables were derived with
    given_display: Display | None = None  # the figures as displayed, when the caller has them

    @cached_property
    def layout(self) -> Profile:
        return self.profile or load_profile()

    @cached_property
    def printed(self) -> frozenset[str]:
        """The classifications (catalog kinds) whose codes or names the format's tables print:
        功能分类 always, 部门/政府经济分类 only where a table has their columns, the mapping with the
        政府经济分类. A rule about a classification no table prints reports nothing (a Shanghai
        disclosure prints no 政府经济分类, so its mapping is never needed)."""
        kinds = {PRINTS[c.field] for spec in self.layout.tables for c in spec.columns if c.field in PRINTS}
        kinds |= {kind for spec in self.layout.tables for kind in spec.prints()}
        return frozenset({FUNCTIONAL, *kinds, *([MAPPING] if ECON_GOV in kinds else [])})

    @cached_property
    def unregistered_units(self) -> frozenset[str]:
        """Unit codes used by incomes, lines or projects but not registered in the 单位 sheet
        (XB122). What depends on a unit's registration (its type, its balance) is judged only
        after the code is corrected: XB122 is the one finding."""
        b = self.budget
        used = {i.unit for i in b.incomes} | {x.unit for x in b.lines} | {p.unit for p in b.projects}
        used |= {p.unit for p in b.purchases or ()}
        used |= {s.unit for s in b.services}
        used |= {x.unit for x in b.goal_rows} - {b.dept_code}  # the 部门's own
        return frozenset(code for code in used if code and b.unit(code) is None)

    @cached_property
    def display(self) -> Display:
        """The tables' figures as displayed (as given, or each figure rounded alone)."""
        if self.given_display is not None:
            return self.given_display
        return display_tables(self.budget, self.layout, self.tables)

    @cached_property
    def cells(self) -> dict[str, tuple[Table, Cell] | None]:
        """Each named cell of the profile in the tables as displayed; None where it cannot be found
        (XB306)."""
        out: dict[str, tuple[Table, Cell] | None] = {}
        for name, ref in self.layout.figures.cells.items():
            try:
                out[name] = locate(self.display.shown, ref)
            except LayoutError:
                out[name] = None
        return out

    @cached_property
    def _figures(self) -> tuple[dict[str, Any] | None, str]:
        if not self.tables:
            return None, ""
        try:
            return named_figures(self.budget, list(self.display.shown), self.layout), ""
        except FiguresError as exc:
            return None, str(exc)

    @property
    def figures(self) -> dict[str, Any] | None:
        """The named figures as displayed (as the 预算说明 states them), by name; None without
        tables, or when the profile names a cell the tables lack (``figures_problem``, XB306)."""
        return self._figures[0]

    @property
    def figures_problem(self) -> str:
        return self._figures[1]

    @cached_property
    def file(self) -> str:
        """The input file name, for findings about a sheet as a whole."""
        b = self.budget
        items: tuple[Unit | Income | Line | Project | Indicator, ...] = (
            *b.units, *b.incomes, *b.lines, *b.projects, *b.indicators)
        places = [x.where for x in items]
        return next((where.file for where in places if where.file), "")

    def sheet(self, name: str) -> Location:
        return Location(name, file=self.file)

    def key_cell(self, sheet: str, key: str) -> Location:
        """The cell ``key``'s value was read from in a key sheet (上年数, 说明事项, 功能科目用途);
        the sheet when not known (a 部门's summed figures: 说明事项 amounts and counts, 上年数)."""
        return self.budget.key_cells.get(sheet, {}).get(key) or self.sheet(sheet)

    def cell(self, where: Location, header: str) -> Location:
        """The cell of ``header`` in the row of ``where`` (the clerk's workbook)."""
        return self.budget.where_cell(where, header)

    def unread_rows(self, *sheets: str) -> bool:
        """Whether the reader left out rows of ``sheets`` because of errors."""
        return any(f.severity == ERROR and f.where.sheet in sheets for f in self.reading)

    def errors(self, ignore: Sequence[str] = ()) -> bool:
        """Whether reading or an earlier check found an error (of a rule not in ``ignore``)."""
        return any(f.severity == ERROR and f.code not in ignore for f in (*self.reading, *self.found))

    def table(self, key: str) -> Table | None:
        return next((t for t in self.tables if t.key == key), None)

    def unit_label(self, code: str) -> str:
        """``157001 洛阳市…`` (the code alone when the 单位 sheet does not know it)."""
        unit = self.budget.unit(code)
        return f"{code} {unit.name}" if unit and unit.name else code

    def project_label(self, code: str) -> str:
        project = self.budget.project(code)
        return f"{code} {project.name}" if project and project.name else code

    def amount(self, fen: Fen) -> str:
        """An amount in the input's 金额单位, as exact as the clerk typed it: ``3,846.29 万元``."""
        return amount_text(fen, self.budget.amount_unit)

    @cached_property
    def project_amounts(self) -> dict[str, Fen]:
        """项目编码 → the sum of its 项目支出 lines."""
        sums: dict[str, Fen] = {}
        for line in self.budget.lines:
            if not line.is_basic:
                sums[line.project] = sums.get(line.project, 0) + line.amount
        return sums


def row_ref(first: Location, here: Location) -> str:
    """Where an earlier row is, from ``here``: ``第3行``, or ``a.xlsx 第3行`` in another file."""
    return f"第{first.row}行" if first.file == here.file else f"{first.file} 第{first.row}行"


def shown(value: Decimal) -> str:
    """A displayed figure with its unit, as the disclosure shows it: ``3,846.29 万元``."""
    return f"{value:,.{DISPLAY_DECIMALS}f} {DISPLAY_UNIT}"


def shown_fen(fen: Fen) -> str:
    """An amount rounded once for display (``money.to_display``), with its unit."""
    return shown(to_display(fen))


CheckFunction = Callable[[Context], Iterable[Finding]]


@dataclass(frozen=True)
class Check:
    """A check function and the rule it reports; the function's docstring describes the rule."""

    rule: Rule
    run: CheckFunction = field(repr=False)

    @property
    def description(self) -> str:
        """The docstring as one paragraph per blank-line-separated block (Chinese needs no spaces)."""
        blocks = inspect.cleandoc(self.run.__doc__ or "").split("\n\n")
        return "\n\n".join("".join(line.strip() for line in block.splitlines()) for block in blocks)

    def __call__(self, ctx: Context) -> Iterable[Finding]:
        return self.run(ctx)


def check(rule: Rule) -> Callable[[CheckFunction], Check]:
    """Decorator: register a function as the check of ``rule``."""
    return lambda run: Check(rule, run)
