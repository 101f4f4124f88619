"""Tables by 部门预算支出经济分类 款 with its 政府预算支出经济分类 款
(一般公共预算基本支出表, 支出经济分类汇总表)."""

from __future__ import annotations

from xlbudget.model import Budget
from xlbudget.profile import TableSpec
from xlbudget.tables.base import Table
from xlbudget.tables.by_function import UNKNOWN_NAME
from xlbudget.tables.grid import blocks_table

NO_MAPPING = "（未对照）"


def build(budget: Budget, spec: TableSpec) -> Table:
    def fields(pair: object) -> dict[str, str]:
        econ, gov = pair  # type: ignore[misc]
        return {
            "econ": econ, "econ_class": econ[:3], "econ_kuan": econ[3:],
            "econ_name": budget.econ_name(econ) or UNKNOWN_NAME,
            "gov": gov, "gov_class": gov[:3], "gov_kuan": gov[3:],
            "gov_name": (budget.gov_name(gov) or UNKNOWN_NAME) if gov else NO_MAPPING,
        }

    return blocks_table(budget, spec, lambda line: (line.econ, budget.gov_code(line)), fields,
                        "econ_name",
                        lambda code, name: {"econ": code, "econ_class": code, "econ_name": name})
