"""A profile that inherits another (``extends = "<built-in name or path>.toml"``): the two
TOML texts merged into one before the profile is typed and checked.

- top-level keys replace the base's; tables of keys (``[wording]``, ``[summary]``,
  ``[narrative]``, …) are merged key by key, lists replaced whole;
- ``[[tables]]`` by ``key``: a base table's key merges the given keys into that table
  (``replace = true``: the entry replaces it whole); a new key adds a table at the end, or right
  after the table named by ``after``;
- ``[figures.<section>]`` by name (an entry replaces the base's figure whole);
  ``[[identities]]`` by ``name``;
- ``[remove]`` drops base tables, figures and identities by key or name;
- the base's ``column_role`` is written on the base's own columns, not inherited.

Cycles, unknown bases and overrides of what the base lacks are errors naming the file and key.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from xlbudget import profiles

TABLE_CONTROLS = ("after", "replace")  # keys of a [[tables]] entry that say how it is merged
REMOVABLE = ("tables", "figures", "identities")
FIGURE_SECTIONS = ("cells", "rows", "items", "units", "counts", "targets")


class InheritanceError(ValueError):
    """An ``extends`` that cannot be resolved; the message names the file and the key."""


Data = dict[str, Any]


def is_path(name: str) -> bool:
    """Whether a profile name is a file (``….toml``) rather than a built-in format."""
    return name.endswith(".toml")


def read_base(name: str, source: str) -> tuple[str, str]:
    """The TOML text of the base ``name`` and the source naming it in errors; a path is
    relative to the folder of ``source`` (the extending file)."""
    if is_path(name):
        path = Path(name)
        if not path.is_absolute() and is_path(source):
            path = Path(source).parent / path
        try:
            return path.read_text(encoding="utf-8"), str(path)
        except (OSError, UnicodeDecodeError) as exc:
            raise InheritanceError(f"格式配置 {source} 中 extends：无法读取基础格式文件 {path}：{exc}") from None
    text = profiles.text(name)
    if text is None:
        known = "、".join(profiles.names())
        raise InheritanceError(f"格式配置 {source} 中 extends：未知的基础格式“{name}”"
                               f"（内置格式：{known}；也可给出格式配置文件的路径 .toml）")
    return text, f"{name}.toml"


def resolve(data: Mapping[str, Any], source: str, parse: Callable[[str, str], Data],
            chain: tuple[str, ...] = ()) -> Data:
    """``data`` with its ``extends`` chain merged in (``parse``: TOML text, source → data)."""
    name = data.get("extends")
    if name is None:
        return dict(data)
    if not isinstance(name, str) or not name:
        raise InheritanceError(f"格式配置 {source} 中 extends：应为内置格式名或格式配置文件路径（.toml）")
    chain = (*chain, _identity(source))
    text, base_source = read_base(name, source)
    if _identity(base_source) in chain:
        loop = " → ".join((*chain, _identity(base_source)))
        raise InheritanceError(f"格式配置 {source} 中 extends：循环继承（{loop}）")
    base = _own_roles(resolve(parse(text, base_source), base_source, parse, chain))
    merged = _Merger(source, base_source).merge(base, data)
    if "name" not in data:
        merged["name"] = Path(source).stem.removesuffix(".toml")
    return merged


def _own_roles(base: Data) -> Data:
    """The base with its ``column_role`` written on each of its money columns that declares no
    ``role``: the default is for the columns of the file that declares it, so the columns an
    extending file writes without a role are its own to declare (or take its own column_role)."""
    role = base.get("column_role")
    if not role or not isinstance(base.get("tables"), list):
        return base

    def declared(column: object) -> object:
        if isinstance(column, Mapping) and column.get("kind", "money") == "money" and "role" not in column:
            return {**column, "role": role}
        return column

    tables = [{**t, "columns": [declared(c) for c in t["columns"]]}
              if isinstance(t, Mapping) and isinstance(t.get("columns"), list) else t for t in base["tables"]]
    return {k: v for k, v in base.items() if k != "column_role"} | {"tables": tables}


def _identity(source: str) -> str:
    return str(Path(source).resolve()) if Path(source).is_file() else source


class _Merger:
    def __init__(self, source: str, base: str) -> None:
        self.source, self.base = source, base

    def fail(self, where: str, message: str) -> InheritanceError:
        return InheritanceError(f"格式配置 {self.source} 中 {where}：{message}（基础格式 {self.base}）")

    def merge(self, base: Data, child: Mapping[str, Any]) -> Data:
        out = dict(base)
        for key, value in child.items():
            if key in ("extends", "remove"):
                continue
            if key == "tables":
                out[key] = self.tables(list(base.get(key, [])), value)
            elif key == "identities":
                out[key] = self.identities(list(base.get(key, [])), value)
            elif key == "figures" and isinstance(value, Mapping):
                old = base.get(key, {})
                out[key] = {**old, **{s: {**old.get(s, {}), **v} if isinstance(v, Mapping) else v
                                      for s, v in value.items()}}
            else:
                out[key] = _deep(base.get(key), value)
        return self.remove(out, child.get("remove", {}))

    def tables(self, base: list[Any], child: object) -> list[Any]:
        if not isinstance(child, list):
            raise self.fail("tables", "应为表的列表（[[tables]]）")
        out = list(base)
        for index, entry in enumerate(child):
            where = f"tables[{index}]"
            if not isinstance(entry, Mapping):
                raise self.fail(where, "应为表（[[tables]]）")
            key = entry.get("key", "")
            where = f"{where}（{key}）" if key else where
            at = next((i for i, t in enumerate(out) if isinstance(t, Mapping) and t.get("key") == key), None)
            own = {k: v for k, v in entry.items() if k not in TABLE_CONTROLS}
            if at is not None:
                if "after" in entry:
                    raise self.fail(f"{where}.after", "after 只用于新增的表；基础格式中已有的表保持原位")
                out[at] = own if entry.get("replace") else {**out[at], **own}
                continue
            if "builder" not in entry:
                raise self.fail(f"{where}.key", f"基础格式没有键为“{key}”的表可覆盖"
                                f"（有：{'、'.join(str(t.get('key')) for t in out)}）；新增的表须写 builder")
            after = entry.get("after")
            if after is None:
                out.append(own)
                continue
            place = next((i for i, t in enumerate(out) if t.get("key") == after), None)
            if place is None:
                raise self.fail(f"{where}.after", f"没有键为“{after}”的表")
            out.insert(place + 1, own)
        return out

    def identities(self, base: list[Any], child: object) -> list[Any]:
        if not isinstance(child, list):
            raise self.fail("identities", "应为列表（[[identities]]）")
        out = list(base)
        for entry in child:
            name = entry.get("name") if isinstance(entry, Mapping) else None
            at = next((i for i, x in enumerate(out) if x.get("name") == name), None)
            if at is None:
                out.append(entry)
            else:
                out[at] = entry
        return out

    def remove(self, data: Data, removal: object) -> Data:
        if not isinstance(removal, Mapping):
            raise self.fail("remove", "应为表（tables = [...]、figures = [...]、identities = [...]）")
        for kind, names in removal.items():
            if kind not in REMOVABLE or not isinstance(names, list):
                raise self.fail(f"remove.{kind}", f"可删除的是 {'、'.join(REMOVABLE)}，各为名称列表")
            for name in names:
                if kind == "figures":
                    sections = data.get("figures", {})
                    section = next((s for s in FIGURE_SECTIONS if name in sections.get(s, {})), None)
                    if section is None:
                        raise self.fail("remove.figures", f"没有数字“{name}”")
                    data["figures"] = {**sections, section: {k: v for k, v in sections[section].items() if k != name}}
                    continue
                field = "key" if kind == "tables" else "name"
                kept = [x for x in data.get(kind, []) if x.get(field) != name]
                if len(kept) == len(data.get(kind, [])):
                    raise self.fail(f"remove.{kind}", f"没有{'表' if kind == 'tables' else '恒等关系'}“{name}”")
                data[kind] = kept
        return data


def _deep(base: object, value: object) -> object:
    """``value`` over ``base``: tables of keys merged key by key, anything else replaced."""
    if isinstance(base, Mapping) and isinstance(value, Mapping):
        return {**base, **{k: _deep(base.get(k), v) for k, v in value.items()}}
    return value
