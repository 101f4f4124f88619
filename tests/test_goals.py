"""部门（单位）整体支出绩效目标表 (menu table, builder "goals"): the optional 整体绩效目标, 年度主要任务
and 整体绩效指标 sheets read with findings at the clerk's cells, the table in
tests/data/made-up-menu.toml (laid out as 北京's form: tasks with 金额合计, 年度总体目标, indicators,
sections sharing columns), its sums, and a 部门 merged from unit workbooks in any order."""

from __future__ import annotations

import tempfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.strategies import amounts, texts
from tests.test_format_stamp import fill, xlbudget
from tests.test_services import HEAD as SERVICE_HEAD
from tests.workbooks import PROJECT, UNIT, UNITS, workbook
from xlbudget import contract
from xlbudget.checks import run_checks
from xlbudget.consolidate import merge_budgets
from xlbudget.derive import derive_tables
from xlbudget.findings import Finding, Location
from xlbudget.model import Budget, Goal, Indicator, Task, Unit
from xlbudget.profile import ProfileError, load_profile, parse_profile
from xlbudget.reader import read_budget
from xlbudget.tables.base import DETAIL, GROUP, TOTAL, Table
from xlbudget.tables.base import UNIT as UNIT_ROW
from xlbudget.template import write_budget_workbook

MENU = Path(__file__).resolve().parent / "data" / "made-up-menu.toml"
MENU_PROFILE = load_profile(str(MENU))
INPUTS = MENU_PROFILE.input_contract  # its declared inputs: 政府购买服务, 整体绩效目标
WAN = 1_000_000  # 分 in 1 万元
GOAL_HEAD = ["单位编码", "年度总体目标"]
TASK_HEAD = ["单位编码", "任务名称", "主要内容", "资金来源", "金额"]
INDICATOR_HEAD = ["单位编码", "一级指标", "二级指标", "三级指标", "指标值"]
SHEETS = {"整体绩效目标", "年度主要任务", "整体绩效指标"}


def compiled(path: Path) -> tuple[Budget, dict[str, Table], list[Finding]]:
    budget, found = read_budget(path, version=INPUTS)
    tables = derive_tables(budget, MENU_PROFILE)
    return budget, {t.key: t for t in tables}, found + run_checks(budget, tables, found, MENU_PROFILE)


def on_sheets(found: list[Finding]) -> list[tuple[str, str]]:
    return sorted((f.code, str(f.where)) for f in found if f.where.sheet in SHEETS)


def test_findings_point_at_the_clerks_cells(tmp_path: Path) -> None:
    path = workbook(
        tmp_path,
        整体绩效目标=[GOAL_HEAD, ["", "保障会议服务。"], ["001", "再写一遍。"]],  # 001 is the 部门编码: the same subject
        年度主要任务=[TASK_HEAD,
                  ["", "会议保障", "举办会议", "一般公共预算", 8],
                  ["009", "未登记单位的任务", "", "一般公共预算", 1],  # unregistered, and no goal of its own
                  ["", "没有资金来源", "", "", 2],
                  ["", "负数", "", "一般公共预算", -1],
                  ["", "非资金来源", "", "财政资金", 1],
                  ["", "非数字", "", "一般公共预算", "一万"]],
        整体绩效指标=[INDICATOR_HEAD,
                  ["", "产出指标", "数量指标", "会议次数", "≥10次"],
                  ["", "效率指标", "", "办结率", "100%"],  # not a 一级指标
                  ["", "效益指标", "", "", "良好"],  # no 三级指标
                  [UNIT, "产出指标", "", "培训人次", "≥50人次"]])  # the unit's: it has no goal
    _, _, found = compiled(path)
    assert on_sheets(found) == sorted([
        ("XB425", "整体绩效目标!B3"), ("XB122", "年度主要任务!A3"), ("XB424", "年度主要任务!A3"),
        ("XB103", "年度主要任务!D4"), ("XB109", "年度主要任务!E5"), ("XB105", "年度主要任务!D6"),
        ("XB104", "年度主要任务!E7"), ("XB105", "整体绩效指标!B3"), ("XB103", "整体绩效指标!D4"),
        ("XB424", "整体绩效指标!A5"),
    ])


