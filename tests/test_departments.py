"""Departments of several units: merged unit workbooks and batch compilation."""

from __future__ import annotations

import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest

from tests.conftest import EXAMPLE_INPUT
from tests.strategies import generate_budget
from xlbudget.batch import OK, discover, run_batch
from xlbudget.model import Budget
from xlbudget.pipeline import derive
from xlbudget.reader import read_budget
from xlbudget.tables.base import UNIT
from xlbudget.template import write_budget_workbook


def department(seed: int, units: int, lines: int, projects: int) -> Budget:
    return generate_budget(seed=seed, units=units, lines=lines, projects=projects, clean=True)


def split_by_unit(budget: Budget) -> list[Budget]:
    """One budget per unit, as each unit would fill its own workbook."""
    parts = []
    for unit in budget.units:
        projects = tuple(p for p in budget.projects if p.unit == unit.code)
        codes = {p.code for p in projects}
        parts.append(replace(
            budget, units=(unit,), projects=projects,
            incomes=tuple(i for i in budget.incomes if i.unit == unit.code),
            lines=tuple(ln for ln in budget.lines if ln.unit == unit.code),
            indicators=tuple(i for i in budget.indicators if i.project in codes), prior={}))
    return parts


def cells(outcome) -> list[list[tuple]]:  # type: ignore[no-untyped-def]
    return [[r.cells for r in t.rows] for t in outcome.tables]


def test_merging_unit_workbooks_equals_one_workbook(tmp_path: Path) -> None:
    budget = department(seed=7, units=3, lines=120, projects=9)
    write_budget_workbook(budget, tmp_path / "部门.xlsx")
    parts = []
    for index, part in enumerate(split_by_unit(budget)):
        parts.append(tmp_path / f"单位{index}.xlsx")
        write_budget_workbook(part, parts[-1], amount_unit="元" if index == 1 else "万元")
    whole, merged = derive([tmp_path / "部门.xlsx"]), derive(parts)
    assert cells(merged) == cells(whole)
    assert [f for f in merged.findings if f.severity == "error"] == []


def test_a_unit_in_two_files_is_an_error_naming_both(tmp_path: Path) -> None:
    shutil.copy(EXAMPLE_INPUT, tmp_path / "a.xlsx")
    shutil.copy(EXAMPLE_INPUT, tmp_path / "b.xlsx")
    outcome = derive([tmp_path / "a.xlsx", tmp_path / "b.xlsx"])
    dup = [f for f in outcome.findings if f.code == "XB111"]
    assert len(dup) == 1 and "a.xlsx" in dup[0].message and "b.xlsx" in dup[0].message


def test_every_table_shows_each_unit_block(tmp_path: Path) -> None:
    budget = department(seed=3, units=4, lines=200, projects=8)
    write_budget_workbook(budget, tmp_path / "部门.xlsx")
    outcome = derive([tmp_path / "部门.xlsx"])
    units = {line.unit for line in budget.lines}
    assert len(units) == 4
    for key in ("t02", "t03", "t07", "t08", "t11"):
        table = next(t for t in outcome.tables if t.key == key)
        shown = {str(c) for r in table.rows if r.kind == UNIT for c in r.cells if isinstance(c, str)}
        assert units <= shown, (table.name, units - shown)


def make_bureau(folder: Path, count: int) -> None:
    folder.mkdir()
    example, _ = read_budget(EXAMPLE_INPUT)
    for index in range(count):  # the example as different departments (部门编码 differ)
        write_budget_workbook(replace(example, dept_code=f"9{index:05d}"), folder / f"部门{index:03d}.xlsx")
    (folder / "坏文件.xlsx").write_text("not a workbook", encoding="utf-8")
    unit_folder = folder / "多单位部门"
    unit_folder.mkdir()
    for index, part in enumerate(split_by_unit(department(seed=11, units=2, lines=60, projects=4))):
        write_budget_workbook(part, unit_folder / f"单位{index}.xlsx")


