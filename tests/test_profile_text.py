"""No format's text is written in Python: every text a profile writes — table keys, row labels,
header paths, titles and notes, class numbering, wording, figure names, its narrative's folder and
keys, the format it extends — lives only in profile files.

Figure names are also ordinary identifiers (``fund``, ``basic``, ``three_public``), so they are
matched precisely: a name the code itself never uses (not an identifier, a schema word or a
template variable) may not appear as any string; every figure name may not be *read* in Python
(``x["name"]``, ``x.get("name")``), except a catalog's column of that name.
"""

from __future__ import annotations

import ast
import csv
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT
from xlbudget import accounts_contract, contract
from xlbudget.profile import load_profile
from xlbudget.reading.workbook import ALL_SHEETS
from xlbudget.tables import BUILDERS

PACKAGE = ROOT / "xlbudget"
DATA = Path(__file__).resolve().parent / "data"
BUILT_IN = sorted(p.stem for p in (PACKAGE / "profiles").glob("*.toml"))
MADE_UP = sorted(p.stem for p in DATA.glob("*.toml"))  # the formats a clerk might write
REGISTRY = PACKAGE / "profiles" / "__init__.py"  # names the default format (DEFAULT)


def path_of(name: str) -> Path:
    return PACKAGE / "profiles" / f"{name}.toml" if name in BUILT_IN else DATA / f"{name}.toml"


# -- what a profile writes ----------------------------------------------------------------------
@dataclass
class Texts:
    """The texts of one profile: each with the keys that write it, header paths (and their
    groups), names (figure names and table keys)."""

    texts: dict[str, set[str]] = field(default_factory=dict)
    paths: set[tuple[str, ...]] = field(default_factory=set)
    names: set[str] = field(default_factory=set)


def texts_of(name: str) -> Texts:
    data = tomllib.loads(path_of(name).read_text(encoding="utf-8"))
    out = Texts()
    profile = load_profile(str(path_of(name)))  # the merged profile: inherited tables too
    for spec in profile.tables:
        out.names.add(spec.key)
        for label in spec.row_labels():
            out.texts.setdefault(label, set()).add("row label")
        for column in spec.columns:
            out.paths |= {column.path[:n] for n in range(1, len(column.path) + 1)}
    for section in data.get("figures", {}).values():
        out.names |= set(section)
    narrative = data.get("narrative", {})
    for key in (*narrative.get("prior", {}), *narrative.get("reasons", {})):
        out.texts.setdefault(key, set()).add("narrative.prior")
    for key, value in _strings(data, ""):
        if value in out.paths:  # a reference to a header
            continue
        for text in (value,) if isinstance(value, str) else value:  # a text, or a list of choices
            if text not in out.names:  # a reference to a figure or a table
                out.texts.setdefault(text, set()).add(key)
    out.texts.pop("", None)
    out.paths = {p for p in out.paths if len(p) > 1}
    return out


def _strings(data: Any, key: str) -> Iterator[tuple[str, str | tuple[str, ...]]]:
    """(key, text) of every string value and (key, texts) of every list of strings (a header
    path, or a list of choices)."""
    if isinstance(data, dict):
        for k, v in data.items():
            yield from _strings(v, k)
    elif isinstance(data, list) and data and all(isinstance(v, str) for v in data):
        yield key, tuple(v.strip() for v in data)
    elif isinstance(data, list):
        for v in data:
            yield from _strings(v, key)
    elif isinstance(data, str):
        yield key, data.strip()


# -- what Python may write all the same -----------------------------------------------------------
def _trees() -> dict[Path, ast.Module]:
    return {p: ast.parse(p.read_text(encoding="utf-8")) for p in sorted(PACKAGE.rglob("*.py"))}


TREES = _trees()


def _constants(tree: ast.AST) -> set[str]:
    return {n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)}


def input_words() -> set[str]:
    """The input templates' own words (资金来源, 说明事项 and 上年数 keys, 单位类型 …): the reader
    and the checks speak of them; a profile picks among them."""
    sheets = ALL_SHEETS.values()  # the optional sheets of the menu tables too (政府购买服务, 整体绩效目标 …)
    return set().union(*(_constants(TREES[Path(m.__file__)]) for m in (contract, accounts_contract)),
                       {s.name for s in sheets}, {c.header for s in sheets for c in s.columns})


