"""The typed budget: frozen dataclasses in 分, each item remembering its source cell."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property

from xlbudget.catalog import ECON_DEPT, ECON_GOV, FUNCTIONAL, Catalog
from xlbudget.findings import Location
from xlbudget.money import AmountError, Fen, normalize_text, to_fen

BASIC = ""  # Line.project for basic expenditure
_COUNT = re.compile(r"^(\d+)(?:辆|台|套|台\(套\)|个)?$")  # a 说明事项 count: "2", "2辆"


@dataclass(frozen=True)
class Unit:
    code: str
    name: str
    type: str
    where: Location = field(default=Location(), compare=False)


@dataclass(frozen=True)
class Income:
    unit: str
    source: str
    amount: Fen
    where: Location = field(default=Location(), compare=False)


@dataclass(frozen=True)
class Line:
    """One expenditure line: basic (project == "") or one project × function × economic × source."""

    unit: str
    function: str  # 7-digit 功能分类 项
    econ: str  # 5-digit 部门经济分类 款
    source: str
    amount: Fen
    project: str = BASIC
    gov_override: str = ""
    where: Location = field(default=Location(), compare=False)
    flow: str = ""  # "" = a budget line; a 部门决算 line says what it is (accounts_contract.FLOWS)

    @property
    def is_basic(self) -> bool:
        return self.project == BASIC

    @property
    def econ_class(self) -> str:
        return self.econ[:3]

    @property
    def function_class(self) -> str:
        return self.function[:3]


@dataclass(frozen=True)
class Project:
    code: str
    name: str
    type: str  # 其他运转类 / 特定目标类
    unit: str
    where: Location = field(default=Location(), compare=False)
    targets_set: bool = False  # 已设绩效目标 without itemised indicators


@dataclass(frozen=True)
class Indicator:
    project: str  # "" for an indicator of a 部门's or unit's 整体 goals (``unit``)
    category: str  # 成本/产出/效益/满意度指标
    level2: str
    level3: str
    value: str
    where: Location = field(default=Location(), compare=False)
    unit: str = ""  # 整体绩效指标: whose (a unit's code, the 部门编码, or "" the workbook's subject)
    direction: str = ""  # 整体绩效指标: 指标方向 (≥, ≤ …), if given
    measure: str = ""  # 整体绩效指标: 度量单位, if given


@dataclass(frozen=True)
class Goal:
    """A 年度总体目标 of a 部门's or unit's 整体支出 (``unit`` as ``Indicator.unit``)."""

    unit: str
    text: str
    where: Location = field(default=Location(), compare=False)


@dataclass(frozen=True)
class Task:
    """A 年度主要任务 of a 部门 or unit (``unit`` as ``Indicator.unit``), with its budget in one
    资金来源 ("" and 0 when not given)."""

    unit: str
    name: str
    content: str
    source: str = ""
    amount: Fen = 0
    where: Location = field(default=Location(), compare=False)

    def as_line(self) -> Line:
        """The task's budget as a line without 科目, so the tables' column filters (资金来源) select it."""
        return Line(self.unit, "", "", self.source, self.amount, where=self.where)


@dataclass(frozen=True)
class Service:
    """One line of 政府购买服务: a unit's purchase, in a project or its 基本支出 (project ""), of a
    service of the 指导性目录 (一级 ``category``, 二级 ``item``), by 资金来源."""

    unit: str
    project: str
    category: str
    item: str
    source: str
    amount: Fen
    where: Location = field(default=Location(), compare=False)

    def as_line(self) -> Line:
        """The purchase as a spending line without 科目, so the tables' column filters (资金来源,
        基本/项目支出, 项目类型, 单位类型) select it as they select lines."""
        return Line(self.unit, "", "", self.source, self.amount, self.project, where=self.where)


@dataclass(frozen=True)
class Statement:
    """A project's 项目经费情况说明: its sections (contract.STATEMENT_SECTIONS) in order."""

    project: str
    sections: tuple[tuple[str, str], ...]
    where: Location = field(default=Location(), compare=False)


@dataclass(frozen=True)
class Purchase:
    """One 政府采购 line: what a unit buys, in a project or (``project`` == "") in 基本支出, with the
    parts reserved for 中小企业 (``sme``) and, of those, for 小微企业 (``small``)."""

    unit: str
    project: str
    name: str  # 采购项目名称
    item: str  # 采购品目 ("" when not given)
    type: str  # 货物 / 工程 / 服务 (contract.PROCUREMENT_TYPES)
    source: str  # 资金来源
    amount: Fen
    sme: Fen = 0  # 面向中小企业预留
    small: Fen = 0  # 其中面向小微企业预留
    where: Location = field(default=Location(), compare=False)  # the 金额 cell


