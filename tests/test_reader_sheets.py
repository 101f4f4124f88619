"""Sheets beyond the template's, duplicated headers and budgets without a name (issue #10,
items 2–4): nothing is silently lost or written without a name."""

from __future__ import annotations

from pathlib import Path
from typing import NoReturn

import pytest
from click.testing import CliRunner

from tests.workbooks import BASE, INCOME, UNIT, UNITS, Rows, info, write_workbook
from xlbudget.catalog import load_catalog
from xlbudget.cli import main
from xlbudget.pipeline import compile_workbook, derive
from xlbudget.reader import read_budget
from xlbudget.template import write_template


def reading(path: Path) -> list[tuple[str, str, str]]:
    """(rule, severity, where) of every reading finding of ``path``."""
    return [(f.code, f.severity, str(f.where)) for f in read_budget(path)[1]]


def with_sheets(tmp_path: Path, sheets: dict[str, Rows | None]) -> Path:
    """BASE plus (or with replaced) ``sheets``, in BASE's order then the new ones."""
    return write_workbook(tmp_path / "填报.xlsx", {**BASE, **sheets})


# -- item 2: copied and extra sheets ------------------------------------------------------------
COPIED_INCOME: Rows = [["单位编码", "资金来源", "金额"], [UNIT, "事业收入", 5], [UNIT, "其他收入", 7], [None], [UNIT, "上级补助收入", 1]]


@pytest.mark.parametrize("name", ["收入 (2)", "收入（2）", "收入2", "收入-副本"])
def test_a_copied_sheet_is_an_error_naming_it_and_its_rows(tmp_path: Path, name: str) -> None:
    """What "move or copy sheet" makes: read as part of 收入 it could count the money twice, left
    out it would vanish, so the clerk decides."""
    path = with_sheets(tmp_path, {name: COPIED_INCOME})
    assert reading(path) == [("XB119", "error", name)]
    finding = read_budget(path)[1][0]
    assert finding.message == f"工作表“{name}”像是“收入”的副本或续表，其中 3 行数据未读取"


def test_a_copy_of_project_lines_is_not_taken_for_projects(tmp_path: Path) -> None:
    lines: Rows = [["项目编码", "功能分类编码", "经济分类编码", "资金来源", "金额"], ["X", "2010302", "30215", "一般公共预算", 1]]
    findings = read_budget(with_sheets(tmp_path, {"项目支出 (2)": lines}))[1]
    assert [(f.code, f.message) for f in findings] == [
        ("XB119", "工作表“项目支出 (2)”像是“项目支出”的副本或续表，其中 1 行数据未读取")]


def test_a_clerks_own_sheet_named_like_a_template_sheet_is_only_a_warning(tmp_path: Path) -> None:
    """项目库 starts like 项目 but is neither a copy (no template headers, no copy suffix): numbers in
    it are not the budget's, so it is named like any other sheet and does not block the compile."""
    path = with_sheets(tmp_path, {"项目库": [["序号", "备注"], [1, "储备项目"]]})
    assert reading(path) == [("XB125", "warning", "项目库")]


def test_a_numbered_copy_without_headers_is_still_an_error(tmp_path: Path) -> None:
    path = with_sheets(tmp_path, {"收入 (3)": [[UNIT, "事业收入", 5]]})
    assert reading(path) == [("XB119", "error", "收入 (3)")]


def test_an_empty_copy_loses_nothing_and_is_not_reported(tmp_path: Path) -> None:
    assert reading(with_sheets(tmp_path, {"收入 (2)": [INCOME]})) == []


def test_copied_money_blocks_the_compile(tmp_path: Path) -> None:
    outcome = compile_workbook([with_sheets(tmp_path, {"收入 (2)": COPIED_INCOME})], tmp_path / "公开表.xlsx")
    assert outcome.exit_code == 1 and outcome.outputs == [] and not (tmp_path / "公开表.xlsx").exists()


def test_an_unknown_sheet_holding_numbers_is_a_warning_naming_it(tmp_path: Path) -> None:
    path = with_sheets(tmp_path, {"计算表": [["收入测算"], ["工资", 3846.29]], "Sheet1": [["备忘：3月前报送"]],
                                  "空表": []})
    assert reading(path) == [("XB125", "warning", "计算表")]
    assert read_budget(path)[1][0].message == "工作表“计算表”不是模板中的工作表，其中的数字未读取"


def test_the_templates_own_sheets_are_not_reported(tmp_path: Path) -> None:
    path = tmp_path / "模板.xlsx"
    write_template(path, 2022, load_catalog(2022))
    assert not [f for f in read_budget(path)[1] if f.code in ("XB119", "XB125")]


# -- item 3: duplicated headers -----------------------------------------------------------------
def test_a_second_amount_header_is_an_error_naming_both_cells(tmp_path: Path) -> None:
    path = with_sheets(tmp_path, {"收入": [["单位编码", "资金来源", "金额", "备注", "金额"],
                                         [UNIT, "一般公共预算", "110.00", "", "99"]]})
    budget, findings = read_budget(path)
    assert [(f.code, f.severity, str(f.where), f.message) for f in findings] == [
        ("XB126", "error", "收入!E1", "工作表“收入”的表头“金额”出现了 2 次（C1、E1），无法确定应读取哪一列")]