def schema_words() -> set[str]:
    """Values a profile chooses among (``Literal[...]``, builders and their fields) and the keys
    of its schema."""
    out = {*BUILDERS, *(w for b in BUILDERS.values()
                        for w in (*b.spec.FIELDS, *b.spec.MONEY_FIELDS, *getattr(b.spec, "MERGED", ())))}
    for tree in TREES.values():
        for node in ast.walk(tree):
            if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) and node.value.id == "Literal":
                out |= _constants(node.slice)
            elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                out.add(node.target.id)
    return out


def field_defaults() -> set[tuple[str, str]]:
    """(key, text) of every schema field's documented default (``class_suffix: str = "支出"``)."""
    return {(n.target.id, n.value.value) for tree in TREES.values() for n in ast.walk(tree)
            if isinstance(n, ast.AnnAssign) and isinstance(n.target, ast.Name)
            and isinstance(n.value, ast.Constant) and isinstance(n.value.value, str)}


@lru_cache(maxsize=1)
def code_words() -> set[str]:
    """Names the code itself gives: identifiers, schema words, the template variables."""
    out = schema_words()
    for path, tree in TREES.items():
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
                out.add(node.name)
            elif isinstance(node, ast.arg):
                out.add(node.arg)
            elif isinstance(node, ast.Name):
                out.add(node.id)
            elif isinstance(node, ast.Attribute):
                out.add(node.attr)
            elif isinstance(node, ast.Dict) and path.parent.name == "narrative":
                out |= {k.value for k in node.keys if isinstance(k, ast.Constant) and isinstance(k.value, str)}
    return out


def catalog_columns() -> set[str]:
    folder = resources.files("xlbudget") / "data" / "catalogs"
    return {name for item in folder.iterdir() if item.name.endswith(".csv")
            for name in next(csv.reader(item.read_text(encoding="utf-8-sig").splitlines()))}


# -- the scan -------------------------------------------------------------------------------------
def _skipped(tree: ast.AST) -> set[int]:
    """Docstrings and the parts of f-strings."""
    out = {id(node.body[0].value) for node in ast.walk(tree)
           if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef)) and node.body
           and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)}
    return out | {id(v) for node in ast.walk(tree) if isinstance(node, ast.JoinedStr) for v in node.values}


def _defaults(tree: ast.AST) -> dict[int, str]:
    """id of a constant → the schema field it is the default of."""
    return {id(n.value): n.target.id for n in ast.walk(tree)
            if isinstance(n, ast.AnnAssign) and isinstance(n.target, ast.Name) and n.value is not None}


def _reads(tree: ast.AST) -> set[int]:
    """ids of the constants that read a mapping: ``x["name"]``, ``x.get("name")``."""
    out = {id(n.slice) for n in ast.walk(tree) if isinstance(n, ast.Subscript)}
    return out | {id(n.args[0]) for n in ast.walk(tree) if isinstance(n, ast.Call) and n.args
                  and isinstance(n.func, ast.Attribute) and n.func.attr == "get"}


# 单位 and 部门: the two words for whose disclosure it is; the code chooses between them by level.
DOMAIN_WORDS = frozenset({"单位", "部门"})


@dataclass(frozen=True)
class Rules:
    texts: dict[str, set[str]]  # text → the profile keys that write it
    paths: set[tuple[str, ...]]
    own_names: set[str]  # figure names and table keys the code never uses for anything else
    names: set[str]  # every figure name and table key (never read by name)
    columns: set[str]  # catalog columns (read by name from the catalog files)


