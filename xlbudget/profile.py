"""Disclosure formats as data: a profile (``profiles/<name>.toml`` or a clerk's own file)
declares every table (builder, title, header paths, what each money column sums, fixed lines),
the wording of a 单位's and a 部门's disclosure, the named figures the 预算说明, the checks and
the batch 汇总 read, and the identities between tables. docs/profiles.md describes the schema.

Loading is strict: an unknown key, a wrong type or a reference to a table, row, column or figure
that does not exist is a ``ProfileError`` naming the file and the key.
"""

from __future__ import annotations

import dataclasses
import string
import types
from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal, NoReturn, Union, get_args, get_origin, get_type_hints

from xlbudget import contract, inheritance, profiles
from xlbudget.accounts_contract import ACCOUNTS
from xlbudget.cache import cached
from xlbudget.contract import CONTRACTS, CURRENT, INPUTS, LEGACY_CONTRACTS, OPERATING_COST_UNITS, Contract
from xlbudget.model import Budget
from xlbudget.money import EXACT, ROUNDINGS, UNITS
from xlbudget.tables import BUILDERS
from xlbudget.tables.base import MONEY, Table
from xlbudget.tables.grid import several_units
from xlbudget.tables.spec import LineFilter, TableSpec
from xlbudget.tables.two_sided import CLASS_FIELDS, ClassRowsSpec

DEFAULT_PROFILE = profiles.DEFAULT
MAX_DECIMALS = 2
TITLE_FIELDS = frozenset({"year", "name", "subject", "title_subject"})
NAME_FIELDS = frozenset({"subject"})
_PACKAGE_TEMPLATES = resources.files("xlbudget") / "templates" / "narrative"


class ProfileError(ValueError):
    """A profile that cannot be used; the message names the file and the key."""


# -- the schema (besides the table specs of xlbudget.tables) ------------------------------------
@dataclass(frozen=True)
class Wording:
    """How a 单位's or a 部门's disclosure names itself."""

    subject: str  # in sheet names: {subject}收支预算表 → 单位收支预算表
    org_label: str  # before the name above each table: 单位名称 / 编制单位 / 编制部门
    title_subject: str = ""  # in titles ("" = subject), e.g. 预算单位


@dataclass(frozen=True)
class Levels:
    unit: Wording
    department: Wording


@dataclass(frozen=True)
class FunctionClasses:
    """功能分类 类 the two-sided tables always list, with their printed labels."""

    codes: tuple[str, ...]
    labels: tuple[str, ...]


@dataclass(frozen=True)
class CellRef:
    """One cell of a table: the row labelled ``row`` ("" = the 合计 row) under ``column``."""

    table: str
    column: tuple[str, ...]
    row: str = ""
    label_column: tuple[str, ...] = ()  # where ``row`` is read (empty = any text cell)


@dataclass(frozen=True)
class RowsRef:
    """Fixed rows of a table under ``column``, as (label, amount) pairs."""

    table: str
    column: tuple[str, ...]
    rows: tuple[str, ...]
    label_column: tuple[str, ...] = ()


@dataclass(frozen=True)
class ItemsRef:
    """The names (column ``name``) of the detail rows with money under ``column``."""

    table: str
    column: tuple[str, ...]
    name: tuple[str, ...]


@dataclass(frozen=True)
class UnitsRef:
    """``column`` summed over the unit rows (their code under ``code``) of some unit types."""

    table: str
    column: tuple[str, ...]
    code: tuple[str, ...]


@dataclass(frozen=True)
class CountRef:
    """How many detail rows a table has."""

    table: str


@dataclass(frozen=True)
class TargetsRef:
    """Projects with indicators (text columns under the header ``indicators``) and their amount."""

    table: str
    column: tuple[str, ...]
    indicators: str


