"""The disclosure tables, each a pure function of the budget and its profile spec.

``BUILDERS`` is the registry a profile's ``builder = "…"`` names: each builder's spec type (the
TOML keys it accepts) and its build function. A new kind of table is a module here with a spec
dataclass and a ``build``, and one line below.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from xlbudget.model import Budget
from xlbudget.tables import (
    accounts_totals,
    by_economic,
    by_function,
    econ_sides,
    fiscal,
    goals,
    one_row,
    outline,
    performance,
    procurement,
    projects,
    services,
    summary_income_expenditure,
    three_public,
    totals,
)
from xlbudget.tables.base import Table
from xlbudget.tables.spec import TableSpec


class Builder(NamedTuple):
    spec: type[TableSpec]
    build: Callable[[Budget, TableSpec], Table]


BUILDERS: dict[str, Builder] = {
    "income_expenditure": Builder(summary_income_expenditure.IncomeExpenditureSpec,
                                  summary_income_expenditure.build),
    "unit_function": Builder(by_function.FunctionSpec, by_function.build),
    "fiscal": Builder(fiscal.FiscalSpec, fiscal.build),
    "econ": Builder(by_economic.EconomicSpec, by_economic.build),
    "summary": Builder(three_public.SummarySpec, three_public.build),
    "projects": Builder(projects.ProjectsSpec, projects.build),
    "performance": Builder(performance.PerformanceSpec, performance.build),
    "outline": Builder(outline.OutlineSpec, outline.build),
    "totals": Builder(totals.TotalsSpec, totals.build),
    "one_row": Builder(one_row.OneRowSpec, one_row.build),
    "accounts_totals": Builder(accounts_totals.AccountsTotalsSpec, accounts_totals.build),
    "econ_sides": Builder(econ_sides.EconSidesSpec, econ_sides.build),
    "procurement": Builder(procurement.ProcurementSpec, procurement.build),
    "services": Builder(services.ServicesSpec, services.build),
    "goals": Builder(goals.GoalsSpec, goals.build),
}

