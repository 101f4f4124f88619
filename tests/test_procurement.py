"""政府采购预算表 (issue 16 item 6): the optional 政府采购 sheet of procurement lines, read with
findings at the clerk's cells, merged over a 部门's unit workbooks, and printed by the
``procurement`` builder with 合计 and per-type rows."""

from __future__ import annotations

import itertools
import re
from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import EXAMPLE_INPUT, ROOT
from tests.strategies import budgets
from tests.workbooks import BASE, PROJECT, UNIT, UNITS, workbook
from xlbudget import contract, purchases
from xlbudget.checks import run_checks
from xlbudget.cli import main
from xlbudget.consolidate import merge_budgets
from xlbudget.derive import derive_tables
from xlbudget.display import display_tables
from xlbudget.model import Budget, Purchase
from xlbudget.narrative import build_narrative
from xlbudget.pipeline import Outcome, derive
from xlbudget.profile import Profile, ProfileError, parse_profile
from xlbudget.reader import read_budget
from xlbudget.tables.base import DETAIL, GROUP, TOTAL
from xlbudget.tables.base import UNIT as UNIT_ROW
from xlbudget.template import write_budget_workbook

# The template of a format that declares the input 政府采购明细.
WITH_PURCHASES = contract.CURRENT.with_inputs(("政府采购明细",))
HEAD = [c.header for c in purchases.SHEET.columns]
OTHER = "001002"  # a second unit, without money
AMOUNT_COLUMN = '{ path = ["采购金额"], field = "amount", role = "item" }'


def toml(amount_column: str = AMOUNT_COLUMN, settings: str = 'type_rows = true\ntype_label = "其中：{type}"') -> str:
    """A format with the 政府采购 table added to henan-2022's."""
    return f"""
extends = "henan-2022"
name = "procurement-test"
[[tables]]
key = "p01"
name = "政府采购预算表"
builder = "procurement"
{settings}
columns = [
  {{ path = ["单位编码"], kind = "code", field = "unit_code", width = 10 }},
  {{ path = ["采购项目"], kind = "text", field = "name", width = 24 }},
  {{ path = ["采购类型"], kind = "text", field = "type", width = 8 }},
  {amount_column},
  {{ path = ["面向中小企业预留"], field = "sme", role = "part" }},
  {{ path = ["其中：小微企业"], field = "small", role = "part" }},
]
"""


def profile(text: str = "") -> Profile:
    return parse_profile(text or toml(), "procurement-test.toml")


def read(path: Path) -> tuple[Budget, list[tuple[str, str]]]:
    """The budget and its whole report, (rule, cell), reading then checks."""
    budget, found = read_budget(path, version=WITH_PURCHASES)
    layout = profile()
    found += run_checks(budget, derive_tables(budget, layout), found, layout)
    return budget, [(f.code, str(f.where)) for f in found]


def line(unit: str = UNIT, project: str = "", name: str = "台式计算机", kind: str = "货物",
         amount: str = "2.5", sme: str = "", small: str = "") -> list[str]:
    return [unit, project, name, "", kind, "一般公共预算", amount, sme, small]


# -- reading -----------------------------------------------------------------------------------
def test_each_reading_problem_is_reported_at_its_cell(tmp_path: Path) -> None:
    path = workbook(tmp_path, 单位=[UNITS, [UNIT, "测试单位", "行政单位"], [OTHER, "测试中心", "事业单位"]],
                    政府采购=[HEAD[:9],
                              line(project=PROJECT, name="会议服务", kind="服务", amount="8", sme="5", small="3"),
                              line(kind="设备"),  # row 3: not a 采购类型
                              line(amount="1", sme="2"),  # row 4: 中小企业 > 金额
                              line(amount="1", sme="1", small="1.5"),  # row 5: 小微 > 中小企业
                              line(amount="-1"),  # row 6: negative
                              line(amount="1.0000001"),  # row 7: finer than 分 in 万元
                              line(unit="009"),  # row 8: unregistered unit
                              line(project="999"),  # row 9: unregistered project
                              line(unit=OTHER, project=PROJECT, amount="1"),  # row 10: the project is another unit's
                              line(name="", sme="1.0")])  # row 11: no name
    budget, report = read(path)
    assert report == [("XB105", "政府采购!E3"), ("XB160", "政府采购!H4"), ("XB160", "政府采购!I5"),
                      ("XB109", "政府采购!G6"), ("XB110", "政府采购!G7"), ("XB103", "政府采购!C11"),
                      ("XB122", "政府采购!A8"), ("XB123", "政府采购!B9"), ("XB161", "政府采购!A10")]
    # the lines of rows 4, 5 (reported, printed as typed), 8, 9 and 10 are kept; rows 3, 6, 7 and 11 cannot be
    assert [p.where.row for p in budget.purchases or ()] == [2, 4, 5, 8, 9, 10]


