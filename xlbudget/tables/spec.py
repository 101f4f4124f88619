"""What a profile says about one table: its columns, which lines each money column sums, and
the options of its builder. Each builder extends ``TableSpec`` with its own typed fields; the
profile loader (``xlbudget.profile``) fills them from TOML and rejects anything else.

Field metadata read by the loader: ``parse`` turns the TOML value into the field's value
(raising ValueError with a message for the clerk); ``flatten`` reads a nested dataclass's keys
from the same TOML table.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Literal

from xlbudget import contract
from xlbudget.model import Budget, Line
from xlbudget.tables.base import Column


def expand_sources(names: Sequence[str]) -> frozenset[str]:
    out: set[str] = set()
    for name in names:
        if name in contract.SOURCE_GROUPS:
            out.update(contract.SOURCE_GROUPS[name])
        elif name in contract.SOURCES:
            out.add(name)
        else:
            known = "、".join([*contract.SOURCE_GROUPS, *contract.SOURCES])
            raise ValueError(f"未知的资金来源或分组“{name}”（可用：{known}）")
    return frozenset(out)


Parse = Callable[[Sequence[str]], frozenset[str]]


def codes_of(digits: int) -> Parse:
    """A parser of classification codes of ``digits`` digits."""
    pattern = re.compile(rf"^\d{{{digits}}}$")

    def parse(values: Sequence[str]) -> frozenset[str]:
        bad = [v for v in values if not pattern.match(v)]
        if bad:
            raise ValueError(f"“{bad[0]}”不是 {digits} 位科目编码")
        return frozenset(values)

    return parse


def project_types(values: Sequence[str]) -> frozenset[str]:
    bad = [v for v in values if v not in contract.PROJECT_TYPES]
    if bad:
        raise ValueError(f"未知的项目类型“{bad[0]}”（可用：{'、'.join(contract.PROJECT_TYPES)}）")
    return frozenset(values)


def flows(values: Sequence[str]) -> frozenset[str]:
    bad = [v for v in values if v not in contract.FLOWS]
    if bad:
        raise ValueError(f"未知的决算数据类别“{bad[0]}”（可用：{'、'.join(contract.FLOWS)}）")
    return frozenset(values)


def parsed(parse: Parse, default: object = None) -> Any:
    """A spec field whose TOML value goes through ``parse``."""
    return dataclasses.field(default=default, metadata={"parse": parse})


FLAT = {"flatten": True}
INTERNAL = {"internal": True}


@dataclass(frozen=True)
class LineFilter:
    """Which lines a money column (or a whole table) sums; None = no condition."""

    sources: frozenset[str] | None = parsed(expand_sources)
    expense: Literal["basic", "project"] | None = None
    econ_class: frozenset[str] | None = parsed(codes_of(3))
    econ_class_not: frozenset[str] | None = parsed(codes_of(3))
    econ: frozenset[str] | None = parsed(codes_of(5))
    project_type: frozenset[str] | None = parsed(project_types)
    operating_units: bool = False  # only units whose 单位类型 reports 机关运行经费 (set in the profile)
    unit_types: frozenset[str] | None = dataclasses.field(default=None, metadata=INTERNAL)
    flow: frozenset[str] | None = parsed(flows)  # 部门决算: which kinds of line (收入, 基本支出, …)
    function_class: frozenset[str] | None = parsed(codes_of(3))

    def given(self) -> frozenset[str]:
        """The keys the profile set (those that differ from the default)."""
        default = LineFilter()
        return frozenset(f.name for f in dataclasses.fields(self) if not f.metadata.get("internal")
                         and getattr(self, f.name) != getattr(default, f.name))

    def matches(self, line: Line, budget: Budget) -> bool:
        if self.flow is not None and line.flow not in self.flow:
            return False
        if self.function_class is not None and line.function_class not in self.function_class:
            return False
        if self.unit_types is not None and budget.unit_type(line.unit) not in self.unit_types:
            return False
        if self.sources is not None and line.source not in self.sources:
            return False
        if self.expense is not None and line.is_basic != (self.expense == "basic"):
            return False
        if self.econ_class is not None and line.econ_class not in self.econ_class:
            return False
        if self.econ_class_not is not None and line.econ_class in self.econ_class_not:
            return False
        if self.econ is not None and line.econ not in self.econ:
            return False
        return self.project_type is None or budget.project_type(line) in self.project_type


@dataclass(frozen=True)
class ColumnSpec:
    path: tuple[str, ...]
    kind: Literal["text", "code", "money"] = "money"
    width: float = 12
    field: str = ""  # text/code columns: the row field shown (one of the builder's FIELDS)
    when: Literal["", "multi"] = ""  # "multi": only when the budget has several units
    # How a money column adds up (the identities XB302 checks), declared, never read from its
    # header: "total" = the sum of the other columns under its header group; "part" (其中) = part
    # of a column beside it, added nowhere; "item" = one of the parts. "" = the profile's
    # ``column_role``; still "" (undeclared): the column takes part in no column identity.
    role: Literal["", "total", "part", "item"] = ""
    filter: LineFilter = dataclasses.field(default=LineFilter(), metadata=FLAT)


def table_columns(columns: Sequence[ColumnSpec]) -> tuple[Column, ...]:
    """The columns of a built table: header path, kind, width and how each adds up."""
    return tuple(Column(c.path, c.kind, c.width, c.role) for c in columns)


@dataclass(frozen=True)
class IncomeRow:
    """A fixed income line of a two-sided table. ``level`` 2: a component of the nearest level-1
    line above (which equals the sum of its components); 0 = 2 below a ``kind = "group"`` line,
    else 1. ``part`` (其中): part of the line above, added nowhere."""

    label: str
    sources: frozenset[str] = parsed(expand_sources, frozenset())
    part: bool = False
    kind: Literal["detail", "group"] = "detail"
    level: Literal[0, 1, 2] = 0


@dataclass(frozen=True)
class TableSpec:
    """What every table has; a builder's spec adds its own fields."""

    FIELDS: ClassVar[frozenset[str]] = frozenset()  # row fields the builder fills (text columns)
    MONEY_FIELDS: ClassVar[frozenset[str]] = frozenset()  # what a money column may show instead of a filter

    key: str
    name: str  # sheet name; {subject} becomes 单位 or 部门 (the profile's wording)
    builder: str
    columns: tuple[ColumnSpec, ...]
    title: str = ""  # "" = the profile's title pattern
    total_label: str = ""  # "" = the profile's
    unit: Literal["", "元", "万元"] = ""  # money unit shown; "" = the profile's amount_unit
    decimals: int = -1  # decimals shown; -1 = the profile's
    unit_rows: Literal["always", "multi"] = "always"  # unit blocks: always, or with several units
    filter: LineFilter = dataclasses.field(default=LineFilter(), metadata=FLAT)
    note: str = ""
    empty_note: str = ""
    # Set by the profile, never written in it:
    function_classes: tuple[tuple[str, str], ...] = dataclasses.field(default=(), metadata=INTERNAL)
    department: bool = dataclasses.field(default=False, metadata=INTERNAL)  # a 部门's disclosure

    def visible_columns(self, several_units: bool) -> tuple[ColumnSpec, ...]:
        return tuple(c for c in self.columns if c.when != "multi" or several_units)

    def row_labels(self) -> frozenset[str]:
        """Row labels the table always prints (what a figure may name as its row)."""
        return frozenset({self.total_label})

    def prints(self) -> frozenset[str]:
        """Classifications (catalog kinds) the table prints besides those its fields name."""
        return frozenset()

    def problems(self) -> Iterator[tuple[str, str]]:
        """(key, message) of each setting the builder cannot honour, beyond the loader's checks."""
        return iter(())
