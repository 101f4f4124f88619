"""The shared engine of the grid tables: lines are summed once into every row they belong to.

A builder says which row keys a line contributes to (合计, its unit, its 功能分类 项 …) and
what text each row shows; each money column's filter is evaluated once per line.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from xlbudget.model import Budget, Line
from xlbudget.money import Fen
from xlbudget.tables.base import DEPARTMENT, DETAIL, MONEY, TOTAL, UNIT, Row, Table
from xlbudget.tables.spec import ColumnSpec, LineFilter, TableSpec, table_columns

RowKey = Hashable
Item = TypeVar("Item")
UNKNOWN_UNIT_NAME = "（单位表中未登记的单位）"


@dataclass
class RowPlan:
    """One output row before its sums are known."""

    key: RowKey
    kind: str
    fields: dict[str, str] = field(default_factory=dict)
    group: int = 0
    money: bool = True  # False: a continuation row whose money cells stay blank


def table_lines(budget: Budget, spec: TableSpec) -> list[Line]:
    return [line for line in budget.lines if spec.filter.matches(line, budget)]


def several_units(budget: Budget) -> bool:
    return len({u.code for u in budget.units} | {line.unit for line in budget.lines}) > 1


def accumulate(lines: Iterable[Line], columns: Sequence[ColumnSpec], budget: Budget,
               keys: Callable[[Line], Iterable[RowKey]]) -> dict[RowKey, list[Fen]]:
    """Row key → sums of the money columns (in column order). Each column's filter is
    evaluated once per kind of line (source, basic/project, economic code, project type, unit type, flow,
    功能分类 类)."""
    money = [c for c in columns if c.kind == MONEY]
    masks: dict[tuple[str, bool, str, str, str, str, str], list[int]] = {}
    sums: dict[RowKey, list[Fen]] = {}
    width = len(money)
    for line in lines:
        kind = (line.source, line.is_basic, line.econ, budget.project_type(line), budget.unit_type(line.unit),
                line.flow, line.function_class)
        mask = masks.get(kind)
        if mask is None:
            mask = masks[kind] = [i for i, c in enumerate(money) if c.filter.matches(line, budget)]
        amount = line.amount
        for key in keys(line):
            row = sums.get(key)
            if row is None:
                row = sums[key] = [0] * width
            for index in mask:
                row[index] += amount
    return sums


def accumulate_items(items: Iterable[Item], line_of: Callable[[Item], Line],
                     keys: Callable[[Item, Line], Iterable[RowKey]], columns: Sequence[ColumnSpec], budget: Budget,
                     keep: LineFilter) -> tuple[list[Line], dict[RowKey, list[Fen]]]:
    """``accumulate`` for items that are not lines (政府购买服务, 年度主要任务): each is selected (``keep``)
    and split into the money columns as its line (``line_of``) would be, and added to the rows
    ``keys`` gives it. Returns the lines kept, in order, and the sums."""
    pairs = [(item, line) for item in items if keep.matches(line := line_of(item), budget)]
    rows = {id(line): list(keys(item, line)) for item, line in pairs}
    lines = [line for _, line in pairs]
    return lines, accumulate(lines, columns, budget, lambda line: rows[id(line)])


def unit_order(budget: Budget, lines: Iterable[Line]) -> list[str]:
    """Units in the 单位 sheet's order, then any unit only the lines know (never dropped)."""
    order = list(dict.fromkeys(u.code for u in budget.units))  # a repeated unit is listed once
    extra = sorted({line.unit for line in lines} - set(order))
    return order + extra


def unit_name(budget: Budget, code: str) -> str:
    unit = budget.unit(code)
    return unit.name if unit else UNKNOWN_UNIT_NAME