def test_a_project_buys_no_more_than_it_spends_nor_a_unit_in_its_basic_spending(tmp_path: Path) -> None:
    """The project spends 10 万元 and the unit 100 万元 in 基本支出 (BASE)."""
    path = workbook(tmp_path, 政府采购=[HEAD[:9], line(project=PROJECT, amount="6"), line(amount="60"),
                                       line(project=PROJECT, amount="4.01"), line(amount="40")])
    budget, report = read(path)
    assert report == [("XB163", "政府采购!G2")]
    found = next(f for f in run_checks(budget) if f.code == "XB163")
    assert (found.message, found.expected) == (
        f"项目“{PROJECT} 会议费”的政府采购共 10.01 万元（2 行），超过其支出 10.00 万元", "不超过 10.00 万元")


def test_amounts_are_exact_in_the_workbooks_unit(tmp_path: Path) -> None:
    """元 or 万元, to the 分, never through a float: 0.1 + 0.2 万元 is 3,000 元 exactly."""
    path = workbook(tmp_path, 基本信息=[*BASE["基本信息"][:-1], ["金额单位", "元"]],
                    收入=[BASE["收入"][0], [UNIT, "一般公共预算", "1100000"]],
                    基本支出=[BASE["基本支出"][0], [UNIT, "2010301", "30101", "一般公共预算", "1000000"]],
                    项目支出=[BASE["项目支出"][0], [PROJECT, "2010302", "30215", "一般公共预算", "100000"]],
                    政府采购=[HEAD[:9], line(amount="1234.56", sme="1000.01", small="0.01")])
    budget = read_budget(path, version=WITH_PURCHASES)[0]
    assert [(p.amount, p.sme, p.small) for p in budget.purchases or ()] == [(123456, 100001, 1)]
    in_wan = workbook(tmp_path, "万元.xlsx", 政府采购=[HEAD[:9], line(amount=0.1 + 0.2, sme="0.000001")])  # type: ignore[arg-type]
    assert [(p.amount, p.sme) for p in read_budget(in_wan, version=WITH_PURCHASES)[0].purchases or ()] == [(300000, 1)]


def test_a_workbook_without_the_sheet_has_no_lines_and_an_empty_sheet_has_none(tmp_path: Path) -> None:
    assert read_budget(workbook(tmp_path, "a.xlsx"), version=WITH_PURCHASES)[0].purchases is None
    empty = workbook(tmp_path, "b.xlsx", 政府采购=[HEAD])
    assert read_budget(empty, version=WITH_PURCHASES)[0].purchases == ()


def test_the_template_writes_the_sheet_and_reads_back_what_it_wrote(tmp_path: Path) -> None:
    budget = read_budget(workbook(tmp_path, 政府采购=[HEAD[:9], line(project=PROJECT, kind="服务", sme="2.5", small="1"),
                                                       line(amount="0.000001")]), version=WITH_PURCHASES)[0]
    for unit in ("元", "万元"):
        out = tmp_path / f"模板{unit}.xlsx"
        write_budget_workbook(budget, out, unit, version=WITH_PURCHASES)
        again, found = read_budget(out, version=WITH_PURCHASES)
        assert (again.purchases, [f.code for f in found]) == (budget.purchases, [])
    book = openpyxl.load_workbook(out)
    rules = {str(v.sqref).split(":")[0]: v.formula1 for v in book["政府采购"].data_validations.dataValidation}
    assert (rules["A2"], rules["B2"], rules["E2"], rules["F2"]) == ("L_unit", "L_project", "L_procurementtype", "L_source")
    guide = [row[0] for row in book["填报说明"].iter_rows(values_only=True)]
    assert "【政府采购】（选填）政府采购预算明细：每个采购项目一行（货物、工程或服务），含面向中小企业、小微企业预留的金额" in guide
    assert "采购类型：货物、工程、服务" in guide


