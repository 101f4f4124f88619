"""The 12 disclosure tables, each a pure function of the budget and its profile spec."""

from __future__ import annotations

from collections.abc import Callable

from xlbudget.model import Budget
from xlbudget.profile import Profile, TableSpec
from xlbudget.tables import (
    by_economic,
    by_function,
    fiscal,
    performance,
    projects,
    summary_income_expenditure,
    three_public,
)
from xlbudget.tables.base import Table

Builder = Callable[[Budget, TableSpec], Table]

BUILDERS: dict[str, Builder] = {
    "income_expenditure": summary_income_expenditure.build,
    "unit_function": by_function.build,
    "fiscal": fiscal.build,
    "econ": by_economic.build,
    "summary": three_public.build,
    "projects": projects.build,
    "performance": performance.build,
}


def derive_tables(budget: Budget, profile: Profile) -> list[Table]:
    """Every table of the profile, in its order."""
    return [BUILDERS[spec.builder](budget, spec) for spec in profile.tables]
