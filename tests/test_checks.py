"""The rule catalogue, one inline workbook per rule: it fires on the defect and stays silent on
BASE (tests/workbooks.py, a clean budget). Whole reports are asserted in one line."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from tests.conftest import EXAMPLE_INPUT
from tests.workbooks import (
    BASIC,
    GOALS,
    INCOME,
    INFO_HEAD,
    KEYED,
    NOTES,
    PROJECT,
    PROJECT_LINES,
    PROJECTS,
    UNIT,
    UNITS,
    findings,
    goals,
    info,
    report,
    workbook,
)
from xlbudget.findings import ERROR, INFO, WARNING
from xlbudget.pipeline import EXIT_ERRORS, compile_workbook, derive
from xlbudget.reader import read_budget
from xlbudget.template import write_budget_workbook

OTHER = "41030022000000000002"


def codes(path: Path) -> list[str]:
    return [f.code for f in findings(path)]


def only(path: Path, code: str):  # noqa: ANN201 - a Finding
    found = [f for f in findings(path) if f.code == code]
    assert len(found) == 1, found
    return found[0]


def test_base_workbook_is_clean(tmp_path: Path) -> None:
    assert report(workbook(tmp_path)) == []


# -- reading ----------------------------------------------------------------------------------


def test_xb101_missing_sheet_lists_the_sheets_found(tmp_path: Path) -> None:
    finding = only(workbook(tmp_path, 绩效目标=None), "XB101")
    assert str(finding.where) == "绩效目标" and "文件中的工作表：基本信息、单位、收入" in finding.message


def test_xb102_missing_column(tmp_path: Path) -> None:
    path = workbook(tmp_path, 收入=[["单位编码", "资金来源"], [UNIT, "一般公共预算"]])
    assert ("XB102", "收入!第1行") in report(path)
    assert "缺少列：金额" in only(path, "XB102").message


def test_xb103_blank_required_cell(tmp_path: Path) -> None:
    assert ("XB103", "收入!B2") in report(workbook(tmp_path, 收入=[INCOME, [UNIT, "", "110"]]))


def test_xb104_unreadable_amount(tmp_path: Path) -> None:
    assert ("XB104", "收入!C2") in report(workbook(tmp_path, 收入=[INCOME, [UNIT, "一般公共预算", "一百一十"]]))


def test_xb105_value_outside_vocabulary(tmp_path: Path) -> None:
    assert ("XB105", "收入!B2") in report(workbook(tmp_path, 收入=[INCOME, [UNIT, "一般预算", "110"]]))


def test_xb106_bad_code_format(tmp_path: Path) -> None:
    path = workbook(tmp_path, 基本支出=[BASIC, [UNIT, "201030", "30101", "一般公共预算", "100"]])
    assert ("XB106", "基本支出!B2") in report(path)
    assert only(path, "XB106").unit == UNIT  # reading findings are summarised by unit too


def test_xb107_row_only_in_other_columns(tmp_path: Path) -> None:
    rows = [[*INCOME, "备注"], [UNIT, "一般公共预算", "110", ""], [None, None, None, "见附件"]]
    assert report(workbook(tmp_path, 收入=rows)) == [("XB107", "收入!第3行")]


def test_xb108_bad_year(tmp_path: Path) -> None:
    path = workbook(tmp_path, 基本信息=[INFO_HEAD, ["预算年度", "明年"], ["金额单位", "万元"], ["部门编码", "001"], ["部门名称", "测试部门"]])
    assert report(path) == [("XB108", "基本信息!B2")]


def test_xb109_negative_amount(tmp_path: Path) -> None:
    assert ("XB109", "收入!C2") in report(workbook(tmp_path, 收入=[INCOME, [UNIT, "一般公共预算", "-110"]]))


def test_xb110_more_decimals_than_the_unit_allows(tmp_path: Path) -> None:
    path = workbook(tmp_path, 基本信息=info("元"), 收入=[INCOME, [UNIT, "一般公共预算", "110.001"]])
    assert ("XB110", "收入!C2") in report(path)
    assert not [f for f in findings(workbook(tmp_path, "ok.xlsx", 收入=[INCOME, [UNIT, "一般公共预算", "110.000000"]]))
                if f.code == "XB110"]


def test_xb111_unit_workbooks_of_one_department_disagree(tmp_path: Path) -> None:
    first = workbook(tmp_path, "a.xlsx")
    second = workbook(tmp_path, "b.xlsx", 基本信息=[INFO_HEAD, ["预算年度", "2023"], ["部门编码", "001"], ["金额单位", "万元"]],
                      单位=[UNITS, ["001002", "另一单位", "行政单位"]], 收入=[INCOME], 基本支出=[BASIC],
                      项目=[PROJECTS], 项目支出=[PROJECT_LINES], 绩效目标=[GOALS])
    assert "XB111" in [f.code for f in derive([first, second]).findings]


def test_xb112_unknown_key_is_kept_as_info(tmp_path: Path) -> None:
    path = workbook(tmp_path, 说明事项=[NOTES, ["收入变动原因", "x"], ["财政拨款变动原因", "x"], ["其他说明", "x"]])
    assert report(path) == [("XB112", "说明事项!A4")]


def test_xb113_missing_amount_unit(tmp_path: Path) -> None:
    path = workbook(tmp_path, 基本信息=[INFO_HEAD, ["预算年度", "2022"], ["部门编码", "001"], ["部门名称", "测试部门"]])
    assert report(path) == [("XB113", "基本信息")]
    assert findings(path)[0].severity == INFO


def test_xb114_key_given_twice(tmp_path: Path) -> None:
    rows = [KEYED, ["收入总计", "110"], ["财政拨款收入", "110"], ["一般公共预算支出", "110"], ["三公经费", "0"], ["因公出国（境）费", "0"],
            ["公务用车购置费", "0"], ["公务用车运行维护费", "0"], ["公务接待费", "0"], ["收入总计", "100"]]
    assert report(workbook(tmp_path, 上年数=rows)) == [("XB114", "上年数!A10")]


def test_xb120_duplicate_unit(tmp_path: Path) -> None:
    path = workbook(tmp_path, 单位=[UNITS, [UNIT, "测试单位", "行政单位"], [UNIT, "测试单位二", "行政单位"]])
    assert report(path) == [("XB120", "单位!A3")]


def test_xb121_duplicate_project_code(tmp_path: Path) -> None:
    rows = [PROJECTS, [PROJECT, "会议费", "其他运转类", UNIT], [PROJECT, "培训费", "其他运转类", UNIT]]
    assert report(workbook(tmp_path, 项目=rows)) == [("XB121", "项目!A3")]


def test_xb122_unknown_unit(tmp_path: Path) -> None:
    rows = [INCOME, [UNIT, "一般公共预算", "100"], ["009009", "一般公共预算", "10"]]
    assert ("XB122", "收入!A3") in report(workbook(tmp_path, 收入=rows))


def test_xb123_unknown_project(tmp_path: Path) -> None:
    rows = [PROJECT_LINES, [OTHER, "2010302", "30215", "一般公共预算", "10.00"]]
    assert ("XB123", "项目支出!A2") in report(workbook(tmp_path, 项目支出=rows))


def test_xb124_duplicate_line(tmp_path: Path) -> None:
    rows = [BASIC, [UNIT, "2010301", "30101", "一般公共预算", "50.00"], [UNIT, "2010301", "30101", "一般公共预算", "50.00"]]
    assert report(workbook(tmp_path, 基本支出=rows)) == [("XB124", "基本支出!第3行")]


# -- catalog ----------------------------------------------------------------------------------


def test_xb201_unknown_function_code_names_the_code_and_cell(tmp_path: Path) -> None:
    path = workbook(tmp_path, 基本支出=[BASIC, [UNIT, "2019998", "30101", "一般公共预算", "100.00"]])
    assert report(path) == [("XB201", "基本支出!B2")]
    finding = findings(path)[0]
    assert finding.severity == ERROR and "“2019998”" in finding.message and finding.actual == "2019998"


def test_xb201_unknown_economic_code(tmp_path: Path) -> None:
    path = workbook(tmp_path, 项目支出=[PROJECT_LINES, [PROJECT, "2010302", "30298", "一般公共预算", "10.00"]])
    assert report(path) == [("XB201", "项目支出!C2")]


def test_xb202_non_leaf_code(tmp_path: Path) -> None:
    path = workbook(tmp_path, 基本支出=[BASIC, [UNIT, "20103", "30101", "一般公共预算", "100.00"]])
    assert report(path) == [("XB202", "基本支出!B2")]
    assert "2010301 行政运行" in findings(path)[0].hint


def test_xb203_economic_class_not_allowed_in_basic(tmp_path: Path) -> None:
    path = workbook(tmp_path, 基本支出=[BASIC, [UNIT, "2010301", "30902", "一般公共预算", "100.00"]])
    assert report(path) == [("XB203", "基本支出!C2")]
    # the same code is fine in a project
    lines = [PROJECT_LINES, [PROJECT, "2010302", "30902", "一般公共预算", "10.00"]]
    assert report(workbook(tmp_path, "ok.xlsx", 项目支出=lines)) == []


def test_xb204_ambiguous_mapping_without_override(tmp_path: Path) -> None:
    other = [UNITS, [UNIT, "测试单位", "其他"]]  # 行政 and 事业 mappings differ
    path = workbook(tmp_path, 单位=other)
    assert report(path) == [("XB204", "基本支出!C2"), ("XB204", "项目支出!C2")]
    assert findings(path)[0].expected == "50101 或 50501"
    basic = [[*BASIC, "政府经济分类编码"], [UNIT, "2010301", "30101", "一般公共预算", "100.00", "50501"]]
    lines = [[*PROJECT_LINES, "政府经济分类编码"], [PROJECT, "2010302", "30215", "一般公共预算", "10.00", "50502"]]
    assert report(workbook(tmp_path, "ok.xlsx", 单位=other, 基本支出=basic, 项目支出=lines)) == []


def test_xb205_no_mapping_for_the_unit_type(tmp_path: Path) -> None:
    path = workbook(tmp_path, 基本支出=[BASIC, [UNIT, "2010301", "30107", "一般公共预算", "100.00"]])
    assert [code for code, _ in report(path)] == ["XB205"]


def test_xb206_name_column_disagrees_with_code(tmp_path: Path) -> None:
    rows = [[*BASIC, "经济分类名称"], [UNIT, "2010301", "30101", "一般公共预算", "100.00", "津贴补贴"]]
    assert report(workbook(tmp_path, 基本支出=rows)) == [("XB206", "基本支出!F2")]
    same = [[*BASIC, "经济分类名称"], [UNIT, "2010301", "30101", "一般公共预算", "100.00", " 基本工资 "]]
    assert report(workbook(tmp_path, "ok.xlsx", 基本支出=same)) == []


# -- balance ----------------------------------------------------------------------------------


def test_xb301_income_differs_from_expenditure(tmp_path: Path) -> None:
    path = workbook(tmp_path, 收入=[INCOME, [UNIT, "一般公共预算", "110.01"]])
    assert report(path) == [("XB301", "收入!C2")]
    finding = findings(path)[0]
    assert (finding.expected, finding.actual, finding.difference) == ("110.00 万元", "110.01 万元", "0.01 万元")
    assert "收入 110.01 万元，支出 110.00 万元" in finding.message


def test_xb301_per_source(tmp_path: Path) -> None:
    income = [INCOME, [UNIT, "一般公共预算", "100"], [UNIT, "事业收入", "10"]]
    assert report(workbook(tmp_path, 收入=income)) == [("XB301", "收入!C2"), ("XB301", "收入!C3")]


@pytest.mark.parametrize("yuan", ["90", "100", "110"])  # 0.009 / 0.010 / 0.011 万元
def test_xb301_input_is_exact_whatever_the_display_rounding(tmp_path: Path, yuan: str) -> None:
    rows = {"基本信息": info("元"), "收入": [INCOME, [UNIT, "一般公共预算", str(1_100_000 + int(yuan))]],
            "基本支出": [BASIC, [UNIT, "2010301", "30101", "一般公共预算", "1000000"]],
            "项目支出": [PROJECT_LINES, [PROJECT, "2010302", "30215", "一般公共预算", "100000"]]}
    path = workbook(tmp_path, **rows)
    assert report(path) == [("XB301", "收入!C2")]
    assert findings(path)[0].difference == f"{yuan}.00 元"


def test_luoyang_example_has_no_errors_and_the_seed_cost_indicators_warn(luoyang) -> None:  # noqa: ANN001
    assert [(f.code, str(f.where)) for f in luoyang.findings] == [
        ("XB404", "绩效目标!E10"), ("XB404", "绩效目标!E25"), ("XB404", "绩效目标!E55"), ("XB404", "绩效目标!E72"),
        ("XB404", "绩效目标!E88"), ("XB404", "绩效目标!E98")]


def test_luoyang_with_one_income_changed_by_a_cent_is_refused(tmp_path: Path) -> None:
    budget, _ = read_budget(EXAMPLE_INPUT)
    income = budget.incomes[0]
    write_budget_workbook(replace(budget, incomes=(replace(income, amount=income.amount + 10_000),)),
                          tmp_path / "改.xlsx")
    outcome = compile_workbook([tmp_path / "改.xlsx"], tmp_path / "公开表.xlsx")
    errors = [f for f in outcome.findings if f.severity == ERROR]
    assert [(f.code, str(f.where), f.difference) for f in errors] == [("XB301", "收入!C2", "0.01 万元")]
    assert outcome.exit_code == EXIT_ERRORS and outcome.outputs == []
    assert not (tmp_path / "公开表.xlsx").exists()


def test_seed_defects_whole_report(tmp_path: Path) -> None:
    """The Luoyang example with the seed's 21-digit project codes put back."""
    budget, _ = read_budget(EXAMPLE_INPUT)
    longer = {"41030022000000045204": "410300220000000045204", "41030022000000045205": "410300220000000045205",
              "41030022000000046767": "410300220000000046767"}
    seeded = replace(
        budget,
        projects=tuple(replace(p, code=longer.get(p.code, p.code)) for p in budget.projects),
        lines=tuple(replace(ln, project=longer.get(ln.project, ln.project)) for ln in budget.lines),
        indicators=tuple(replace(i, project=longer.get(i.project, i.project)) for i in budget.indicators))
    write_budget_workbook(seeded, tmp_path / "种子.xlsx")
    assert report(tmp_path / "种子.xlsx") == [
        ("XB405", "项目!A11"), ("XB405", "项目!A12"), ("XB405", "项目!A17"),
        ("XB404", "绩效目标!E10"), ("XB404", "绩效目标!E25"), ("XB404", "绩效目标!E55"), ("XB404", "绩效目标!E72"),
        ("XB404", "绩效目标!E88"), ("XB404", "绩效目标!E98")]