# -- the table ------------------------------------------------------------------------------------
def test_the_table_lists_lines_by_unit_basic_first_then_by_project(tmp_path: Path) -> None:
    path = workbook(tmp_path, 政府采购=[HEAD[:9], line(project=PROJECT, name="会议服务", kind="服务", amount="8", sme="5", small="3"),
                                       line(sme="2.5"), line(name="维修", kind="工程", amount="1", sme="1", small="0.5")])
    budget = read_budget(path, version=WITH_PURCHASES)[0]
    table = derive_tables(budget, profile())[-1]  # amounts in 分: 11.5 万元 = 11,500,000 分
    assert [(r.kind, r.cells) for r in table.rows] == [
        (TOTAL, (None, "合计", None, 11_500_000, 8_500_000, 3_500_000)),
        (GROUP, (None, "其中：货物", None, 2_500_000, 2_500_000, 0)),
        (GROUP, (None, "其中：工程", None, 1_000_000, 1_000_000, 500_000)),
        (GROUP, (None, "其中：服务", None, 8_000_000, 5_000_000, 3_000_000)),
        (UNIT_ROW, (UNIT, "测试单位", None, 11_500_000, 8_500_000, 3_500_000)),
        (DETAIL, (UNIT, "台式计算机", "货物", 2_500_000, 2_500_000, 0)),
        (DETAIL, (UNIT, "维修", "工程", 1_000_000, 1_000_000, 500_000)),
        (DETAIL, (UNIT, "会议服务", "服务", 8_000_000, 5_000_000, 3_000_000)),
    ]
    assert (table.title, table.name) == ("2022年政府采购预算表", "政府采购预算表")


def test_a_table_without_lines_prints_its_empty_note(tmp_path: Path) -> None:
    layout = profile(toml(settings='empty_note = "本{subject}无政府采购预算"'))
    budget = read_budget(workbook(tmp_path, 政府采购=[HEAD]), version=WITH_PURCHASES)[0]
    table = derive_tables(budget, layout)[-1]
    assert [(r.kind, r.cells) for r in table.rows] == [
        (TOTAL, (None, "合计", None, 0, 0, 0)), (DETAIL, (None, "本单位无政府采购预算", None, None, None, None))]


@pytest.mark.parametrize(("amount_column", "settings", "key"), [
    ('{ path = ["采购金额"], role = "item" }', "", "columns[3].field"),
    ('{ path = ["采购金额"], field = "cost", role = "item" }', "", "columns[3].field"),
    ('{ path = ["采购金额"], field = "amount", role = "item", econ = ["30201"] }', "", "columns[3].econ"),
    (AMOUNT_COLUMN, 'project_type = ["特定目标类"]', "project_type"),
    (AMOUNT_COLUMN, 'label_field = "label"', "label_field"),
    (AMOUNT_COLUMN, 'type_label = "{kind}"', "type_label"),
])
def test_a_setting_the_builder_cannot_honour_is_refused_naming_its_key(amount_column: str, settings: str,
                                                                       key: str) -> None:
    with pytest.raises(ProfileError, match=r"tables\[\d+\]（p01）\." + re.escape(key) + "："):
        profile(toml(amount_column, settings))


# -- properties -------------------------------------------------------------------------------------
@st.composite
def with_purchases(draw: st.DrawFn, max_lines: int = 12) -> Budget:
    """A generated budget with procurement lines on its units and projects, 小微 ≤ 中小企业 ≤ 金额."""
    budget = draw(budgets(max_units=3, max_lines=8))
    owners = [(u.code, "") for u in budget.units] + [(p.unit, p.code) for p in budget.projects]
    lines = []
    for index in range(draw(st.integers(0, max_lines))):
        unit, project = draw(st.sampled_from(owners))
        amount = draw(st.integers(0, 10**10))
        sme = draw(st.integers(0, amount))
        small = draw(st.integers(0, sme))
        lines.append(Purchase(unit, project, f"采购{index}", "", draw(st.sampled_from(contract.PROCUREMENT_TYPES)),
                              draw(st.sampled_from(contract.SOURCES)), amount, sme, small))
    return replace(budget, purchases=tuple(lines))


MONEY = ("amount", "sme", "small")


def _money(row: tuple[object, ...]) -> tuple[object, ...]:
    return row[3:]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(with_purchases())
