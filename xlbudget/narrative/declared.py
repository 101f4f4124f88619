"""What a profile's 预算说明 templates see (its ``[narrative]``): the figures it declares (by
name, read from the derived tables), the comparisons with the 上年数 it declares, the list of
财政拨款 项 (outline tables with ``narrative_items``) and the clerk's inputs its text reads.

Every amount is read from a derived table cell; only the 绩效目标 projects' money, which not
every format's tables show, is summed from the lines (``targets``), and the 政府采购 amounts come
from ``purchases.figures`` (the 政府采购 lines' sums, which its table's 合计 row shows, or the typed
说明事项 totals). Missing inputs are findings
(``checks.prior_year``, ``checks.narrative_inputs``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from xlbudget import contract, purchases
from xlbudget.figures import changes, named_figures, total_or_none
from xlbudget.layout import column_of, find_table
from xlbudget.model import Budget, note_amount, note_count, total
from xlbudget.money import Fen, to_display
from xlbudget.narrative.text import escape
from xlbudget.profile import NarrativeSpec, Profile
from xlbudget.tables.base import CODE, TEXT, Table
from xlbudget.tables.outline import OutlineSpec

MAIN_TEMPLATE = "narrative.md.j2"


def wan(fen: Fen | None) -> str:
    """分 as 万元 the way these documents print it: 9,101.68; zero as 0."""
    return "0" if not fen else f"{to_display(fen):,.2f}"


@dataclass(frozen=True)
class Item:
    """One 项 of the 财政拨款支出 list: “类（类）款（款）项（项）” amount, 主要用于 purpose."""

    code: str
    names: tuple[str, str, str]  # 类, 款, 项
    amount: Fen
    purpose: str


def items(budget: Budget, tables: list[Table], profile: Profile) -> list[Item]:
    """The 项 rows of the tables marked ``narrative_items`` (their amount column), one per code
    in code order; a 项 in several of them (one per fund) is listed once with their sum."""
    found: dict[str, tuple[tuple[str, str, str], Fen]] = {}
    for spec in profile.tables:
        if not isinstance(spec, OutlineSpec) or not spec.narrative_items:
            continue
        t = find_table(tables, spec.key)
        money = column_of(t, spec.narrative_items)
        codes = [i for i, c in enumerate(t.columns) if c.kind == CODE]
        name = next(i for i, c in enumerate(t.columns) if c.kind == TEXT)
        parents = ["", ""]
        for row in t.rows:
            if row.level in (1, 2):
                parents[row.level - 1] = str(row.cells[name])
            elif row.level == 3:
                code = "".join(str(row.cells[i] or "") for i in codes)
                before = found.get(code, ((parents[0], parents[1], str(row.cells[name])), 0))
                found[code] = (before[0], before[1] + (row.cells[money] or 0))  # type: ignore[operator]
    return [Item(code, names, amount, escape(budget.purposes.get(code, "")))
            for code, (names, amount) in sorted(found.items())]


def targets(budget: Budget) -> tuple[int, Fen]:
    """Projects with 绩效目标 (indicators, or marked 已设绩效目标) and their money."""
    with_indicators = {i.project for i in budget.indicators}
    codes = {p.code for p in budget.projects if p.targets_set or p.code in with_indicators}
    return len(codes), total(budget.lines, lambda line: line.project in codes)


def counts(budget: Budget, categories: tuple[str, ...], prefix: str = "") -> list[tuple[str, int | None]]:
    """(category, count of 说明事项 ``prefix`` + category) for each category."""
    return [(key, note_count(budget, prefix + key)) for key in categories]


def statement_heading(name: str) -> str:
    """A project's “X经费情况说明” heading; a name already ending in 经费 is not doubled."""
    return f"{name.removesuffix('经费')}经费情况说明"


def context(budget: Budget, tables: list[Table], profile: Profile, spec: NarrativeSpec) -> dict[str, Any]:
    """What a profile's templates see; every user text is already Markdown-escaped. ``f``: the
    figures the narrative declares, by name; ``c``: its comparisons with the 上年数, by key."""
    named = named_figures(budget, tables, profile)
    figures = {name: named[name] for name in (*spec.figures, *spec.prior.values())}
    units_by_type = {kind: sum(1 for u in budget.units if u.type == kind) for kind in contract.UNIT_TYPES}
    target_count, target_amount = targets(budget)
    procurement = purchases.figures(budget)  # the 政府采购 lines' sums, or the typed 说明事项 totals
    held = [*spec.vehicle_categories, *([spec.equipment] if spec.equipment else [])]
    return {
        "year": budget.year,
        "prior_year": budget.year - 1,
        "dept": escape(budget.dept_name) or "本部门",
        "subject": spec.subject,
        "f": figures,
        "c": changes(profile, named, budget.prior),
        "w": wan,
        "notes": {key: "" for key in profile.input_contract.note_keys} | {k: escape(v) for k, v in budget.notes.items()},
        "note_amount": lambda key: procurement[key] if key in purchases.KEYS else note_amount(budget, key),
        "note_count": lambda key: note_count(budget, key),
        "total_or_none": lambda values: total_or_none(tuple(values)),
        "units": [{"code": u.code, "name": escape(u.name), "type": u.type} for u in budget.units],
        "unit_types": {k: n for k, n in units_by_type.items() if n},
        "table_names": [escape(t.name) for t in tables],
        "items": items(budget, tables, profile),
        "targets": {"count": target_count, "amount": target_amount},
        "procurement": procurement,
        "procurement_shares": purchases.shares(procurement),
        "procurement_lines": budget.purchases is not None,
        "vehicles": counts(budget, spec.vehicle_categories),
        "planned_vehicles": counts(budget, spec.vehicle_categories, contract.PLANNED),
        "equipment": note_count(budget, spec.equipment) if spec.equipment else None,
        "planned_equipment": note_count(budget, contract.PLANNED + spec.equipment) if spec.equipment else None,
        "complete_assets": all(note_count(budget, k) is not None for k in [*held, *(contract.PLANNED + k for k in held)]),
        "statements": [{"name": escape(p.name), "heading": escape(statement_heading(p.name)),
                        "sections": [(h, escape(t)) for h, t in s.sections]}
                       for s in budget.statements if (p := budget.project(s.project)) is not None],
    }
