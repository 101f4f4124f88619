"""Catalogs by budget year, with provenance, extended by the clerk without a new release."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from tests.conftest import EXAMPLE_INPUT
from xlbudget.catalog import FUNCTIONAL, load_catalog
from xlbudget.pipeline import derive
from xlbudget.reader import read_budget
from xlbudget.template import write_budget_workbook


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


def test_the_shipped_catalog_is_the_reference_plus_year_validity() -> None:
    shipped = Path(__file__).resolve().parent.parent / "xlbudget" / "data" / "catalogs" / "functional.csv"
    reference = Path(__file__).resolve().parent.parent.parent / "shared" / "reference" / "catalogs" / "functional.csv"
    if reference.exists():  # beside the checkout on the team's machines and in CI
        assert len(shipped.read_text(encoding="utf-8").splitlines()) == len(
            reference.read_text(encoding="utf-8").splitlines())
