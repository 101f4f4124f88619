"""Shared pieces of the two-sided tables (收支总表, 财政拨款收支表, 上海 收支总表): income lines at
left, 功能分类 类 lines at right, paired line by line. How each side adds up is declared by its
lines (level, 其中, closing lines), never read from their labels: the builder hands it to the
checks as the table's ``sums``."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import zip_longest
from typing import Literal, cast

from xlbudget.model import Budget, Income, Line
from xlbudget.money import Fen
from xlbudget.tables.base import DETAIL, GROUP, TOTAL, Cell, Row, RowSum
from xlbudget.tables.spec import IncomeRow, TableSpec

_DIGITS = "零一二三四五六七八九"
CLASS_FIELDS = frozenset({"number", "name", "code"})  # placeholders of ``class_label``


def chinese_number(n: int) -> str:
    """1–99 in Chinese numerals: 1 一, 10 十, 21 二十一."""
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _DIGITS[tens] + "十")
    return head + (_DIGITS[ones] if ones else "")


@dataclass(frozen=True)
class Entry:
    """One line of one side: its cells (label, amounts), style and place in the side's sums."""

    cells: tuple[Cell, ...]
    kind: str = DETAIL
    level: int = 1  # 2: a component of the nearest level-1 line above
    part: bool = False  # 其中: part of the line above, added nowhere
    closes: bool = False  # a 合计/总计 line: the previous closing line (if any) + the level-1 lines since


Side = list[Entry | None]  # None: a blank line (the other side is longer)


@dataclass(frozen=True)
class ClassRowsSpec(TableSpec):
    """A table whose right side lists 功能分类 类 lines, and how they are numbered and named."""

    class_label: str = "{number}、{name}"  # {number}: Chinese numeral, {name}, {code}
    class_numbering: Literal["code", "sequence"] = "code"  # code: 类 code − 200; sequence: 一、二、… in order
    class_suffix: str = ""  # appended to a 类 name that does not already end with it (e.g. 支出)
    all_classes: bool = True  # every 类 of [function_classes], with spending or not


def income_entries(incomes: Sequence[Income], rows: Sequence[IncomeRow]) -> list[Entry]:
    """One line per income row of the profile, nested as the profile declares (``IncomeRow.level``)."""
    out, grouped = [], False
    for row in rows:
        level = row.level or (2 if grouped and row.kind != GROUP else 1)
        grouped = grouped or row.kind == GROUP
        amount = sum(i.amount for i in incomes if i.source in row.sources)
        out.append(Entry((row.label, amount), row.kind, level, row.part))
    return out


def top_level_sum(entries: Iterable[Entry]) -> Fen:
    """The sum of the level-1 lines that are not 其中 (what a closing line adds up)."""
    return column_sum(entries, 1)


def column_sum(entries: Iterable[Entry], column: int) -> Fen:
    """The sum of column ``column`` over the level-1 lines that are not 其中. Amounts are added as they
    are, never through int(): 舍位平衡 derives the tables again from lines standing for their amounts."""
    return sum((cast(Fen, e.cells[column]) for e in entries if e.level == 1 and not e.part and e.cells[column]), 0)


def closing(label: str, values: Cell | tuple[Cell, ...], kind: str = TOTAL) -> list[Entry]:
    """A closing line (…合计/…总计), or nothing when the format does not print it (label "")."""
    return [Entry((label, *(values if isinstance(values, tuple) else (values,))), kind, closes=True)] if label else []


def line(label: str, values: Cell | tuple[Cell, ...], kind: str = DETAIL) -> list[Entry]:
    """A plain level-1 line, or nothing when the format does not print it (label "")."""
    return [Entry((label, *(values if isinstance(values, tuple) else (values,))), kind)] if label else []


def class_lines(spec: TableSpec, lines: Iterable[Line], budget: Budget) -> list[tuple[str, str]]:
    """(类 code, printed label) of each 类 line: the profile's 类 list (all of it, or those with
    spending) plus any 类 the lines use that it lacks (never dropped), numbered and named as the
    spec says."""
    assert isinstance(spec, ClassRowsSpec)
    spent = {line.function_class for line in lines}
    listed = dict(spec.function_classes)
    codes = [c for c in listed if spec.all_classes or c in spent] + sorted(spent - set(listed))
    out = []
    for n, code in enumerate(codes, start=1):
        name = listed.get(code) or budget.function_name(code) or code
        if spec.class_suffix and not name.endswith(spec.class_suffix):
            name += spec.class_suffix
        out.append((code, spec.class_label.format(number=_number(spec, code, n), name=name, code=code)))
    return out


def _number(spec: ClassRowsSpec, code: str, n: int) -> str:
    if spec.class_numbering == "sequence":
        return chinese_number(n)
    return chinese_number(int(code) - 200) if code.isdigit() and 200 < int(code) < 300 else code


def stack(*blocks: tuple[Sequence[Entry | None], Sequence[Entry | None]]) -> tuple[Side, Side]:
    """Blocks of (left, right) lines one below the other: each block starts on a new row."""
    left: Side = []
    right: Side = []
    for lhs, rhs in blocks:
        height = max(len(lhs), len(rhs))
        left += [*lhs, *[None] * (height - len(lhs))]
        right += [*rhs, *[None] * (height - len(rhs))]
    return left, right


def pair(left: Sequence[Entry | None], right: Sequence[Entry | None], left_width: int, right_width: int) -> tuple[list[Row], tuple[RowSum, ...]]:
    """The rows of both sides side by side, and each side's sums (its money columns)."""
    blank_left: tuple[Cell, ...] = (None,) * left_width
    blank_right: tuple[Cell, ...] = (None,) * right_width
    rows = []
    for lhs, rhs in zip_longest(left, right):
        cells = (lhs.cells if lhs else blank_left) + (rhs.cells if rhs else blank_right)
        kinds = {lhs.kind if lhs else DETAIL, rhs.kind if rhs else DETAIL}
        rows.append(Row(cells, TOTAL if TOTAL in kinds else (kinds - {DETAIL} or {DETAIL}).pop()))
    sums = [RowSum(total, tuple(parts), tuple(range(1, left_width))) for total, parts in side_sums(left)]
    sums += [RowSum(total, tuple(parts), tuple(range(left_width + 1, left_width + right_width)))
             for total, parts in side_sums(right)]
    return rows, tuple(sums)


def side_sums(side: Sequence[Entry | None]) -> list[tuple[int, list[int]]]:
    """(total line, part lines) of one side: a level-1 line = Σ its level-2 lines below; a closing
    line = the previous closing line (if any) + the level-1 lines since it. 其中 lines are never
    added."""
    entries = [(i, e) for i, e in enumerate(side) if e is not None]
    out: list[tuple[int, list[int]]] = []
    for n, (i, entry) in enumerate(entries):
        if entry.level != 1 or entry.closes or entry.part:
            continue
        children = []
        for j, below in entries[n + 1:]:
            if below.part:
                continue
            if below.level != 2 or below.closes:
                break
            children.append(j)
        if children:
            out.append((i, children))
    previous = -1
    for i, entry in entries:
        if entry.closes:
            since = [j for j, e in entries if previous < j < i and e.level == 1 and not e.part and not e.closes]
            out.append((i, ([previous] if previous >= 0 else []) + since))
            previous = i
    return out


def sum_by_class(lines: Iterable[Line]) -> dict[str, Fen]:
    out: dict[str, Fen] = {}
    for ln in lines:
        out[ln.function_class] = out.get(ln.function_class, 0) + ln.amount
    return out
