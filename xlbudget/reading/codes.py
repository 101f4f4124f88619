"""Cells read as texts, choices from a vocabulary and codes: blanks, values outside the
vocabulary, malformed codes, codes Excel stored as numbers (digits or leading zeros lost), and
the name columns a clerk may add beside the codes."""

from __future__ import annotations

from collections.abc import Sequence

from xlbudget.money import normalize_text
from xlbudget.reading.cells import canonical, cell_text, code_of, code_text, text_of
from xlbudget.reading.rules import (
    BAD_CODE,
    BLANK_CELL,
    FORMER_NAME,
    LOST_ZEROS,
    NAME_MISMATCH,
    UNKNOWN_CHOICE,
)
from xlbudget.reading.session import NAME_COLUMNS, Session, SheetRows

EXACT_DIGITS = 15  # Excel keeps 15 significant digits: a longer code typed as a number is lost
# Levels a classification code may be typed at: the leaf level first (non-leaves are checked
# against the catalog, XB202, so the clerk learns which leaf to pick).
CODE_LEVELS = {"功能分类编码": (7, 5, 3), "经济分类编码": (5, 3)}
# Lists whose codes a number cell elsewhere may have lost leading zeros of: code header → sheet.
LISTED_CODES = {"单位编码": "单位", "项目编码": "项目"}


def read_text(session: Session, located: SheetRows, number: int, values: dict[str, object], header: str,
              required: bool = True, code: bool = False) -> str:
    raw = values.get(header)
    if type(raw) is str:  # the common case
        value = code_of(text_of(raw)) if code else text_of(raw)
    else:
        value = code_text(raw) if code else cell_text(raw)
    if code and isinstance(raw, int | float) and not isinstance(raw, bool):  # a code Excel took for a number
        if digits_lost(raw):
            session.report(BAD_CODE, f"“{header}”{value} 被存成了数字，超过 {EXACT_DIGITS} 位的部分已丢失",
                           session.cell(located, number, header), "把该列设为文本格式后重新输入编码。", actual=value)
            return ""
        listed = session.padded.get(header, {}).get(value)
        if listed:
            session.report(LOST_ZEROS, f"“{header}”{value} 是数字，前导 0 已丢失；按“{LISTED_CODES[header]}”表中的"
                           f"“{listed}”读取", session.cell(located, number, header),
                           f"把该列设为文本格式后重新输入编码（如 {listed}）。", expected=listed, actual=value)
            return listed
    if required and not value and not session.flagged(located, number, header):
        session.report(BLANK_CELL, f"“{header}”不能为空", session.cell(located, number, header),
                       f"请填写{header}。")
    return value


def read_choice(session: Session, located: SheetRows, number: int, values: dict[str, object], header: str,
                vocabulary: Sequence[str], required: bool = True) -> str:
    value = read_text(session, located, number, values, header, required=required)
    known = canonical(value, vocabulary)
    if value and not known:
        session.report(UNKNOWN_CHOICE, f"“{header}”的值“{value}”不在可选范围内",
                       session.cell(located, number, header),
                       f"可选值：{'、'.join(vocabulary)}", actual=value)
    return known


def read_code(session: Session, located: SheetRows, number: int, values: dict[str, object], header: str,
              length: int = 0, required: bool = True) -> str:
    value = read_text(session, located, number, values, header, required=required, code=True)
    lengths = CODE_LEVELS.get(header, (length,) if length else ())
    if value and (not value.isdigit() or (lengths and len(value) not in lengths)):
        size = f"{lengths[0]}位" if lengths else ""
        session.report(BAD_CODE, f"“{header}”的值“{value}”不是{size}数字编码",
                       session.cell(located, number, header), f"请填写{size}数字编码。", actual=value)
        return ""
    return value


def digits_lost(value: object) -> bool:
    """A code cell holding a number too long for Excel to keep exactly (e.g. a 20-digit project code)."""
    return isinstance(value, int | float) and not isinstance(value, bool) and abs(value) >= 10**EXACT_DIGITS


def check_name(session: Session, located: SheetRows, number: int, values: dict[str, object], header: str,
               code: str) -> None:
    """A name column the clerk added must name ``code`` as the catalog does (XB206), or by a
    former name (XB207, the current name is printed)."""
    given, catalog, kind = cell_text(values.get(header)), session.catalog, NAME_COLUMNS[header][1]
    expected = catalog.name(kind, code) if catalog and code else ""
    if not (catalog and given and expected) or normalize_text(given) == normalize_text(expected):
        return
    former = catalog.former_name(kind, code, given)
    if former:
        until = f"（{former.used_until}年及以前）" if former.used_until else ""
        session.report(FORMER_NAME, f"“{header}”为“{given}”，是编码“{code}”的旧名称{until}，"
                       f"{catalog.year}年名称为“{expected}”", session.cell(located, number, header),
                       "公开表使用现名称；可将该列改为现名称。", expected=expected, actual=given)
    else:
        session.report(NAME_MISMATCH, f"“{header}”为“{given}”，但编码“{code}”在科目表中的名称是“{expected}”",
                       session.cell(located, number, header), "以编码为准：核对编码是否填错。",
                       expected=expected, actual=given)
