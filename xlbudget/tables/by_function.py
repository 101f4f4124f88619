"""Tables by 功能分类 项 (收入表, 支出表, 一般公共预算支出表, 政府性基金/国有资本经营支出表):
合计, then each unit's row and its 项 rows with the code split into 类/款/项."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from typing import Literal

from xlbudget.model import Budget, Line
from xlbudget.tables.base import DETAIL, GROUP, Table
from xlbudget.tables.grid import BlocksSpec, blocks_table
from xlbudget.tables.spec import TableSpec

UNKNOWN_NAME = "（科目表中无此编码）"
LEVELS = {"class": 3, "kuan": 5}  # subtotal levels: digits of their code


@dataclass(frozen=True)
class FunctionSpec(BlocksSpec):
    FIELDS = frozenset({"class", "kuan", "xiang", "code", "name", "unit_code"})

    subtotals: tuple[Literal["class", "kuan"], ...] = ()  # 类/款 rows printed above their 项


def build(budget: Budget, spec: TableSpec) -> Table:
    assert isinstance(spec, FunctionSpec)
    cuts = sorted(LEVELS[level] for level in set(spec.subtotals))

    def codes(line: Line) -> list[Hashable]:
        out: list[Hashable] = [line.function[:cut] for cut in cuts]
        return [*out, line.function]

    def fields(code: object) -> dict[str, str]:
        assert isinstance(code, str)
        return {"class": code[:3], "kuan": code[3:5], "xiang": code[5:7], "code": code,
                "name": budget.function_name(code) or UNKNOWN_NAME}

    return blocks_table(budget, spec, codes, fields, "name",
                        lambda code, name: {"unit_code": code, "name": name},
                        lambda code: GROUP if len(str(code)) in cuts else DETAIL)