# -- projects and performance ------------------------------------------------------------------


def two_projects(*, second_code: str = OTHER, second_name: str = "培训费", lines: bool = True,
                 goals_of_second: bool = True) -> dict[str, list[list[object]]]:
    """BASE with a second project of 5.00 万元 (income raised to match)."""
    return {
        "收入": [INCOME, [UNIT, "一般公共预算", "115.00" if lines else "110.00"]],
        "项目": [PROJECTS, [PROJECT, "会议费", "其他运转类", UNIT], [second_code, second_name, "特定目标类", UNIT]],
        "项目支出": [PROJECT_LINES, [PROJECT, "2010302", "30215", "一般公共预算", "10.00"],
                     *([[second_code, "2010302", "30216", "一般公共预算", "5.00"]] if lines else [])],
        "绩效目标": [GOALS, *goals(), *(goals(second_code, "5万元") if goals_of_second else [])],
        "说明事项": [NOTES, ["收入变动原因", "x"], ["财政拨款变动原因", "x"]],
    }


def test_two_projects_are_clean(tmp_path: Path) -> None:
    assert report(workbook(tmp_path, **two_projects())) == []


def test_xb401_project_without_lines(tmp_path: Path) -> None:
    assert report(workbook(tmp_path, **two_projects(lines=False))) == [("XB401", "项目!A3")]


