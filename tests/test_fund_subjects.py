"""政府性基金 and 国有资本经营 subjects: in the catalog, and money of each budget on its own subjects."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from tests.conftest import ROOT
from tests.workbooks import INCOME, INFO_HEAD, PROJECT, PROJECT_LINES, UNIT, Rows, findings, workbook
from xlbudget.catalog import FUNCTIONAL, GOV_FUND, STATE_CAPITAL, load_catalog
from xlbudget.cli import main
from xlbudget.findings import ERROR
from xlbudget.pipeline import derive


def _info(year: int = 2026) -> Rows:
    return [INFO_HEAD, ["预算年度", str(year)], ["部门编码", "001"], ["部门名称", "测试部门"], ["金额单位", "万元"]]


def _income(source: str) -> Rows:
    return [INCOME, [UNIT, "一般公共预算", "110.00"], [UNIT, source, "10.00"]]


def _lines(*rows: tuple[str, str]) -> Rows:
    """项目支出 with the base project's line and one more line per (功能分类, 资金来源)."""
    return [PROJECT_LINES, [PROJECT, "2010302", "30215", "一般公共预算", "10.00"],
            *[[PROJECT, code, "30299", source, "10.00"] for code, source in rows]]


def test_the_fund_subjects_of_the_2026_shanghai_templates_are_in_the_catalog() -> None:
    catalog = load_catalog(2026)
    assert [(c, catalog.name(FUNCTIONAL, c), catalog.functional[c].fund) for c in ("2290804", "2296002", "2230105")] == [
        ("2290804", "福利彩票销售机构的业务费支出", GOV_FUND),
        ("2296002", "用于社会福利的彩票公益金支出", GOV_FUND),
        ("2230105", "国有企业退休人员社会化管理补助支出", STATE_CAPITAL)]
    assert [catalog.functional[c].fund for c in ("2010302", "229", "22999", "2120801", "2170404", "21704")] == [
        "", "", "", GOV_FUND, GOV_FUND, ""]
    assert {catalog.functional[c].confidence for c in ("2290804", "2230105")} == {"B"}


@pytest.mark.parametrize(("code", "source", "table"), [
    ("2290804", "政府性基金预算", "政府性基金预算支出预算表"),
    ("2296002", "政府性基金预算", "政府性基金预算支出预算表"),
    ("2230105", "国有资本经营预算", "国有资本经营预算支出预算表")])
def test_a_fund_subject_compiles_and_is_listed_in_its_table(tmp_path: Path, code: str, source: str, table: str) -> None:
    path = workbook(tmp_path, 基本信息=_info(), 收入=_income(source), 项目支出=_lines((code, source)))
    result = CliRunner().invoke(main, ["compile", str(path), "-o", str(tmp_path / "公开表.xlsx"), "--narrative", "none"])
    assert result.exit_code == 0, result.output
    rows = [[c for c in r if c not in (None, "")] for r in openpyxl.load_workbook(tmp_path / "公开表.xlsx")[table].iter_rows(
        values_only=True)]
    assert [r[:4] for r in rows if r[:3] == [code[:3], code[3:5], code[5:]]] == [
        [code[:3], code[3:5], code[5:], load_catalog(2026).name(FUNCTIONAL, code)]]


@pytest.mark.parametrize(("code", "source", "actual"), [
    ("2010302", "政府性基金预算", "2010302 一般行政管理事务（一般公共预算）"),
    ("2010302", "政府性基金预算结转", "2010302 一般行政管理事务（一般公共预算）"),
    ("2010302", "国有资本经营预算", "2010302 一般行政管理事务（一般公共预算）"),
    ("2296002", "国有资本经营预算", "2296002 用于社会福利的彩票公益金支出（政府性基金预算）"),
    ("2296002", "一般公共预算", "2296002 用于社会福利的彩票公益金支出（政府性基金预算）"),
    ("2230105", "一般公共预算结转", "2230105 国有企业退休人员社会化管理补助支出（国有资本经营预算）")])
def test_money_of_one_budget_on_another_budgets_subject_is_an_error(
        tmp_path: Path, code: str, source: str, actual: str) -> None:
    path = workbook(tmp_path, 基本信息=_info(), 收入=_income(source), 项目支出=_lines((code, source)))
    found = [f for f in findings(path) if f.severity == ERROR]
    assert [(f.code, str(f.where), f.actual) for f in found] == [("XB209", "项目支出!B3", actual)]
    assert source in found[0].message and "项目支出" in found[0].message


def test_unit_funds_may_sit_on_a_fund_subject(tmp_path: Path) -> None:
    path = workbook(tmp_path, 基本信息=_info(), 收入=_income("事业收入"), 项目支出=_lines(("2290804", "事业收入")))
    assert [f.code for f in findings(path) if f.severity == ERROR] == []


def test_a_clerks_new_subject_under_a_fund_item_belongs_to_that_fund(tmp_path: Path) -> None:
    extra = tmp_path / "自定义科目.csv"
    extra.write_text("类别,编码,名称\n功能分类,2296098,用于某事业的彩票公益金支出（地方增设）\n", encoding="utf-8-sig")
    assert load_catalog(2026, [extra]).functional["2296098"].fund == GOV_FUND


def test_the_2026_shanghai_template_examples_compile_in_the_shanghai_format(tmp_path: Path) -> None:
    """The 区府办 example moved to 2026 with the 2026 template's example subjects: no error, and the
    fund tables list them under their 类 and 款 as the template does."""
    book = openpyxl.load_workbook(ROOT / "examples" / "shanghai-2025-qufuban" / "input.xlsx")
    next(r for r in book["基本信息"].iter_rows() if r[0].value == "预算年度")[1].value = "2026"
    book["收入"].append(["301001", "政府性基金预算", 1000])
    book["收入"].append(["301001", "国有资本经营预算", 500])
    lines = book["项目支出"]
    project = lines.cell(2, 1).value
    for code, source, amount in (("2290804", "政府性基金预算", 600), ("2296002", "政府性基金预算", 400),
                                 ("2230105", "国有资本经营预算", 500)):
        lines.append([project, code, "30299", source, amount])
    book.save(tmp_path / "区府办2026.xlsx")
    outcome = derive([tmp_path / "区府办2026.xlsx"], profile="shanghai-unit")
    assert [f.code for f in outcome.findings if f.severity == ERROR] == []
    listed = {t.key: [r.cells[:4] for r in t.rows[:-1]] for t in outcome.tables if "基金" in t.name or "国有资本" in t.name}
    assert sorted(listed.values()) == [
        [("223", None, None, "国有资本经营预算支出"), ("223", "01", None, "解决历史遗留问题及改革成本支出"),
         ("223", "01", "05", "国有企业退休人员社会化管理补助支出")],
        [("229", None, None, "其他支出"), ("229", "08", None, "彩票发行销售机构业务费安排的支出"),
         ("229", "08", "04", "福利彩票销售机构的业务费支出"), ("229", "60", None, "彩票公益金安排的支出"),
         ("229", "60", "02", "用于社会福利的彩票公益金支出")]]