@dataclass(frozen=True)
class Figures:
    cells: dict[str, CellRef] = dataclasses.field(default_factory=dict)
    rows: dict[str, RowsRef] = dataclasses.field(default_factory=dict)
    items: dict[str, ItemsRef] = dataclasses.field(default_factory=dict)
    units: dict[str, UnitsRef] = dataclasses.field(default_factory=dict)
    counts: dict[str, CountRef] = dataclasses.field(default_factory=dict)
    targets: dict[str, TargetsRef] = dataclasses.field(default_factory=dict)


FIGURE_SECTIONS = ("cells", "rows", "items", "units", "counts", "targets")


@dataclass(frozen=True)
class Identity:
    """The same figure shown in several tables: each named cell equals the next."""

    name: str
    figures: tuple[str, ...]


@dataclass(frozen=True)
class SummaryLayout:
    """What the batch 汇总 reads from each department's tables."""

    figures: tuple[tuple[str, str], ...]  # (汇总 column, figure name)
    by_class: CellRef  # the money column summed per 功能分类 类 over the detail rows …
    class_column: tuple[str, ...]  # … whose 类 code is in this column
    by_source: str  # the table whose 合计 row gives income by source (its money columns)
    source_total: tuple[str, ...]  # that table's total column, left out


@dataclass(frozen=True)
class NarrativeSpec:
    """A profile's 预算说明 (``[narrative]``): its template folder and what its text reads — the
    figures (by name, any section), the 上年数 it compares and the 说明事项 it needs — so a profile
    requires exactly these and missing inputs are reported (checks.prior_year,
    checks.narrative_inputs). A profile without ``[narrative]`` writes no 预算说明."""

    templates: str  # a folder beside the profile file, else under xlbudget/templates/narrative ("." = that one)
    subject: str = "部门"  # 部门 or 单位: how the text names the budget's owner
    figures: tuple[str, ...] = ()  # the [figures.*] its templates read (as f.<name>)
    prior: dict[str, str] = dataclasses.field(default_factory=dict)  # 上年数 key → figure compared
    compared: tuple[str, ...] | None = None  # 上年数 keys that must be given (XB501); None = every prior key
    reasons: dict[str, str] = dataclasses.field(default_factory=dict)  # 上年数 key → 说明事项 key of its 变动原因
    notes: tuple[str, ...] = ()  # 说明事项 keys the text needs
    vehicle_categories: tuple[str, ...] = ()  # 说明事项 keys of vehicle counts, in printed order
    equipment: str = ""  # 说明事项 key of the count of costly equipment
    purposes: bool = False  # each 财政拨款 项 is listed with its 主要用途 (功能科目用途)
    # the folder of the profile file when ``templates`` is there: searched before the shipped ones
    folder: str = dataclasses.field(default="", metadata={"internal": True})

    @property
    def required_prior(self) -> tuple[str, ...]:
        """The 上年数 keys the text compares and must be given."""
        return tuple(self.prior) if self.compared is None else self.compared


