"""The menu of added tables, usable from any profile (tests/data/made-up-menu.toml extends henan-2022
with all of them): 项目支出 with 科目编码, 支出经济分类 by 部门 and 政府预算经济分类, an 经济分类 table
with 类 subtotals, 三公 with 会议费 and 培训费, 机关运行经费. Figures are the published Luoyang ones."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import openpyxl
from click.testing import CliRunner
from hypothesis import given, settings

from tests.conftest import EXAMPLE_INPUT
from tests.strategies import budgets
from xlbudget import contract
from xlbudget.checks import run_checks
from xlbudget.cli import main
from xlbudget.derive import derive_tables
from xlbudget.model import Budget, Line
from xlbudget.profile import load_profile
from xlbudget.tables.base import DETAIL, GROUP, MONEY, TOTAL, UNIT, Table

MENU = Path(__file__).resolve().parent / "data" / "made-up-menu.toml"
GENERAL = ("一般公共预算", "一般公共预算结转")


def values(sheet: openpyxl.worksheet.worksheet.Worksheet, label: str) -> list[object]:
    """The cells of the first row holding ``label`` and an amount, from the label on."""
    for row in sheet.iter_rows(values_only=True):
        if label in row and any(isinstance(v, (int, float)) for v in row):
            return list(row[row.index(label):])
    raise AssertionError(f"{sheet.title} has no row {label}")


def test_the_menu_format_compiles_from_its_file_alone(tmp_path: Path) -> None:
    out = tmp_path / "公开表.xlsx"
    result = CliRunner().invoke(main, ["compile", str(EXAMPLE_INPUT), "-o", str(out), "--profile", str(MENU),
                                       "--narrative", "md"])
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(out)
    # added after the tables they name (after = …), or at the end
    assert book.sheetnames[8:11] + book.sheetnames[15:18] == [
        "支出经济分类预算表（部门预算）", "一般公共预算“三公”经费预算表", "一般公共预算“三公”经费、会议费、培训费预算表",
        "支出经济分类预算表（政府预算）", "一般公共预算支出经济分类情况表", "机关运行经费预算表"]
    # published: 支出经济分类汇总表 总计 3,846.29; 基本支出 328.30 (公用经费 34.40); 项目支出 3,517.99;
    # 三公 6.00 (运行费 4.00, 接待费 2.00); the 会议费 and 培训费 projects 5.00 each
    assert values(book["支出经济分类预算表（部门预算）"], "合计")[-3:] == [3846.29, 328.3, 3517.99]
    assert values(book["支出经济分类预算表（政府预算）"], "合计")[-3:] == [3846.29, 328.3, 3517.99]
    assert values(book["一般公共预算支出经济分类情况表"], "合计")[-3:] == [3846.29, 328.3, 3517.99]
    three = book["一般公共预算“三公”经费、会议费、培训费预算表"]
    assert [c.value for c in three[6]] == [6, None, 4, None, 4, 2, 5, 5]
    assert values(book["机关运行经费预算表"], "合计")[-1] == 34.4
    projects = book["项目支出预算表"]
    assert values(projects, "合计")[5] == 3517.99
    assert values(projects, "培训费")[:5] == ["培训费", "2050803", "培训支出", "30216", "培训费"]
    fiscal = book["财政拨款收支预算表"]
    assert values(fiscal, "本年收入")[:4] == ["本年收入", 3846.29, "一、本年支出", 3846.29]
    assert values(fiscal, "1. 一般公共预算拨款")[2:3] == ["一. 一般公共服务"]


def test_an_institution_has_no_operating_costs_table_rows(luoyang) -> None:  # noqa: ANN001 - Outcome
    """A 事业单位 is outside the 机关运行经费 scope: the table says so instead of listing its 公用经费."""
    assert luoyang.budget
    budget = replace(luoyang.budget, units=tuple(replace(u, type="事业单位") for u in luoyang.budget.units))
    table = next(t for t in derive_tables(budget, load_profile(str(MENU))) if t.key == "m05")
    assert [(r.kind, r.cells) for r in table.rows] == [(TOTAL, (None, "合计", 0)), (DETAIL, (None, "本单位无机关运行经费", None))]


# -- totals equal their parts, computed here from the lines -------------------------------------
MENU_PROFILE = load_profile(str(MENU))


def scope(key: str, line: Line, budget: Budget) -> bool:
    """The lines each menu table covers (its 合计), as its profile entry says."""
    general = line.source in GENERAL
    operating = budget.unit_type(line.unit) in contract.OPERATING_COST_UNITS
    return {
        "m01": True, "m02": True, "m03": general, "t11": not line.is_basic,
        "m05": general and line.is_basic and line.econ_class not in ("301", "303") and operating,
    }[key]


def money(table: Table, row_index: int) -> list[int]:
    return [int(table.rows[row_index].cells[i] or 0) for i in table.money_indexes()]


def group_sums_hold(table: Table) -> None:
    """Each 类 subtotal row = Σ the detail rows below it up to the next 类, unit or 合计 row."""
    kinds = [r.kind for r in table.rows]
    for i, kind in enumerate(kinds):
        if kind != GROUP:
            continue
        parts = []
        for j in range(i + 1, len(kinds)):
            if kinds[j] in (GROUP, UNIT, TOTAL):
                break
            parts.append(money(table, j))
        assert money(table, i) == [sum(col) for col in zip(*parts, strict=True)], (table.name, i)


@settings(max_examples=40, deadline=None)
@given(budgets())
def test_menu_tables_add_up(budget: Budget) -> None:
    tables = {t.key: t for t in derive_tables(budget, MENU_PROFILE)}
    for key in ("m01", "m02", "m03", "m05", "t11"):
        table = tables[key]
        total_row = next(i for i, r in enumerate(table.rows) if r.kind == TOTAL)
        first = table.money_indexes()[0]
        assert table.rows[total_row].cells[first] == sum(
            ln.amount for ln in budget.lines if scope(key, ln, budget)), key
        if key in ("m03", "m05"):
            group_sums_hold(table)
    for key in ("m01", "m02"):  # outline: 类 row = Σ its 款 rows
        table = tables[key]
        by_class: dict[object, list[int]] = {}
        for i, row in enumerate(table.rows):
            if row.kind == DETAIL and row.level == 2:
                by_class.setdefault(row.cells[0], []).append(money(table, i)[0])
        for i, row in enumerate(table.rows):
            if row.kind == GROUP:
                assert money(table, i)[0] == sum(by_class.get(row.cells[0], [])), (key, row.cells)
    three = tables["m04"]
    row = next(r for r in three.rows if r.kind == TOTAL)
    cells = [int(row.cells[i] or 0) for i, c in enumerate(three.columns) if c.kind == MONEY]
    assert cells[0] == cells[1] + cells[2] + cells[5] and cells[2] == cells[3] + cells[4]
    meetings = sum(ln.amount for ln in budget.lines if ln.source in GENERAL and ln.econ == "30215")
    assert cells[6] == meetings
    assert [f.code for f in run_checks(budget, list(tables.values()), profile=MENU_PROFILE)
            if f.code in ("XB302", "XB304")] == []
