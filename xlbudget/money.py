"""Exact money: every amount is an ``int`` of 分 from reading to writing.

This module is the one place where amounts are parsed, converted between the
input's 金额单位 and 分, and rounded for display (``to_display``).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Sequence
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import cache

Fen = int

# 分 per unit, and the decimals a unit can carry while staying exact to the 分.
FEN_PER_UNIT: dict[str, int] = {"元": 100, "万元": 1_000_000}
DECIMALS: dict[str, int] = {"元": 2, "万元": 6}
UNITS = tuple(FEN_PER_UNIT)

# Excel and WPS cache a formula's result as the full double (=1.1+2.2 is saved as
# 3.3000000000000003), and .xls files hold every number as a double. A number cell is the amount
# with the unit's decimals nearest to it when the two differ by floating-point noise only: at most
# NOISE_FEN 分 (the cancellation in =A1-A2) or NOISE_ULPS units in the last place of the double
# (the rounding of long sums: 1,000 terms stay under 30). A decimal one place beyond the 分
# (0.1 分) is never noise; two places (0.01 分) never below 10亿元. Above NOISE_LIMIT_FEN (400亿元
# in one cell) the noise could reach 0.05 分, so there a double must be an amount exactly.
NOISE_FEN = 0.001
NOISE_ULPS = 64
NOISE_LIMIT_FEN = 4 * 10**12
EXACT_FEN = 10**15  # below this, an amount with the unit's decimals has at most 15 digits: one double each

DISPLAY_UNIT = "万元"
DISPLAY_DECIMALS = 2
DISPLAY_STEP = FEN_PER_UNIT[DISPLAY_UNIT] // 10**DISPLAY_DECIMALS  # 分 per displayed step: 10,000
# How the tables' figures are rounded for display (xlbudget.display): each alone, or 舍位平衡.
EXACT, BALANCED = "exact", "balanced"
ROUNDINGS = (EXACT, BALANCED)

_ZERO_MARKS = {"-", "—", "–", "－", "——", "--"}
_SPACES = re.compile(r"[\s\u00a0\u3000\u200b-\u200d\u2060\ufeff]+")  # with zero-width ones
_GROUPED = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d*)?")  # 1,234,567.89


class AmountError(ValueError):
    """An amount that cannot be read exactly; the message is for the clerk."""


def normalize_text(value: str) -> str:
    """Full-width digits/punctuation to ASCII (NFKC) and all spaces (also zero-width) removed."""
    return _SPACES.sub("", unicodedata.normalize("NFKC", value))


def parse_decimal(value: object) -> Decimal:
    """A cell value as an exact Decimal; floats go through ``repr``, never ``Decimal(float)``."""
    return parse_amount(value)[0]


def parse_amount(value: object) -> tuple[Decimal, str]:
    """A cell value as an exact Decimal and the unit typed after it ("" when none).

    Text may carry full-width characters, spaces, thousands separators, a leading ¥, a trailing
    元/万元, "-" or "—" for zero and accounting brackets for a negative: ``（1,234.50）元``.
    """
    if isinstance(value, bool):
        raise AmountError(f"“{value}”不是金额")
    if isinstance(value, int):
        return Decimal(value), ""
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise AmountError("金额不是有限数值")
        return Decimal(repr(value)), ""
    if isinstance(value, Decimal):
        return value, ""
    text = normalize_text(str(value)).replace("\u2212", "-")  # the minus sign of some PDFs
    unit = next((u for u in sorted(UNITS, key=len, reverse=True) if text.endswith(u)), "")
    text = text[: len(text) - len(unit)].removeprefix("¥")
    if text in _ZERO_MARKS:
        return Decimal(0), unit
    if text.startswith("(") and text.endswith(")"):
        text = "-" + text[1:-1]
    if "," in text and not _GROUPED.fullmatch(text):
        raise AmountError(f"“{value}”的千分位逗号位置不对（应每三位数字一个逗号）")
    try:
        number = Decimal(text.replace(",", "")) if "_" not in text else Decimal("NaN")
    except InvalidOperation:
        raise AmountError(f"“{value}”不是有效金额") from None
    if not number.is_finite():
        raise AmountError(f"“{value}”不是有效金额")
    return number, unit


def to_fen(value: object, unit: str) -> Fen:
    """Parse a cell in ``unit`` (or in the unit typed after the number) into exact 分; too many
    decimals or a negative amount is an error. A number cell (float) follows ``float_to_fen``."""
    if isinstance(value, float) and value >= 0 and math.isfinite(value):
        return float_to_fen(value, unit)
    number, stated = parse_amount(value)
    if number < 0:
        raise AmountError(f"金额不能为负数（{number}）")
    return _exact_fen(number, stated or unit)


def float_to_fen(value: float, unit: str) -> Fen:
    """A finite, non-negative number cell in ``unit`` as exact 分, without Decimal where that is exact:
    the double of an amount with the unit's decimals, or within floating-point noise of one (see
    NOISE_FEN). Anything else has decimals the unit does not allow (AmountError)."""
    per = FEN_PER_UNIT[unit]
    fen = round(value * per)
    if fen < EXACT_FEN:
        nearest = fen / per  # int / int is correctly rounded: the double of the amount
        if nearest == value:
            return fen
        if fen < NOISE_LIMIT_FEN and abs(value - nearest) <= max(NOISE_FEN / per, NOISE_ULPS * math.ulp(value)):
            return fen
    return _exact_fen(Decimal(repr(value)), unit)


def _exact_fen(number: Decimal, unit: str) -> Fen:
    scaled = number * FEN_PER_UNIT[unit]
    if scaled != scaled.to_integral_value():
        raise AmountError(f"金额 {number} 超过{unit}允许的 {DECIMALS[unit]} 位小数（须精确到分）")
    return int(scaled)


# The largest amount one cell may hold: 1 万亿元 (10^12 元), beyond any line of a department budget.
# It keeps every sum exact within Decimal's 28 digits and every displayed figure within the 15
# significant digits a spreadsheet cell stores.
MAX_FEN: Fen = 10**12 * FEN_PER_UNIT["元"]


def beyond_bound(fen: Fen) -> bool:
    """Whether one amount exceeds MAX_FEN (a typing error such as 1E+30, not a budget)."""
    return abs(fen) > MAX_FEN


def display_steps(fen: Fen, unit: str = DISPLAY_UNIT, decimals: int = DISPLAY_DECIMALS) -> int:
    """The one rounding: 分 to whole steps of the displayed precision (0.01 万元 = 10,000 分),
    half away from zero, in integer arithmetic."""
    return _rounding(unit, decimals)(fen)


@cache
def _rounding(unit: str, decimals: int) -> Callable[[Fen], int]:
    """``display_steps`` for one unit and precision, its step worked out once."""
    step = FEN_PER_UNIT[unit] // 10**decimals if FEN_PER_UNIT[unit] >= 10**decimals else 0
    if not step:  # finer than the 分: every 分 is exact
        factor = 10**decimals // FEN_PER_UNIT[unit]
        return lambda fen: fen * factor

    def steps(fen: Fen) -> int:
        quotient, remainder = divmod(fen if fen >= 0 else -fen, step)
        rounded = quotient + (1 if 2 * remainder >= step else 0)
        return rounded if fen >= 0 else -rounded

    return steps


def display_scale(unit: str = DISPLAY_UNIT, decimals: int = DISPLAY_DECIMALS) -> Callable[[Fen], float]:
    """``display_number`` for one unit and precision, for a writer's inner loop."""
    rounding, divisor = _rounding(unit, decimals), 10**decimals
    return lambda fen: rounding(fen) / divisor