@dataclass(frozen=True)
class Profile:
    name: str
    description: str
    amount_unit: Literal["元", "万元"]
    decimals: int
    title: str  # pattern of table titles: {year}, {name}, {subject}, {title_subject}
    total_label: str  # the 合计 row's label (a table may say otherwise)
    wording: Levels
    tables: tuple[TableSpec, ...]
    function_classes: FunctionClasses = FunctionClasses((), ())  # none: only the 类 a budget has
    figures: Figures = dataclasses.field(default_factory=Figures)
    identities: tuple[Identity, ...] = ()
    summary: SummaryLayout | None = None  # None: not compiled in batch with a 汇总
    level: Literal["auto", "unit", "department"] = "auto"  # auto: 部门 when several units
    contract: int = CURRENT.version  # the version (time) of the core input template the format reads
    inputs: tuple[str, ...] = ()  # the optional inputs (contract.INPUTS) its template adds and it reads
    family: Literal["预算", "决算"] = "预算"  # the document: 部门预算, or 部门决算 (its own template)
    rounding: str = EXACT  # the display rounding the format prescribes (money.ROUNDINGS)
    # 单位类型 whose 公用经费 are 机关运行经费 (the national definition: 行政单位 and 参公事业单位)
    operating_cost_units: tuple[str, ...] = OPERATING_COST_UNITS
    # the role of a money column that declares none ("item": one of the parts); "" leaves such
    # columns out of the column identities (XB302), as a profile written before roles were declared
    column_role: Literal["", "item"] = ""
    narrative: NarrativeSpec | None = None  # None: the format has no 预算说明
    source: str = dataclasses.field(default="", metadata={"internal": True})

    @property
    def input_contract(self) -> Contract:
        """The input template this format reads and writes: the core template of its version and
        exactly its declared inputs (the 决算 family: the 决算 template)."""
        return ACCOUNTS if self.family == "决算" else CONTRACTS[self.contract].with_inputs(self.inputs)

    def undeclared_roles(self) -> list[str]:
        """The money columns (as keys of the profile) whose role is neither declared nor given by
        ``column_role``: they take part in no column identity (XB302)."""
        return [f"tables[{i}]（{t.key}）.columns[{j}]" for i, t in enumerate(self.tables)
                for j, c in enumerate(t.columns) if c.kind == MONEY and not c.role]

    def table(self, key: str) -> TableSpec:
        found = next((t for t in self.tables if t.key == key), None)
        if found is None:
            raise ProfileError(f"格式配置 {self.name} 没有表“{key}”")
        return found

    def is_department(self, budget: Budget) -> bool:
        """Whether the disclosure is a 部门's: the profile says so, or the budget has several units."""
        return self.level == "department" or (self.level == "auto" and several_units(budget))

    def specs_for(self, budget: Budget) -> list[TableSpec]:
        """The table specs worded for this budget (单位 or 部门, its year)."""
        department = self.is_department(budget)
        words = self.wording.department if department else self.wording.unit
        out = []
        for spec in self.tables:
            name = spec.name.format(subject=words.subject)
            title = (spec.title or self.title).format(
                year=budget.year, name=name, subject=words.subject,
                title_subject=words.title_subject or words.subject)
            note = spec.empty_note.replace("{subject}", words.subject)
            out.append(replace(spec, name=name, title=title, department=department, empty_note=note))
        return out

    def finish(self, table: Table, spec: TableSpec) -> Table:
        """A built table with the profile's org line and money display."""
        words = self.wording.department if spec.department else self.wording.unit
        return replace(table, org_label=words.org_label, unit=spec.unit or self.amount_unit,
                       decimals=self.decimals if spec.decimals < 0 else spec.decimals)


# -- loading ----------------------------------------------------------------------------------
def builtin_profiles() -> dict[str, str]:
    """Name → one-line description of every profile shipped with xlbudget."""
    import tomllib

    return {name: str(tomllib.loads(profiles.text(name) or "").get("description", "")) for name in profiles.names()}


def load_profile(name: str = DEFAULT_PROFILE) -> Profile:
    """A shipped profile by name, or a clerk's profile file (a path ending in .toml)."""
    if name.endswith(".toml"):
        path = Path(name)
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ProfileError(f"无法读取格式配置文件 {path}：{exc}") from None
        return parse_profile(text, str(path))
    shipped = profiles.text(name)
    if shipped is None:
        known = "、".join(profiles.names())
        raise ProfileError(f"未知的格式配置“{name}”。内置格式：{known}；也可给出格式配置文件的路径（.toml）")
    return _shipped_profile(name, shipped)


@lru_cache(maxsize=16)
def _shipped_profile(name: str, text: str) -> Profile:
    """A shipped profile, parsed once per installation (xlbudget.cache) and once per process."""
    return cached(f"profile-{name}", lambda: parse_profile(text, f"{name}.toml", shipped=True))


