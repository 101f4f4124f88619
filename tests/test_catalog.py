"""Catalogs by budget year, with provenance, extended by the clerk without a new release."""

from __future__ import annotations

import csv
from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from tests.conftest import EXAMPLE_INPUT, ROOT
from tests.scripts import load_script
from tests.workbooks import (
    BASIC,
    INCOME,
    INFO_HEAD,
    PROJECT,
    PROJECT_LINES,
    UNIT,
    UNITS,
    Rows,
    findings,
    workbook,
)
from xlbudget.catalog import ECON_DEPT, ECON_GOV, FUNCTIONAL, Alias, load_catalog
from xlbudget.cli import main
from xlbudget.findings import ERROR, INFO
from xlbudget.pipeline import Outcome, derive
from xlbudget.reader import read_budget
from xlbudget.template import write_budget_workbook

# The reference catalogs and their second round of corrections, verbatim (see their SOURCES.md).
REFERENCE = ROOT / "tests" / "data" / "catalogs"


def test_codes_are_versioned_by_budget_year() -> None:
    assert "22006" not in load_catalog(2022).functional  # added on 2024-03-29
    assert load_catalog(2024).functional["22006"].name == "耕地保护考核奖惩基金支出"
    assert load_catalog(2022).name(FUNCTIONAL, "2010301") == "行政运行"


def test_every_row_keeps_its_confidence_grade() -> None:
    catalog = load_catalog(2022)
    grades = {e.confidence for e in catalog.functional.values()} | {e.confidence for e in catalog.econ_dept.values()}
    assert grades <= {"A", "B", "C"} and "A" in grades
    assert catalog.econ_dept["30101"].confidence == "A"


def test_unit_type_decides_the_government_code() -> None:
    catalog = load_catalog(2022)
    assert catalog.gov_code("30101", "行政单位") == "50101"
    assert catalog.gov_code("30101", "事业单位") == "50501"
    assert catalog.gov_candidates("30101", "其他") == {"50101", "50501"}  # ambiguous: needs an override


def test_a_clerks_catalog_file_adds_a_code(tmp_path: Path) -> None:
    budget, _ = read_budget(EXAMPLE_INPUT)
    line = budget.lines[0]
    odd = replace(budget, lines=(replace(line, function="2010307"), *budget.lines[1:]))
    write_budget_workbook(replace(odd, catalog=load_catalog(2022)), tmp_path / "in.xlsx")
    unknown = derive([tmp_path / "in.xlsx"])
    assert [f.code for f in unknown.findings if f.severity == "error"] == ["XB201"]
    extra = tmp_path / "自定义科目.csv"
    extra.write_text("类别,编码,名称\n功能分类,2010307,数字政府建设（地方增设）\n", encoding="utf-8-sig")
    known = derive([tmp_path / "in.xlsx"], catalog_files=[extra])
    assert [f for f in known.findings if f.severity == "error"] == []
    assert load_catalog(2022, [extra]).functional["2010307"].confidence == "U"


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_the_shipped_catalogs_are_rebuilt_identically_from_the_reference(tmp_path: Path) -> None:
    load_script("build_catalogs").build(REFERENCE, tmp_path)
    shipped = ROOT / "xlbudget" / "data" / "catalogs"
    names = sorted(p.name for p in shipped.iterdir())
    assert names == sorted(p.name for p in tmp_path.iterdir())
    for name in names:
        assert (tmp_path / name).read_bytes() == (shipped / name).read_bytes(), f"run scripts/build_catalogs.py ({name})"


def test_every_reference_row_is_shipped_with_its_name() -> None:
    for name, kind in (("functional", FUNCTIONAL), ("econ_dept", ECON_DEPT), ("econ_gov", ECON_GOV)):
        reference = _rows(REFERENCE / f"{name}.csv")
        shipped = load_catalog(2026).table(kind)
        assert len(reference) > 70
        assert [(r["code"], r["name"], r["level"], r["parent"]) for r in reference if r["code"] in shipped] == [
            (r["code"], shipped[r["code"]].name, shipped[r["code"]].level, shipped[r["code"]].parent)
            for r in reference]


