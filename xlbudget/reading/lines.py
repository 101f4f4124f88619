"""The money sheets: 收入, 基本支出 and 项目支出 (a project line's unit is its project's)."""

from __future__ import annotations

from collections.abc import Iterator

from xlbudget import contract
from xlbudget.model import Income, Line
from xlbudget.reading.amounts import read_amount
from xlbudget.reading.codes import check_name, read_choice, read_code, read_text
from xlbudget.reading.headers import data_rows
from xlbudget.reading.session import NAME_COLUMNS, Session, SheetRows


def read_incomes(session: Session, located: SheetRows | None) -> Iterator[Income]:
    if located is None:
        return
    for number, values in data_rows(session, located):
        unit = read_code(session, located, number, values, "单位编码")
        source = read_choice(session, located, number, values, "资金来源", contract.SOURCES)
        amount = read_amount(session, located, number, values)
        if unit and source and amount is not None:
            yield Income(unit, source, amount, session.cell(located, number, "金额"))


def _read_line(session: Session, located: SheetRows, number: int, values: dict[str, object],
               unit: str, project: str) -> Line | None:
    function = read_code(session, located, number, values, "功能分类编码", length=7)
    econ = read_code(session, located, number, values, "经济分类编码", length=5)
    source = read_choice(session, located, number, values, "资金来源", contract.SOURCES)
    amount = read_amount(session, located, number, values)
    override = (read_code(session, located, number, values, "政府经济分类编码", length=5, required=False)
                if "政府经济分类编码" in located.columns else "")
    if located.named:  # the clerk added name columns beside the codes
        codes = {"功能分类编码": function, "经济分类编码": econ, "政府经济分类编码": override}
        for header in located.named:
            check_name(session, located, number, values, header, codes[NAME_COLUMNS[header][0]])
    if not (unit or project) or not (function and econ and source) or amount is None:
        return None
    return Line(unit, function, econ, source, amount, project, override,
                session.cell(located, number, "金额"))


def read_basic(session: Session, located: SheetRows | None) -> Iterator[Line]:
    if located is None:
        return
    for number, values in data_rows(session, located):
        unit = read_code(session, located, number, values, "单位编码")
        line = _read_line(session, located, number, values, unit, "")
        if line:
            yield line


def read_project_lines(session: Session, located: SheetRows | None,
                       project_units: dict[str, str]) -> Iterator[Line]:
    """Project lines carry the project's code; their unit comes from the 项目 sheet."""
    if located is None:
        return
    for number, values in data_rows(session, located):
        project = read_text(session, located, number, values, "项目编码", code=True)
        session.row_unit = project_units.get(project, "")
        line = _read_line(session, located, number, values, session.row_unit, project)
        if line:
            yield line
