"""Every disclosure table of a budget in a profile's layout: the one place where the table
builders (``xlbudget.tables``) and the profile (``xlbudget.profile``) meet, so the builders'
registry never calls back into the profile."""

from __future__ import annotations

from xlbudget.model import Budget
from xlbudget.profile import Profile
from xlbudget.tables import BUILDERS
from xlbudget.tables.base import Table


def derive_tables(budget: Budget, profile: Profile) -> list[Table]:
    """Every table of the profile, in its order, worded for the budget (单位 or 部门)."""
    return [profile.finish(BUILDERS[spec.builder].build(budget, spec), spec)
            for spec in profile.specs_for(budget)]