def test_every_missing_subject_of_the_reference_is_added_with_its_name() -> None:
    added = [r for r in _rows(REFERENCE / "corrections-2.csv") if r["类别"].startswith("新增")]
    assert len(added) == 16
    catalog = load_catalog(2025)
    assert [(r["编码"], catalog.name(FUNCTIONAL, r["编码"])) for r in added] == [(r["编码"], r["应为名称"]) for r in added]
    parents = {r["编码"]: r["类别"].split("父")[1].split("；")[0].rstrip(")") for r in added}
    assert {code: catalog.functional[code].parent for code in parents} == parents


def test_confirmed_rows_have_the_suggested_grade_and_their_source() -> None:
    catalog = load_catalog(2024)
    confirmed = _rows(REFERENCE / "confirmed-2.csv")
    assert len(confirmed) == 46
    for row in confirmed:
        assert row["类别"] == "functional"
        entry = catalog.functional[row["编码"]]
        assert (row["编码"], entry.confidence) == (row["编码"], row["建议等级"][0])
    shipped = {r["code"]: r for r in _rows(ROOT / "xlbudget" / "data" / "catalogs" / "functional.csv")}
    assert [r["编码"] for r in confirmed if r["依据"].split(":")[0] not in shipped[r["编码"]]["sources"]] == []
    assert shipped["2060503"]["sources"] == "SH;XZ20912;KB" and shipped["2060503"]["n_sources"] == "2"
    assert shipped["20101"]["sources"] == "JS(2017-2019);KB" and shipped["20101"]["confidence"] == "C"


def test_social_work_subjects_exist_from_2024() -> None:
    assert "2013901" not in load_catalog(2023).functional
    for year in (2024, 2025, 2026):
        catalog = load_catalog(year)
        assert [catalog.name(FUNCTIONAL, c) for c in ("20139", "2013901", "2013950", "2013999")] == [
            "社会工作事务", "行政运行", "事业运行", "其他社会工作事务支出"]


def test_the_2025_revision_codes_exist_from_2025() -> None:
    revised = {"2170404": "中央金融机构注资特别国债支出", "22911": "中央金融机构注资特别国债财务基金支出",
               "23107": "中央金融机构注资特别国债还本支出"}
    assert {code: load_catalog(2025).name(FUNCTIONAL, code) for code in revised} == revised
    assert [code for code in revised if code in load_catalog(2024).functional] == []
    assert load_catalog(2024).is_leaf(FUNCTIONAL, "21704") and not load_catalog(2025).is_leaf(FUNCTIONAL, "21704")


def _year(year: int) -> Rows:
    return [INFO_HEAD, ["预算年度", str(year)], ["部门编码", "001"], ["部门名称", "测试部门"], ["金额单位", "万元"]]


def test_2013901_compiles_for_2024_with_its_name_and_is_refused_for_2023(tmp_path: Path) -> None:
    basic = [BASIC, [UNIT, "2013901", "30101", "一般公共预算", "100.00"]]
    old = derive([workbook(tmp_path, "2023.xlsx", 基本信息=_year(2023), 基本支出=basic)])
    assert [(f.code, str(f.where)) for f in old.findings if f.severity == ERROR] == [("XB201", "基本支出!B2")]
    new = CliRunner().invoke(main, ["compile", str(workbook(tmp_path, "2024.xlsx", 基本信息=_year(2024), 基本支出=basic)),
                                    "-o", str(tmp_path / "公开表.xlsx"), "--narrative", "none"])
    assert new.exit_code == 0, new.output
    sheet = openpyxl.load_workbook(tmp_path / "公开表.xlsx")["一般公共预算支出预算表"]
    rows = [[c for c in row if c not in (None, "")] for row in sheet.iter_rows(values_only=True)]
    assert [row[:5] for row in rows if row[:3] == ["201", "39", "01"]] == [["201", "39", "01", "行政运行", 100]]


def test_a_former_name_in_a_name_column_is_recognised_and_named(tmp_path: Path) -> None:
    lines = [[*PROJECT_LINES, "经济分类名称"], [PROJECT, "2010302", "31101", "一般公共预算", "10.00", "资金注入"]]
    found = findings(workbook(tmp_path, 项目支出=lines))
    assert [(f.code, f.severity, str(f.where), f.expected) for f in found if f.code != "XB208"] == [
        ("XB207", INFO, "项目支出!F2", "资本金注入")]
    assert "旧名称" in found[-1].message and "资本金注入" in found[-1].message