def build_table(budget: Budget, spec: TableSpec, plans: Sequence[RowPlan],
                sums: dict[RowKey, list[Fen]], columns: Sequence[ColumnSpec],
                note: str = "", merge_down: Sequence[int] = ()) -> Table:
    """Assemble rows: text columns from each plan's fields, money columns from the sums."""
    rows = []
    money = [i for i, c in enumerate(columns) if c.kind == MONEY]
    text = [(i, c.field) for i, c in enumerate(columns) if c.kind != MONEY]
    zeros = [0] * len(money)
    for plan in plans:
        cells: list[str | Fen | None] = [None] * len(columns)
        if plan.money:
            for index, value in zip(money, sums.get(plan.key) or zeros, strict=True):
                cells[index] = value
        for index, name in text:
            cells[index] = plan.fields.get(name) or None
        rows.append(Row(tuple(cells), plan.kind, plan.group))
    return Table(
        key=spec.key, name=spec.name, title=spec.title,
        org_name=budget.dept_name,
        columns=table_columns(columns),
        rows=tuple(rows), note=note or spec.note, merge_down=tuple(merge_down),
    )


def empty_plan(spec: TableSpec, columns: Sequence[ColumnSpec], field_name: str) -> list[RowPlan]:
    """The explicit 空表说明 row of a table without lines."""
    return [RowPlan(("empty",), DETAIL, {field_name: spec.empty_note}, money=False)] if spec.empty_note else []


def total_plan(spec: TableSpec, label_field: str) -> RowPlan:
    return RowPlan(("total",), TOTAL, {label_field: spec.total_label})


def unit_plan(budget: Budget, code: str, code_field: str, name_field: str) -> RowPlan:
    return RowPlan(("unit", code), UNIT, {code_field: code, name_field: unit_name(budget, code)})


@dataclass(frozen=True)
class BlocksSpec(TableSpec):
    """A table of 合计, optional department rows, and unit blocks of detail rows."""

    department_rows: bool = False  # a 部门's disclosure lists its detail rows before the units


def blocks_table(budget: Budget, spec: TableSpec, detail: Callable[[Line], Iterable[Hashable]],
                 fields: Callable[[Hashable], dict[str, str]], total_field: str,
                 unit_fields: Callable[[str, str], dict[str, str]],
                 kind_of: Callable[[Hashable], str] = lambda _: DETAIL) -> Table:
    """合计, then (in a 部门's disclosure, when the spec asks for it) the department's detail
    rows summed exactly over its units, then per unit (when the spec or the budget asks for it) a
    unit row and its detail rows: one per distinct key of ``detail(line)``, in sorted order."""
    assert isinstance(spec, BlocksSpec)
    lines = table_lines(budget, spec)
    multi = several_units(budget)
    columns = spec.visible_columns(multi)
    by_unit = spec.unit_rows == "always" or multi
    whole = spec.department and spec.department_rows and by_unit

    def keys(line: Line) -> list[RowKey]:
        unit = line.unit if by_unit else ""
        return [("total",), ("unit", unit), *[("detail", unit, d) for d in detail(line)]]

    sums = accumulate(lines, columns, budget, keys)
    if whole:  # the 部门's rows: its units' rows of the same key, added exactly
        for key, row in list(sums.items()):
            if key[0] == "detail":  # type: ignore[index]
                total = sums.setdefault(("detail", None, key[2]), [0] * len(row))  # type: ignore[index]
                for index, value in enumerate(row):
                    total[index] += value
    details: dict[str | None, list[Hashable]] = {}
    for key in sums:
        if key[0] == "detail":  # type: ignore[index]
            details.setdefault(key[1], []).append(key[2])  # type: ignore[index]

    def rows(unit: str | None) -> list[RowPlan]:
        def kind(d: Hashable) -> str:  # a 部门's own detail rows; subtotal rows stay subtotals
            own = kind_of(d)
            return DEPARTMENT if unit is None and own == DETAIL else own

        return [RowPlan(("detail", unit, d), kind(d), fields(d))
                for d in sorted(details.get(unit, []))]  # type: ignore[type-var]

    plans = [total_plan(spec, total_field)]
    if not lines:
        plans += empty_plan(spec, columns, total_field)
    if whole:
        plans += rows(None)
    for unit in unit_order(budget, lines) if by_unit else [""]:
        if ("unit", unit) not in sums:
            continue
        if by_unit:
            plans.append(RowPlan(("unit", unit), UNIT, unit_fields(unit, unit_name(budget, unit))))
        plans += rows(unit)
    return build_table(budget, spec, plans, sums, columns)