def rules(names: list[str]) -> Rules:
    texts: dict[str, set[str]] = {}
    paths: set[tuple[str, ...]] = set()
    named: set[str] = set()
    for name in names:
        found = texts_of(name)
        for text, keys in found.texts.items():
            texts.setdefault(text, set()).update(keys)
        paths |= found.paths
        named |= found.names
    # one header's word alone (支出, 合计, 项目) is an ordinary word; a whole header path is the format's
    allowed = input_words() | schema_words()
    words = allowed | DOMAIN_WORDS | {w for p in paths for w in p}
    texts = {t: k for t, k in texts.items()
             if t not in words and t not in named and not t.isdigit() and t != "." and not _placeholder(t)}
    paths = {p for p in paths if not set(p) <= allowed}
    return Rules(texts, paths, named - code_words(), named, catalog_columns())


def _placeholder(text: str) -> bool:
    """``{name}``: a placeholder of the schema, not a text."""
    return text.startswith("{") and text.endswith("}") and text[1:-1].isidentifier()


def violations(source: str, rules: Rules, module: str = "") -> list[str]:
    """``line: text (what it is)`` for each profile text a module's source writes."""
    tree = ast.parse(source)
    skipped, defaults, reads = _skipped(tree), _defaults(tree), _reads(tree)
    out = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.Tuple, ast.List)) and node.elts and all(
                isinstance(e, ast.Constant) and isinstance(e.value, str) for e in node.elts):
            value = tuple(e.value for e in node.elts)  # type: ignore[attr-defined]
            if value in rules.paths:
                out.append(f"{node.lineno}: {'/'.join(value)}（表头路径）")
        if not isinstance(node, ast.Constant) or not isinstance(node.value, str) or id(node) in skipped:
            continue
        text = node.value.strip()
        keys = rules.texts.get(text, set()) - {defaults.get(id(node))}  # a documented default is the schema's
        if module == "registry":  # the shipped formats' registry names the default format
            keys -= {"name", "extends"}
        if keys:
            out.append(f"{node.lineno}: {text}（{'、'.join(sorted(keys))}）")
        elif text in rules.own_names:
            out.append(f"{node.lineno}: {text}（名称）")
        elif text in rules.names and id(node) in reads and text not in rules.columns:
            out.append(f"{node.lineno}: {text}（按名称读取）")
    return out


@pytest.mark.parametrize("name", [*BUILT_IN, *MADE_UP])
def test_no_text_of_a_format_is_written_in_python(name: str) -> None:
    found = rules([name])
    out = [f"{p.relative_to(ROOT)}:{v}" for p in TREES
           for v in violations(p.read_text(encoding="utf-8"), found, "registry" if p == REGISTRY else "")]
    assert out == []


# -- the scan finds what it forbids ---------------------------------------------------------------
PLANTED = '''
"""A docstring may say 本年收入合计 and reception."""
TITLE = "{year}年预算{name}"
ROW = "本年收入合计"
PATH = ("支出", "项 目")
SUFFIX = "（{number}）{name}"
BASE = "shanghai-unit"
FOLDER = "shanghai"
NAMES = ("income_sources", "reception")
total = figures["income_total"] + figures.get("three_public", 0)
fund_kind = row.get("fund")  # a catalog column
'''


def test_the_scan_finds_each_kind_of_text_it_forbids() -> None:
    found = violations(PLANTED, every_format())
    assert sorted(found) == [
        "10: income_total（按名称读取）",
        "10: three_public（按名称读取）",
        "3: {year}年预算{name}（title）",
        "4: 本年收入合计（figures、income_total、name、row、row label）",
        "5: 支出/项 目（表头路径）",
        "6: （{number}）{name}（class_label）",
        "7: shanghai-unit（extends、name）",
        "8: shanghai（templates）",
        "9: income_sources（名称）",
        "9: reception（名称）",
    ]


def test_a_documented_default_is_not_a_format_s_text() -> None:
    planted = 'class Spec:\n    class_suffix: str = "支出"\n    class_label: str = "（{number}）{name}"\n'
    assert violations(planted, every_format()) == []
    assert violations('class Spec:\n    title: str = "（{number}）{name}"\n', every_format()) == [
        "2: （{number}）{name}（class_label）"]


@lru_cache(maxsize=1)
def every_format() -> Rules:
    return rules([*BUILT_IN, *MADE_UP])