def test_former_class_and_item_names_are_known() -> None:
    catalog = load_catalog(2022)
    assert catalog.former_name(FUNCTIONAL, "210", "医疗卫生与计划生育支出") == Alias("医疗卫生与计划生育支出", "2018")
    assert catalog.former_name(FUNCTIONAL, "20805", " 行政事业单位离退休") == Alias("行政事业单位离退休", "2019")
    assert catalog.former_name(FUNCTIONAL, "20805", "卫生健康支出") is None
    assert catalog.name(FUNCTIONAL, "20805") == "行政事业单位养老支出"


def test_a_name_that_is_no_former_name_is_still_a_wrong_name(tmp_path: Path) -> None:
    basic = [[*BASIC, "功能分类名称"], [UNIT, "20805", "30101", "一般公共预算", "100.00", "行政事业单位离退休"]]
    assert [f.code for f in findings(workbook(tmp_path, "old.xlsx", 基本支出=basic))] == ["XB202", "XB207"]
    basic[1][-1] = "医疗卫生与计划生育支出"  # a former name, but of another code
    assert [f.code for f in findings(workbook(tmp_path, "other.xlsx", 基本支出=basic))] == ["XB202", "XB206"]


def test_names_from_unverified_rows_get_one_hint_listing_the_codes(tmp_path: Path) -> None:
    basic = [BASIC, [UNIT, "2040504", "30101", "一般公共预算", "60.00"], [UNIT, "2040505", "30101", "一般公共预算", "40.00"]]
    lines = [PROJECT_LINES, [PROJECT, "2010302", "30203", "一般公共预算", "10.00"]]
    found = [f for f in findings(workbook(tmp_path, 基本支出=basic, 项目支出=lines)) if f.code == "XB208"]
    assert [(f.severity, f.actual) for f in found] == [(INFO, "2040504、2040505、30203")]
    assert "2040504 案件审判、2040505 案件执行" in found[0].message and "30203→50205（行政）" in found[0].message
    assert "2022年《政府收支分类科目》" in found[0].hint


def test_one_code_mapped_differently_per_unit_kind_lists_both_mappings(tmp_path: Path) -> None:
    """30226 maps to 50205 for a 行政单位 and to 50502 for a 事业单位 (both unverified): the hint lists
    both, the same in every run (keyed by the whole mapping, not by whichever came last)."""
    units = [UNITS, [UNIT, "机关", "行政单位"], ["001002", "中心", "事业单位"]]
    basic = [BASIC, [UNIT, "2010301", "30226", "一般公共预算", "1.00"], ["001002", "2010350", "30226", "一般公共预算", "2.00"]]
    income = [INCOME, [UNIT, "一般公共预算", "1.00"], ["001002", "一般公共预算", "2.00"]]
    found = [f for f in findings(workbook(tmp_path, 单位=units, 基本支出=basic, 收入=income)) if f.code == "XB208"]
    assert len(found) == 1 and "30226→50205（行政）、30226→50502（事业）" in found[0].message


def test_verified_names_get_no_hint(luoyang: Outcome) -> None:
    assert [f for f in luoyang.findings if f.code == "XB208"] == []


def test_a_clerks_override_replaces_an_unverified_mapping(tmp_path: Path) -> None:
    lines = [[*PROJECT_LINES, "政府经济分类编码"], [PROJECT, "2010302", "30203", "一般公共预算", "10.00", "50299"]]
    assert [f.code for f in findings(workbook(tmp_path, 项目支出=lines)) if f.code == "XB208"] == []


@pytest.mark.parametrize(("year", "errors"), [(2024, ["XB201"]), (2025, [])])
def test_a_2025_revision_code_compiles_from_2025(tmp_path: Path, year: int, errors: list[str]) -> None:
    income = [INCOME, [UNIT, "一般公共预算", "100.00"], [UNIT, "政府性基金预算", "10.00"]]
    lines = [PROJECT_LINES, [PROJECT, "2170404", "30215", "政府性基金预算", "10.00"]]
    outcome = derive([workbook(tmp_path, 基本信息=_year(year), 收入=income, 项目支出=lines)])
    assert [f.code for f in outcome.findings if f.severity == ERROR] == errors
    if not errors:
        fund = next(t for t in outcome.tables if t.name == "政府性基金预算支出预算表")
        assert [r.cells[:5] for r in fund.rows if r.cells[0] == "217"] == [("217", "04", "04", None, "中央金融机构注资特别国债支出")]
