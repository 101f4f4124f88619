"""政府购买服务预算表 (menu table, builder "services"): the optional 政府购买服务 sheet read with
findings at the clerk's cells, the table in tests/data/made-up-menu.toml (财政拨款 only, as 北京's
财政拨款明细表), its totals, and a 部门 merged from unit workbooks in any order."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.strategies import amounts, budgets, texts
from tests.workbooks import PROJECT, UNIT, workbook
from xlbudget import contract
from xlbudget.checks import run_checks
from xlbudget.consolidate import merge_budgets
from xlbudget.derive import derive_tables
from xlbudget.findings import Finding, Location
from xlbudget.model import BASIC, Budget, Service, Unit
from xlbudget.profile import ProfileError, load_profile, parse_profile
from xlbudget.reader import read_budget
from xlbudget.tables.base import DETAIL, TOTAL, Table
from xlbudget.tables.base import UNIT as UNIT_ROW

MENU = Path(__file__).resolve().parent / "data" / "made-up-menu.toml"
MENU_PROFILE = load_profile(str(MENU))
INPUTS = MENU_PROFILE.input_contract  # its declared inputs: 政府购买服务, 整体绩效目标
WAN = 1_000_000  # 分 in 1 万元
HEAD = ["单位编码", "项目编码", "一级目录", "二级目录", "资金来源", "金额"]


def compiled(path: Path) -> tuple[Budget, dict[str, Table], list[Finding]]:
    budget, found = read_budget(path, version=INPUTS)
    tables = derive_tables(budget, MENU_PROFILE)
    return budget, {t.key: t for t in tables}, found + run_checks(budget, tables, found, MENU_PROFILE)


def on_sheet(found: list[Finding]) -> list[tuple[str, str]]:
    return sorted((f.code, str(f.where)) for f in found if f.where.sheet == "政府购买服务")


def test_findings_point_at_the_clerks_cells(tmp_path: Path) -> None:
    path = workbook(tmp_path, 政府购买服务=[
        HEAD,
        [UNIT, PROJECT, "公共服务", "公共安全服务", "一般公共预算", "8"],  # row 2: fine, alone
        ["009", "", "公共服务", "", "一般公共预算", "1"],  # unregistered unit
        ["", "999", "公共服务", "", "一般公共预算", "1"],  # unregistered project
        [UNIT, "", "公共服务", "", "财政资金", "1"],  # not a 资金来源
        [UNIT, "", "公共服务", "", "一般公共预算", "-1"],  # negative
        [UNIT, "", "公共服务", "", "一般公共预算", "一万"],  # not a number
        [UNIT, PROJECT, "政府履职辅助性服务", "", "一般公共预算", "3"],  # project: 8 + 3 > its 10
        ["", "", "公共服务", "", "一般公共预算", "1"],  # neither unit nor project
        [UNIT, "", "养老服务", "", "一般公共预算", "1"],  # not in the format's 一级目录
        [UNIT, "", "", "", "一般公共预算", "1"],  # no 一级目录
    ])
    _, _, found = compiled(path)
    assert on_sheet(found) == sorted([
        ("XB122", "政府购买服务!A3"), ("XB123", "政府购买服务!B4"), ("XB105", "政府购买服务!E5"),
        ("XB109", "政府购买服务!F6"), ("XB104", "政府购买服务!F7"), ("XB421", "政府购买服务!F2"),
        ("XB103", "政府购买服务!A9"), ("XB423", "政府购买服务!C10"), ("XB103", "政府购买服务!C11"),
    ])
    over = next(f for f in found if f.code == "XB421")
    assert (over.expected, over.actual, over.difference) == ("≤ 10.00 万元", "11.00 万元", "1.00 万元")


def test_a_purchase_of_another_units_project(tmp_path: Path) -> None:
    path = workbook(tmp_path, 单位=[["单位编码", "单位名称", "单位类型"], [UNIT, "测试单位", "行政单位"],
                                     ["001002", "测试中心", "事业单位"]],
                    政府购买服务=[HEAD, ["001002", PROJECT, "公共服务", "", "一般公共预算", "2"]])
    _, _, found = compiled(path)
    assert on_sheet(found) == [("XB422", "政府购买服务!A2")]


def test_the_table_prints_fiscal_purchases_by_project_and_directory(tmp_path: Path) -> None:
    path = workbook(tmp_path, 政府购买服务=[
        HEAD,
        [UNIT, PROJECT, "公共服务", "公共安全服务", "一般公共预算", "4"],
        ["", PROJECT, "公共服务", "公共安全服务", "政府性基金预算", "1.5"],  # unit from the project
        [UNIT, "", "政府履职辅助性服务", "机关后勤服务", "一般公共预算结转", "2"],
        [UNIT, PROJECT, "公共服务", "公共文化服务", "事业收入", "3"],  # not 财政拨款: not printed
    ])
    _, tables, found = compiled(path)
    assert on_sheet(found) == []
    table = tables["m06"]
    assert table.name == "政府购买服务预算财政拨款明细表"
    assert [(r.kind, r.cells) for r in table.rows] == [
        (TOTAL, ("合计", None, None, None, 7.5 * WAN, 6 * WAN, 1.5 * WAN, 0)),
        (UNIT_ROW, ("测试单位", None, None, None, 7.5 * WAN, 6 * WAN, 1.5 * WAN, 0)),
        (DETAIL, ("测试单位", "会议费", "公共服务", "公共安全服务", 5.5 * WAN, 4 * WAN, 1.5 * WAN, 0)),
        (DETAIL, ("测试单位", "基本支出", "政府履职辅助性服务", "机关后勤服务", 2 * WAN, 2 * WAN, 0, 0)),
    ]


def test_without_purchases_the_table_says_so(tmp_path: Path) -> None:
    _, tables, _ = compiled(workbook(tmp_path))
    assert [(r.kind, r.cells[:2]) for r in tables["m06"].rows] == [(TOTAL, ("合计", None)),
                                                                   (DETAIL, ("本单位无政府购买服务预算", None))]


# -- properties ----------------------------------------------------------------------------------
CATEGORIES = ("公共服务", "政府履职辅助性服务")


@st.composite
def with_services(draw: st.DrawFn) -> Budget:
    """A generated budget with purchases of its units and projects, in any 资金来源."""
    budget = draw(budgets(max_units=3, max_lines=12, max_projects=4))
    owners = [(u.code, BASIC) for u in budget.units] + [(p.unit, p.code) for p in budget.projects]
    services = draw(st.lists(st.builds(
        lambda owner, category, item, source, amount: Service(*owner, category, item, source, amount),
        st.sampled_from(owners), st.sampled_from(CATEGORIES), st.one_of(st.just(""), texts(max_size=6)),
        st.sampled_from(contract.SOURCES), amounts()), max_size=12))
    return replace(budget, services=tuple(services))


def money(row: tuple[object, ...]) -> list[int]:
    return [int(v) for v in row[4:]]  # type: ignore[call-overload]


@settings(max_examples=60, deadline=None)
@given(with_services())
def test_the_total_is_the_sum_of_the_fiscal_purchases_only(budget: Budget) -> None:
    table = next(t for t in derive_tables(budget, MENU_PROFILE) if t.key == "m06")
    fiscal = [s for s in budget.services if s.source in contract.FISCAL]
    total, *rest = table.rows
    assert money(total.cells)[0] == sum(s.amount for s in fiscal)
    details = [r for r in rest if r.kind == DETAIL and r.cells[4] is not None]  # not the 空表说明
    # every 合计 is the sum of its parts; no row comes from a purchase outside 财政拨款
    assert [sum(col) for col in zip(*(money(r.cells) for r in details), strict=True)] == (
        money(total.cells) if details else [])
    for row in details:
        assert money(row.cells)[0] == sum(money(row.cells)[1:])
    printed = {(r.cells[1], r.cells[2], r.cells[3] or "") for r in details}
    assert printed == {(budget.project(s.project).name if s.project else "基本支出",  # type: ignore[union-attr]
                        s.category, s.item) for s in fiscal}
    assert [f.code for f in run_checks(budget, [table], profile=MENU_PROFILE) if f.code in ("XB302", "XB304")] == []


@st.composite
def unit_workbooks(draw: st.DrawFn) -> list[Budget]:
    """2–4 one-unit workbooks of department 157, each with its own purchases."""
    numbers = draw(st.lists(st.integers(1, 9), min_size=2, max_size=4, unique=True))
    out = []
    for n in numbers:
        unit = Unit(f"157{n:03d}", f"单位{n}", "事业单位", Location("单位", 2, "A", f"单位{n}.xlsx"))
        services = draw(st.lists(st.builds(
            Service, st.just(unit.code), st.just(BASIC), st.sampled_from(CATEGORIES), texts(max_size=4),
            st.sampled_from(contract.FISCAL), amounts()), max_size=4))
        out.append(Budget(year=2022, dept_code="157", dept_name="某某局", amount_unit="万元", units=(unit,),
                          incomes=(), lines=(), projects=(), services=tuple(services)))
    return out


@settings(max_examples=40, deadline=None)
@given(unit_workbooks(), st.data())
def test_a_merged_department_prints_the_same_table_in_any_order(budgets: list[Budget], data: st.DataObject) -> None:
    def table(ordered: list[Budget]) -> Table:
        merged, _ = merge_budgets(ordered)
        return next(t for t in derive_tables(merged, MENU_PROFILE) if t.key == "m06")

    assert table(data.draw(st.permutations(budgets))) == table(budgets)
    assert money(table(budgets).rows[0].cells)[0] == sum(s.amount for b in budgets for s in b.services)


def test_a_format_without_the_table_says_the_sheet_is_not_read(tmp_path: Path) -> None:
    """henan-2022 does not print the table: the filled sheet is reported, never silently dropped."""
    path = workbook(tmp_path, 政府购买服务=[HEAD, [UNIT, PROJECT, "公共服务", "", "一般公共预算", 8]])
    budget, found = read_budget(path)
    assert budget.services == ()
    assert [(f.code, str(f.where)) for f in found] == [("XB153", "政府购买服务!A2")]  # XB153: a sheet the format does not read


@settings(max_examples=8, deadline=None)
@given(with_services())
def test_written_purchases_read_back_exactly(budget: Budget) -> None:
    """template --from and any budget written as a template keep the purchases, to the 分."""
    import tempfile

    from xlbudget.template import write_budget_workbook

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "填报.xlsx"
        write_budget_workbook(budget, path, version=INPUTS)
        again, _ = read_budget(path, version=INPUTS)
    assert again.services == budget.services


def test_a_filter_a_purchase_cannot_have_is_refused() -> None:
    """A purchase has no 科目: a table filtered by 经济分类 would silently print nothing."""
    text = MENU.read_text(encoding="utf-8").replace('sources = ["财政拨款"]\nbasic_label', 'econ = ["30227"]\nbasic_label')
    with pytest.raises(ProfileError, match="econ.*政府购买服务表只按"):
        parse_profile(text, str(MENU))
