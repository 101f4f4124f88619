"""Tables by 部门预算支出经济分类 款 with its 政府预算支出经济分类 款
(一般公共预算基本支出表, 支出经济分类汇总表), optionally with 类 and 款 subtotal rows."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from typing import Literal

from xlbudget.catalog import ECON_DEPT, ECON_GOV
from xlbudget.model import Budget, Line
from xlbudget.tables.base import DETAIL, GROUP, Table
from xlbudget.tables.by_function import UNKNOWN_NAME
from xlbudget.tables.grid import BlocksSpec, blocks_table
from xlbudget.tables.spec import TableSpec

NO_MAPPING = "（未对照）"
# Each row field of these tables → the classification whose codes or names it prints.
PRINTS = {**dict.fromkeys(("econ", "econ_class", "econ_kuan", "econ_name"), ECON_DEPT),
          **dict.fromkeys(("gov", "gov_class", "gov_kuan", "gov_name"), ECON_GOV)}
LEVELS = {"class": 3, "kuan": 5}  # subtotal levels: digits of their 部门经济分类 code


@dataclass(frozen=True)
class EconomicSpec(BlocksSpec):
    FIELDS = frozenset(PRINTS)

    # 类 rows (and 款 rows, over a 款 mapped to several 政府经济分类 款) printed above their rows
    subtotals: tuple[Literal["class", "kuan"], ...] = ()


def build(budget: Budget, spec: TableSpec) -> Table:
    assert isinstance(spec, EconomicSpec)
    cuts = sorted(LEVELS[level] for level in set(spec.subtotals))

    def pairs(line: Line) -> list[Hashable]:
        return [*((line.econ[:cut],) for cut in cuts), (line.econ, budget.gov_code(line))]

    def fields(key: object) -> dict[str, str]:
        assert isinstance(key, tuple)
        econ = str(key[0])
        out = {"econ": econ, "econ_class": econ[:3], "econ_kuan": econ[3:],
               "econ_name": budget.econ_name(econ) or UNKNOWN_NAME}
        if len(key) == 1:  # a 类 or 款 subtotal row
            return out
        gov = str(key[1])
        return out | {"gov": gov, "gov_class": gov[:3], "gov_kuan": gov[3:],
                      "gov_name": (budget.gov_name(gov) or UNKNOWN_NAME) if gov else NO_MAPPING}

    return blocks_table(budget, spec, pairs, fields, "econ_name",
                        lambda code, name: {"econ": code, "econ_class": code, "econ_name": name},
                        lambda key: GROUP if len(key) == 1 else DETAIL)  # type: ignore[arg-type]
