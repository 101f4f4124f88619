"""Tables by 部门预算支出经济分类 款 with its 政府预算支出经济分类 款
(一般公共预算基本支出表, 支出经济分类汇总表)."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from typing import cast

from xlbudget.catalog import ECON_DEPT, ECON_GOV
from xlbudget.model import Budget, Line
from xlbudget.tables.base import Table
from xlbudget.tables.by_function import UNKNOWN_NAME
from xlbudget.tables.grid import BlocksSpec, blocks_table
from xlbudget.tables.spec import TableSpec

NO_MAPPING = "（未对照）"
# Each row field of these tables → the classification whose codes or names it prints.
PRINTS = {**dict.fromkeys(("econ", "econ_class", "econ_kuan", "econ_name"), ECON_DEPT),
          **dict.fromkeys(("gov", "gov_class", "gov_kuan", "gov_name"), ECON_GOV)}


@dataclass(frozen=True)
class EconomicSpec(BlocksSpec):
    FIELDS = frozenset(PRINTS)


def build(budget: Budget, spec: TableSpec) -> Table:
    def pairs(line: Line) -> list[Hashable]:
        return [(line.econ, budget.gov_code(line))]

    def fields(pair: object) -> dict[str, str]:
        econ, gov = cast(tuple[str, str], pair)
        return {
            "econ": econ, "econ_class": econ[:3], "econ_kuan": econ[3:],
            "econ_name": budget.econ_name(econ) or UNKNOWN_NAME,
            "gov": gov, "gov_class": gov[:3], "gov_kuan": gov[3:],
            "gov_name": (budget.gov_name(gov) or UNKNOWN_NAME) if gov else NO_MAPPING,
        }

    return blocks_table(budget, spec, pairs, fields, "econ_name",
                        lambda code, name: {"econ": code, "econ_class": code, "econ_name": name})
