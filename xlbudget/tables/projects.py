"""项目支出预算表: 合计, each unit, each of its projects (其他运转类 first, then 特定目标类,
in the 项目 sheet's order); with ``codes``, a row per project and 功能/经济分类 科目 it spends on."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from xlbudget import contract
from xlbudget.model import Budget, Line, Project
from xlbudget.money import Fen
from xlbudget.tables.base import DETAIL, Table
from xlbudget.tables.by_function import UNKNOWN_NAME
from xlbudget.tables.grid import (
    RowKey,
    RowPlan,
    accumulate,
    build_table,
    several_units,
    table_lines,
    total_plan,
    unit_name,
    unit_order,
    unit_plan,
)
from xlbudget.tables.spec import ColumnSpec, TableSpec

UNKNOWN_PROJECT = "（项目表中未登记的项目）"
NAMELESS_PROJECT = "（未填写项目名称）"  # 部门决算: 项目支出 typed without its 项目名称


@dataclass(frozen=True)
class ProjectsSpec(TableSpec):
    """合计, each unit, each of its projects (split by the 科目编码 ``codes`` names)."""

    FIELDS = frozenset({"project_type", "project_name", "project_unit", "project_code",
                        "function", "function_name", "econ", "econ_name"})

    codes: tuple[Literal["function", "econ"], ...] = ()  # a row per project and 科目 (功能, 经济分类)


def row_project(line: Line) -> str:
    """The project whose row a line adds to: its code; a 项目支出 typed without one (部门决算) its unit's
    nameless project (apart from another unit's)."""
    return line.project or f"{line.unit}:"


def projects_by_unit(budget: Budget, lines: list[Line]) -> dict[str, list[Project]]:
    """Each unit's projects by type (as listed in the contract), then input order; project
    codes that only the lines know are listed last (never dropped). A project whose lines all
    fall outside the table (其他资金 only, in a 一般公共预算 table) is left out; one without any
    line keeps its row."""
    rank = {kind: i for i, kind in enumerate(contract.PROJECT_TYPES)}
    shown = {line.project for line in lines}
    elsewhere = {line.project for line in budget.lines} - shown
    out: dict[str, list[Project]] = {}
    for project in sorted(budget.projects, key=lambda p: rank.get(p.type, len(rank))):
        if project.code not in elsewhere:
            out.setdefault(project.unit, []).append(project)
    orphans = sorted({(ln.unit, row_project(ln), bool(ln.project)) for ln in lines if budget.project(ln.project) is None})
    for unit, code, named in orphans:
        out.setdefault(unit, []).append(Project(code, UNKNOWN_PROJECT if named else NAMELESS_PROJECT, "", unit))
    return out


def project_units(budget: Budget, lines: list[Line]) -> list[str]:
    """Units in order, including any only a project row names."""
    units = unit_order(budget, lines)
    return units + sorted({p.unit for p in budget.projects} - set(units))


def project_blocks(budget: Budget, spec: TableSpec
                   ) -> tuple[tuple[ColumnSpec, ...], dict[RowKey, list[Fen]], list[tuple[str, list[Project]]]]:
    """The shown columns, the sums by 合计/unit/project, and each unit with its projects."""
    lines = table_lines(budget, spec)
    columns = spec.visible_columns(several_units(budget))
    sums = accumulate(lines, columns, budget,
                      lambda line: [("total",), ("unit", line.unit), ("project", row_project(line))])
    by_unit = projects_by_unit(budget, lines)
    return columns, sums, [(u, by_unit[u]) for u in project_units(budget, lines) if by_unit.get(u)]


def build(budget: Budget, spec: TableSpec) -> Table:
    assert isinstance(spec, ProjectsSpec)
    columns, sums, blocks = project_blocks(budget, spec)

    def subjects(line: Line) -> tuple[str, ...]:
        return tuple(line.function if code == "function" else line.econ for code in spec.codes)

    by_subject = accumulate(table_lines(budget, spec), columns, budget,
                            lambda line: [("project", row_project(line), *subjects(line))]) if spec.codes else {}
    split: dict[str, list[tuple[str, ...]]] = {}
    for key in sorted(by_subject):  # type: ignore[type-var]
        split.setdefault(key[1], []).append(key[2:])  # type: ignore[index]
    plans = [total_plan(spec, "project_name")]
    for unit, projects in blocks:
        plans.append(unit_plan(budget, unit, "project_name", "project_unit"))
        for p in projects:
            fields = {"project_type": p.type, "project_name": p.name, "project_code": p.code,
                      "project_unit": unit_name(budget, unit)}
            plans += [RowPlan(("project", p.code, *codes), DETAIL, fields | _code_fields(budget, spec, codes))
                      for codes in split.get(p.code) or [()]]
    return build_table(budget, spec, plans, sums | by_subject, columns)


def _code_fields(budget: Budget, spec: ProjectsSpec, codes: tuple[str, ...]) -> dict[str, str]:
    """The 科目编码 and 科目名称 of one row of a project split by ``spec.codes`` (none for a project
    without lines)."""
    out: dict[str, str] = {}
    if not codes:
        return out
    for kind, code in zip(spec.codes, codes, strict=True):
        name = budget.function_name(code) if kind == "function" else budget.econ_name(code)
        out |= {kind: code, f"{kind}_name": name or UNKNOWN_NAME}
    return out
