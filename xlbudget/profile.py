"""Disclosure layouts as data: a profile (``profiles/<name>.toml``) declares every table's
title, header paths, column order, what each money column sums and which rows it lists.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from xlbudget import contract
from xlbudget.model import Budget, Line
from xlbudget.money import EXACT, ROUNDINGS

DEFAULT_PROFILE = "henan-2022"

# Source groups a profile may name besides single 资金来源.
SOURCE_GROUPS: dict[str, tuple[str, ...]] = {
    "财政拨款": contract.FISCAL,
    "财政拨款本年": contract.FISCAL_CURRENT,
    "财政拨款结转": contract.FISCAL_CARRYOVER,
    "单位资金": contract.UNIT_FUNDS,
    "上年结转结余": contract.CARRYOVER,
}


class ProfileError(ValueError):
    """A profile that cannot be used."""


def expand_sources(names: list[str]) -> frozenset[str]:
    out: set[str] = set()
    for name in names:
        if name in SOURCE_GROUPS:
            out.update(SOURCE_GROUPS[name])
        elif name in contract.SOURCES:
            out.add(name)
        else:
            raise ProfileError(f"未知的资金来源或分组：{name}")
    return frozenset(out)


@dataclass(frozen=True)
class LineFilter:
    """Which lines a money column (or a whole table) sums; None = no condition."""

    sources: frozenset[str] | None = None
    expense: str | None = None  # basic | project
    econ_class: frozenset[str] | None = None
    econ_class_not: frozenset[str] | None = None
    econ: frozenset[str] | None = None
    project_type: frozenset[str] | None = None

    @classmethod
    def from_spec(cls, spec: dict[str, Any]) -> LineFilter:
        def opt(key: str) -> frozenset[str] | None:
            return frozenset(spec[key]) if key in spec else None

        return cls(
            sources=expand_sources(spec["sources"]) if "sources" in spec else None,
            expense=spec.get("expense"),
            econ_class=opt("econ_class"),
            econ_class_not=opt("econ_class_not"),
            econ=opt("econ"),
            project_type=opt("project_type"),
        )

    def matches(self, line: Line, budget: Budget) -> bool:
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
    kind: str = "money"
    width: float = 12
    field: str = ""  # text/code columns: the row field shown
    when: str = ""  # "multi": only when the budget has several units
    filter: LineFilter = LineFilter()


@dataclass(frozen=True)
class TableSpec:
    key: str
    name: str
    builder: str
    columns: tuple[ColumnSpec, ...]
    unit_rows: str = "always"  # always | multi
    filter: LineFilter = LineFilter()  # lines the whole table covers
    note: str = ""
    empty_note: str = ""
    merge_down: tuple[str, ...] = ()
    function_classes: tuple[tuple[str, str], ...] = ()  # (类 code, label) for two-sided tables
    options: dict[str, Any] = field(default_factory=dict)  # builder-specific rows and labels

    def visible_columns(self, several_units: bool) -> tuple[ColumnSpec, ...]:
        return tuple(c for c in self.columns if c.when != "multi" or several_units)


@dataclass(frozen=True)
class Profile:
    name: str
    amount_unit: str
    tables: tuple[TableSpec, ...]
    rounding: str = EXACT  # the display rounding the format prescribes (``rounding`` key; money.ROUNDINGS)

    def table(self, key: str) -> TableSpec:
        return next(t for t in self.tables if t.key == key)


_TABLE_KEYS = {"key", "name", "builder", "columns", "unit_rows", "note", "empty_note", "merge_down",
               "sources", "expense", "econ_class", "econ_class_not", "econ", "project_type"}


def _column(spec: dict[str, Any]) -> ColumnSpec:
    return ColumnSpec(tuple(spec["path"]), spec.get("kind", "money"), spec.get("width", 12),
                      spec.get("field", ""), spec.get("when", ""), LineFilter.from_spec(spec))


def _table(spec: dict[str, Any], previous: dict[str, tuple[ColumnSpec, ...]],
           classes: tuple[tuple[str, str], ...]) -> TableSpec:
    columns = spec["columns"]
    # a table may reuse another's columns by naming its key (e.g. 一般公共预算支出表 = 支出表)
    parsed = previous[columns] if isinstance(columns, str) else tuple(_column(c) for c in columns)
    return TableSpec(
        key=spec["key"], name=spec["name"], builder=spec["builder"], columns=parsed,
        unit_rows=spec.get("unit_rows", "always"), filter=LineFilter.from_spec(spec),
        note=spec.get("note", ""), empty_note=spec.get("empty_note", ""),
        merge_down=tuple(spec.get("merge_down", ())), function_classes=classes,
        options={k: v for k, v in spec.items() if k not in _TABLE_KEYS},
    )


def parse_profile(data: dict[str, Any]) -> Profile:
    listed = data["function_classes"]
    classes = tuple(zip(listed["codes"], listed["labels"], strict=True))
    tables: list[TableSpec] = []
    seen: dict[str, tuple[ColumnSpec, ...]] = {}
    for spec in data["tables"]:
        table = _table(spec, seen, classes)
        seen[table.key] = table.columns
        tables.append(table)
    rounding = data.get("rounding", EXACT)
    if rounding not in ROUNDINGS:
        raise ProfileError(f"格式配置的 rounding 应为 {'、'.join(ROUNDINGS)} 之一（收到：{rounding}）")
    return Profile(data["name"], data.get("amount_unit", "万元"), tuple(tables), rounding)


def load_profile(name: str = DEFAULT_PROFILE) -> Profile:
    """A shipped profile by name."""
    path = resources.files("xlbudget") / "profiles" / f"{name}.toml"
    if not path.is_file():
        raise ProfileError(f"未知的格式配置：{name}")
    return parse_profile(tomllib.loads(path.read_text(encoding="utf-8")))
