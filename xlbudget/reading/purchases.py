"""The 政府采购 sheet (``purchases.SHEET``): one procurement line a row, each amount exact in the
workbook's 金额单位; a reservation beyond what it is part of is reported at its cell (XB160).
Unregistered 单位 and 项目 are judged with the other sheets' (checks.reading)."""

from __future__ import annotations

from collections.abc import Iterator

from xlbudget import contract
from xlbudget.model import Purchase
from xlbudget.money import Fen, amount_text
from xlbudget.purchases import AMOUNT, SMALL, SME
from xlbudget.reading.amounts import read_amount
from xlbudget.reading.codes import read_choice, read_code, read_text
from xlbudget.reading.headers import data_rows
from xlbudget.reading.rules import RESERVED_EXCEEDS
from xlbudget.reading.session import Session, SheetRows


def read_purchases(session: Session, located: SheetRows | None) -> tuple[Purchase, ...] | None:
    """The lines of the sheet; None when the workbook has no 政府采购 sheet."""
    return None if located is None else tuple(_purchases(session, located))


def _purchases(session: Session, located: SheetRows) -> Iterator[Purchase]:
    for number, values in data_rows(session, located):
        unit = session.row_unit = read_code(session, located, number, values, "单位编码")
        project = read_text(session, located, number, values, "项目编码", required=False, code=True)
        name = read_text(session, located, number, values, "采购项目名称")
        item = read_text(session, located, number, values, "采购品目", required=False)
        kind = read_choice(session, located, number, values, "采购类型", contract.PROCUREMENT_TYPES)
        source = read_choice(session, located, number, values, "资金来源", contract.SOURCES)
        amount = read_amount(session, located, number, values, AMOUNT)
        sme = read_amount(session, located, number, values, SME, required=False) or 0
        small = read_amount(session, located, number, values, SMALL, required=False) or 0
        if amount is not None:
            _within(session, located, number, SME, sme, AMOUNT, amount)
        _within(session, located, number, SMALL, small, SME, sme)
        if unit and name and kind and source and amount is not None:
            yield Purchase(unit, project, name, item, kind, source, amount, sme, small,
                           session.cell(located, number, AMOUNT))
    session.row_unit = ""


def _within(session: Session, located: SheetRows, number: int, part: str, value: Fen, whole: str,
            limit: Fen) -> None:
    """XB160 at the ``part`` cell when it exceeds the ``whole`` it is part of."""
    if value > limit:
        given, bound = amount_text(value, session.unit), amount_text(limit, session.unit)
        session.report(RESERVED_EXCEEDS, f"“{part}”{given}超过“{whole}”{bound}",
                       session.cell(located, number, part), RESERVED_EXCEEDS.hint,
                       expected=f"不超过 {bound}", actual=given)
