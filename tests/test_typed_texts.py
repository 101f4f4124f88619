"""The texts clerks type are checked: each defect found in published documents is a warning at the
text's cell."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.workbooks import BASE, KEYED, PROJECT, PROJECT_LINES, Rows, findings, workbook
from xlbudget.findings import WARNING
from xlbudget.pipeline import derive

PURPOSES = ["功能分类编码", "主要用途"]
EXAMPLES = {"luoyang-2022": "henan-2022", "shanghai-2025-qufuban": "shanghai-unit",
            "shanghai-2025-shangwuwei": "shanghai-department"}


def _notes(*rows: list[str]) -> Rows:
    return [*BASE["说明事项"], *rows]


def _texts(path: Path, profile: str = "henan-2022") -> list[tuple[str, str, str]]:
    found = findings(path) if profile == "henan-2022" else derive([path], profile=profile).findings
    return [(f.code, f.severity, str(f.where)) for f in found if f.code.startswith("XB6")]


@pytest.mark.parametrize(("key", "text", "code"), [
    ("收入变动原因", "收入比上年增加，主要原因是。", "XB601"),
    ("财政拨款变动原因", "财政拨款增加增加，主要是项目经费增加。", "XB602"),
    ("主要职能", "上海市普陀区商务委员会2022年部门预算包括本部门所属单位。", "XB603"),
    ("财政拨款变动原因", "比2022年预算增加，主要是项目经费增加。", "XB604"),
    ("机构设置", "测试部门内设3个处室。", None),
])
def test_a_defect_in_a_note_is_a_warning_at_its_cell(tmp_path: Path, key: str, text: str, code: str | None) -> None:
    path = workbook(tmp_path, 说明事项=_notes([key, text]))
    assert _texts(path) == ([(code, WARNING, "说明事项!B5")] if code else [])


def test_the_departments_own_name_or_its_short_form_is_no_defect(tmp_path: Path) -> None:
    path = workbook(tmp_path, 说明事项=_notes(["主要职能", "测试部门2022年预算包括本部门所属单位。"],
                                              ["机构设置", "本部门与上海市普陀区财政局合署办公。"]))
    assert _texts(path) == []


def test_an_amount_in_a_reason_that_contradicts_the_tables(tmp_path: Path) -> None:
    """收入总计 is 110 万元 against 100 万元 last year: the reason says the change, wrongly."""
    prior = [KEYED, *[[k, "100" if k == "收入总计" else v] for k, v in BASE["上年数"][1:]]]
    wrong = workbook(tmp_path, 上年数=prior, 说明事项=_notes(["收入变动原因", "收入增加5万元，主要是会议增加。"]))
    assert _texts(wrong) == [("XB605", WARNING, "说明事项!B5")]
    (found,) = [f for f in findings(wrong) if f.code == "XB605"]
    assert (found.expected, found.actual) == ("增加 10.00 万元", "增加 5.00 万元")
    right = workbook(tmp_path, "right.xlsx", 上年数=prior, 说明事项=_notes(["收入变动原因", "收入增加10万元，主要是会议增加。"]))
    assert _texts(right) == []


def test_a_purpose_naming_another_kind_of_subject(tmp_path: Path) -> None:
    lines = [PROJECT_LINES, [PROJECT, "2210201", "30113", "一般公共预算", "10.00"]]
    purposes = [PURPOSES, ["2010301", "主要用于机关日常运转。"], ["2210201", "主要用于按规定为职工缴纳的医疗保险。"]]
    path = workbook(tmp_path, 项目支出=lines, 功能科目用途=purposes)
    assert _texts(path, "shanghai-unit") == [("XB606", WARNING, "功能科目用途!B3")]
    purposes[2][1] = "主要用于按规定为职工缴纳的住房公积金。"
    assert _texts(workbook(tmp_path, "ok.xlsx", 项目支出=lines, 功能科目用途=purposes), "shanghai-unit") == []


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_the_bundled_examples_have_no_text_defect(name: str) -> None:
    outcome = derive([ROOT / "examples" / name / "input.xlsx"], profile=EXAMPLES[name])
    assert [f.code for f in outcome.findings if f.code.startswith("XB6")] == []