def test_xb402_project_without_goals(tmp_path: Path) -> None:
    assert report(workbook(tmp_path, **two_projects(goals_of_second=False))) == [("XB402", "项目!A3")]


def test_xb403_missing_indicator_category(tmp_path: Path) -> None:
    path = workbook(tmp_path, 绩效目标=[GOALS, *goals()[:3]])
    assert report(path) == [("XB403", "绩效目标!第2行")]
    assert "缺少：满意度指标" in findings(path)[0].message


@pytest.mark.parametrize(("value", "fires"), [
    ("10万元", False), ("10.00万", False), ("100000元", False), ("≥10万元", False), ("≤1390万", False),
    ("12万元", True), ("14.8万", True), ("≥50万元", True), ("<10万", True), ("节约 ", False), ("≤3月", False),
])
def test_xb404_cost_indicator_against_the_amount(tmp_path: Path, value: str, fires: bool) -> None:
    path = workbook(tmp_path, 绩效目标=[GOALS, *goals(cost=value)])
    assert report(path) == ([("XB404", "绩效目标!E2")] if fires else [])


def test_xb404_states_values_and_difference(tmp_path: Path) -> None:
    finding = only(workbook(tmp_path, 绩效目标=[GOALS, *goals(cost="3万元")]), "XB404")
    assert (finding.expected, finding.actual, finding.difference) == ("10.00 万元", "3万元", "-7.00 万元")
    assert finding.severity == WARNING and finding.project == PROJECT