@lru_cache(maxsize=16)
def parse_profile(text: str, source: str, shipped: bool = False) -> Profile:
    """A profile from TOML text; ``source`` names it in errors (and, unless ``shipped``, is the file
    a base named by a relative path and a narrative folder are found beside). Kept per text
    (profiles are frozen): a process compiling many workbooks parses each profile once."""
    return profile_from_data(_toml(text, source), source, shipped=shipped)


def _toml(text: str, source: str) -> dict[str, Any]:
    import tomllib  # a shipped profile usually comes parsed from the cache

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(f"格式配置 {source} 不是有效的 TOML：{exc}") from None


def profile_from_data(data: Mapping[str, Any], source: str, shipped: bool = False) -> Profile:
    """A profile from parsed TOML (its ``extends`` chain merged in), typed and with every
    reference resolved; a ``shipped`` one reads only the package's narrative templates."""
    if "extends" in data:
        try:
            data = inheritance.resolve(data, source, _toml)
        except inheritance.InheritanceError as exc:
            raise ProfileError(str(exc)) from None
    loader = _Loader(source)
    loader.known_keys(Profile, data, "")
    raw_tables = data.get("tables")
    tables = loader.tables(raw_tables if isinstance(raw_tables, list) else [])
    rest = {k: v for k, v in data.items() if k != "tables"}
    profile = loader.build(Profile, rest | {"tables": ()}, "")
    if not isinstance(raw_tables, list) or not raw_tables:
        loader.fail("tables", "缺少表（[[tables]]）")
    if len(profile.function_classes.codes) != len(profile.function_classes.labels):
        loader.fail("function_classes", "codes 与 labels 个数不同")
    classes = tuple(zip(profile.function_classes.codes, profile.function_classes.labels, strict=True))
    bad = [c for c in profile.function_classes.codes if not (c.isdigit() and len(c) == 3)]
    if bad:
        loader.fail("function_classes.codes", f"“{bad[0]}”不是 3 位功能分类类级编码")
    bad = [t for t in profile.operating_cost_units if t not in contract.UNIT_TYPES]
    if bad:
        loader.fail("operating_cost_units", f"“{bad[0]}”不是单位类型（可用：{'、'.join(contract.UNIT_TYPES)}）")
    tables = tuple(_scoped(replace(t, function_classes=classes, total_label=t.total_label or profile.total_label),
                           frozenset(profile.operating_cost_units), profile.column_role) for t in tables)
    narrative = profile.narrative if shipped else _with_folder(profile.narrative, source)
    profile = replace(profile, tables=tables, source=source, narrative=narrative)
    profile = _declared_inputs(profile, loader)
    _Checker(profile, loader).run()
    return profile


def _declared_inputs(profile: Profile, loader: _Loader) -> Profile:
    """``profile`` with known inputs only, and a former version number (``contract = 2``) read as
    the core version it names plus the inputs it held (contract.LEGACY_CONTRACTS)."""
    for index, name in enumerate(profile.inputs):
        if name not in INPUTS:
            loader.fail(f"inputs[{index}]", f"未知的可选输入“{name}”（可用：{'、'.join(INPUTS)}）")
    if profile.inputs and profile.family == "决算":
        loader.fail("inputs", "部门决算格式读部门决算填报模板，没有可选输入")
    if profile.contract in LEGACY_CONTRACTS:
        version, held = LEGACY_CONTRACTS[profile.contract]
        return replace(profile, contract=version, inputs=tuple(dict.fromkeys((*profile.inputs, *held))))
    if profile.contract not in CONTRACTS:
        known = "、".join(map(str, (*CONTRACTS, *LEGACY_CONTRACTS)))
        loader.fail("contract", f"没有第 {profile.contract} 版填报模板（有：{known}）")
    return profile


def _with_folder(spec: NarrativeSpec | None, source: str) -> NarrativeSpec | None:
    """The narrative with its template folder found beside the profile file, when it is there."""
    if spec is None or not spec.templates or not source.endswith(".toml"):
        return spec
    beside = Path(source).parent
    return replace(spec, folder=str(beside.resolve())) if (beside / spec.templates).is_dir() else spec


