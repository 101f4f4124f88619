"""Reading a 部门决算 workbook (accounts_contract) into a ``Budget`` whose lines carry their flow:
本年收入 and 本年支出 by 功能分类, 结转结余, 年初预算 per 项, per “三公” item and per project.

A 决算 project has no code: it is its unit's 项目名称 (``project_key``), a ``Project`` of that unit for
each name the 本年支出 or 项目年初预算 rows use, so two units' projects of one name stay apart.

The cells are read by the budget's reading modules (sheets by header text, amounts in 分, every
problem a finding at its cell); this module only says what each 决算 sheet's rows become.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

from xlbudget import contract
from xlbudget.accounts_contract import ACCOUNTS
from xlbudget.catalog import Catalog
from xlbudget.findings import Finding, Location
from xlbudget.model import BASIC, Budget, Line, Project
from xlbudget.reader import RawBook, start
from xlbudget.reading.amounts import read_amount
from xlbudget.reading.cells import cell_text, code_text
from xlbudget.reading.codes import read_choice, read_code, read_text
from xlbudget.reading.headers import data_rows
from xlbudget.reading.info import report_nameless
from xlbudget.reading.keyed import read_notes, read_prior
from xlbudget.reading.rules import ACCOUNT_LINE_CODE
from xlbudget.reading.session import Session, SheetRows

FISCAL = frozenset(contract.FISCAL_CURRENT)
BUDGET_HEADERS = ("年初预算数", "调整预算数")
Row = dict[str, object]


def read_accounts(path: Path, catalog: Catalog | None = None, catalog_files: Sequence[Path] = (),
                  book: RawBook | None = None) -> tuple[Budget, list[Finding]]:
    """Read one filled 决算 template (``book``: the file already opened). Returns the 决算 as a ``Budget``
    (lines with flows) and all findings."""
    session, located, info, year, units, catalog = start(path, ACCOUNTS, catalog, catalog_files, book)
    owner = units[0].code if units else ""  # 年初预算 is the 部门's: kept with its first unit
    reasons: dict[str, str] = {}
    cells: dict[str, dict[str, Location]] = {"上年数": {}, "说明事项": {}}
    notes, note_units = read_notes(session, located["说明事项"], cells["说明事项"])
    lines = (*_read_incomes(session, located["本年收入"]), *_read_spending(session, located["本年支出"]),
             *_read_balances(session, located["结转结余"]),
             *_read_budgeted(session, located["年初预算"], owner, reasons, "功能分类编码", contract.BUDGET_FLOWS),
             *_read_budgeted(session, located["三公经费"], owner, reasons, "项目", contract.THREE_PUBLIC_BUDGET_FLOWS),
             *_read_project_budgets(session, located["项目年初预算"], reasons))
    budget = Budget(
        year=year,
        dept_code=code_text(info.get("部门编码", ("", 0))[0]),
        dept_name=cell_text(info.get("部门名称", ("", 0))[0]),
        amount_unit=session.unit,
        units=units, incomes=(), lines=lines, projects=projects_of(lines),
        prior=read_prior(session, located["上年数"], cells["上年数"]),
        notes=notes,
        note_units=note_units,
        reasons=reasons,
        catalog=catalog,
        columns={name: sheet.letters() for name, sheet in located.items() if sheet},
        key_cells=cells,
    )
    report_nameless(session, budget, info, located)
    return budget, session.findings


def _rows(session: Session, located: SheetRows | None) -> Iterator[tuple[SheetRows, int, Row]]:
    if located is not None:
        for number, values in data_rows(session, located):
            yield located, number, values


def _source(session: Session, located: SheetRows, number: int, values: Row) -> str:
    return read_choice(session, located, number, values, "资金来源", contract.ACCOUNT_SOURCES)


def _read_incomes(session: Session, located: SheetRows | None) -> Iterator[Line]:
    for sheet, number, values in _rows(session, located):
        unit = read_code(session, sheet, number, values, "单位编码")
        function = read_code(session, sheet, number, values, "功能分类编码", length=7)
        source = _source(session, sheet, number, values)
        amount = read_amount(session, sheet, number, values)
        if unit and function and source and amount is not None:
            yield Line(unit, function, "", source, amount, where=session.cell(sheet, number, "金额"),
                       flow=contract.INCOME_FLOW)


def _read_spending(session: Session, located: SheetRows | None) -> Iterator[Line]:
    for sheet, number, values in _rows(session, located):
        unit = read_code(session, sheet, number, values, "单位编码")
        function = read_code(session, sheet, number, values, "功能分类编码", length=7)
        econ = read_code(session, sheet, number, values, "经济分类编码", length=5, required=False)
        source = _source(session, sheet, number, values)
        flow = read_choice(session, sheet, number, values, "支出类型", contract.SPENDING_FLOWS)
        amount = read_amount(session, sheet, number, values)
        project = read_text(session, sheet, number, values, "项目名称", required=False)
        if flow == "基本支出" and source in FISCAL and not econ and "经济分类编码" in sheet.columns:
            session.report(ACCOUNT_LINE_CODE, "财政拨款的基本支出须填写经济分类编码（基本支出决算表按经济分类列示）",
                           session.cell(sheet, number, "经济分类编码"), "填写5位部门预算支出经济分类款级科目编码。")
        if unit and function and source and flow and amount is not None:
            yield Line(unit, function, econ, source, amount, project_key(unit, project),
                       where=session.cell(sheet, number, "金额"), flow=flow)


def _read_balances(session: Session, located: SheetRows | None) -> Iterator[Line]:
    for sheet, number, values in _rows(session, located):
        unit = read_code(session, sheet, number, values, "单位编码")
        flow = read_choice(session, sheet, number, values, "类别", contract.BALANCE_FLOWS)
        source = _source(session, sheet, number, values)
        function = read_code(session, sheet, number, values, "功能分类编码", length=7, required=False)
        amount = read_amount(session, sheet, number, values)
        if source in FISCAL and not function and "功能分类编码" in sheet.columns:
            session.report(ACCOUNT_LINE_CODE, "财政拨款的结转和结余须按功能分类填写（财政拨款收入支出决算表按科目列示）",
                           session.cell(sheet, number, "功能分类编码"), "填写7位支出功能分类项级科目编码。")
        if unit and flow and source and amount is not None:
            yield Line(unit, function, "", source, amount, where=session.cell(sheet, number, "金额"), flow=flow)


def _read_budgeted(session: Session, located: SheetRows | None, owner: str, reasons: dict[str, str],
                   key: str, flows: tuple[str, ...]) -> Iterator[Line]:
    """年初预算 (and 调整预算) of 一般公共预算财政拨款: per 功能分类 项 (key 功能分类编码), or per “三公”
    item (key 项目, as lines of the item's first economic code); the reason of each difference."""
    for sheet, number, values in _rows(session, located):
        if key == "项目":
            item = read_choice(session, sheet, number, values, key, tuple(contract.THREE_PUBLIC_ITEMS))
            function, econ = "", contract.THREE_PUBLIC_ITEMS[item][0] if item else ""
        else:
            item = function = read_code(session, sheet, number, values, key, length=7)
            econ = ""
        amounts = [read_amount(session, sheet, number, values, header, required=header == "年初预算数")
                   for header in BUDGET_HEADERS]
        reason = read_text(session, sheet, number, values, "差异原因", required=False)
        if not item:
            continue
        if reason:
            reasons[item] = reason
        for flow, amount, header in zip(flows, amounts, BUDGET_HEADERS, strict=True):
            if amount is not None:
                yield Line(owner, function, econ, "一般公共预算", amount, where=session.cell(sheet, number, header),
                           flow=flow)


def project_key(unit: str, name: str) -> str:
    """What identifies a 决算 project (``Line.project``, ``Project.code``): its unit and 项目名称."""
    return f"{unit}:{name}" if name else BASIC


def projects_of(lines: Sequence[Line]) -> tuple[Project, ...]:
    """A project for each unit and 项目名称 the lines name, in the order first named."""
    out: dict[str, Project] = {}
    for line in lines:
        if line.project and line.project not in out:
            out[line.project] = Project(line.project, line.project.split(":", 1)[1], "", line.unit, where=line.where)
    return tuple(out.values())


def _read_project_budgets(session: Session, located: SheetRows | None, reasons: dict[str, str]) -> Iterator[Line]:
    """年初预算 (and 调整预算) of 一般公共预算财政拨款 per project (项目支出决算表), on its 功能分类 项 if given."""
    for sheet, number, values in _rows(session, located):
        unit = read_code(session, sheet, number, values, "单位编码")
        name = read_text(session, sheet, number, values, "项目名称")
        function = read_code(session, sheet, number, values, "功能分类编码", length=7, required=False)
        amounts = [read_amount(session, sheet, number, values, header, required=header == "年初预算数")
                   for header in BUDGET_HEADERS]
        reason = read_text(session, sheet, number, values, "差异原因", required=False)
        if not (unit and name):
            continue
        key = project_key(unit, name)
        if reason:
            reasons[key] = reason
        for flow, amount, header in zip(contract.PROJECT_BUDGET_FLOWS, amounts, BUDGET_HEADERS, strict=True):
            if amount is not None:
                yield Line(unit, function, "", "一般公共预算", amount, key, where=session.cell(sheet, number, header),
                           flow=flow)
