"""上年数 agree with themselves: a total equals the sum of its parts, reported at the total's cell."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from tests.conftest import ROOT
from tests.workbooks import BASE, KEYED, Rows, findings, workbook
from xlbudget.findings import ERROR
from xlbudget.pipeline import derive

QUFUBAN = ROOT / "examples" / "shanghai-2025-qufuban" / "input.xlsx"


def _prior(**values: str) -> Rows:
    """BASE's 上年数 with some values replaced or added."""
    given = {row[0]: row[1] for row in BASE["上年数"][1:]} | values
    return [KEYED, *[[key, value] for key, value in given.items()]]


def _sums(path: Path, profile: str = "henan-2022") -> list[tuple[str, str, str, str]]:
    return [(f.code, str(f.where), f.expected, f.actual)
            for f in derive([path], profile=profile).findings if f.code == "XB507"]


def test_a_three_public_total_that_is_not_its_parts_is_an_error_at_its_cell(tmp_path: Path) -> None:
    prior = _prior(三公经费="10", **{"因公出国（境）费": "2", "公务用车购置费": "0", "公务用车运行维护费": "3", "公务接待费": "4"})
    path = workbook(tmp_path, 上年数=prior)
    assert _sums(path) == [("XB507", "上年数!B5", "9.00 万元", "10.00 万元")]
    assert [f.severity for f in findings(path) if f.code == "XB507"] == [ERROR]


def test_parts_copied_from_a_rounded_disclosure_may_be_off_by_a_rounding_tail(tmp_path: Path) -> None:
    prior = _prior(三公经费="10.01", **{"因公出国（境）费": "3.33", "公务用车购置费": "0", "公务用车运行维护费": "3.34",
                                      "公务接待费": "3.33"})
    assert _sums(workbook(tmp_path, 上年数=prior)) == []


def test_vehicle_purchase_and_running_total_typed_by_the_clerk_is_checked(tmp_path: Path) -> None:
    prior = _prior(公务用车购置及运行费="5", 公务用车购置费="1", 公务用车运行维护费="3")
    found = _sums(workbook(tmp_path, 上年数=prior))
    assert ("XB507", "上年数!B11", "4.00 万元", "5.00 万元") in found


def test_shanghai_fiscal_expenditure_equals_its_three_budgets(tmp_path: Path) -> None:
    book = openpyxl.load_workbook(QUFUBAN)
    sheet = book["上年数"]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == "财政拨款支出")
    row[1].value = float(row[1].value or 0) + 1000
    book.save(tmp_path / "区府办.xlsx")
    found = _sums(tmp_path / "区府办.xlsx", "shanghai-unit")
    assert [(code, where) for code, where, _, _ in found] == [("XB507", f"上年数!B{row[0].row}")]
    assert _sums(QUFUBAN, "shanghai-unit") == []
