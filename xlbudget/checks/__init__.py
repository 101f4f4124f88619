"""The rule catalogue (docs/rules.md): every rule with its stable id, and the checks that run them.

Reading rules are declared in ``xlbudget.reading.rules`` and reported while reading (``safety``,
the reading modules, ``consolidate``, ``pipeline``, ``batch``);
the checks below run on the read budget and its derived tables, in this order: a later check may
look at what the earlier ones found (table identities wait until the clerk's data has no errors). ``docs/rules.md`` is generated from
``RULES`` by ``scripts/gen_rules_doc.py``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from xlbudget.checks import (
    accounts,
    balance,
    catalog,
    goals,
    narrative_inputs,
    prior_year,
    projects,
    reading,
    references,
    services,
    texts,
)
from xlbudget.checks.base import Check, Context, Rule
from xlbudget.display import Display
from xlbudget.findings import Finding
from xlbudget.model import Budget
from xlbudget.profile import Profile
from xlbudget.reading.rules import RULES as reported_while_reading
from xlbudget.tables.base import Table

__all__ = ["ACCOUNT_CHECKS", "CHECKS", "FAMILIES", "RULES", "Check", "Context", "Rule", "run_checks"]

# In the order they run; each yields findings of its one rule.
CHECKS: tuple[Check, ...] = (
    *reading.CHECKS,
    *catalog.CHECKS,
    *references.CHECKS,
    *balance.CHECKS,
    *projects.CHECKS,
    *services.CHECKS,
    *goals.CHECKS,
    *prior_year.CHECKS,
    *narrative_inputs.CHECKS,
    *texts.CHECKS,
)
# The checks of a 部门决算 (profile family 决算): its own identities, and the budget's checks that
# read nothing a 决算 lacks (codes, duplicates, the tables as displayed, the 说明 inputs).
ACCOUNT_CHECKS: tuple[Check, ...] = (
    reading.duplicate_units, reading.duplicate_rows, catalog.unknown_codes, catalog.non_leaf_codes,
    *references.CHECKS, *accounts.CHECKS, balance.table_totals, balance.rounding_tails, balance.same_figures,
    balance.balanced_bound, narrative_inputs.missing_inputs,
)
FAMILIES = (reading.FAMILY, catalog.FAMILY, references.FAMILY, balance.FAMILY, projects.FAMILY, services.FAMILY, prior_year.FAMILY,
            narrative_inputs.FAMILY, texts.FAMILY, accounts.FAMILY)


def _registry() -> dict[str, Rule]:
    rules = list(reported_while_reading)
    rules += [replace(c.rule, description=c.description) for c in (*CHECKS, *accounts.CHECKS)]
    ids = [r.id for r in rules]
    duplicated = {i for i in ids if ids.count(i) > 1}
    if duplicated:  # pragma: no cover - a programming error caught by the tests at import
        raise ValueError(f"rule ids registered twice: {sorted(duplicated)}")
    return {rule.id: rule for rule in sorted(rules, key=lambda r: r.id)}


RULES: dict[str, Rule] = _registry()


def run_checks(budget: Budget, tables: Sequence[Table] = (), reading: Sequence[Finding] = (),
               profile: Profile | None = None, display: Display | None = None) -> list[Finding]:
    """Every check on the budget and its derived tables (of ``profile``, the default if None); all
    findings, in check order. ``reading``: what the reader reported, so a rule can say when
    unread rows explain it. ``display``: the tables' figures as displayed (each rounded alone if
    None)."""
    ctx = Context(budget, tables, reading, profile=profile, given_display=display)
    for item in ACCOUNT_CHECKS if profile is not None and profile.family == "决算" else CHECKS:
        ctx.found += item(ctx)
    return ctx.found
