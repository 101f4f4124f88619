"""Invariants of the Shanghai tables on generated budgets (one or several units, every source):
each 类/款 row is the sum of the rows one level below it and 合计 the sum of the 类 rows; each
项 and 经济分类 款 row is the exact sum of its lines; nothing is left out (收入总计 = 支出总计 =
all lines); the 部门 tables are one block, never per unit; the same figure agrees across tables."""

from __future__ import annotations

import pytest
from hypothesis import given, settings

from tests.strategies import budgets
from xlbudget import contract
from xlbudget.derive import derive_tables
from xlbudget.model import Budget, Line, total
from xlbudget.profile import load_profile
from xlbudget.tables.base import CODE, TOTAL, UNIT, Table

PROPERTY = settings(max_examples=40, deadline=None)
PROFILES = ("shanghai-unit", "shanghai-department")
GENERAL = ("一般公共预算", "一般公共预算结转")
PERSONNEL = ("301", "303")


def tables_of(budget: Budget, profile: str) -> dict[str, Table]:
    return {t.key: t for t in derive_tables(budget, load_profile(profile))}


def cell(t: Table, label: str, *path: str) -> int:
    """The money cell under ``path`` in the row reading ``label`` ("" = the 合计 row)."""
    col = t.column_index(*path)
    row = next(r for r in t.rows if (label in r.cells if label else r.kind == TOTAL))
    value = row.cells[col]
    return value if isinstance(value, int) else 0


def leaf_code(t: Table, index: int) -> str:
    return "".join(str(t.rows[index].cells[i] or "") for i, c in enumerate(t.columns) if c.kind == CODE)


@pytest.mark.parametrize("profile", PROFILES)
@PROPERTY
@given(budget=budgets())
def test_outline_rows_add_up_and_leaves_are_their_lines(profile: str, budget: Budget) -> None:
    tables = tables_of(budget, profile)
    kept = {"sh02": lambda ln: True, "sh03": lambda ln: True, "sh05": lambda ln: ln.source in GENERAL,
            "sh06": lambda ln: ln.source in ("政府性基金预算", "政府性基金预算结转"),
            "sh07": lambda ln: ln.source in ("国有资本经营预算", "国有资本经营预算结转"),
            "sh08": lambda ln: ln.source in GENERAL and ln.is_basic}
    for key, keep in kept.items():
        t = tables[key]
        levels = [r.level for r in t.rows]
        deepest = max(levels)
        by_code: dict[str, int] = {}
        for line in filter(keep, budget.lines):
            code = line.econ if key == "sh08" else line.function
            by_code[code] = by_code.get(code, 0) + line.amount
        first_money = t.money_indexes()[0]
        for i, row in enumerate(t.rows):
            assert row.kind != UNIT
            children = []
            for j in range(i + 1, len(t.rows)):
                if not levels[j] or levels[j] <= row.level:
                    break
                if levels[j] == row.level + 1:
                    children.append(j)
            if row.kind == TOTAL:
                children = [j for j, lv in enumerate(levels) if lv == 1]
            for col in t.money_indexes():
                if children:
                    assert row.cells[col] == sum(t.rows[j].cells[col] for j in children), (key, i, col)  # type: ignore[misc]
            if row.level and row.level == deepest:
                assert row.cells[first_money] == by_code[leaf_code(t, i)], (key, i)
        assert cell(t, "", *t.columns[first_money].path) == total(budget.lines, keep), key


@pytest.mark.parametrize("profile", PROFILES)
@PROPERTY
@given(budget=budgets())
def test_totals_leave_nothing_out_and_agree_across_tables(profile: str, budget: Budget) -> None:
    t = tables_of(budget, profile)
    spent = total(budget.lines)
    fiscal = total(budget.lines, lambda ln: ln.source in contract.FISCAL)
    right = ("本年支出", "预算数", "合计") if profile == "shanghai-unit" else ("本年支出", "预算数")
    assert cell(t["sh01"], "收入总计", "本年收入", "预算数") == sum(i.amount for i in budget.incomes) == spent
    assert cell(t["sh01"], "支出总计", *right) == cell(t["sh03"], "", "支出预算", "合计") == spent
    assert cell(t["sh02"], "", "收入预算", "财政拨款收入") == cell(t["sh04"], "支出总计", "财政拨款支出", "合计") == fiscal
    assert cell(t["sh04"], "支出总计", "财政拨款支出", "一般公共预算") == cell(t["sh05"], "", "一般公共预算支出", "合计")
    assert cell(t["sh05"], "", "一般公共预算支出", "基本支出") == cell(t["sh08"], "", "一般公共预算基本支出", "合计")
    def public(line: Line) -> bool:
        return line.source in GENERAL and line.is_basic and line.econ_class not in PERSONNEL

    assert cell(t["sh08"], "", "一般公共预算基本支出", "公用经费") == total(budget.lines, public)
    counting = {u.code for u in budget.units if u.type in ("行政单位", "参照公务员法管理事业单位")}
    assert cell(t["sh09"], "", "机关运行经费预算数") == total(
        budget.lines, lambda ln: public(ln) and ln.unit in counting)
    if profile == "shanghai-unit":  # 人员经费 + 公用经费 + 项目支出 = 合计 on every 类 row
        parts = [("本年支出", "预算数", "基本支出", "人员经费"), ("本年支出", "预算数", "基本支出", "公用经费"),
                 ("本年支出", "预算数", "项目支出")]
        for row in t["sh01"].rows:
            label = row.cells[2]
            if isinstance(label, str) and label:
                assert sum(cell(t["sh01"], label, *p) for p in parts) == cell(t["sh01"], label, *right)