def test_batch_compiles_each_department_and_survives_a_bad_one(tmp_path: Path) -> None:
    make_bureau(tmp_path / "in", 4)
    done = subprocess.run([sys.executable, "-m", "xlbudget", "compile", "--batch", str(tmp_path / "in"),
                           "--out-dir", str(tmp_path / "out"), "--jobs", "2", "--narrative", "md"],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 1, done.stderr  # the bad file fails, the others are compiled
    assert "共 6 个部门，成功 5 个" in done.stdout
    assert len(list((tmp_path / "out").glob("*_公开表.xlsx"))) == 5
    assert len(list((tmp_path / "out").glob("*_预算说明.md"))) == 5  # the compile options reach every department
    assert not list((tmp_path / "out").glob("*.docx"))
    summary = openpyxl.load_workbook(tmp_path / "out" / "汇总.xlsx")
    assert {"汇总", "按功能分类", "按资金来源"} <= set(summary.sheetnames)
    rows = list(summary["汇总"].iter_rows(values_only=True))
    assert any(r[0] == "坏文件" and r[2] == "无法读取" for r in rows)
    assert any(r[0] == "部门000" and r[2] == OK for r in rows)


def test_batch_results_do_not_depend_on_process_count(tmp_path: Path) -> None:
    make_bureau(tmp_path / "in", 3)
    jobs = discover(tmp_path / "in", tmp_path / "out")
    one = sorted((r.name, r.status, r.figures) for r in run_batch(jobs, 1))
    two = sorted((r.name, r.status, r.figures) for r in run_batch(jobs, 2))
    assert one == two and len(one) == 5


def test_a_50_unit_department_keeps_every_identity(tmp_path: Path) -> None:
    """The property tests' assertions on one large generated department (50 units)."""
    from tests import test_properties as props

    budget = department(seed=50, units=50, lines=3_000, projects=120)
    for test in (props.test_totals_are_sums_of_unit_rows_and_unit_rows_of_details,
                 props.test_columns_add_up_within_each_row, props.test_two_sided_tables_add_up,
                 props.test_tables_agree_with_each_other_and_with_the_lines, props.test_no_line_is_dropped):
        test.hypothesis.inner_test(budget)  # type: ignore[attr-defined]
    write_budget_workbook(budget, tmp_path / "大部门.xlsx")
    outcome = derive([tmp_path / "大部门.xlsx"])
    assert outcome.exit_code == 0
    assert not [f for f in outcome.findings if f.code in ("XB302", "XB304")]
    spending = next(t for t in outcome.tables if t.key == "t03")
    assert len(spending.rows_of(UNIT)) == 50


def summary_rows(path: Path, sheet: str) -> list[tuple]:  # type: ignore[type-arg]
    return list(openpyxl.load_workbook(path)[sheet].iter_rows(values_only=True))


def test_a_copy_of_a_department_is_refused_and_not_counted_twice(tmp_path: Path) -> None:
    """``洛阳 - 副本.xlsx`` beside ``洛阳.xlsx``: same 部门编码, so the copy is an error naming both files
    and 汇总's 合计 holds the department once (3846.29 万元 收入总计, the example's, from the seed)."""
    (tmp_path / "in").mkdir()
    shutil.copy(EXAMPLE_INPUT, tmp_path / "in" / "洛阳.xlsx")
    shutil.copy(EXAMPLE_INPUT, tmp_path / "in" / "洛阳 - 副本.xlsx")
    done = subprocess.run([sys.executable, "-m", "xlbudget", "compile", "--batch", str(tmp_path / "in"),
                           "--out-dir", str(tmp_path / "out"), "--jobs", "1", "--narrative", "md"],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 1, done.stderr
    assert "“洛阳 - 副本.xlsx”与“洛阳.xlsx”的部门编码同为" in done.stdout
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["汇总.xlsx", "洛阳_公开表.xlsx",
                                                                    "洛阳_公开表_预算说明.md"]
    rows = summary_rows(tmp_path / "out" / "汇总.xlsx", "汇总")
    total = next(r for r in rows if r[0] == "合计")
    assert total[6] == pytest.approx(3846.29)
    copy = next(r for r in rows if r[0] == "洛阳 - 副本")
    assert copy[2:4] == ("部门编码重复", "否")
    assert any(r[0] == "合计含 1 个部门：洛阳。未计入合计 1 个：洛阳 - 副本（部门编码重复）。" for r in rows)
    by_class = summary_rows(tmp_path / "out" / "汇总.xlsx", "按功能分类")
    assert next(r for r in by_class if r[0] == "合计")[2] == pytest.approx(3846.29)


def test_departments_with_errors_are_marked_and_left_out_of_the_totals(tmp_path: Path) -> None:
    example, _ = read_budget(EXAMPLE_INPUT)
    wrong = replace(example, dept_code="900001", incomes=example.incomes[1:])  # income no longer = spending
    (tmp_path / "in").mkdir()
    write_budget_workbook(example, tmp_path / "in" / "甲.xlsx")
    write_budget_workbook(wrong, tmp_path / "in" / "乙.xlsx")
    done = subprocess.run([sys.executable, "-m", "xlbudget", "compile", "--batch", str(tmp_path / "in"),
                           "--out-dir", str(tmp_path / "out"), "--jobs", "1", "--narrative", "none", "--force"],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 1, done.stderr
    rows = summary_rows(tmp_path / "out" / "汇总.xlsx", "汇总")
    assert next(r for r in rows if r[0] == "乙")[2:4] == ("有错误", "否")
    assert next(r for r in rows if r[0] == "甲")[2:4] == ("成功", "是")
    assert next(r for r in rows if r[0] == "合计")[7] == pytest.approx(3846.29)  # 支出总计: 甲 only
