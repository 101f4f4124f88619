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


def test_every_optional_input_adds_something_new_and_optional() -> None:
    """An optional input registered in contract.INPUTS repeats neither the core template nor another
    input (a count's 拟购置 key may be new for a core count, 其他用车), and each is optional."""
    sheets = [s.name for s in CONTRACT_V1.sheets]
    columns = [(s.name, c.header) for s in CONTRACT_V1.sheets for c in s.columns]
    prior, notes = list(CONTRACT_V1.prior_keys), list(CONTRACT_V1.note_keys)
    for item in contract.INPUTS.values():
        sheets += [s.name for s in item.sheets]
        columns += [(sheet, c.header) for sheet, c in item.columns]
        prior += item.prior_keys
        notes += [*item.note_keys, *(k for k in item.counts if k not in CONTRACT_V1.note_keys),
                  *(contract.PLANNED + k for k in item.counts)]
        assert not any(s.required for s in item.sheets) and not any(c.required for _, c in item.columns)
        assert item.guide and item.name == item.name.strip()
    for listed in (sheets, columns, prior, notes):
        assert len(listed) == len(set(listed)), [x for x in listed if listed.count(x) > 1]


def test_a_name_that_is_no_optional_input_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown optional inputs"):
        CONTRACT_V1.with_inputs(("功能科目用途", "车辆"))
    former = contract.LEGACY_CONTRACTS[2]
    assert former[0] in contract.CONTRACTS and CONTRACT_V1.with_inputs(former[1]).inputs == former[1]