def _scoped(spec: TableSpec, operating: frozenset[str], role: Literal["", "item"]) -> TableSpec:
    """``spec`` with its ``operating_units`` filters limited to the 单位类型 ``operating`` and
    ``role`` for its money columns that declare none."""
    def scope(f: LineFilter) -> LineFilter:
        return replace(f, unit_types=operating) if f.operating_units else f

    columns = tuple(replace(c, filter=scope(c.filter), role=c.role or (role if c.kind == MONEY else ""))
                    for c in spec.columns)
    return replace(spec, filter=scope(spec.filter), columns=columns)


class _Loader:
    """Builds typed dataclasses from TOML values; every error names the file and key path."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, where: str, message: str) -> NoReturn:
        raise ProfileError(f"格式配置 {self.source} 中 {where or '（顶层）'}：{message}")

    def tables(self, raw: list[Any]) -> tuple[TableSpec, ...]:
        """The ``[[tables]]``, each typed by its builder's spec."""
        out: list[TableSpec] = []
        for index, item in enumerate(raw):
            where = f"tables[{index}]"
            if not isinstance(item, dict):
                self.fail(where, "应为表（[[tables]]）")
            key = item.get("key", "")
            where = f"tables[{index}]（{key}）" if key else where
            builder = BUILDERS.get(item.get("builder", ""))
            if builder is None:
                self.fail(f"{where}.builder",
                          f"未知的表类型“{item.get('builder', '')}”（可用：{'、'.join(BUILDERS)}）")
            columns = item.get("columns")
            if isinstance(columns, str):  # a table may reuse an earlier table's columns by key
                earlier = next((t for t in out if t.key == columns), None)
                if earlier is None:
                    self.fail(f"{where}.columns", f"引用的表“{columns}”不存在或不在本表之前")
                item = item | {"columns": earlier.columns}
            spec = self.build(builder.spec, item, where)
            if any(t.key == spec.key for t in out):
                self.fail(f"{where}.key", f"表键“{spec.key}”重复")
            out.append(spec)
        return tuple(out)

    def build(self, cls: type[Any], data: object, where: str) -> Any:
        """An instance of dataclass ``cls`` from a TOML table; unknown and missing keys fail."""
        if not isinstance(data, Mapping):
            self.fail(where, "应为表（键 = 值）")
        hints = _hints(cls)
        fields = [f for f in dataclasses.fields(cls) if f.init and not f.metadata.get("internal")]
        flat = [f for f in fields if f.metadata.get("flatten")]
        self.known_keys(cls, data, where)
        values: dict[str, Any] = {}
        for f in fields:
            if f in flat:
                nested = _keys(hints[f.name])
                values[f.name] = self.build(hints[f.name], {k: v for k, v in data.items() if k in nested},
                                            where)
            elif f.name in data:
                values[f.name] = self.value(hints[f.name], data[f.name], _join(where, f.name), f.metadata)
            elif f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
                self.fail(_join(where, f.name), "缺少此键")
        return cls(**values)

    def known_keys(self, cls: type[Any], data: Mapping[str, Any], where: str) -> None:
        """Every key of ``data`` is a field of dataclass ``cls`` (or of one it flattens)."""
        hints = _hints(cls)
        fields = [f for f in dataclasses.fields(cls) if f.init and not f.metadata.get("internal")]
        known = {f.name for f in fields if not f.metadata.get("flatten")}
        for f in fields:
            if f.metadata.get("flatten"):
                known |= _keys(hints[f.name])
        for key in data:
            if key not in known:
                self.fail(_join(where, key), f"未知的键“{key}”（可用：{'、'.join(sorted(known))}）")

    def value(self, tp: Any, raw: object, where: str, meta: Mapping[str, Any] = {}) -> Any:
        origin, args = get_origin(tp), get_args(tp)
        if "parse" in meta:
            items = self.value(tuple[str, ...], raw, where)
            try:
                return meta["parse"](items)
            except ValueError as exc:
                self.fail(where, str(exc))
        if origin in (Union, types.UnionType):
            inner = [a for a in args if a is not type(None)]
            return self.value(inner[0], raw, where, meta)
        if origin is Literal:
            if raw not in args:
                self.fail(where, f"“{raw}”不是可用的值（{'、'.join(repr(a) for a in args)}）")
            return raw
        if origin is tuple:
            if not isinstance(raw, (list, tuple)):
                self.fail(where, "应为列表")
            if len(args) == 2 and args[1] is Ellipsis:
                return tuple(self.value(args[0], v, f"{where}[{i}]") for i, v in enumerate(raw))
            if len(raw) != len(args):
                self.fail(where, f"应为 {len(args)} 项的列表")
            return tuple(self.value(a, v, f"{where}[{i}]") for i, (a, v) in enumerate(zip(args, raw, strict=True)))
        if origin is dict:
            if not isinstance(raw, Mapping):
                self.fail(where, "应为表（键 = 值）")
            return {k: self.value(args[1], v, _join(where, k)) for k, v in raw.items()}
        if isinstance(tp, type) and dataclasses.is_dataclass(tp):
            if isinstance(raw, tp):  # columns reused from an earlier table
                return raw
            return self.build(tp, raw, where)  # type: ignore[arg-type]
        if tp is float and isinstance(raw, (int, float)) and not isinstance(raw, bool):
            return float(raw)
        if tp in (str, int, bool) and type(raw) is tp:
            return raw
        names = {str: "文字", int: "整数", bool: "true 或 false", float: "数值"}
        self.fail(where, f"应为{names.get(tp, str(tp))}，而不是“{raw}”")


