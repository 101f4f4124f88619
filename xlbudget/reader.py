"""The only entry to reading input workbooks: the template contract → a typed ``Budget``.

Sheets and columns are found by header text, never by position. Problems in the clerk's
data become findings pointing at their cell, each through its rule in ``reading.rules``; only
an unusable file raises ``UnusableInput``. What is read where: ``xlbudget/reading/``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from xlbudget import contract, purchases
from xlbudget.catalog import Catalog, load_catalog
from xlbudget.findings import Finding, Location
from xlbudget.model import Budget, Unit
from xlbudget.reading.cells import cell_text, code_text
from xlbudget.reading.goals import read_goals
from xlbudget.reading.headers import locate, report_other_sheets
from xlbudget.reading.info import info_cell, parse_unit, parse_year, read_info, report_nameless
from xlbudget.reading.keyed import read_notes, read_prior, read_purposes, read_statements
from xlbudget.reading.lines import read_basic, read_incomes, read_project_lines
from xlbudget.reading.lists import read_indicators, read_projects, read_units
from xlbudget.reading.purchases import read_purchases
from xlbudget.reading.services import read_services
from xlbudget.reading.session import Session, SheetRows
from xlbudget.reading.stamp import Stamp, read_stamp, undeclared_inputs
from xlbudget.reading.workbook import RawBook, load_raw

__all__ = ["RawBook", "Stamp", "Started", "open_workbook", "read_budget", "read_stamp", "start"]


def open_workbook(path: Path) -> RawBook:
    """The workbook's template sheets, after ``safety`` passed the file (raises UnusableInput)."""
    return load_raw(path)


class Started(NamedTuple):
    """A template as every family begins reading it."""

    session: Session
    located: dict[str, SheetRows | None]
    info: dict[str, tuple[object, int]]
    year: int
    units: tuple[Unit, ...]
    catalog: Catalog


def start(path: Path, version: contract.Contract, catalog: Catalog | None, catalog_files: Sequence[Path],
          book: RawBook | None = None) -> Started:
    """What every template of every family begins with (``book``: the file already opened): its sheets
    located, 基本信息 read (year, 金额单位, the year's catalog), other sheets reported, and its 单位."""
    session = Session(path, book or load_raw(path), version)
    located = {spec.name: locate(session, spec) for spec in session.contract.sheets}
    info = read_info(session, located["基本信息"])
    year = parse_year(session, info)
    session.unit = parse_unit(session, info)
    session.catalog = catalog = catalog or load_catalog(year, catalog_files)
    report_other_sheets(session)
    units = tuple(read_units(session, located["单位"]))
    session.list_codes("单位编码", [u.code for u in units])
    return Started(session, located, info, year, units, catalog)


def read_budget(path: Path, catalog: Catalog | None = None, catalog_files: Sequence[Path] = (),
                version: contract.Contract = contract.CURRENT, book: RawBook | None = None
                ) -> tuple[Budget, list[Finding]]:
    """Read one filled template (of contract ``version``; ``book``: the file already opened).
    Returns the budget (possibly partial) and all findings."""
    session, located, info, year, units, catalog = start(path, version, catalog, catalog_files, book)
    projects = tuple(read_projects(session, located["项目"]))
    session.list_codes("项目编码", [p.code for p in projects])
    project_units = {p.code: p.unit for p in reversed(projects)}
    goals, tasks, goal_indicators = read_goals(session, located)  # formats that print the 整体绩效目标表
    cells: dict[str, dict[str, Location]] = {"上年数": {}, "说明事项": {}, "功能科目用途": {}}
    notes, note_units = read_notes(session, located["说明事项"], cells["说明事项"])
    budget = Budget(
        year=year,
        dept_code=code_text(info.get("部门编码", ("", 0))[0]),
        dept_name=cell_text(info.get("部门名称", ("", 0))[0]),
        amount_unit=session.unit,
        units=units,
        incomes=tuple(read_incomes(session, located["收入"])),
        lines=tuple(read_basic(session, located["基本支出"]))
        + tuple(read_project_lines(session, located["项目支出"], project_units)),
        projects=projects,
        indicators=tuple(read_indicators(session, located["绩效目标"])),
        prior=read_prior(session, located["上年数"], cells["上年数"]),
        notes=notes,
        note_units=note_units,
        purposes=read_purposes(session, located.get("功能科目用途"), cells["功能科目用途"]),  # optional inputs
        statements=tuple(read_statements(session, located.get("项目经费情况说明"))),
        purchases=read_purchases(session, located.get(purchases.NAME)),  # formats that read 政府采购 lines
        services=tuple(read_services(session, located.get(contract.SERVICES), project_units)),  # formats that print them
        goals=goals, tasks=tasks, goal_indicators=goal_indicators,
        catalog=catalog,
        columns={name: sheet.letters() for name, sheet in located.items() if sheet},
        key_cells=cells,
        unit_where=info_cell(session, located["基本信息"], info, "金额单位"),
    )
    report_nameless(session, budget, info, located)
    return budget, session.findings + undeclared_inputs(session.book, session.file, session.contract)