@dataclass(frozen=True)
class Budget:
    year: int
    dept_code: str
    dept_name: str
    amount_unit: str  # the input's 金额单位
    units: tuple[Unit, ...]
    incomes: tuple[Income, ...]
    lines: tuple[Line, ...]
    projects: tuple[Project, ...]
    indicators: tuple[Indicator, ...] = ()
    prior: dict[str, Fen] = field(default_factory=dict)  # 上年数, only keys given
    notes: dict[str, str] = field(default_factory=dict)  # 说明事项
    # 说明事项 amount keys whose row label names a unit other than amount_unit (“政府采购服务（元）”)
    note_units: dict[str, str] = field(default_factory=dict)
    purposes: dict[str, str] = field(default_factory=dict)  # 功能分类 项 → 主要用途
    statements: tuple[Statement, ...] = ()  # 项目经费情况说明
    # 政府采购 lines; None: the workbook has no such sheet (its format reads none, or an earlier template)
    purchases: tuple[Purchase, ...] | None = None
    services: tuple[Service, ...] = ()  # 政府购买服务
    # 部门（单位）整体支出绩效目标: 年度总体目标, 年度主要任务, 整体绩效指标
    goals: tuple[Goal, ...] = ()
    tasks: tuple[Task, ...] = ()
    goal_indicators: tuple[Indicator, ...] = ()
    reasons: dict[str, str] = field(default_factory=dict)  # 部门决算: 功能分类 项 → why 决算 ≠ 年初预算
    catalog: Catalog = field(default_factory=lambda: Catalog(0), compare=False, repr=False)
    unit_where: Location = field(default=Location(), compare=False)  # the 金额单位 cell of 基本信息
    # sheet → header → column letter, so findings can point at any cell of a row
    columns: dict[str, dict[str, str]] = field(default_factory=dict, compare=False, repr=False)
    # sheet (上年数, 说明事项, 功能科目用途) → key → the cell its value was read from
    key_cells: dict[str, dict[str, Location]] = field(default_factory=dict, compare=False, repr=False)

    # -- lookups (one place each) --------------------------------------------------------
    @cached_property
    def _units(self) -> dict[str, Unit]:
        return {u.code: u for u in reversed(self.units)}  # first wins on duplicates

    @cached_property
    def _projects(self) -> dict[str, Project]:
        return {p.code: p for p in reversed(self.projects)}

    @property
    def goal_rows(self) -> tuple[Goal | Task | Indicator, ...]:
        """Every row of the 整体绩效目标 sheets; each names whose goals it states (``unit``)."""
        return (*self.goals, *self.tasks, *self.goal_indicators)

    def unit(self, code: str) -> Unit | None:
        return self._units.get(code)

    def project(self, code: str) -> Project | None:
        return self._projects.get(code)

    def unit_type(self, code: str) -> str:
        unit = self.unit(code)
        return unit.type if unit else ""

    def gov_code(self, line: Line) -> str:
        """政府预算支出经济分类 款 of a line: the override, else the catalog mapping."""
        return line.gov_override or self.catalog.gov_code(line.econ, self.unit_type(line.unit))

    def project_type(self, line: Line) -> str:
        project = self.project(line.project)
        return project.type if project else ""

    def function_name(self, code: str) -> str:
        return self.catalog.name(FUNCTIONAL, code)

    def econ_name(self, code: str) -> str:
        return self.catalog.name(ECON_DEPT, code)

    def gov_name(self, code: str) -> str:
        return self.catalog.name(ECON_GOV, code)

    def where_cell(self, where: Location, header: str) -> Location:
        """The cell of ``header`` in the row of ``where``."""
        return where.at(self.columns.get(where.sheet, {}).get(header, where.column))


def total(lines: Iterable[Line], keep: Callable[[Line], bool] = lambda _: True) -> Fen:
    return sum(line.amount for line in lines if keep(line))


def note_amount(budget: Budget, key: str) -> Fen | None:
    """An amount of 说明事项, in the workbook's 金额单位 unless the text names 万元 or 元."""
    text = normalize_text(budget.notes.get(key, ""))
    if not text:
        return None
    try:
        return to_fen(text, note_unit(budget, key))
    except AmountError:
        return None


def note_unit(budget: Budget, key: str) -> str:
    """The unit a 说明事项 amount is read in: the one its text ends with, else its label's, else the
    金额单位."""
    text = normalize_text(budget.notes.get(key, ""))
    stated = next((u for u in ("万元", "元") if text.endswith(u)), "")
    return stated or budget.note_units.get(key) or budget.amount_unit


def note_count(budget: Budget, key: str) -> int | None:
    """A count of 说明事项 (车辆、设备), e.g. "2" or "2辆"; None if missing or not a count."""
    match = _COUNT.match(normalize_text(budget.notes.get(key, "")))
    return int(match.group(1)) if match else None