_HINTS: dict[type[Any], dict[str, Any]] = {}


def _hints(cls: type[Any]) -> dict[str, Any]:
    if cls not in _HINTS:
        _HINTS[cls] = get_type_hints(cls)
    return _HINTS[cls]


def _keys(cls: type[Any]) -> set[str]:
    """The TOML keys of dataclass ``cls`` (its fields the profile does not set itself)."""
    return {f.name for f in dataclasses.fields(cls) if not f.metadata.get("internal")}


def _join(where: str, key: str) -> str:
    return f"{where}.{key}" if where else key


class _Checker:
    """Every reference of a loaded profile resolves: tables, columns, rows, fields, figures."""

    def __init__(self, profile: Profile, loader: _Loader) -> None:
        self.profile, self.fail = profile, loader.fail
        self.by_key = {t.key: t for t in profile.tables}

    def run(self) -> None:
        p = self.profile
        if p.amount_unit not in UNITS:  # pragma: no cover - Literal already checks
            self.fail("amount_unit", "应为 元 或 万元")
        if not 0 <= p.decimals <= MAX_DECIMALS:
            self.fail("decimals", f"应为 0 到 {MAX_DECIMALS}")
        self.pattern(p.title, "title")
        if p.rounding not in ROUNDINGS:
            self.fail("rounding", f"“{p.rounding}”不是可用的值（{'、'.join(ROUNDINGS)}）")
        for index, spec in enumerate(p.tables):
            self.table(spec, f"tables[{index}]（{spec.key}）")
        figures = p.figures
        for section in FIGURE_SECTIONS:
            for name, ref in getattr(figures, section).items():
                self.figure(ref, f"figures.{section}.{name}")
        used = {n for i in p.identities for n in i.figures}
        if p.summary is not None:
            used |= {n for _, n in p.summary.figures}
        if p.narrative is not None:
            used |= self.narrative(p.narrative)
        for section in FIGURE_SECTIONS:
            for name in getattr(figures, section):
                if name not in used:
                    hint = "" if p.narrative else "；若它供预算说明使用，请加 [narrative]（见 docs/profiles.md）"
                    self.fail(f"figures.{section}.{name}",
                              f"此数字没有被 narrative.figures、identities 或 summary 引用{hint}")
        for index, identity in enumerate(p.identities):
            if len(identity.figures) < 2:
                self.fail(f"identities[{index}].figures", "至少需要两个数字")
            for name in identity.figures:
                if name not in figures.cells:
                    self.fail(f"identities[{index}].figures", f"未知的数字“{name}”（须在 [figures.cells] 中）")
        if p.summary is not None:
            self.summary(p.summary)

    def narrative(self, spec: NarrativeSpec) -> set[str]:
        """Check a profile's 预算说明; the figures it reads."""
        if not spec.folder and not (_PACKAGE_TEMPLATES / spec.templates).is_dir():
            self.fail("narrative.templates", f"没有预算说明模板文件夹“{spec.templates}”（格式配置文件旁或内置）")
        f, inputs = self.profile.figures, self.profile.input_contract
        names = {n for section in FIGURE_SECTIONS for n in getattr(f, section)}
        for name in spec.figures:
            if name not in names:
                self.fail("narrative.figures", f"未知的数字“{name}”（须在 [figures.*] 中）")
        for key, name in spec.prior.items():
            if name not in f.cells and name not in f.units:
                self.fail(f"narrative.prior.{key}", f"未知的数字“{name}”（须在 [figures.cells] 或 [figures.units] 中）")
        for key in (*spec.prior, *(spec.compared or ()), *spec.reasons):
            if key not in inputs.prior_keys:
                self.undeclared(f"narrative.prior.{key}", key, "上年数", inputs.prior_keys)
        counts = [*spec.vehicle_categories, *([spec.equipment] if spec.equipment else [])]
        for key in (*spec.notes, *spec.reasons.values(), *counts, *(contract.PLANNED + k for k in counts)):
            if key not in inputs.note_keys:
                self.undeclared("narrative", key, "说明事项", inputs.note_keys)
        if spec.purposes and "功能科目用途" not in {s.name for s in inputs.sheets}:
            self.undeclared("narrative.purposes", "功能科目用途", "工作表", ())
        return {*spec.figures, *spec.prior.values()}

    def undeclared(self, where: str, key: str, kind: str, available: tuple[str, ...]) -> NoReturn:
        """``key`` (a 上年数 or 说明事项 key, a sheet) is not in the format's template: name the optional
        input that brings it, else the keys there are."""
        item = contract.input_of(key)
        if item:
            self.fail(where, f"“{key}”属于可选输入“{item}”，本格式没有声明：在 inputs 中加上“{item}”")
        self.fail(where, f"“{key}”不是{kind}的项目（可用：{'、'.join(available)}）")

    def pattern(self, text: str, where: str, allowed: frozenset[str] = TITLE_FIELDS) -> None:
        try:
            names = {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}
        except ValueError as exc:
            self.fail(where, f"花括号不配对：{exc}")
        unknown = names - allowed
        if unknown:
            self.fail(where, f"未知的占位符“{{{sorted(unknown)[0]}}}”（可用：{'、'.join(sorted(allowed))}）")

    def table(self, spec: TableSpec, where: str) -> None:
        if spec.decimals > MAX_DECIMALS:
            self.fail(f"{where}.decimals", f"应为 0 到 {MAX_DECIMALS}")
        self.pattern(spec.name, f"{where}.name", NAME_FIELDS)
        self.pattern(spec.title, f"{where}.title")
        if not spec.columns:
            self.fail(f"{where}.columns", "至少需要一列")
        paths = [c.path for c in spec.columns]
        for index, column in enumerate(spec.columns):
            at = f"{where}.columns[{index}]"
            if not column.path or not all(column.path):
                self.fail(f"{at}.path", "表头路径不能为空")
            if paths.count(column.path) > 1:
                self.fail(f"{at}.path", f"表头“{'/'.join(column.path)}”重复")
            if column.kind != "money" and type(spec).FIELDS and column.field not in type(spec).FIELDS:
                self.fail(f"{at}.field", f"“{column.field}”不是此类表的字段（可用：{'、'.join(sorted(type(spec).FIELDS))}）")
            if column.kind == "money" and column.field and column.field not in type(spec).MONEY_FIELDS:
                money = type(spec).MONEY_FIELDS
                self.fail(f"{at}.field", f"“{column.field}”不是此类表金额列的字段（可用：{'、'.join(sorted(money))}）"
                          if money else "金额列不取字段")
        for key, message in spec.problems():
            self.fail(f"{where}.{key}", message)
        if isinstance(spec, ClassRowsSpec):
            self.pattern(spec.class_label, f"{where}.class_label", CLASS_FIELDS)
        merged = getattr(spec, "merge_down", ())
        allowed: frozenset[str] = getattr(type(spec), "MERGED", frozenset())
        for name in merged:
            if name not in allowed:
                self.fail(f"{where}.merge_down", f"“{name}”不是此类表的字段（可用：{'、'.join(sorted(allowed))}）")

    def spec(self, key: str, where: str) -> TableSpec:
        spec = self.by_key.get(key)
        if spec is None:
            self.fail(f"{where}.table", f"没有键为“{key}”的表（可用：{'、'.join(self.by_key)}）")
        return spec

    def column(self, spec: TableSpec, path: tuple[str, ...], where: str, kind: str = "money") -> None:
        column = next((c for c in spec.columns if c.path == path), None)
        if column is None:
            shown = "、".join("/".join(c.path) for c in spec.columns)
            self.fail(where, f"表“{spec.key}”没有表头“{'/'.join(path)}”（有：{shown}）")
        if (column.kind == "money") != (kind == "money"):
            self.fail(where, f"表“{spec.key}”的“{'/'.join(path)}”列不是{'金额' if kind == 'money' else '文字或编码'}列")
        if column.when:
            self.fail(where, f"表“{spec.key}”的“{'/'.join(path)}”列不总是显示（when），不能作为数字的来源")

    def row(self, spec: TableSpec, label: str, where: str) -> None:
        if label not in spec.row_labels():
            self.fail(where, f"表“{spec.key}”没有固定行“{label}”（有：{'、'.join(sorted(spec.row_labels()))}）")

    def figure(self, ref: CellRef | RowsRef | ItemsRef | UnitsRef | CountRef | TargetsRef, where: str) -> None:
        spec = self.spec(ref.table, where)
        if isinstance(ref, CountRef):
            return
        self.column(spec, ref.column, f"{where}.column")
        if isinstance(ref, (CellRef, RowsRef)):
            if ref.label_column:
                self.column(spec, ref.label_column, f"{where}.label_column", "text")
            labels = [ref.row] if isinstance(ref, CellRef) else list(ref.rows)
            for label in labels:
                if label:
                    self.row(spec, label, f"{where}.{'row' if isinstance(ref, CellRef) else 'rows'}")
        elif isinstance(ref, ItemsRef):
            self.column(spec, ref.name, f"{where}.name", "text")
        elif isinstance(ref, UnitsRef):
            self.column(spec, ref.code, f"{where}.code", "text")
        elif isinstance(ref, TargetsRef) and not any(
                c.path[0] == ref.indicators and c.kind != "money" for c in spec.columns):
            self.fail(f"{where}.indicators", f"表“{spec.key}”没有表头为“{ref.indicators}”的文字列")

    def summary(self, layout: SummaryLayout) -> None:
        for label, name in layout.figures:
            if name not in self.profile.figures.cells:
                self.fail("summary.figures", f"未知的数字“{name}”（{label}）")
        self.figure(layout.by_class, "summary.by_class")
        self.column(self.spec(layout.by_class.table, "summary.by_class"), layout.class_column,
                    "summary.class_column", "text")
        spec = self.spec(layout.by_source, "summary.by_source")
        self.column(spec, layout.source_total, "summary.source_total")
