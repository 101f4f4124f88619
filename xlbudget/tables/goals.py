"""部门（单位）整体支出绩效目标表: a 部门's (or unit's) own goals, laid out as the published forms
are — its 年度主要任务 with their budgets and a 金额合计 row, its 年度总体目标, its 年度绩效指标 —
in one grid whose columns the profile declares. Sections may share columns (``same_column``,
e.g. 任务名称 and 一级指标) and print their own header row (``task_header``, ``indicator_header``).

A unit's disclosure prints every row of its workbook; a 部门's prints the 部门's own rows
(单位编码 blank or the 部门编码) and, with ``units``, then each unit's under its name.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import ClassVar, NamedTuple

from xlbudget.model import Budget, Goal, Indicator, Line, Task
from xlbudget.tables.base import DETAIL, GROUP, MONEY, TOTAL, UNIT, RowSum, Table
from xlbudget.tables.grid import RowKey, RowPlan, accumulate_items, build_table, unit_name, unit_order
from xlbudget.tables.spec import LineFilter, TableSpec

TASK_FIELDS = ("task_name", "task_content")
INDICATOR_FIELDS = ("indicator_level1", "indicator_level2", "indicator_level3", "indicator_value",
                    "indicator_direction", "indicator_measure")
SECTION = "section"
# The filters a task's budget can be selected by: it has a 资金来源 (or none), nothing else.
FILTERS = frozenset({"sources"})


@dataclass(frozen=True)
class GoalsSpec(TableSpec):
    """The 整体绩效目标 of the 部门 (and, with ``units``, of each unit) as the published form."""

    FIELDS: ClassVar[frozenset[str]] = frozenset({SECTION, "unit_name", "goal", *TASK_FIELDS, *INDICATOR_FIELDS})

    task_label: str = ""  # the section column of the task rows, e.g. 年度主要任务
    goal_label: str = ""  # … of the 年度总体目标 row
    indicator_label: str = ""  # … of the indicator rows, e.g. 年度绩效指标
    # fields printed in one column: the column's own field first, then those that share it
    same_column: tuple[tuple[str, ...], ...] = ()
    task_header: tuple[str, ...] = ()  # a header row above the tasks: labels of the text columns after 项目
    indicator_header: tuple[str, ...] = ()  # … above the indicators
    units: bool = False  # a 部门's table also prints each unit's own goals, under its name

    def problems(self) -> Iterator[tuple[str, str]]:
        shown = {c.field for c in self.columns if c.kind != MONEY}
        for i, group in enumerate(self.same_column):
            if not group or group[0] not in shown:
                yield f"same_column[{i}]", "每组的第一个字段须是某个文字列的 field"
            for name in group[1:]:
                if name not in self.FIELDS:
                    yield f"same_column[{i}]", f"“{name}”不是此类表的字段（可用：{'、'.join(sorted(self.FIELDS))}）"
        after = [c for c in self.columns if c.kind != MONEY and c.field != SECTION]
        for key in ("task_header", "indicator_header"):
            if len(getattr(self, key)) > len(after):
                yield key, f"表头行的文字多于“项目”列之后的 {len(after)} 个文字列"
        for key in sorted(self.filter.given()):
            yield key, "整体绩效目标表不按行筛选（金额列可按 sources 分列）"
        for i, column in enumerate(self.columns):
            for key in sorted(column.filter.given() - FILTERS):
                yield f"columns[{i}].{key}", f"整体绩效目标表的任务金额只按 {'、'.join(sorted(FILTERS))} 分列"


class Block(NamedTuple):
    """Whose goals (a heading when the table lists several) and the rows stating them."""

    heading: str
    goals: list[Goal]
    tasks: list[Task]
    indicators: list[Indicator]


def blocks(budget: Budget, spec: GoalsSpec) -> list[Block]:
    """A unit's table: all its rows. A 部门's: its own (单位编码 blank or 部门编码), then with ``units``
    each unit's in the 单位 sheet's order."""
    def of(codes: Sequence[str], heading: str = "") -> Block:
        return Block(heading, [g for g in budget.goals if g.unit in codes],
                     [t for t in budget.tasks if t.unit in codes],
                     [i for i in budget.goal_indicators if i.unit in codes])

    everyone = [row.unit for row in budget.goal_rows]
    if not spec.department:
        return [of(list(dict.fromkeys(everyone)))]
    own = ("", budget.dept_code)
    lines = [Line(code, "", "", "", 0) for code in everyone if code not in own]
    units = [of((code,), unit_name(budget, code)) for code in unit_order(budget, lines)] if spec.units else []
    return [b for b in [of(own), *units] if b.goals or b.tasks or b.indicators]


def build(budget: Budget, spec: TableSpec) -> Table:
    assert isinstance(spec, GoalsSpec)
    columns = spec.visible_columns(len(budget.units) > 1)
    texts = [c.field for c in columns if c.kind != MONEY]
    label = texts[0] if texts else SECTION
    after = [f for f in texts if f != SECTION]  # the columns a section's header row labels
    place = {name: group[0] for group in spec.same_column for name in group[1:]}
    found = blocks(budget, spec)
    block_of = {id(task): index for index, block in enumerate(found) for task in block.tasks}

    def keys(task: Task, _: Line) -> list[RowKey]:
        return [("total", block_of[id(task)]), ("task", block_of[id(task)], task.name)]

    tasks = [task for block in found for task in block.tasks]
    _, sums = accumulate_items(tasks, Task.as_line, keys, columns, budget, LineFilter())
    plans: list[RowPlan] = []
    declared: list[RowSum] = []
    money = tuple(i for i, c in enumerate(columns) if c.kind == MONEY)
    group = 0

    def add(key: RowKey, kind: str, fields: dict[str, str], amounts: bool = False) -> int:
        """A row; one of a section (not 金额合计 or a unit's name) is merged with its section's 项目 cell."""
        merged = group if kind in (DETAIL, GROUP) else 0
        plans.append(RowPlan(key, kind, {place.get(k, k): v for k, v in fields.items() if v}, merged, amounts))
        return len(plans) - 1

    for index, block in enumerate(found):
        if block.heading:
            add(("unit", index), UNIT, {label: block.heading, "unit_name": block.heading})
        if block.tasks:
            group += 1
            if spec.task_header:
                add(("header", index, "tasks"), GROUP, {SECTION: spec.task_label, **dict(zip(after, spec.task_header, strict=False))})
            rows = [add(("task", index, name), DETAIL, {SECTION: spec.task_label, "task_name": name,
                                                         "task_content": content}, True)
                    for name, content in _named(block.tasks).items()]
            declared.append(RowSum(add(("total", index), TOTAL, {SECTION: spec.total_label}, True), tuple(rows), money))
        for number, goal in enumerate(block.goals):
            group += 1
            add(("goal", index, number), DETAIL, {SECTION: spec.goal_label, "goal": goal.text})
        if block.indicators:
            group += 1
            if spec.indicator_header:
                add(("header", index, "indicators"), GROUP,
                    {SECTION: spec.indicator_label, **dict(zip(after, spec.indicator_header, strict=False))})
            for number, indicator in enumerate(block.indicators):
                add(("indicator", index, number), DETAIL, {SECTION: spec.indicator_label, **_indicator(indicator)})
    if not plans and spec.empty_note:
        add(("empty",), DETAIL, {label: spec.empty_note})
    merged = [i for i, c in enumerate(columns) if c.field == SECTION]
    table = build_table(budget, spec, plans, sums, columns, merge_down=merged)
    return dataclasses.replace(table, sums=tuple(declared))


def _named(tasks: list[Task]) -> dict[str, str]:
    """Task name → its 主要内容 (the first given), in the order the names first appear: a task given
    in several rows (one per 资金来源) is one row of the table."""
    named: dict[str, str] = {}
    for task in tasks:
        named[task.name] = named.get(task.name) or task.content
    return named


def _indicator(indicator: Indicator) -> dict[str, str]:
    return dict(zip(INDICATOR_FIELDS, (indicator.category, indicator.level2, indicator.level3, indicator.value,
                                       indicator.direction, indicator.measure), strict=True))
