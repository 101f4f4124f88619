"""The 整体绩效目标, 年度主要任务 and 整体绩效指标 sheets (contract.GOAL_SHEETS): a 部门's or unit's own
goals, each row naming whose by 单位编码 (blank: the workbook's subject)."""

from __future__ import annotations

from collections.abc import Iterator

from xlbudget import contract
from xlbudget.model import Goal, Indicator, Task
from xlbudget.reading.amounts import read_amount
from xlbudget.reading.cells import cell_text
from xlbudget.reading.codes import read_choice, read_code, read_text
from xlbudget.reading.headers import data_rows
from xlbudget.reading.lists import read_indicator
from xlbudget.reading.rules import BLANK_CELL
from xlbudget.reading.session import Session, SheetRows

SUBJECT = "单位编码"


def _subject(session: Session, located: SheetRows, number: int, values: dict[str, object]) -> str:
    return read_code(session, located, number, values, SUBJECT, required=False) if SUBJECT in located.columns else ""


def read_goals(session: Session, located: dict[str, SheetRows | None]
               ) -> tuple[tuple[Goal, ...], tuple[Task, ...], tuple[Indicator, ...]]:
    """The 年度总体目标, 年度主要任务 and 整体绩效指标 of the sheets the format reads."""
    return (tuple(_goals(session, located.get(contract.GOALS))), tuple(_tasks(session, located.get(contract.TASKS))),
            tuple(_indicators(session, located.get(contract.GOAL_INDICATORS))))


def _goals(session: Session, located: SheetRows | None) -> Iterator[Goal]:
    for number, values in data_rows(session, located) if located else ():
        assert located is not None
        unit = _subject(session, located, number, values)
        text = read_text(session, located, number, values, "年度总体目标")
        if text:
            yield Goal(unit, text, session.where(located.name, number))


def _tasks(session: Session, located: SheetRows | None) -> Iterator[Task]:
    for number, values in data_rows(session, located) if located else ():
        assert located is not None
        unit = _subject(session, located, number, values)
        name = read_text(session, located, number, values, "任务名称")
        content = read_text(session, located, number, values, "主要内容", required=False)
        source = read_choice(session, located, number, values, "资金来源", contract.SOURCES, required=False) \
            if "资金来源" in located.columns else ""
        amount = read_amount(session, located, number, values, required=False) if "金额" in located.columns else None
        if amount and "资金来源" in located.columns and not cell_text(values.get("资金来源")):
            session.report(BLANK_CELL, "填写了任务金额时“资金来源”不能为空", session.cell(located, number, "资金来源"),
                           "按资金来源分行填写任务的预算金额。")
        if name:
            yield Task(unit, name, content, source, amount or 0, session.where(located.name, number))


def _indicators(session: Session, located: SheetRows | None) -> Iterator[Indicator]:
    for number, values in data_rows(session, located) if located else ():
        assert located is not None
        more = {"unit": _subject(session, located, number, values)}
        more |= {field: read_text(session, located, number, values, header, required=False)
                 for field, header in (("direction", "指标方向"), ("measure", "度量单位")) if header in located.columns}
        indicator = read_indicator(session, located, number, values, **more)
        if indicator:
            yield indicator
