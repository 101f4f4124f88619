"""Tables by classification outline (上海: 收入/支出预算总表, the three 功能分类 fund tables, the
基本支出 经济分类 table; 支出经济分类预算表 by 部门 or 政府预算经济分类): a row per 类, 款 and 项 in
code order, each code level in its own column and repeated on child rows, the 合计 row last; one
block for the whole 部门 or 单位."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from xlbudget.catalog import ECON_GOV
from xlbudget.model import Budget, Line
from xlbudget.tables.base import DETAIL, GROUP, MONEY, TOTAL, Row, Table
from xlbudget.tables.by_economic import NO_MAPPING
from xlbudget.tables.by_function import UNKNOWN_NAME
from xlbudget.tables.grid import RowKey, accumulate, table_lines
from xlbudget.tables.spec import TableSpec, table_columns

# classification → the lengths of its levels' codes
LEVELS: dict[str, tuple[int, ...]] = {
    "function": (3, 5, 7),  # 类 201, 款 20113, 项 2011301
    "econ": (3, 5),  # 类 301, 款 30101
    "gov": (3, 5),  # 政府预算经济分类: 类 501, 款 50101
}
CODE_FIELDS = ("class", "kuan", "xiang")


@dataclass(frozen=True)
class OutlineSpec(TableSpec):
    """``classification``: 功能分类 (类/款/项), 部门经济分类 or 政府预算经济分类 (类/款); a line
    without a 政府预算经济分类 (未对照) is a row of its own. ``narrative_items``: the money
    column whose 项 rows the profile's 预算说明 lists (财政拨款支出主要内容). ``{year}`` in
    ``empty_note`` is the budget year, ``{name}`` the 部门's name; the note is printed under a table without lines."""

    FIELDS = frozenset({*CODE_FIELDS, "code", "name"})  # code: the row's whole code (2010301)

    classification: Literal["function", "econ", "gov"] = "function"
    narrative_items: tuple[str, ...] = ()
    total_first: bool = False  # the 合计 row before the 类 rows (部门决算 收入/支出决算表)
    # the levels above the detail rows that are printed (类, 款): all by default; [] = 项 rows only
    # (经济分类: 款 rows are the detail rows, printed always)
    subtotals: tuple[Literal["class", "kuan"], ...] = ("class", "kuan")

    def prints(self) -> frozenset[str]:
        return frozenset({ECON_GOV}) if self.classification == "gov" else frozenset()


def _code_of(budget: Budget, line: Line, classification: str) -> str:
    if classification == "gov":
        return budget.gov_code(line)
    return line.function if classification == "function" else line.econ


def _name(budget: Budget, classification: str, code: str) -> str:
    if not code:
        return NO_MAPPING
    names = {"function": budget.function_name, "econ": budget.econ_name, "gov": budget.gov_name}
    return names[classification](code) or UNKNOWN_NAME


def build(budget: Budget, spec: TableSpec) -> Table:
    assert isinstance(spec, OutlineSpec)
    lengths = LEVELS[spec.classification]
    lines = table_lines(budget, spec)

    def keys(line: Line) -> list[RowKey]:
        code = _code_of(budget, line, spec.classification)
        return [("total",), *((code[:n],) for n in lengths)] if code else [("total",), ("",)]

    sums = accumulate(lines, spec.columns, budget, keys)
    printed = _printed(spec, lengths)
    codes = sorted(key[0] for key in sums if key != ("total",))  # type: ignore[index]
    rows = []
    for code in codes:
        if code and len(code) not in printed:
            continue  # a 类 or 款 row the table does not print (subtotals)
        level = printed.index(len(code)) + 1 if code else 1  # 未对照: a top-level row of its own
        kind = DETAIL if len(code) == lengths[-1] or not code else GROUP  # 类/款 rows repeat their 项 rows
        rows.append(_row(spec, sums[(code,)], _fields(budget, spec.classification, code, lengths), kind, level))
    total = sums.get(("total",), [0] * sum(1 for c in spec.columns if c.kind == MONEY))
    first = next((c.field for c in spec.columns if c.kind != MONEY), "")  # the 合计 label's column
    total_row = _row(spec, total, {first: spec.total_label}, TOTAL, 0)
    rows = [total_row, *rows] if spec.total_first else [*rows, total_row]
    empty = spec.empty_note.replace("{year}", str(budget.year)).replace("{name}", budget.dept_name)
    return Table(
        key=spec.key, name=spec.name, title=spec.title, org_name=budget.dept_name,
        columns=table_columns(spec.columns), rows=tuple(rows),
        note=empty if not lines else spec.note,
        total_span=sum(1 for c in spec.columns if c.kind != MONEY),
    )


def _printed(spec: OutlineSpec, lengths: tuple[int, ...]) -> list[int]:
    """The code lengths of the printed rows: the levels of ``subtotals`` and the detail level."""
    return [n for n, level in zip(lengths, CODE_FIELDS, strict=False) if n == lengths[-1] or level in spec.subtotals]


def _fields(budget: Budget, classification: str, code: str, lengths: tuple[int, ...]) -> dict[str, str]:
    """The code split into its levels' columns (parents repeated), whole, and the row's name."""
    starts = (0, *lengths)
    fields = {CODE_FIELDS[i]: code[starts[i]:end] for i, end in enumerate(lengths) if len(code) >= end}
    return fields | {"code": code, "name": _name(budget, classification, code)}


def _row(spec: TableSpec, sums: list[int], fields: dict[str, str], kind: str, level: int) -> Row:
    values = iter(sums)
    cells = tuple(next(values) if c.kind == MONEY else (fields.get(c.field) or None)
                  for c in spec.columns)
    return Row(cells, kind, level=level)