def test_xb404_a_saving_is_not_compared(tmp_path: Path) -> None:
    rows = [GOALS, [PROJECT, "成本指标", "经济成本指标", "节约成本", "100万元"], *goals()[1:]]
    assert report(workbook(tmp_path, 绩效目标=rows)) == []


def three_projects(codes: list[str]) -> dict[str, list[list[object]]]:
    """Three projects of 5.00 万元 each with the given codes (income 115.00 = 100 basic + 15)."""
    return {
        "收入": [INCOME, [UNIT, "一般公共预算", "115.00"]],
        "项目": [PROJECTS, *([code, name, "特定目标类", UNIT] for code, name in zip(codes, ("甲", "乙", "丙"), strict=True))],
        "项目支出": [PROJECT_LINES, *([code, "2010302", "30216", "一般公共预算", "5.00"] for code in codes)],
        "绩效目标": [GOALS, *(row for code in codes for row in goals(code, "5万元"))],
        "说明事项": [NOTES, ["收入变动原因", "x"], ["财政拨款变动原因", "x"]],
    }


@pytest.mark.parametrize(("odd_row", "codes"), [
    (4, [PROJECT, OTHER, OTHER[:-1] + "30"]),  # the last of three has 21 digits
    (2, [PROJECT + "9", PROJECT, OTHER]),  # the first: the majority decides, not the order
])
def test_xb405_the_code_unlike_the_others_is_named(tmp_path: Path, odd_row: int, codes: list[str]) -> None:
    path = workbook(tmp_path, **three_projects(codes))
    assert report(path) == [("XB405", f"项目!A{odd_row}")]
    finding = only(path, "XB405")
    assert "的编码为21位数字，本工作簿其他 2 个项目编码为20位数字" in finding.message
    assert (finding.expected, finding.actual, finding.project) == ("20位数字", "21位数字", codes[odd_row - 2])


