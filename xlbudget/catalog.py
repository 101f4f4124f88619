"""Classification catalogs: 支出功能分类, 部门/政府预算支出经济分类 and their mapping.

Shipped as CSV in ``xlbudget/data/catalogs`` (one file per catalog, rows valid for a range
of budget years, each with its confidence grade; ``aliases.csv`` holds former names). A user
adds or corrects codes without a new release with a CSV of their own (``--catalog FILE``), see
``USER_CATALOG_HEADERS``.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from xlbudget.cache import cached
from xlbudget.money import normalize_text

FUNCTIONAL, ECON_DEPT, ECON_GOV = "功能分类", "部门经济分类", "政府经济分类"
MAPPING = "经济分类对照"
KINDS = (FUNCTIONAL, ECON_DEPT, ECON_GOV, MAPPING)
_FILES = {FUNCTIONAL: "functional.csv", ECON_DEPT: "econ_dept.csv", ECON_GOV: "econ_gov.csv"}
UNVERIFIED = ("C", "D")  # grades of rows recalled, not seen in a source (see SOURCES.md)
# The budgets a 功能分类 subject may belong to besides the 一般公共预算 (functional.csv column ``fund``).
GOV_FUND, STATE_CAPITAL = "政府性基金", "国有资本经营"

# 单位类型 → which column of the mapping applies; None = decided per code (ambiguous if differing).
MAPPING_KIND = {"行政单位": "行政", "参照公务员法管理事业单位": "行政", "事业单位": "事业", "其他": None}
USER_CATALOG_HEADERS = ("类别", "编码", "名称", "政府经济分类编码", "单位类型")


class CatalogError(ValueError):
    """A user catalog file that cannot be used; the message is for the clerk."""


@dataclass(frozen=True)
class Entry:
    code: str
    name: str
    level: str  # 类 / 款 / 项
    parent: str
    confidence: str  # A/B verified, C/D recollection, U user supplied
    fund: str = ""  # 功能分类: GOV_FUND / STATE_CAPITAL subject; "" = 一般公共预算


@dataclass(frozen=True)
class Mapping:
    gov_code: str  # "" = no government code for this unit kind
    confidence: str


@dataclass(frozen=True)
class Alias:
    """A former name of a code, still found in clerks' sheets copied from earlier years."""

    name: str
    used_until: str  # last budget year it was the official name; "" = not known


@dataclass
class Catalog:
    year: int
    functional: dict[str, Entry] = field(default_factory=dict)
    econ_dept: dict[str, Entry] = field(default_factory=dict)
    econ_gov: dict[str, Entry] = field(default_factory=dict)
    # (部门经济分类款, 行政/事业/通用) → mapping
    mapping: dict[tuple[str, str], Mapping] = field(default_factory=dict)
    # (kind, code) → its former names, keyed by their normalized text
    aliases: dict[tuple[str, str], dict[str, Alias]] = field(default_factory=dict)

    def table(self, kind: str) -> dict[str, Entry]:
        return {FUNCTIONAL: self.functional, ECON_DEPT: self.econ_dept, ECON_GOV: self.econ_gov}[kind]

    def name(self, kind: str, code: str) -> str:
        entry = self.table(kind).get(code)
        return entry.name if entry else ""

    def is_leaf(self, kind: str, code: str) -> bool:
        return code in self.table(kind) and not any(e.parent == code for e in self.table(kind).values())

    def former_name(self, kind: str, code: str, name: str) -> Alias | None:
        """The former name of ``code`` that ``name`` is (ignoring spaces and width), if any."""
        return self.aliases.get((kind, code), {}).get(normalize_text(name))

    def mappings(self, dept_code: str, unit_type: str) -> dict[tuple[str, str], Mapping]:
        """The mapping rows that apply to a department code for this 单位类型."""
        if (dept_code, "通用") in self.mapping:
            return {(dept_code, "通用"): self.mapping[(dept_code, "通用")]}
        kind = MAPPING_KIND.get(unit_type)
        keys = [(dept_code, k) for k in ([kind] if kind else ["行政", "事业"])]
        return {key: self.mapping[key] for key in keys if key in self.mapping}

    def gov_candidates(self, dept_code: str, unit_type: str) -> set[str]:
        """Government codes a department code may map to for this 单位类型 (one = unambiguous)."""
        return {m.gov_code for m in self.mappings(dept_code, unit_type).values()} - {""}

    def gov_code(self, dept_code: str, unit_type: str) -> str:
        """The single government code, or "" when unknown or ambiguous (checks report which)."""
        found = self.gov_candidates(dept_code, unit_type)
        return next(iter(found)) if len(found) == 1 else ""


