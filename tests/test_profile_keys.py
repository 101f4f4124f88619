"""Every key of the profile schema does something: each one, mutated where a profile writes it,
changes what a clerk gets (tables, displayed figures, named figures and next year's 上年数,
findings, 预算说明, 汇总, the inputs read, the format's name and level) or is rejected with XB002
naming the file and a key. A key no profile writes is written here first (``INSERTED``); a new
schema key without a place to mutate it fails the test.

test_profile.py mutates every written key's *name* and every string *value*; this file mutates
every schema key's value by its type (another Literal, flipped bool, a shorter list, …).
"""

from __future__ import annotations

import copy
import dataclasses
import tomllib
import types
from collections.abc import Iterator
from functools import cache, lru_cache
from pathlib import Path
from typing import Any, Literal, Union, get_args, get_origin, get_type_hints

import pytest

from tests.conftest import ROOT
from tests.strategies import generate_budget
from xlbudget.checks import run_checks
from xlbudget.contract import CURRENT
from xlbudget.derive import derive_tables
from xlbudget.display import display_tables
from xlbudget.figures import FiguresError, named_figures, prior_of
from xlbudget.model import BASIC, Budget, Goal, Indicator, Purchase, Service, Task
from xlbudget.narrative import NarrativeError, build_narrative
from xlbudget.pipeline import derive
from xlbudget.profile import Profile, ProfileError, profile_from_data
from xlbudget.summary import summarise
from xlbudget.tables import BUILDERS
from xlbudget.tables.spec import TableSpec

DATA = Path(__file__).resolve().parent / "data"
FILES = {p.stem: p for p in [*sorted((ROOT / "xlbudget" / "profiles").glob("*.toml")), *sorted(DATA.glob("*.toml"))]}
Key = str  # "Class.field": the schema class that declares the key, or "extends", "remove.tables", …
Where = tuple[str | int, ...]

# Keys that say how a profile inherits (xlbudget.inheritance), not what it is.
CONTROL_KEYS: dict[Key, Any] = {"extends": str, "remove.tables": tuple[str, ...], "remove.figures": tuple[str, ...],
                                "remove.identities": tuple[str, ...], "tables.after": str, "tables.replace": bool}

# Keys no profile writes, written first: (profile, where, value) — then mutated like the others.
INSERTED: dict[Key, tuple[str, Where, Any]] = {
    "FunctionSpec.subtotals": ("henan-2022", ("tables", 2, "subtotals"), ["class"]),
    "Profile.contract": ("henan-2022", ("contract",), CURRENT.version),
    "LineFilter.function_class": ("henan-2022", ("tables", 2, "function_class"), ["201", "208"]),
    "Profile.operating_cost_units": ("henan-2022", ("operating_cost_units",), ["行政单位"]),
    "Profile.rounding": ("henan-2022", ("rounding",), "exact"),
    "SideRow.part": ("juesuan-2024", ("tables", 0, "income_rows", 1, "part"), True),
    "TableSpec.total_label": ("henan-2022", ("tables", 2, "total_label"), "合计"),
    "remove.tables": ("shanghai-department", ("remove", "tables"), ["sh07"]),
    "remove.figures": ("shanghai-department", ("remove", "figures"), ["capital_table"]),
    "remove.identities": ("shanghai-department", ("remove", "identities"), ["国有资本经营预算支出"]),
    "tables.replace": ("shanghai-department", ("tables", 1, "replace"), False),
}
# Written first where a key needs it: an identity's name is printed only when the identity fails;
# the 国有资本经营 table goes with the figure that reads it and the identity that reads the figure.
SETUP: dict[Key, tuple[tuple[Where, Any], ...]] = {
    "Identity.name": ((("identities", 0, "figures"), ["income_current", "general_basic_table"]),),
    "remove.tables": ((("remove", "figures"), ["capital_table"]), (("remove", "identities"), ["国有资本经营预算支出"])),
    "remove.figures": ((("remove", "tables"), ["sh07"]), (("remove", "identities"), ["国有资本经营预算支出"])),
    "remove.identities": ((("remove", "tables"), ["sh07"]), (("remove", "figures"), ["capital_table"])),
}


