"""The lists other sheets refer to: 单位, 项目 and their 绩效目标."""

from __future__ import annotations

from collections.abc import Iterator

from xlbudget import contract
from xlbudget.model import Indicator, Project, Unit
from xlbudget.reading.codes import read_choice, read_code, read_text
from xlbudget.reading.headers import data_rows
from xlbudget.reading.session import Session, SheetRows


def read_units(session: Session, located: SheetRows | None) -> Iterator[Unit]:
    if located is None:
        return
    for number, values in data_rows(session, located):
        code = read_code(session, located, number, values, "单位编码")
        name = read_text(session, located, number, values, "单位名称")
        kind = read_choice(session, located, number, values, "单位类型", contract.UNIT_TYPES)
        if code:
            yield Unit(code, name, kind, session.where(located.name, number))


def read_projects(session: Session, located: SheetRows | None) -> Iterator[Project]:
    if located is None:
        return
    for number, values in data_rows(session, located):
        code = read_text(session, located, number, values, "项目编码", code=True)
        name = read_text(session, located, number, values, "项目名称")
        kind = read_choice(session, located, number, values, "项目类型", contract.PROJECT_TYPES)
        unit = read_code(session, located, number, values, "单位编码")
        targets = read_choice(session, located, number, values, "已设绩效目标", contract.YES_NO, required=False)
        if code:
            yield Project(code, name, kind, unit, session.where(located.name, number), targets == "是")


def read_indicators(session: Session, located: SheetRows | None) -> Iterator[Indicator]:
    if located is None:
        return
    for number, values in data_rows(session, located):
        project = read_text(session, located, number, values, "项目编码", code=True)
        indicator = read_indicator(session, located, number, values, project)
        if project and indicator:
            yield indicator


def read_indicator(session: Session, located: SheetRows, number: int, values: dict[str, object], project: str = "",
                   **more: str) -> Indicator | None:
    """The 一级/二级/三级指标 and 指标值 of a row (of a project's 绩效目标, or of 整体绩效指标 with
    ``more`` fields); None without a known 一级指标."""
    category = read_choice(session, located, number, values, "一级指标", contract.INDICATOR_CATEGORIES)
    level2 = read_text(session, located, number, values, "二级指标", required=False)
    level3 = read_text(session, located, number, values, "三级指标")
    value = read_text(session, located, number, values, "指标值")
    where = session.where(located.name, number)
    return Indicator(project, category, level2, level3, value, where, **more) if category else None
