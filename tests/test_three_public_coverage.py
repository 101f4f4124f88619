"""三公 coverage: a project named for a 三公 item has money on its economic codes, and an item that
starts or stops is explained."""

from __future__ import annotations

from pathlib import Path

from tests.workbooks import BASE, KEYED, PROJECT, PROJECT_LINES, PROJECTS, UNIT, Rows, findings, workbook
from xlbudget.findings import WARNING


def _report(path: Path, *codes: str) -> list[tuple[str, str, str]]:
    return [(f.code, f.severity, str(f.where)) for f in findings(path) if f.code in codes]


def _prior(**values: str) -> Rows:
    given = {row[0]: row[1] for row in BASE["上年数"][1:]} | values
    return [KEYED, *[[key, value] for key, value in given.items()]]


def test_travel_abroad_booked_as_domestic_travel_is_a_warning_at_the_project_name(tmp_path: Path) -> None:
    projects = [PROJECTS, [PROJECT, "因公出国（境）经费", "其他运转类", UNIT]]
    lines = [PROJECT_LINES, [PROJECT, "2010302", "30211", "一般公共预算", "10.00"]]
    path = workbook(tmp_path, 项目=projects, 项目支出=lines)
    assert _report(path, "XB407") == [("XB407", WARNING, "项目!B2")]
    (found,) = [f for f in findings(path) if f.code == "XB407"]
    assert (found.expected, found.actual) == ("30212", "30211") and "出国" in found.message


def test_a_project_named_for_vehicles_with_money_on_vehicle_running_is_fine(tmp_path: Path) -> None:
    projects = [PROJECTS, [PROJECT, "公务用车运行维护费", "其他运转类", UNIT]]
    lines = [PROJECT_LINES, [PROJECT, "2010302", "30231", "一般公共预算", "10.00"]]
    assert _report(workbook(tmp_path, 项目=projects, 项目支出=lines), "XB407") == []


def test_an_item_that_had_money_last_year_and_none_now_needs_a_note(tmp_path: Path) -> None:
    prior = _prior(三公经费="5", **{"因公出国（境）费": "5"})
    assert _report(workbook(tmp_path, 上年数=prior), "XB508", "XB502") == [("XB508", WARNING, "上年数!B6")]
    notes = [*BASE["说明事项"], ["因公出国（境）费变动原因", "本年无出国（境）计划。"]]
    assert _report(workbook(tmp_path, "noted.xlsx", 上年数=prior, 说明事项=notes), "XB508") == []


def test_an_item_new_this_year_needs_a_note(tmp_path: Path) -> None:
    lines = [PROJECT_LINES, [PROJECT, "2010302", "30217", "一般公共预算", "10.00"]]
    assert _report(workbook(tmp_path, 项目支出=lines), "XB508", "XB502") == [("XB502", WARNING, "说明事项")]