# -- the schema -------------------------------------------------------------------------------------
def _fields(cls: type) -> list[dataclasses.Field[Any]]:
    return [f for f in dataclasses.fields(cls) if f.init and not f.metadata.get("internal")]


def _owner(cls: type, name: str) -> str:
    """The class that declares field ``name`` (every table's keys are TableSpec's)."""
    return next(c for c in reversed(cls.__mro__) if name in getattr(c, "__annotations__", {})).__name__


def _inner(tp: Any) -> Any:
    if get_origin(tp) in (Union, types.UnionType):
        return next(a for a in get_args(tp) if a is not type(None))
    return tp


def _dataclass_of(tp: Any) -> type | None:
    """The dataclass a key's value is (or is a list or table of)."""
    tp = _inner(tp)
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        return tp
    args = [a for a in get_args(tp) if a is not Ellipsis]
    return _dataclass_of(args[-1]) if get_origin(tp) in (tuple, dict) and args else None


def _flat(cls: type) -> dict[str, tuple[str, Any]]:
    """Keys a dataclass reads from its own TOML table for a nested one (``LineFilter``)."""
    hints = get_type_hints(cls)
    return {g.name: (hints[f.name].__name__, get_type_hints(hints[f.name])[g.name])
            for f in _fields(cls) if f.metadata.get("flatten") for g in _fields(hints[f.name])}


def schema_keys() -> dict[Key, Any]:
    """Every key of the schema with its type."""
    out: dict[Key, Any] = dict(CONTROL_KEYS)
    todo: list[type] = [Profile, *(b.spec for b in BUILDERS.values())]
    seen: set[type] = set()
    while todo:
        cls = todo.pop()
        if cls in seen:
            continue
        seen.add(cls)
        hints = get_type_hints(cls)
        out |= {f"{owner}.{name}": tp for name, (owner, tp) in _flat(cls).items()}
        for f in _fields(cls):
            if f.metadata.get("flatten") or (cls is Profile and f.name == "tables"):
                continue
            out[f"{_owner(cls, f.name)}.{f.name}"] = hints[f.name]
            nested = _dataclass_of(hints[f.name])
            if nested is not None and not issubclass(nested, TableSpec):
                todo.append(nested)
    return out


def occurrences(cls: type, data: Any, where: Where, builders: dict[str, str]) -> Iterator[tuple[Key, Where, Any]]:
    """(key, place in the TOML data, type) of every key written in ``data``, a ``cls``."""
    if not isinstance(data, dict):
        return
    hints, flat = get_type_hints(cls), _flat(cls)
    for key, value in data.items():
        at = (*where, key)
        if key in flat:
            yield f"{flat[key][0]}.{key}", at, flat[key][1]
        elif cls is Profile and key == "tables":
            for i, table in enumerate(value):
                yield from (("tables." + k, (*at, i, k), CONTROL_KEYS["tables." + k]) for k in table
                            if "tables." + k in CONTROL_KEYS)
                builder = table.get("builder") or builders.get(table.get("key", ""), "")
                yield from occurrences(BUILDERS[builder].spec, table, (*at, i), builders)
        elif cls is Profile and key in ("extends", "remove"):
            yield from ((f"remove.{k}", (*at, k), CONTROL_KEYS[f"remove.{k}"]) for k in value) if key == "remove" \
                else [(key, at, str)]
        elif key in hints:
            yield f"{_owner(cls, key)}.{key}", at, hints[key]
            nested = _dataclass_of(hints[key])
            origin = get_origin(_inner(hints[key]))
            if nested is None:
                continue
            if origin is tuple and isinstance(value, list):
                for i, item in enumerate(value):
                    yield from occurrences(nested, item, (*at, i), builders)
            elif origin is dict and isinstance(value, dict):
                for k, item in value.items():
                    yield from occurrences(nested, item, (*at, k), builders)
            else:
                yield from occurrences(nested, value, at, builders)


