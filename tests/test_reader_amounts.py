"""Formula results as Excel and WPS cache them (issue #10, item 1): a number cell within
floating-point noise of an amount with the unit's decimals is that amount; a real extra decimal
is still XB110."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.workbooks import BASE, INCOME, UNIT, info
from tests.workbooks_hostile import Formula, xlsx
from xlbudget.money import FEN_PER_UNIT, NOISE_LIMIT_FEN, AmountError, to_fen
from xlbudget.reader import read_budget

# (formula, the double Excel caches for it as written in the file, 金额单位, read as 分 or the rule)
CACHED: list[tuple[str, str, str, int | str]] = [
    ("=1.1+2.2", "3.3000000000000003", "万元", 3_300000),
    ("=0.1+0.2", "0.30000000000000004", "元", 30),
    ("=SUM(0.1,0.1,0.1,0.1,0.1,0.1,0.1,0.1,0.1,0.1)", "0.99999999999999989", "万元", 1_000000),
    ("=123456.789012+0.000001", "123456.78901299999", "万元", 123456_789013),
    ("=1000000.01-999999.99", "2.000000001862645E-2", "元", 2),  # cancellation: noise of the operands
    ("=3846.29", "3846.29", "万元", 3846_290000),
    ("=1.2345678", "1.2345678", "万元", "XB110"),  # a real seventh decimal (0.2 分)
    ("=1234.567", "1234.567", "元", "XB110"),  # a real third decimal in 元 (0.7 分)
    ("=370.37*1.0001", "370.40703700000002", "元", "XB110"),  # a product with real extra decimals
    ("=100/3", "33.333333333333336", "元", "XB110"),
    ("=0.00000001", "1E-8", "万元", "XB110"),  # 0.01 分: still a real decimal
]


@pytest.mark.parametrize(("formula", "cached", "unit", "expected"), CACHED)
def test_cached_formula_results(tmp_path: Path, formula: str, cached: str, unit: str, expected: int | str) -> None:
    """The cache written into the sheet XML the way Excel does: ``<c><f>…</f><v>3.3000000000000003</v></c>``."""
    path = xlsx(tmp_path / "公式.xlsx", {**BASE, "基本信息": info(unit),
                                         "收入": [INCOME, [UNIT, "一般公共预算", Formula(formula[1:], cached)]]})
    budget, findings = read_budget(path)
    if isinstance(expected, int):
        assert ([i.amount for i in budget.incomes], findings) == ([expected], [])
    else:
        assert (budget.incomes, [(f.code, str(f.where)) for f in findings]) == ((), [(expected, "收入!C2")])


# -- the rule in money.to_fen, for every amount ----------------------------------------------
UNITS = st.sampled_from(sorted(FEN_PER_UNIT))


def as_typed(fen: int, unit: str) -> float:
    """The double a clerk's typed amount becomes (what Excel parses from the decimal text)."""
    return float(Decimal(fen) / FEN_PER_UNIT[unit])


@given(unit=UNITS, parts=st.lists(st.integers(0, NOISE_LIMIT_FEN // 50), min_size=1, max_size=50))
def test_a_sum_of_amounts_as_excel_caches_it_reads_back_exactly(unit: str, parts: list[int]) -> None:
    """``=A1+A2+…`` (or SUM) is cached as the float sum, written with 17 significant digits."""
    cached = 0.0
    for fen in parts:
        cached += as_typed(fen, unit)
    assert to_fen(float(f"{cached:.17g}"), unit) == sum(parts)
    assert to_fen(float(repr(cached)), unit) == sum(parts)


@given(unit=UNITS, a=st.integers(0, NOISE_LIMIT_FEN // 2), b=st.integers(0, NOISE_LIMIT_FEN // 2))
def test_a_difference_of_amounts_reads_back_exactly(unit: str, a: int, b: int) -> None:
    """``=A1-A2``: the noise is the operands' (cancellation), not the result's."""
    high, low = max(a, b), min(a, b)
    assert to_fen(as_typed(high, unit) - as_typed(low, unit), unit) == high - low


@given(unit=UNITS, fen=st.integers(0, 10**15 - 1))
def test_every_typed_amount_reads_back_exactly(unit: str, fen: int) -> None:
    """Up to Excel's 15 significant digits, a typed amount is exact, noise rule or not."""
    assert to_fen(as_typed(fen, unit), unit) == fen


def off_the_fen(fen: int, hundredths: int, unit: str) -> float:
    """A typed amount ``hundredths`` hundredths of a 分 beyond ``fen`` (decimals the unit does not allow)."""
    return float(Decimal(fen * 100 + hundredths) / (FEN_PER_UNIT[unit] * 100))


@given(unit=UNITS, fen=st.integers(0, NOISE_LIMIT_FEN - 1), tenths=st.integers(1, 9))
def test_a_tenth_of_a_fen_is_never_noise(unit: str, fen: int, tenths: int) -> None:
    """万元 1.2345678 or 元 1234.567: a decimal one place beyond the 分 is refused at any size."""
    with pytest.raises(AmountError):
        to_fen(off_the_fen(fen, 10 * tenths, unit), unit)


@given(unit=UNITS, fen=st.integers(0, 10**11), hundredths=st.integers(1, 99))
def test_a_hundredth_of_a_fen_is_never_noise_below_a_billion_yuan(unit: str, fen: int, hundredths: int) -> None:
    with pytest.raises(AmountError):
        to_fen(off_the_fen(fen, hundredths, unit), unit)
