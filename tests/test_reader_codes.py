"""Code columns typed as text (issue #10, item 6): the template keeps what the clerk types, and a
code that Excel turned into a number, losing its leading zeros, is found and named."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from tests.workbooks import BASE, BASIC, GOALS, INCOME, PROJECT, PROJECT_LINES, PROJECTS, UNIT, UNITS, goals
from tests.workbooks_hostile import write_xlsx
from xlbudget.catalog import load_catalog
from xlbudget.contract import SHEETS
from xlbudget.reader import read_budget
from xlbudget.report import sort_findings
from xlbudget.template import write_template

ZERO_PROJECT = "0001"  # a project code with leading zeros, as some project libraries number them


def test_lost_leading_zeros_are_a_warning_naming_each_cell_and_read_as_listed(tmp_path: Path) -> None:
    """001001 typed into a General cell becomes the number 1001; the 单位 sheet shows 001001."""
    path = write_xlsx(tmp_path / "编码.xlsx", {
        **BASE,
        "收入": [INCOME, [1001, "一般公共预算", "110"]],
        "基本支出": [BASIC, [1001.0, "2010301", "30101", "一般公共预算", "100"]],
        "项目": [PROJECTS, [PROJECT, "会议费", "其他运转类", 1001]],
    })
    budget, findings = read_budget(path)
    findings = sort_findings(findings)  # in the template's sheet order, as reported
    assert [(f.code, f.severity, str(f.where)) for f in findings] == [
        ("XB129", "warning", "收入!A2"), ("XB129", "warning", "基本支出!A2"), ("XB129", "warning", "项目!D2")]
    assert findings[0].message == "“单位编码”1001 是数字，前导 0 已丢失；按“单位”表中的“001001”读取"
    assert {i.unit for i in budget.incomes} | {line.unit for line in budget.lines} == {UNIT}
    assert budget.projects[0].unit == UNIT


def test_project_codes_with_lost_zeros_are_matched_to_the_project_list(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "项目编码.xlsx", {
        **BASE,
        "项目": [PROJECTS, [ZERO_PROJECT, "会议费", "其他运转类", UNIT]],
        "项目支出": [PROJECT_LINES, [1, "2010302", "30215", "一般公共预算", "10.00"]],
        "绩效目标": [GOALS, *goals(ZERO_PROJECT)],
    })
    budget, findings = read_budget(path)
    assert [(f.code, str(f.where)) for f in findings] == [("XB129", "项目支出!A2")]
    assert [line.project for line in budget.lines if not line.is_basic] == [ZERO_PROJECT]


def test_a_number_is_not_padded_when_the_list_does_not_decide(tmp_path: Path) -> None:
    """Two listed codes lose their zeros to the same number: no guess (XB122 names the cell)."""
    path = write_xlsx(tmp_path / "歧义.xlsx", {
        **BASE,
        "单位": [UNITS, [UNIT, "测试单位", "行政单位"], ["01001", "另一单位", "行政单位"]],
        "收入": [INCOME, [1001, "一般公共预算", "110"]],
    })
    budget, findings = read_budget(path)
    assert [f.code for f in findings] == [] and [i.unit for i in budget.incomes] == ["1001"]


def test_codes_typed_as_text_are_not_reported(tmp_path: Path) -> None:
    assert read_budget(write_xlsx(tmp_path / "文本.xlsx", BASE))[1] == []


def test_every_code_cell_of_the_template_is_text_formatted(tmp_path: Path) -> None:
    """Typed into the blank template, 001001 or a 20-digit project code stays text — including
    基本信息's 部门编码, whose cell is blank until the clerk types it."""
    path = tmp_path / "模板.xlsx"
    write_template(path, 2022, load_catalog(2022))
    book = openpyxl.load_workbook(path)
    assert book["基本信息"]["B3"].number_format == "@"
    for sheet in SHEETS:
        ws = book[sheet.name]
        for index, column in enumerate(sheet.columns, start=1):
            if column.kind == "code":
                letter = openpyxl.utils.get_column_letter(index)
                formats = {dim.number_format for key, dim in ws.column_dimensions.items()
                           if dim.min <= index <= dim.max}
                assert formats == {"@"}, f"{sheet.name}!{letter}"