def test_a_units_table_is_the_published_form(tmp_path: Path) -> None:
    path = workbook(
        tmp_path,
        整体绩效目标=[GOAL_HEAD, ["", "保障机关运转，办好全年会议。"]],
        年度主要任务=[TASK_HEAD, ["", "会议保障", "举办全年工作会议", "一般公共预算", 8],
                  ["", "会议保障", "", "事业收入", 1.5], ["", "日常运转", "保障机关运转", "", None]],
        整体绩效指标=[INDICATOR_HEAD, ["", "产出指标", "数量指标", "会议次数", "≥10次"],
                  ["", "满意度指标", "服务对象满意度指标", "参会人员满意度", "≥95%"]])
    _, tables, found = compiled(path)
    assert on_sheets(found) == []
    table = tables["m07"]
    assert table.name == "单位整体支出绩效目标表"
    assert [(r.kind, r.cells) for r in table.rows] == [
        (GROUP, ("年度主要任务", "任务名称", "主要内容", None, None, None, None, None)),
        (DETAIL, ("年度主要任务", "会议保障", "举办全年工作会议", None, None, 9.5 * WAN, 8 * WAN, 1.5 * WAN)),
        (DETAIL, ("年度主要任务", "日常运转", "保障机关运转", None, None, 0, 0, 0)),
        (TOTAL, ("金额合计", None, None, None, None, 9.5 * WAN, 8 * WAN, 1.5 * WAN)),
        (DETAIL, ("年度总体目标", None, "保障机关运转，办好全年会议。", None, None, None, None, None)),
        (GROUP, ("年度绩效指标", "一级指标", "二级指标", "三级指标", "指标值", None, None, None)),
        (DETAIL, ("年度绩效指标", "产出指标", "数量指标", "会议次数", "≥10次", None, None, None)),
        (DETAIL, ("年度绩效指标", "满意度指标", "服务对象满意度指标", "参会人员满意度", "≥95%", None, None, None)),
    ]
    assert table.merge_down == (0,)  # 项目 merged down over each section


def test_a_departments_table_prints_its_own_goals_then_each_units(tmp_path: Path) -> None:
    path = workbook(
        tmp_path, 单位=[UNITS, [UNIT, "测试单位", "行政单位"], ["001002", "测试中心", "事业单位"]],
        整体绩效目标=[GOAL_HEAD, ["001", "部门的目标。"], ["001002", "中心的目标。"]],
        整体绩效指标=[INDICATOR_HEAD, ["001002", "产出指标", "", "检测批次", "≥100批次"]])
    _, tables, _ = compiled(path)
    table = tables["m07"]
    assert table.name == "部门整体支出绩效目标表"
    assert [(r.kind, r.cells[:5]) for r in table.rows] == [
        (DETAIL, ("年度总体目标", None, "部门的目标。", None, None)),
        (UNIT_ROW, ("测试中心", None, None, None, None)),
        (DETAIL, ("年度总体目标", None, "中心的目标。", None, None)),
        (GROUP, ("年度绩效指标", "一级指标", "二级指标", "三级指标", "指标值")),
        (DETAIL, ("年度绩效指标", "产出指标", None, "检测批次", "≥100批次")),
    ]


def test_without_goals_the_table_says_so(tmp_path: Path) -> None:
    _, tables, _ = compiled(workbook(tmp_path))
    assert [(r.kind, r.cells[0]) for r in tables["m07"].rows] == [(DETAIL, "本单位未设置整体支出绩效目标")]


# -- properties ----------------------------------------------------------------------------------
def money(row: tuple[object, ...]) -> list[int]:
    return [int(v or 0) for v in row[5:]]  # type: ignore[call-overload]


