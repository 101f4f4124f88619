"""Shared pieces of the two-sided tables (收支总表, 财政拨款收支表): income rows at left,
功能分类 类 rows at right, paired line by line."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import zip_longest

from xlbudget.model import Budget, Income, Line
from xlbudget.money import Fen
from xlbudget.tables.base import DETAIL, TOTAL, Cell, Row
from xlbudget.tables.spec import IncomeRow, TableSpec

Side = tuple[tuple[Cell, ...], str]  # (cells of one side, row kind)
_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1–99 in Chinese numerals: 1 一, 10 十, 21 二十一."""
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _DIGITS[tens] + "十")
    return head + (_DIGITS[ones] if ones else "")


def income_side(incomes: Sequence[Income], rows: Sequence[IncomeRow]) -> list[Side]:
    """One row per income row of the profile; a 其中 row (part) repeats part of the row above."""
    return [((row.label, sum(i.amount for i in incomes if i.source in row.sources)), row.kind)
            for row in rows]


def labelled(sides: Sequence[tuple[str, Cell | tuple[Cell, ...], str]]) -> list[Side]:
    """(label, value or values, kind) entries as sides; an entry without a label (a line the
    format does not print) is left out."""
    return [((label, *(value if isinstance(value, tuple) else (value,))), kind)
            for label, value, kind in sides if label]


def class_codes(spec: TableSpec, lines: Iterable[Line]) -> list[tuple[str, str]]:
    """The profile's 类 list plus any 类 the lines use that it lacks (never dropped)."""
    listed = dict(spec.function_classes)
    extra = sorted({line.function_class for line in lines} - set(listed))
    return list(listed.items()) + [(code, "") for code in extra]


def class_label(code: str, label: str, budget: Budget, style: str) -> str:
    """一、一般公共服务 (style "、") or （一）一般公共服务支出 (style "（）")."""
    name = label or budget.function_name(code) or code
    number = chinese_number(int(code) - 200) if code.isdigit() and 200 < int(code) < 300 else code
    if style == "（）":
        return f"（{number}）{name if name.endswith('支出') else name + '支出'}"
    return f"{number}、{name}"


def pair(left: Sequence[Side], right: Sequence[Side], left_width: int, right_width: int
         ) -> list[Row]:
    blank_left: tuple[Cell, ...] = (None,) * left_width
    blank_right: tuple[Cell, ...] = (None,) * right_width
    rows = []
    for lhs, rhs in zip_longest(left, right):
        cells = (lhs[0] if lhs else blank_left) + (rhs[0] if rhs else blank_right)
        kinds = {lhs[1] if lhs else DETAIL, rhs[1] if rhs else DETAIL}
        rows.append(Row(cells, TOTAL if TOTAL in kinds else (kinds - {DETAIL} or {DETAIL}).pop()))
    return rows


def sum_by_class(lines: Iterable[Line]) -> dict[str, Fen]:
    out: dict[str, Fen] = {}
    for line in lines:
        out[line.function_class] = out.get(line.function_class, 0) + line.amount
    return out