def test_xb406_duplicate_project_names(tmp_path: Path) -> None:
    assert report(workbook(tmp_path, **two_projects(second_name="会 议 费"))) == [("XB406", "项目!B3")]


# -- prior year -------------------------------------------------------------------------------


def test_xb501_missing_prior_year_figure(tmp_path: Path) -> None:
    rows = [KEYED, ["收入总计", "110"], ["财政拨款收入", "110"], ["一般公共预算支出", "110"], ["三公经费", "0"], ["因公出国（境）费", "0"],
            ["公务用车购置费", "0"], ["公务用车运行维护费", "0"]]
    path = workbook(tmp_path, 上年数=rows)
    assert report(path) == [("XB501", "上年数")]
    assert "“公务接待费”" in findings(path)[0].message


def test_xb501_missing_prior_year_sheet_is_one_finding(tmp_path: Path) -> None:
    assert report(workbook(tmp_path, 上年数=None)) == [("XB501", "上年数")]


def reception(notes: list[list[object]]) -> dict[str, list[list[object]]]:
    """BASE with a 公务接待费 line of 1.00 (last year 0) and the given 说明事项."""
    return {"收入": [INCOME, [UNIT, "一般公共预算", "111.00"]],
            "基本支出": [BASIC, [UNIT, "2010301", "30101", "一般公共预算", "100.00"],
                         [UNIT, "2010301", "30217", "一般公共预算", "1.00"]],
            "说明事项": [NOTES, ["收入变动原因", "x"], ["财政拨款变动原因", "x"], *notes]}


def test_xb502_three_public_rise_without_reason(tmp_path: Path) -> None:
    path = workbook(tmp_path, **reception([]))
    assert report(path) == [("XB502", "说明事项")]
    finding = findings(path)[0]
    assert (finding.expected, finding.actual, finding.difference) == ("0.00 万元", "1.00 万元", "1.00 万元")
    assert report(workbook(tmp_path, "ok.xlsx", **reception([["公务接待费变动原因", "接待增加。"]]))) == []


def test_xb503_income_change_without_reason(tmp_path: Path) -> None:
    path = workbook(tmp_path, 说明事项=[NOTES, ["财政拨款变动原因", "x"]],
                    上年数=[KEYED, ["收入总计", "100"], ["财政拨款收入", "110"], ["一般公共预算支出", "110"], ["三公经费", "0"],
                           ["因公出国（境）费", "0"], ["公务用车购置费", "0"], ["公务用车运行维护费", "0"], ["公务接待费", "0"]])
    assert report(path) == [("XB503", "说明事项")]
    assert "收入总计 110.00 万元，比上年 100.00 万元增加 10.00 万元" in findings(path)[0].message