@st.composite
def unit_workbooks(draw: st.DrawFn) -> list[Budget]:
    """2–4 one-unit workbooks of department 157 with goals, tasks (several 资金来源 per name) and
    indicators, blank 单位编码 (the unit's) or the 部门编码 (the 部门's)."""
    numbers = draw(st.lists(st.integers(1, 9), min_size=2, max_size=4, unique=True))
    out = []
    for n in numbers:
        unit = Unit(f"157{n:03d}", f"单位{n}", "事业单位", Location("单位", 2, "A", f"单位{n}.xlsx"))
        whose = st.sampled_from(("", "157"))
        goals = draw(st.lists(st.builds(Goal, whose, texts()), max_size=2))
        tasks = draw(st.lists(st.builds(Task, whose, st.sampled_from(("甲", "乙", "丙")), texts(max_size=5),
                                        st.sampled_from(contract.SOURCES), amounts()), max_size=5))
        indicators = draw(st.lists(st.builds(Indicator, st.just(""), st.sampled_from(contract.INDICATOR_CATEGORIES),
                                             texts(max_size=4), texts(max_size=6), texts(max_size=4), unit=whose),
                                   max_size=4))
        out.append(Budget(year=2022, dept_code="157", dept_name="某某局", amount_unit="万元", units=(unit,),
                          incomes=(), lines=(), projects=(), goals=tuple(goals), tasks=tuple(tasks),
                          goal_indicators=tuple(indicators)))
    return out


def goals_table(budget: Budget) -> Table:
    return next(t for t in derive_tables(budget, MENU_PROFILE) if t.key == "m07")


@settings(max_examples=50, deadline=None)
@given(unit_workbooks(), st.data())
def test_a_merged_department_prints_the_same_table_in_any_order(budgets: list[Budget], data: st.DataObject) -> None:
    merged, _ = merge_budgets(budgets)
    table = goals_table(merged)
    assert goals_table(merge_budgets(data.draw(st.permutations(budgets)))[0]) == table
    # each 金额合计 is the sum of its task rows, in every column; 总额 = 财政拨款 + 其他资金
    for declared in table.sums or ():
        parts = [money(table.rows[r].cells) for r in declared.parts]
        assert money(table.rows[declared.total].cells) == [sum(col) for col in zip(*parts, strict=True)]
    for row in table.rows:
        if row.kind in (DETAIL, TOTAL) and row.cells[5] is not None:
            assert money(row.cells)[0] == sum(money(row.cells)[1:])
    # every task's money is printed once: the 部门's (157) and each unit's (blank) blocks
    totals = [money(table.rows[d.total].cells)[0] for d in table.sums or ()]
    assert sum(totals) == sum(t.amount for b in budgets for t in b.tasks)
    assert [f.code for f in run_checks(merged, [table], profile=MENU_PROFILE) if f.code in ("XB302", "XB304")] == []


@settings(max_examples=6, deadline=None)
@given(unit_workbooks())
def test_written_goals_read_back_exactly(budgets: list[Budget]) -> None:
    """A budget written as a template (template --from, tests) keeps every goal row, to the 分."""
    budget = budgets[0]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "填报.xlsx"
        write_budget_workbook(budget, path, version=INPUTS)
        again, _ = read_budget(path, version=INPUTS)
    assert (again.goals, again.tasks, again.goal_indicators) == (budget.goals, budget.tasks, budget.goal_indicators)


# -- as a clerk runs it --------------------------------------------------------------------------
def add_rows(path: Path, rows: dict[str, list[list[object]]]) -> None:
    """Rows typed under the headers a template sheet has (a clerk's Excel)."""
    book = openpyxl.load_workbook(path)
    for name, typed in rows.items():
        sheet = book[name]
        headers = [c.value for c in sheet[1]]
        for number, line in enumerate(typed[1:], start=2):
            for header, value in zip(typed[0], line, strict=True):
                sheet.cell(number, headers.index(header) + 1, value)
    book.save(path)