def _valid(row: dict[str, str], year: int) -> bool:
    start, end = row.get("valid_from") or "", row.get("valid_to") or ""
    return (not start or int(start) <= year) and (not end or year <= int(end))


def _read_csv(text: str) -> Iterator[dict[str, str]]:
    import csv  # only when the catalogs are read, not when they come from the cache

    yield from csv.DictReader(io.StringIO(text.lstrip("\ufeff")))


def _shipped(name: str) -> str:
    return (resources.files("xlbudget") / "data" / "catalogs" / name).read_text(encoding="utf-8")


def load_catalog(year: int, extra: Iterable[Path] = ()) -> Catalog:
    """The shipped catalogs valid in ``year``, then each user file in ``extra`` on top."""
    catalog = cached(f"catalog-{year}", lambda: shipped_catalog(year))  # read once per installation
    for path in extra:
        add_user_rows(catalog, _read_user_file(path), str(path))
    return catalog


def shipped_catalog(year: int) -> Catalog:
    """The catalogs shipped with xlbudget, as valid in ``year``."""
    catalog = Catalog(year)
    for kind, filename in _FILES.items():
        table = catalog.table(kind)
        for row in _read_csv(_shipped(filename)):
            if _valid(row, year):
                table[row["code"]] = Entry(row["code"], row["name"], row["level"], row["parent"],
                                           row["confidence"], row.get("fund") or "")
    for row in _read_csv(_shipped("econ_map.csv")):
        if _valid(row, year):
            key = (row["dept_code"], row["unit_type"])
            catalog.mapping[key] = Mapping(row["gov_code"], row["confidence"])
    kinds = {Path(filename).stem: kind for kind, filename in _FILES.items()}
    for row in _read_csv(_shipped("aliases.csv")):
        former = catalog.aliases.setdefault((kinds[row["catalog"]], row["code"]), {})
        former[normalize_text(row["alias"])] = Alias(row["alias"], row["used_until"])
    return catalog


def _read_user_file(path: Path) -> list[dict[str, str]]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise CatalogError(f"无法读取自定义科目文件 {path}：{exc}") from None
    rows = list(_read_csv(text))
    missing = [h for h in USER_CATALOG_HEADERS[:3] if rows and h not in rows[0]]
    if missing or not rows:
        raise CatalogError(f"自定义科目文件 {path} 须为 UTF-8 CSV，表头含：{'、'.join(USER_CATALOG_HEADERS)}")
    return rows


def _level(kind: str, code: str) -> tuple[str, str]:
    """(level, parent) from a code's length: 3 类, 5 款, 7 项."""
    level = {3: "类", 5: "款", 7: "项"}.get(len(code), "")
    parent = code[:-2] if len(code) in (5, 7) else ""
    return level, parent


def add_user_rows(catalog: Catalog, rows: Iterable[dict[str, str]], origin: str) -> None:
    """Add or correct codes: 类别 is one of KINDS; for 经济分类对照, 编码 is the department code."""
    for number, row in enumerate(rows, start=2):
        kind, code = (row.get("类别") or "").strip(), (row.get("编码") or "").strip()
        name = (row.get("名称") or "").strip()
        if kind not in KINDS or not code.isdigit():
            raise CatalogError(f"{origin} 第{number}行：类别须为{'/'.join(KINDS)}，编码须为数字")
        if kind == MAPPING:
            unit_kind = MAPPING_KIND.get((row.get("单位类型") or "").strip()) or "通用"
            catalog.mapping[(code, unit_kind)] = Mapping((row.get("政府经济分类编码") or "").strip(), "U")
            continue
        level, parent = _level(kind, code)
        table = catalog.table(kind)
        inherited = next((table[c].fund for c in (code, parent, parent[:3]) if c in table), "")
        table[code] = Entry(code, name, level, parent, "U", inherited)