def test_the_total_is_the_sum_of_the_lines_and_of_the_types(budget: Budget) -> None:
    table = derive_tables(budget, profile())[-1]
    rows = table.rows
    lines = [r for r in rows if r.kind == DETAIL]
    total = rows[0]
    assert _money(total.cells) == tuple(sum(r.cells[i] for r in lines) for i in (3, 4, 5))  # type: ignore[misc]
    assert _money(total.cells) == tuple(sum(r.cells[i] for r in rows[1:4]) for i in (3, 4, 5))  # type: ignore[misc]
    figures = purchases.figures(budget)
    assert total.cells[3:] == (figures["合计"], figures["政府采购预留中小企业"], figures["政府采购预留小微企业"])
    assert [r.cells[3] for r in rows[1:4]] == [figures[k] for k in purchases.TYPE_KEYS.values()]
    assert all(r.cells[5] <= r.cells[4] <= r.cells[3] for r in rows if r.kind != "note")  # type: ignore[operator]
    assert len(lines) == len(budget.purchases or ())
    # every row total the builder declares holds
    for s in table.sums or ():
        for col in s.columns:
            assert rows[s.total].cells[col] == sum(rows[p].cells[col] for p in s.parts)  # type: ignore[misc]


ALONE = """
name = "procurement-alone"
description = "只有政府采购表"
amount_unit = "万元"
decimals = 2
title = "{year}年{name}"
total_label = "合计"
[wording]
unit = { subject = "单位", org_label = "单位名称" }
department = { subject = "部门", org_label = "部门名称" }
""" + toml().split('name = "procurement-test"', 1)[1]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(with_purchases())
def test_balanced_rounding_keeps_every_sum_and_every_figure_within_a_step(budget: Budget) -> None:
    """舍位平衡: the lines are rounded so that 合计, each unit and each 采购类型 shown is the sum of its
    shown lines; every line and every unit is less than 0.01 万元 from exact, and so is 合计 when the
    budget has one unit (采购类型 rows, and the 合计 of several units, may end a step off: XB305);
    小微 ≤ 中小企业 ≤ 金额 on every row as shown."""
    layout = profile(ALONE)
    tables = derive_tables(budget, layout)
    shown = display_tables(budget, layout, tables, "balanced")
    rows = shown.shown[0].rows
    loose = {GROUP, TOTAL} if len({p.unit for p in budget.purchases or ()}) > 1 else {GROUP}
    assert [(r, c) for _, r, c in shown.far_cells() if rows[r].kind not in loose] == []
    for s in shown.shown[0].sums or ():
        for col in s.columns:
            assert rows[s.total].cells[col] == sum(rows[p].cells[col] for p in s.parts)  # type: ignore[misc]
    assert all(r.cells[5] <= r.cells[4] <= r.cells[3] for r in rows if r.cells[3] is not None)  # type: ignore[operator]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(with_purchases(), st.randoms(use_true_random=False))
def test_a_department_merges_the_same_whatever_the_order_of_its_workbooks(budget: Budget, rng: object) -> None:
    """One workbook per unit (its units, projects and lines), merged in every order: the same lines,
    the same table."""
    parts = [replace(budget, units=(u,), projects=tuple(p for p in budget.projects if p.unit == u.code),
                     lines=tuple(x for x in budget.lines if x.unit == u.code),
                     incomes=tuple(i for i in budget.incomes if i.unit == u.code),
                     purchases=tuple(p for p in budget.purchases or () if p.unit == u.code))
             for u in budget.units]
    results = set()
    for order in itertools.islice(itertools.permutations(parts), 6):
        merged = merge_budgets(list(order))[0]
        results.add((merged.purchases, derive_tables(merged, profile())[-1].rows))
    assert len(results) == 1
    merged_lines = next(iter(results))[0]
    assert sorted(merged_lines or (), key=repr) == sorted(budget.purchases or (), key=repr)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.integers(0, 999), st.integers(0, 999), st.integers(0, 999))
def test_reservations_beyond_what_they_are_part_of_are_reported(tmp_path: Path, amount: int, sme: int, small: int) -> None:
    """小微 ≤ 中小企业 ≤ 金额, each breach reported at the cell that breaks it."""
    path = workbook(tmp_path, 政府采购=[HEAD[:9], line(amount=f"{amount / 100:.2f}", sme=f"{sme / 100:.2f}",
                                                    small=f"{small / 100:.2f}")])
    found = [(f.code, str(f.where)) for f in read_budget(path, version=WITH_PURCHASES)[1]]
    assert found == [("XB160", "政府采购!H2")] * (sme > amount) + [("XB160", "政府采购!I2")] * (small > sme)


