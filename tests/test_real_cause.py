"""The real cause first: a finding another finding explains is not repeated, and figures the
chosen format prints nowhere raise no warnings."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from tests.conftest import ROOT
from tests.workbooks import BASIC, INCOME, KEYED, UNIT, findings, workbook
from xlbudget.findings import ERROR, WARNING
from xlbudget.pipeline import derive

QUFUBAN = ROOT / "examples" / "shanghai-2025-qufuban" / "input.xlsx"
SHANGWUWEI = ROOT / "examples" / "shanghai-2025-shangwuwei" / "input.xlsx"


def _report(path: Path, profile: str = "henan-2022") -> list[tuple[str, str, str]]:
    return [(f.code, f.severity, str(f.where)) for f in derive([path], profile=profile).findings]


def test_one_unregistered_unit_code_is_one_error(tmp_path: Path) -> None:
    """The clerk typed 001009 for 001001 on two basic lines: the unit is unknown, its lines have no
    单位类型 for the mapping and its money upsets the per-unit balance — one cause, one finding."""
    basic = [BASIC, [UNIT, "2010301", "30101", "一般公共预算", "40.00"],
             ["001009", "2010301", "30101", "一般公共预算", "30.00"],
             ["001009", "2010301", "30102", "一般公共预算", "30.00"]]
    path = workbook(tmp_path, 基本支出=basic)
    assert [(c, s, w) for c, s, w in _report(path) if s == ERROR] == [("XB122", ERROR, "基本支出!A3")]
    (cause,) = [f for f in findings(path) if f.code == "XB122"]
    assert "001009" in cause.message and "基本支出!A3、基本支出!A4" in cause.message


def test_an_imbalance_the_unit_code_does_not_explain_is_still_reported(tmp_path: Path) -> None:
    basic = [BASIC, [UNIT, "2010301", "30101", "一般公共预算", "40.00"], ["001009", "2010301", "30101", "一般公共预算", "30.00"]]
    path = workbook(tmp_path, 基本支出=basic, 收入=[INCOME, [UNIT, "一般公共预算", "90.00"]])
    assert [c for c, s, _ in _report(path) if s == ERROR] == ["XB301", "XB122"]


def test_a_correct_shanghai_workbook_has_no_warning_about_government_economic_codes() -> None:
    """No Shanghai table prints the 政府经济分类: its mapping (XB205, XB208) is never needed there."""
    for path, profile in ((QUFUBAN, "shanghai-unit"), (SHANGWUWEI, "shanghai-department")):
        assert [c for c, _, _ in _report(path, profile) if c in ("XB204", "XB205", "XB208")] == []


def test_the_same_missing_mapping_is_a_warning_where_the_format_prints_it(tmp_path: Path) -> None:
    basic = [BASIC, [UNIT, "2010301", "30107", "一般公共预算", "100.00"]]
    assert ("XB205", WARNING, "基本支出!C2") in _report(workbook(tmp_path, 基本支出=basic))


def test_an_empty_prior_year_sheet_is_one_finding_listing_what_the_narrative_leaves_out(tmp_path: Path) -> None:
    found = [f for f in findings(workbook(tmp_path, 上年数=[KEYED])) if f.code.startswith("XB5")]
    assert [(f.code, str(f.where)) for f in found] == [("XB501", "上年数")]
    assert found[0].expected == ("收入总计、财政拨款收入、一般公共预算支出、三公经费、因公出国（境）费、公务用车购置费、"
                                 "公务用车运行维护费、公务接待费")


def test_an_emptied_shanghai_prior_year_sheet_is_one_finding(tmp_path: Path) -> None:
    book = openpyxl.load_workbook(QUFUBAN)
    for row in book["上年数"].iter_rows(min_row=2):
        for cell in row:
            cell.value = None
    book.save(tmp_path / "区府办.xlsx")
    found = [f for f in derive([tmp_path / "区府办.xlsx"], profile="shanghai-unit").findings if f.where.sheet == "上年数"]
    assert [(f.code, f.severity) for f in found] == [("XB501", WARNING)]
    assert "三公经费" in found[0].expected and "公务接待费" in found[0].expected