def display_step(unit: str = DISPLAY_UNIT, decimals: int = DISPLAY_DECIMALS) -> Fen:
    """分 per displayed step (10,000 for 0.01 万元; 1 where every 分 is shown, as in 元)."""
    return max(1, FEN_PER_UNIT[unit] // 10**decimals)


def round_display(fen: Fen, unit: str = DISPLAY_UNIT) -> Fen:
    """分 rounded to the displayed precision of ``unit``, still in 分 (a multiple of its step)."""
    return display_rounder(unit)(fen)


@cache
def display_rounder(unit: str = DISPLAY_UNIT) -> Callable[[Fen], Fen]:
    """``round_display`` for one unit, its step worked out once, for an inner loop."""
    step = display_step(unit)
    if step == 1:
        return lambda fen: fen
    steps = _rounding(unit, DISPLAY_DECIMALS)
    return lambda fen: steps(fen) * step


def to_display(fen: Fen, unit: str = DISPLAY_UNIT, decimals: int = DISPLAY_DECIMALS) -> Decimal:
    """The displayed value as an exact Decimal (e.g. 3846.29)."""
    return Decimal(display_steps(fen, unit, decimals)).scaleb(-decimals)


def display_number(fen: Fen, unit: str = DISPLAY_UNIT, decimals: int = DISPLAY_DECIMALS) -> float:
    """The displayed value as the spreadsheet number nearest to it (what a cell stores)."""
    return display_steps(fen, unit, decimals) / 10**decimals


def to_exact(fen: Fen, unit: str = DISPLAY_UNIT) -> Decimal:
    """分 in ``unit`` without rounding (for checks that reason about rounding tails)."""
    return Decimal(fen) / FEN_PER_UNIT[unit]


def fmt(fen: Fen, unit: str = DISPLAY_UNIT, decimals: int = DISPLAY_DECIMALS) -> str:
    """Display text for messages, e.g. ``3,846.29``."""
    return f"{to_display(fen, unit, decimals):,.{decimals}f}"


def amount_text(fen: Fen, unit: str) -> str:
    """Exact amount with at least 2 decimals and only as many more as it needs, and its unit, as the
    clerk typed it: ``3,846.29 万元``."""
    exact = to_exact(fen, unit).normalize()
    decimals = min(max(2, -exact.as_tuple().exponent), DECIMALS[unit])  # type: ignore[operator]
    return f"{fmt(fen, unit, decimals)} {unit}"


def percent(part: Fen, whole: Fen, decimals: int = 2) -> Decimal | None:
    """``part / whole`` in percent, half up; None when ``whole`` is 0."""
    if whole == 0:
        return None
    value = Decimal(part) * 100 / Decimal(whole)
    return value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def shares(parts: Sequence[Fen], decimals: int = 2) -> list[Decimal]:
    """Each part's percent of their sum, rounded so that the shares add up to exactly 100 (largest
    remainder: the parts that lost most to rounding down get the last steps); all 0 when the sum is 0."""
    whole = sum(parts)
    if whole == 0:
        return [Decimal(0)] * len(parts)
    steps = 100 * 10**decimals
    floors = [part * steps // whole for part in parts]
    lost = sorted(range(len(parts)), key=lambda i: (-(parts[i] * steps % whole), i))
    for index in lost[:steps - sum(floors)]:
        floors[index] += 1
    return [Decimal(f).scaleb(-decimals) for f in floors]