def test_a_format_that_does_not_read_the_sheet_says_its_numbers_are_not_read(tmp_path: Path) -> None:
    path = workbook(tmp_path, 政府采购=[HEAD[:9], line(amount=2.5)])  # type: ignore[arg-type]
    assert [(f.code, str(f.where)) for f in read_budget(path)[1]] == [("XB153", "政府采购!A2")]


# -- the 预算说明 reads the lines' sums -----------------------------------------------------------------
# Luoyang 2022 publishes 政府采购预算 3,050 万元, all 服务 (货物 0, 工程 0). How it splits over projects
# and what is reserved for 中小企业 is not published: these lines are made up to sum to 3,050 万元.
WAN = 1_000_000  # 分 per 万元
LUOYANG_LINES = (
    Purchase("157001", "41030022000000041214", "12345热线服务", "", "服务", "一般公共预算", 1400 * WAN, 1400 * WAN, 700 * WAN),
    Purchase("157001", "41030022000000041213", "云资源服务", "", "服务", "一般公共预算", 1050 * WAN, 0, 0),
    Purchase("157001", "41030022000000046767", "等级保护测评", "", "服务", "一般公共预算", 350 * WAN, 350 * WAN, 350 * WAN),
    Purchase("157001", "41030022000000044802", "能力优化提升", "", "服务", "一般公共预算", 250 * WAN, 0, 0),
)


def narrative_of(budget: Budget, layout: Profile) -> tuple[str, list[tuple[str, str]]]:
    tables = derive_tables(budget, layout)
    narrative = build_narrative(budget, tables, layout)
    assert narrative is not None
    return narrative.markdown, [(f.code, str(f.where)) for f in run_checks(budget, tables, (), layout)]


def test_the_narrative_states_the_lines_sums_and_the_shares_reserved(luoyang: Outcome) -> None:
    assert luoyang.budget is not None
    budget = replace(luoyang.budget, purchases=LUOYANG_LINES)
    text, report = narrative_of(budget, profile())
    # 1,750 / 3,050 = 57.377…%; 1,050 / 1,750 = 60%
    assert ("洛阳市政务服务和大数据管理局 2022 年政府采购预算安排 3050.00 万元，其中：政府采购货物预算 0.00 万元，"
            "政府采购工程预算 0.00 万元，政府采购服务预算 3050.00 万元。面向中小企业预留 1750.00 万元，占政府采购预算的 "
            "57.38%，其中预留给小微企业 1050.00 万元，占面向中小企业预留的 60.00%。") in text
    assert [r for r in report if r[0].startswith("XB16")] == []  # the typed 3,050 agrees
    table = derive_tables(budget, profile())[-1]
    assert table.rows[0].cells[3:] == (3050 * WAN, 1750 * WAN, 1050 * WAN)


def test_typed_totals_that_disagree_with_the_lines_are_reported_at_their_cell(luoyang: Outcome) -> None:
    assert luoyang.budget is not None
    lines = (*LUOYANG_LINES[:3], replace(LUOYANG_LINES[3], type="货物"))  # 250 万元 of 货物, typed 0
    text, report = narrative_of(replace(luoyang.budget, purchases=lines), profile())
    assert "政府采购货物预算 250.00 万元，政府采购工程预算 0.00 万元，政府采购服务预算 2800.00 万元。" in text
    assert [r for r in report if r[0].startswith("XB16")] == [("XB162", "说明事项!B11"), ("XB162", "说明事项!B13")]
    found = next(f for f in run_checks(replace(luoyang.budget, purchases=lines)) if f.code == "XB162")
    assert (found.message, found.expected, found.actual) == (
        "说明事项“政府采购货物”为 0.00 万元，“政府采购”表各行之和为 250.00 万元，少 250.00 万元；预算说明采用各行之和",
        "250.00 万元", "0.00 万元")


def test_without_the_sheet_the_narrative_states_the_typed_totals_as_before(luoyang: Outcome) -> None:
    assert luoyang.budget is not None and luoyang.budget.purchases is None
    text, _ = narrative_of(luoyang.budget, profile())
    assert "政府采购服务预算 3050.00 万元。\n" in text and "中小企业" not in text


