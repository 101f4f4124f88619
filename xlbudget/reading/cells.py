"""A cell as text: trimmed, without control characters, codes without the ``.0`` of a number,
and vocabulary entries matched ignoring spaces and full/half-width forms."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from functools import cache, lru_cache

from xlbudget.money import normalize_text

_CODE_FLOAT = re.compile(r"^(\d+)\.0+$")
# Control characters (tabs and line breaks kept) and non-characters: invalid in the XML of every output.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def cell_text(value: object) -> str:
    """A cell as trimmed text without control characters; integral floats lose their ``.0``
    (codes typed as numbers)."""
    if value is None:
        return ""
    if type(value) is str:
        return text_of(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return _clean(str(value))


def code_text(value: object) -> str:
    """A classification/unit/project code: digits kept as text, spaces and ``.0`` removed."""
    return code_of(cell_text(value))


def _clean(text: str) -> str:
    text = text.replace("\u00a0", " ").replace("\u3000", " ").strip()
    return _CONTROL.sub("", text).strip() if _CONTROL.search(text) else text


# Texts repeat down a column (codes, 资金来源): each distinct one is cleaned once.
text_of = lru_cache(maxsize=2**16)(_clean)


_normal = lru_cache(maxsize=2**16)(normalize_text)


@lru_cache(maxsize=2**16)
def code_of(text: str) -> str:
    """A cleaned text as a code: normalized, without the ``.0`` of a number."""
    text = _normal(text)
    match = _CODE_FLOAT.match(text)
    return match.group(1) if match else text


def filled(value: object) -> bool:
    """Whether a cell holds anything (``cell_text`` is not empty)."""
    return value is not None and (type(value) is not str or bool(text_of(value)))


def canonical(value: str, vocabulary: Sequence[str]) -> str:
    """The vocabulary entry ``value`` means, ignoring spaces and full/half-width forms; "" if none."""
    return _normalized(tuple(vocabulary)).get(_normal(value), "")


@cache
def _normalized(vocabulary: tuple[str, ...]) -> dict[str, str]:
    return {normalize_text(entry): entry for entry in vocabulary}


_DATE_TEXT = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s*0{1,2}:00(?::00)?)?$")
_EXCEL_EPOCH = date(1899, 12, 30)  # serial 1 = 1900-01-01 (Excel counts the nonexistent 1900-02-29)
_SERIALS = (20_000, 80_000)  # day numbers of 1954 … 2119: a date typed where a date is meant


def date_text(value: object) -> str:
    """A date cell as 2024年8月31日: a date or datetime, an Excel serial number (a date whose cell
    lost its date format) or a text such as 2024-08-31 / 2024/8/31; other values as text."""
    if isinstance(value, (datetime, date)):
        day = value.date() if isinstance(value, datetime) else value
    elif isinstance(value, (int, float)) and not isinstance(value, bool) and float(value).is_integer() \
            and _SERIALS[0] <= value < _SERIALS[1]:
        day = _EXCEL_EPOCH + timedelta(days=int(value))
    else:
        text = cell_text(value)
        match = _DATE_TEXT.match(normalize_text(text)) if text else None
        if not match:
            return text
        try:
            day = date(*(int(part) for part in match.groups()))
        except ValueError:
            return text
    return f"{day.year}年{day.month}月{day.day}日"