def mutations(value: Any, tp: Any) -> list[Any]:
    """Other values of the key's type, the smallest changes first."""
    origin, args = get_origin(_inner(tp)), get_args(_inner(tp))
    if origin is Literal:
        return [a for a in args if a != value]
    if isinstance(value, bool):
        return [not value]
    if isinstance(value, (int, float)):
        return [value + 1]
    if isinstance(value, str):
        return [value + "x"]
    if isinstance(value, list):
        return [value[1:], value[:-1], []] if value else [["x"]]
    if isinstance(value, dict):
        items = list(value.items())
        return [dict(items[1:]), dict(items[:-1]), {}] if value else [{"x": "x"}]
    raise TypeError(value)


# -- the profiles -----------------------------------------------------------------------------------
# Tables of builders no profile file uses yet, each added to a copy of a profile ("<profile>+<key>").
ADDED_TABLES: dict[str, dict[str, Any]] = {
    "made-up-menu+p01": {
        "key": "p01", "name": "政府采购预算表", "builder": "procurement", "label_field": "name", "type_rows": True,
        "type_label": "其中：{type}", "merge_down": ["unit_code"],
        "columns": [{"path": ["单位编码"], "kind": "code", "field": "unit_code"},
                    {"path": ["采购项目"], "kind": "text", "field": "name"},
                    {"path": ["采购金额"], "field": "amount", "role": "item"}]},
}
PROFILES = [*FILES, *ADDED_TABLES]


def source(name: str) -> str:
    """The file a profile is read from (a base named by a relative path is found beside it)."""
    return str(FILES[name.partition("+")[0]])


def raw(name: str) -> dict[str, Any]:
    data = tomllib.loads(FILES[name.partition("+")[0]].read_text(encoding="utf-8"))
    if name in ADDED_TABLES:
        data["tables"].append(ADDED_TABLES[name])
    return data


@cache
def builders_of(name: str) -> dict[str, str]:
    """Table key → builder, its base merged (an override names no builder)."""
    return {t.key: t.builder for t in profile_from_data(raw(name), source(name)).tables}


def with_value(data: dict[str, Any], where: Where, value: Any) -> dict[str, Any]:
    out = copy.deepcopy(data)
    parent: Any = out
    for step in where[:-1]:
        parent = parent.setdefault(step, {}) if isinstance(parent, dict) else parent[step]
    parent[where[-1]] = value
    return out


def value_at(data: Any, where: Where) -> Any:
    for step in where:
        data = data[step]
    return data


@lru_cache(maxsize=1)
def sites() -> dict[Key, list[tuple[str, dict[str, Any], Where, Any]]]:
    """Each key's places: (profile, its data, where, type)."""
    out: dict[Key, list[tuple[str, dict[str, Any], Where, Any]]] = {}
    keys = schema_keys()
    for key, (name, where, value) in INSERTED.items():
        out.setdefault(key, []).append((name, set_up(key, with_value(raw(name), where, value)), where, keys[key]))
    for name in PROFILES:
        data = raw(name)
        for key, where, tp in occurrences(Profile, data, (), builders_of(name)):
            out.setdefault(key, []).append((name, set_up(key, data), where, tp))
    return out


def set_up(key: Key, data: dict[str, Any]) -> dict[str, Any]:
    for where, value in SETUP.get(key, ()):
        data = with_value(data, where, value)
    return data


# -- what a clerk gets ------------------------------------------------------------------------------
@cache
def budgets(family: str, contract: int) -> tuple[Budget, ...]:
    """The bundled examples of the format's inputs, one without 上年数 and one without 说明事项,
    and (budgets) a 部门 of several units of every 单位类型."""
    examples = {"决算": ["shanghai-2024-caizhengju-juesuan"], 2: ["shanghai-2025-qufuban", "shanghai-2025-shangwuwei"]}
    out = []
    for example in examples.get(family, examples.get(contract, ["luoyang-2022"])):  # type: ignore[call-overload]
        found = derive([ROOT / "examples" / example / "input.xlsx"])
        assert found.budget, example
        out.append(found.budget)
    out += [dataclasses.replace(out[0], prior={}), dataclasses.replace(out[0], notes={})]
    if family == "预算":
        out.append(mixed_department())
    return tuple(out)


