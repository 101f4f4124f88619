"""Tables by 功能分类 项 (收入表, 支出表, 一般公共预算支出表, 政府性基金/国有资本经营支出表):
合计, then each unit's row and its 项 rows with the code split into 类/款/项."""

from __future__ import annotations

from xlbudget.model import Budget
from xlbudget.profile import TableSpec
from xlbudget.tables.base import Table
from xlbudget.tables.grid import blocks_table

UNKNOWN_NAME = "（科目表中无此编码）"


def build(budget: Budget, spec: TableSpec) -> Table:
    def fields(code: object) -> dict[str, str]:
        assert isinstance(code, str)
        return {"class": code[:3], "kuan": code[3:5], "xiang": code[5:7],
                "name": budget.function_name(code) or UNKNOWN_NAME}

    return blocks_table(budget, spec, lambda line: line.function, fields, "name",
                        lambda code, name: {"unit_code": code, "name": name})