def test_a_format_with_both_tables_from_template_to_compiled_package(tmp_path: Path) -> None:
    made = xlbudget("template", "--profile", str(MENU), "--year", "2022", "-o", "模板.xlsx", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    template = tmp_path / "模板.xlsx"
    assert {"政府购买服务", "整体绩效目标", "年度主要任务", "整体绩效指标"} <= set(openpyxl.load_workbook(template).sheetnames)
    guide = [str(row[0]) for row in openpyxl.load_workbook(template)["填报说明"].iter_rows(values_only=True) if row[0]]
    assert [line[3:9] for line in guide if line.startswith(("1. 政府购买服务：", "2. 整体绩效目标："))] == [
        "政府购买服务", "整体绩效目标"]  # their 填报说明, as this format's optional inputs
    filled = fill(template, tmp_path / "填报.xlsx")
    add_rows(filled, {
        "政府购买服务": [SERVICE_HEAD, [UNIT, PROJECT, "公共服务", "公共安全服务", "一般公共预算", 6],
                   [UNIT, "", "政府履职辅助性服务", "机关后勤服务", "事业收入", 2]],  # not 财政拨款: not printed
        "整体绩效目标": [GOAL_HEAD, ["", "保障会议服务。"]],
        "年度主要任务": [TASK_HEAD, ["", "会议保障", "举办会议", "一般公共预算", 10]],
        "整体绩效指标": [INDICATOR_HEAD, ["", "产出指标", "数量指标", "会议次数", "≥10次"]],
    })
    done = xlbudget("compile", "填报.xlsx", "--profile", str(MENU), "-o", "公开表.xlsx", "--narrative", "md", cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    book = openpyxl.load_workbook(tmp_path / "公开表.xlsx")
    services = [r for r in book["政府购买服务预算财政拨款明细表"].iter_rows(min_row=5, values_only=True) if any(r)]
    assert services == [("合计", None, None, None, 6, 6, None, None), ("测试单位", None, None, None, 6, 6, None, None),
                        ("测试单位", "会议费", "公共服务", "公共安全服务", 6, 6, None, None)]
    goals = [r[:6] for r in book["单位整体支出绩效目标表"].iter_rows(min_row=5, values_only=True) if any(r)]
    assert goals == [("年度主要任务", "任务名称", "主要内容", None, None, None),
                     (None, "会议保障", "举办会议", None, None, 10),
                     ("金额合计", None, None, None, None, 10),
                     ("年度总体目标", None, "保障会议服务。", None, None, None),
                     ("年度绩效指标", "一级指标", "二级指标", "三级指标", "指标值", None),
                     (None, "产出指标", "数量指标", "会议次数", "≥10次", None)]


def test_a_department_with_only_its_units_goals_is_told(tmp_path: Path) -> None:
    units = [UNITS, [UNIT, "测试单位", "行政单位"], ["001002", "测试中心", "事业单位"]]
    only_units = workbook(tmp_path, 单位=units, 整体绩效目标=[GOAL_HEAD, ["001002", "中心的目标。"]])
    assert [c for c in on_sheets(compiled(only_units)[2]) if c[0] == "XB426"] == [("XB426", "整体绩效目标!A2")]
    with_own = workbook(tmp_path, "部门.xlsx", 单位=units, 整体绩效目标=[GOAL_HEAD, ["001", "部门的目标。"],
                                                                   ["001002", "中心的目标。"]])
    assert [c for c in on_sheets(compiled(with_own)[2]) if c[0] == "XB426"] == []


@pytest.mark.parametrize(("change", "message"), [
    (('same_column = [["task_name",', 'same_column = [["unit_name",'), "same_column.*第一个字段须是某个文字列"),
    (('task_header = ["任务名称", "主要内容"]', 'task_header = ["1", "2", "3", "4", "5"]'), "task_header.*多于"),
    (('builder = "goals"', 'builder = "goals"\nsources = ["财政拨款"]'), "sources.*不按行筛选"),
])
def test_settings_the_goals_table_cannot_honour_are_refused(change: tuple[str, str], message: str) -> None:
    text = MENU.read_text(encoding="utf-8")
    assert change[0] in text
    with pytest.raises(ProfileError, match=message):
        parse_profile(text.replace(*change), str(MENU))