def test_duplicated_headers_below_a_title_row(tmp_path: Path) -> None:
    path = with_sheets(tmp_path, {"单位": [["2022年单位"], [*UNITS, "单位名称"], [UNIT, "测试单位", "行政单位", "测试单位"]]})
    assert reading(path) == [("XB126", "error", "单位!D2")]


# -- item 4: empty and unnamed budgets ----------------------------------------------------------
def test_compiling_the_blank_template_is_an_error_and_writes_nothing(tmp_path: Path) -> None:
    template, output = tmp_path / "模板.xlsx", tmp_path / "公开表.xlsx"
    write_template(template, 2022, load_catalog(2022))
    result = CliRunner().invoke(main, ["compile", str(template), "-o", str(output)])
    assert result.exit_code == 1 and not output.exists()
    findings = derive([template]).findings
    assert [(f.code, str(f.where)) for f in findings if f.code == "XB127"] == [
        ("XB127", "基本信息!B3"), ("XB127", "基本信息!B4"), ("XB127", "单位")]


@pytest.mark.parametrize(("key", "where"), [("部门编码", "基本信息!B3"), ("部门名称", "基本信息!B4")])
def test_a_budget_without_its_department_is_an_error(tmp_path: Path, key: str, where: str) -> None:
    rows = [row if row[0] != key else [key, None] for row in info()]
    assert reading(with_sheets(tmp_path, {"基本信息": rows})) == [("XB127", "error", where)]


def test_a_budget_without_the_key_row_is_an_error_on_the_sheet(tmp_path: Path) -> None:
    rows = [row for row in info() if row[0] != "部门名称"]
    findings = read_budget(with_sheets(tmp_path, {"基本信息": rows}))[1]
    assert [(f.code, str(f.where), f.message) for f in findings] == [
        ("XB127", "基本信息", "基本信息未填写“部门名称”，公开表不能没有部门名称")]


def test_a_budget_without_units_is_an_error(tmp_path: Path) -> None:
    codes = [code for code, _, _ in reading(with_sheets(tmp_path, {"单位": [UNITS]}))]
    assert codes[0] == "XB127" and "XB127" not in codes[1:]


# -- item 4: the template's year ----------------------------------------------------------------
def test_a_year_other_than_the_templates_is_a_warning(tmp_path: Path) -> None:
    """The template records its year in the 填报说明 title (its first row)."""
    guide = [["2023年度部门预算填报模板 · 填报说明"], ["每个单位（或部门）填写一份本工作簿。"]]
    path = write_workbook(tmp_path / "填报.xlsx", {"填报说明": guide, **BASE})
    findings = read_budget(path)[1]
    assert [(f.code, f.severity, str(f.where)) for f in findings] == [("XB128", "warning", "基本信息!B2")]
    assert findings[0].message == "基本信息“预算年度”为 2022，但本工作簿是 2023 年度的填报模板"


def test_the_templates_own_year_is_not_reported(tmp_path: Path) -> None:
    guide = [["2022年度部门预算填报模板 · 填报说明"]]
    assert reading(write_workbook(tmp_path / "填报.xlsx", {"填报说明": guide, **BASE})) == []


def test_a_template_written_for_another_year_is_recognised(tmp_path: Path) -> None:
    """Writer and reader agree on the title: a 2023 template filled as 2022."""
    path = tmp_path / "模板.xlsx"
    write_template(path, 2023, load_catalog(2023))
    import openpyxl

    book = openpyxl.load_workbook(path)
    book["基本信息"]["B2"] = "2022"
    book.save(path)
    assert [f.code for f in read_budget(path)[1] if f.code == "XB128"] == ["XB128"]


def test_income_rows_are_still_read_beside_findings(tmp_path: Path) -> None:
    """The findings above do not drop the template sheets' own rows."""
    budget = read_budget(with_sheets(tmp_path, {"收入 (2)": COPIED_INCOME, "收入": [INCOME, [UNIT, "一般公共预算", 110]]}))[0]
    assert [i.amount for i in budget.incomes] == [110_000000]


def test_the_readme_says_what_happens_to_copies_duplicates_and_text_codes() -> None:
    from tests.conftest import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## 拒绝处理的文件", 1)[1].split("\n## ", 1)[0]
    said = ("收入 (2)", "不读取，作为错误报告工作表名和行数", "第二个“金额”", "文本格式", "前导 0", "3.3000000000000003")
    assert [text for text in said + ("XB119", "XB125", "XB126", "XB127", "XB128", "XB129") if text not in section] == []


def test_a_sheet_that_cannot_be_opened_is_named_not_a_refusal() -> None:
    """python-calamine may fail on a sheet outside the template (a dialog or macro sheet): the
    file is still read and the sheet is named (XB125)."""
    from xlbudget.reading.workbook import RawBook, look_into

    def fails(name: str) -> NoReturn:
        raise ValueError(f"unsupported sheet {name}")

    book = RawBook(["宏表"])
    look_into(book, "宏表", fails)
    assert (book.unseen, book.numbers) == (["宏表"], [])
