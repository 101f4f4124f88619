"""A 金额单位 declared wrongly is an error at 基本信息 (XB143), and a 说明事项 amount in the wrong unit a
warning (XB144): the example workbooks edited in their cells as a clerk would, then checked."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest

from tests.conftest import EXAMPLE_INPUT, ROOT, example_profile
from tests.strategies import generate_budget
from tests.workbooks import BASE, BASIC, INCOME, NOTES, UNIT, info, workbook
from xlbudget.catalog import load_catalog
from xlbudget.findings import ERROR, WARNING
from xlbudget.model import note_amount
from xlbudget.pipeline import derive
from xlbudget.profile import load_profile
from xlbudget.reader import read_budget
from xlbudget.template import write_budget_workbook, write_template

QUFUBAN = ROOT / "examples" / "shanghai-2025-qufuban"
EXAMPLES = [EXAMPLE_INPUT.parent, QUFUBAN, ROOT / "examples" / "shanghai-2025-shangwuwei"]


def edited(source: Path, target: Path, sheet: str, key: str, value: str | None) -> Path:
    """``source`` with the 内容/金额 of ``key`` in ``sheet`` set to ``value`` (None: the row's value cleared)."""
    book = openpyxl.load_workbook(source)
    ws = book[sheet]
    row = next(r for r in ws.iter_rows(min_row=2) if str(r[0].value).startswith(key))
    row[1].value = value
    book.save(target)
    return target


def clear_prior(path: Path) -> Path:
    book = openpyxl.load_workbook(path)
    for row in book["上年数"].iter_rows(min_row=2):
        row[1].value = None
    book.save(path)
    return path


def codes(path: Path, profile: str, code: str) -> list[tuple[str, str, str]]:
    return [(f.severity, str(f.where), f.message) for f in derive([path], profile=profile).findings if f.code == code]


@pytest.mark.parametrize("prior", ["filled", "empty"])
def test_yuan_figures_declared_as_wan_are_an_error_at_the_unit(tmp_path: Path, prior: str) -> None:
    path = edited(QUFUBAN / "input.xlsx", tmp_path / "区府办.xlsx", "基本信息", "金额单位", "万元")
    if prior == "empty":
        clear_prior(path)
    found = codes(path, "shanghai-unit", "XB143")
    assert [(s, w) for s, w, _ in found] == [(ERROR, "基本信息!B5")]
    message = found[0][2]
    assert "按万元读" in message and "支出合计 91,016,775.35 万元" in message  # 91,016,775.35 typed, read as 万元
    assert "按元读" in message and "支出合计 9,101.68 万元" in message


def test_wan_figures_declared_as_yuan_are_an_error_at_the_unit(tmp_path: Path) -> None:
    path = edited(EXAMPLE_INPUT, tmp_path / "洛阳.xlsx", "基本信息", "金额单位", "元")
    found = codes(path, "henan-2022", "XB143")
    assert [(s, w) for s, w, _ in found] == [(ERROR, "基本信息!B5")]
    assert "支出合计 0.38 万元" in found[0][2] and "支出合计 3,846.29 万元" in found[0][2]


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_no_alarm_on_the_examples(example: Path) -> None:
    findings = derive([example / "input.xlsx"], profile=example_profile(example)).findings
    assert [f for f in findings if f.code in ("XB143", "XB144")] == []


@pytest.mark.parametrize("unit", ["元", "万元"])
def test_no_alarm_on_generated_departments(tmp_path: Path, unit: str) -> None:
    path = tmp_path / "部门.xlsx"
    write_budget_workbook(generate_budget(seed=3, units=3, lines=60, projects=6, clean=True), path, amount_unit=unit)
    assert [f.code for f in derive([path]).findings if f.code == "XB143"] == []


def test_no_alarm_on_a_small_real_budget(tmp_path: Path) -> None:
    """A unit of 3.05 万元 in 元: five lines of 2,000 to 12,500 元."""
    lines = [[UNIT, "2010301", econ, "一般公共预算", amount] for econ, amount in
             (("30101", "12500.00"), ("30102", "8000.00"), ("30201", "3000.00"), ("30211", "5000.00"),
              ("30215", "2000.00"))]
    path = workbook(tmp_path, 基本信息=info("元"), 收入=[INCOME, [UNIT, "一般公共预算", "30500.00"]],
                    基本支出=[BASIC, *lines], 项目=BASE["项目"][:1], 项目支出=BASE["项目支出"][:1], 绩效目标=None)
    assert [f.code for f in derive([path]).findings if f.code == "XB143"] == []


def test_a_procurement_typed_in_wan_in_a_yuan_workbook_is_a_warning(tmp_path: Path) -> None:
    path = edited(QUFUBAN / "input.xlsx", tmp_path / "区府办.xlsx", "说明事项", "政府采购服务", "34")
    found = codes(path, "shanghai-unit", "XB144")
    assert [(s, w) for s, w, _ in found] == [(WARNING, "说明事项!B13")]  # the 政府采购服务 cell
    assert "按元读为 34.00 元" in found[0][2] and "9,101.68 万元" in found[0][2] and "应为 34.00 万元" in found[0][2]


def test_a_procurement_with_its_unit_typed_is_read_in_it(tmp_path: Path) -> None:
    path = edited(QUFUBAN / "input.xlsx", tmp_path / "区府办.xlsx", "说明事项", "政府采购服务", "34万元")
    assert codes(path, "shanghai-unit", "XB144") == []


def test_each_workbook_of_a_department_is_judged_alone(tmp_path: Path) -> None:
    shutil.copy(QUFUBAN / "input.xlsx", tmp_path / "本部.xlsx")
    wrong = edited(QUFUBAN / "input.xlsx", tmp_path / "错.xlsx", "基本信息", "金额单位", "万元")
    findings = derive([tmp_path / "本部.xlsx", wrong], profile="shanghai-department").findings
    assert [(f.where.file, str(f.where)) for f in findings if f.code == "XB143"] == [("错.xlsx", "基本信息!B5")]


@pytest.mark.parametrize("unit", ["元", "万元"])
def test_the_template_says_the_unit_of_note_amounts(tmp_path: Path, unit: str) -> None:
    path = tmp_path / "模板.xlsx"
    write_template(path, 2025, load_catalog(2025), amount_unit=unit, version=load_profile("shanghai-unit").input_contract)
    labels = [row[0] for row in openpyxl.load_workbook(path)["说明事项"].iter_rows(min_row=2, values_only=True)]
    assert [label for label in labels if str(label).startswith("政府采购")] == [
        f"政府采购货物（{unit}）", f"政府采购工程（{unit}）", f"政府采购服务（{unit}）",
        f"政府采购预留中小企业（{unit}）", f"政府采购预留小微企业（{unit}）"]
    assert "资产统计日期" in labels and "主要职能" in labels


@pytest.mark.parametrize(("label", "typed", "fen"), [
    ("政府采购服务", "34", 34_0000_00),  # a template before the unit was written: the 金额单位 (万元)
    ("政府采购服务（元）", "340000", 34_0000_00),  # the label's unit
    ("政府采购服务(万元)", "34", 34_0000_00),  # half-width brackets
    ("政府采购服务（元）", "34万元", 34_0000_00),  # the unit typed after the number wins
])
def test_note_amounts_are_read_in_the_unit_they_say(tmp_path: Path, label: str, typed: str, fen: int) -> None:
    path = workbook(tmp_path, 说明事项=[NOTES, ["主要职能", "测试。"], [label, typed]])
    budget, findings = read_budget(path)
    assert note_amount(budget, "政府采购服务") == fen
    assert [f.code for f in findings] == []


def test_a_note_in_another_unit_survives_a_rewrite(tmp_path: Path) -> None:
    path = workbook(tmp_path, 说明事项=[NOTES, ["政府采购服务（元）", "340000"]])  # 基本信息 says 万元
    budget, _ = read_budget(path)
    write_budget_workbook(budget, tmp_path / "again.xlsx")
    again, _ = read_budget(tmp_path / "again.xlsx")
    assert note_amount(again, "政府采购服务") == note_amount(budget, "政府采购服务") == 34_0000_00
