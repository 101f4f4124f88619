"""The 政府购买服务 sheet (contract.SERVICES_SHEET): one purchase per row; its unit is the one typed, else
its project's."""

from __future__ import annotations

from collections.abc import Iterator

from xlbudget import contract
from xlbudget.model import Service
from xlbudget.reading.amounts import read_amount
from xlbudget.reading.codes import read_choice, read_code, read_text
from xlbudget.reading.headers import data_rows
from xlbudget.reading.rules import BLANK_CELL
from xlbudget.reading.session import Session, SheetRows

UNIT, PROJECT = "单位编码", "项目编码"


def read_services(session: Session, located: SheetRows | None, project_units: dict[str, str]
                  ) -> Iterator[Service]:
    if located is None:
        return
    for number, values in data_rows(session, located):
        typed = read_code(session, located, number, values, UNIT, required=False) if UNIT in located.columns else ""
        project = read_text(session, located, number, values, PROJECT, required=False, code=True) \
            if PROJECT in located.columns else ""
        session.row_unit = unit = typed or project_units.get(project, "")
        if not (typed or project):
            header = UNIT if UNIT in located.columns else "一级目录"
            session.report(BLANK_CELL, "“单位编码”和“项目编码”不能都为空", session.cell(located, number, header),
                           "基本支出中的购买服务填写单位编码，项目中的购买服务填写项目编码。")
        category = read_text(session, located, number, values, "一级目录")
        item = read_text(session, located, number, values, "二级目录", required=False)
        source = read_choice(session, located, number, values, "资金来源", contract.SOURCES)
        amount = read_amount(session, located, number, values)
        if (unit or project) and category and source and amount is not None:
            yield Service(unit, project, category, item, source, amount, session.cell(located, number, "金额"))