def test_the_shanghai_narrative_adds_the_shares_only_when_the_lines_give_them() -> None:
    """区府办 2025 publishes 34.00 万元 of 服务, all reserved for 中小企业 and of it all for 小微企业: one
    line of 340,000 元 (made up as one line) gives the same sentence with its shares (100%)."""
    outcome = derive([ROOT / "examples" / "shanghai-2025-qufuban" / "input.xlsx"])
    assert outcome.budget is not None and outcome.layout is not None
    text, _ = narrative_of(outcome.budget, outcome.layout)
    published = "2025年本单位面向中小企业预留政府采购项目预算金额34.00万元，其中，预留给小型和微型企业的政府采购项目预算为34.00万元。"
    assert published in text
    line = Purchase("301001", "", "物业管理服务", "", "服务", "一般公共预算", 34_000_000, 34_000_000, 34_000_000)
    text, report = narrative_of(replace(outcome.budget, purchases=(line,)), outcome.layout)
    assert ("2025年本单位面向中小企业预留政府采购项目预算金额34.00万元，占政府采购项目预算总额的100.00%，其中，预留给小型和"
            "微型企业的政府采购项目预算为34.00万元，占面向中小企业预留金额的100.00%。") in text
    assert "2025年度本单位政府采购预算34.00万元，其中：政府采购货物预算0万元、政府采购工程预算0万元、政府采购服务预算34.00万元。" in text
    assert [r for r in report if r[0] in ("XB162", "XB504")] == []


# -- a format using the table, compiled as a clerk does -------------------------------------------------
MENU = ROOT / "tests" / "data" / "made-up-menu.toml"


def luoyang_with_lines(folder: Path) -> Path:
    """The Luoyang example with the made-up 政府采购 lines typed into a 政府采购 sheet (万元)."""
    book = openpyxl.load_workbook(EXAMPLE_INPUT)
    sheet = book.create_sheet(purchases.NAME)
    sheet.append(HEAD)
    for p in LUOYANG_LINES:
        sheet.append([p.unit, p.project, p.name, p.item, p.type, p.source, p.amount // WAN,
                      p.sme // WAN or None, p.small // WAN or None])
    book.save(folder / "洛阳.xlsx")
    return folder / "洛阳.xlsx"


def test_the_menu_format_prints_the_table_and_states_its_sums(tmp_path: Path) -> None:
    out = tmp_path / "公开表.xlsx"
    result = CliRunner().invoke(main, ["compile", str(luoyang_with_lines(tmp_path)), "-o", str(out),
                                       "--profile", str(MENU), "--narrative", "md"])
    assert result.exit_code == 0, result.output
    sheet = openpyxl.load_workbook(out)["政府采购预算明细表"]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=5)]  # a zero prints as a blank cell
    assert rows == [
        ["合计", None, None, None, 3050, None, None, 3050, 1750, 1050],
        ["其中：货物", None, None, None, None, None, None, None, None, None],
        ["其中：工程", None, None, None, None, None, None, None, None, None],
        ["其中：服务", None, None, None, 3050, None, None, 3050, 1750, 1050],
        ["洛阳市政务服务和大数据管理局", None, None, None, 3050, None, None, 3050, 1750, 1050],
        # by project in the 项目 sheet's order
        ["洛阳市政务服务能力优化提升项目", "能力优化提升", None, "一般公共预算", 250, None, None, 250, None, None],
        ["12345政务服务便民热线购买服务经费", "12345热线服务", None, "一般公共预算", 1400, None, None, 1400, 1400, 700],
        ["智慧洛阳云资源购买服务项目", "云资源服务", None, "一般公共预算", 1050, None, None, 1050, None, None],
        ["全市政务系统等级保护测评费", "等级保护测评", None, "一般公共预算", 350, None, None, 350, 350, 350],
    ]
    text = (tmp_path / "公开表_预算说明.md").read_text(encoding="utf-8")
    assert "政府采购服务预算 3050.00 万元。面向中小企业预留 1750.00 万元，占政府采购预算的 57.38%" in text


def test_the_menu_formats_template_has_the_sheet_with_its_guide(tmp_path: Path) -> None:
    out = tmp_path / "模板.xlsx"
    result = CliRunner().invoke(main, ["template", "--profile", str(MENU), "-o", str(out)])
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(out)
    assert [c.value for c in book["政府采购"][1]] == HEAD
    guide = "\n".join(str(row[0]) for row in book["填报说明"].iter_rows(values_only=True))
    assert "政府采购明细" in guide and "【政府采购】（选填）" in guide
