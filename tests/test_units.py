"""Input in 元 is converted exactly and rounded once, for display in 万元."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from tests.conftest import EXAMPLE_INPUT
from xlbudget.money import to_display, to_fen
from xlbudget.pipeline import compile_workbook, derive
from xlbudget.reader import read_budget
from xlbudget.template import write_budget_workbook


def money_cells(path: Path) -> dict[str, list[float]]:
    workbook = openpyxl.load_workbook(path)
    return {ws.title: [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, float | int)]
            for ws in workbook.worksheets}


def test_example_in_yuan_compiles_to_the_same_workbook_figures(tmp_path: Path) -> None:
    budget, _ = read_budget(EXAMPLE_INPUT)
    write_budget_workbook(budget, tmp_path / "元.xlsx", amount_unit="元")
    assert compile_workbook([tmp_path / "元.xlsx"], tmp_path / "a.xlsx").exit_code == 0
    assert compile_workbook([EXAMPLE_INPUT], tmp_path / "b.xlsx").exit_code == 0
    assert money_cells(tmp_path / "a.xlsx") == money_cells(tmp_path / "b.xlsx")


@pytest.mark.parametrize(("yuan", "shown"), [
    ("123456.78", "12.35"), ("123449.99", "12.34"), ("50.00", "0.01"), ("49.99", "0.00"), ("0.01", "0.00"),
])
def test_yuan_amount_is_rounded_once_for_display(tmp_path: Path, yuan: str, shown: str) -> None:
    budget, _ = read_budget(EXAMPLE_INPUT)
    fen = to_fen(yuan, "元")
    line = replace(budget.lines[0], amount=fen)
    income = replace(budget.incomes[0], amount=sum(x.amount for x in budget.lines[1:]) + fen)
    odd = replace(budget, lines=(line, *budget.lines[1:]), incomes=(income,))
    write_budget_workbook(odd, tmp_path / "元.xlsx", amount_unit="元")
    outcome = derive([tmp_path / "元.xlsx"])
    summary = next(t for t in outcome.tables if t.name == "一般公共预算基本支出预算表")
    row = next(r for r in summary.rows if r.cells[0] == line.econ)
    assert to_display(row.cells[4]) == Decimal(shown)
    compiled = compile_workbook([tmp_path / "元.xlsx"], tmp_path / "out.xlsx")  # balanced: no error, no --force
    assert (compiled.exit_code, [f.code for f in compiled.findings if f.severity == "error"]) == (0, [])
    sheet = openpyxl.load_workbook(tmp_path / "out.xlsx")["一般公共预算基本支出预算表"]
    cell = next(r for r in sheet.iter_rows(values_only=True) if r[0] == line.econ)
    assert Decimal(repr(cell[4] or 0.0)) == Decimal(shown)
