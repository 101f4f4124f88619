"""The input contract is versioned: a later version only adds optional inputs, so workbooks made
from an earlier template keep reading; the template writes what the chosen version asks for."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest

from tests.conftest import EXAMPLE_INPUT
from xlbudget import contract
from xlbudget.catalog import load_catalog
from xlbudget.contract import CONTRACT_V1, CURRENT, Column
from xlbudget.reader import read_budget
from xlbudget.template import write_template

V2 = CONTRACT_V1.extended(2, columns={"项目": (Column("主要用途", required=False, width=40),)},
                          note_keys=("资产统计日期",))


def test_current_is_a_known_version() -> None:
    assert contract.CONTRACTS[CURRENT.version] is CURRENT and CURRENT.sheets == contract.SHEETS


def test_a_workbook_of_the_earlier_template_reads_the_same_under_a_later_version() -> None:
    old, old_found = read_budget(EXAMPLE_INPUT)
    new, new_found = read_budget(EXAMPLE_INPUT, version=V2)
    assert new == old and [f.code for f in new_found] == [f.code for f in old_found]


def test_the_template_of_a_later_version_asks_for_its_additions(tmp_path: Path) -> None:
    path = tmp_path / "模板.xlsx"
    write_template(path, 2026, load_catalog(2026), version=V2)
    book = openpyxl.load_workbook(path)
    assert [c.value for c in book["项目"][1]][-1] == "主要用途"
    assert "资产统计日期" in [c.value for c in book["说明事项"]["A"]]
    budget, _ = read_budget(path, version=V2)
    assert budget.projects == ()


def test_a_note_of_a_later_version_is_read(tmp_path: Path) -> None:
    budget, _ = read_budget(EXAMPLE_INPUT)
    path = tmp_path / "v2.xlsx"
    write_template(path, budget.year, budget.catalog, replace(budget, notes=budget.notes | {"资产统计日期": "2024年12月31日"}),
                   amount_unit=budget.amount_unit, version=V2)
    again, found = read_budget(path, version=V2)
    assert again.notes["资产统计日期"] == "2024年12月31日"


def test_a_later_version_may_not_require_new_inputs() -> None:
    with pytest.raises(ValueError, match="only add optional inputs"):
        CONTRACT_V1.extended(2, columns={"项目": (Column("主要用途"),)})
