"""Amount cells → exact 分 in the workbook's 金额单位 (or a unit typed after the number): blank,
unreadable, negative, too many decimals for the unit, or beyond the bound."""

from __future__ import annotations

import math

from xlbudget.money import DECIMALS, AmountError, Fen, beyond_bound, parse_amount, to_fen
from xlbudget.reading.cells import cell_text
from xlbudget.reading.rules import (
    AMOUNT_BEYOND_BOUND,
    BLANK_CELL,
    NEGATIVE_AMOUNT,
    TOO_MANY_DECIMALS,
    UNREADABLE_AMOUNT,
)
from xlbudget.reading.session import Session, SheetRows


def read_amount(session: Session, located: SheetRows, number: int, values: dict[str, object],
                header: str = "金额", required: bool = True) -> Fen | None:
    raw = values.get(header)
    fen = _fen(session, located, number, raw, header, required)
    if fen is not None and beyond_bound(fen):
        text = cell_text(raw)
        session.report(AMOUNT_BEYOND_BOUND, f"“{header}”{text} 超过单笔金额上限（1 万亿元）", session.cell(located, number, header),
                       f"核对该金额（是否多输了数字，或被写成了科学计数法），金额单位为{session.unit}。", actual=text)
        return None
    return fen


def _fen(session: Session, located: SheetRows, number: int, raw: object, header: str, required: bool) -> Fen | None:
    """A cell's amount in 分; None, with its finding, when blank, unreadable, negative or with
    more decimals than the unit allows."""
    if type(raw) is float and 0 <= raw < math.inf:  # a number cell, the common case: no Decimal
        try:
            return to_fen(raw, session.unit)
        except AmountError:
            _too_many_decimals(session, located, number, header, cell_text(raw), session.unit)
            return None
    text = cell_text(raw)
    if not text:
        if required and not session.flagged(located, number, header):
            session.report(BLANK_CELL, f"“{header}”不能为空", session.cell(located, number, header),
                           "请填写金额（无金额的行请删除）。")
        return None
    try:
        number_value, stated = parse_amount(raw)  # a unit typed after the number wins
    except AmountError as exc:
        session.report(UNREADABLE_AMOUNT, f"“{header}”无法读取：{exc}", session.cell(located, number, header),
                       f"请填写不带单位的数字，按{session.unit}计、精确到分。", actual=text)
        return None
    if number_value < 0:
        session.report(NEGATIVE_AMOUNT, f"“{header}”不能为负数（{text}）", session.cell(located, number, header),
                       "请填写调整后的正数金额。", actual=text)
        return None
    unit = stated or session.unit
    try:
        return to_fen(number_value, unit)
    except AmountError:
        _too_many_decimals(session, located, number, header, text, unit)
        return None


def _too_many_decimals(session: Session, located: SheetRows, number: int, header: str, text: str, unit: str) -> None:
    session.report(TOO_MANY_DECIMALS, f"“{header}”{text} 超过{unit}允许的 {DECIMALS[unit]} 位小数（须精确到分）",
                   session.cell(located, number, header), f"核对基本信息的金额单位（{session.unit}）与录入的金额是否一致。",
                   actual=text)