def mixed_department() -> Budget:
    """A 部门 of four units, one a 事业单位 with 一般公共预算 公用经费 (not 机关运行经费), with
    政府采购 lines, 政府购买服务 in 基本支出 and in a project, and 整体支出绩效目标 of the 部门 and a unit."""
    budget = generate_budget(seed=7, units=4, lines=60, projects=6, clean=True)
    public = next(ln.unit for ln in budget.lines if ln.is_basic and ln.econ_class not in ("301", "303")
                  and ln.source == "一般公共预算")
    kinds = iter(["行政单位", "参照公务员法管理事业单位"] * 2)
    project = budget.projects[0]
    return dataclasses.replace(
        budget, units=tuple(dataclasses.replace(u, type="事业单位" if u.code == public else next(kinds))
                            for u in budget.units),
        services=(Service(public, BASIC, "公共服务", "公共安全服务", "一般公共预算", 100_000),
                  Service(project.unit, project.code, "其他服务", "会务服务", "一般公共预算", 50_000)),
        purchases=(Purchase(public, BASIC, "台式计算机", "", "货物", "一般公共预算", 250_000, 100_000, 50_000),
                   Purchase(public, BASIC, "打印机", "", "货物", "一般公共预算", 80_000),
                   Purchase(project.unit, project.code, "会议服务", "", "服务", "一般公共预算", 300_000)),
        goals=(Goal("", "提升政务服务水平"), Goal(public, "保障中心运转")),
        tasks=(Task("", "政务服务", "办理事项", "一般公共预算", 500_000), Task(public, "运转保障", "日常运转", "单位资金", 100_000)),
        goal_indicators=(Indicator("", "产出指标", "数量指标", "办理件数", "≥1000"),
                         Indicator("", "满意度指标", "服务对象满意度", "群众满意度", "≥90%", unit=public)))


def outputs(profile: Profile) -> Iterator[Any]:
    """What a clerk gets from the format, piece by piece (compared lazily)."""
    yield profile.name, profile.description, profile.inputs, profile.level
    for budget in budgets(profile.family, profile.contract):
        tables = derive_tables(budget, profile)
        yield tables
        display = display_tables(budget, profile, tables, profile.rounding)
        shown = list(display.shown)
        yield shown
        try:
            named = named_figures(budget, shown, profile)
            yield named, prior_of(profile, named)
        except FiguresError as exc:
            yield str(exc)
        yield [(f.code, str(f.where), f.message) for f in run_checks(budget, tables, [], profile, display)]
        try:
            text = build_narrative(budget, shown, profile)
            yield (text.title, text.author, text.markdown) if text else None
        except NarrativeError as exc:
            yield str(exc)
        yield summarise(shown, profile) if profile.summary else None


def effect(name: str, data: dict[str, Any], where: Where, tp: Any) -> str:
    """What mutating the key at ``where`` does: "" when no mutation changes anything."""
    file = source(name)
    before = profile_from_data(data, file)
    for value in mutations(value_at(data, where), tp):
        try:
            after = profile_from_data(with_value(data, where, value), file)
        except ProfileError as exc:
            message = str(exc)
            assert message.startswith(f"格式配置 {file} 中 "), message
            return f"rejected: {message}"
        if any(a != b for a, b in zip(outputs(before), outputs(after), strict=True)):
            return f"changed by {value!r}"
    return ""


def test_every_schema_key_has_a_place_to_be_mutated() -> None:
    assert sorted(set(schema_keys()) - set(sites())) == []


@pytest.mark.parametrize("key", sorted(schema_keys()))
def test_every_schema_key_changes_the_output_or_is_rejected(key: str) -> None:
    places = sites().get(key, [])
    assert any(effect(*place) for place in places), f"{key}: no mutation at {[p[2] for p in places]} changes anything"
