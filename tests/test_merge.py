"""A 部门 from several unit workbooks keeps every text and sums every 说明事项 figure, whatever the order
of the files: the 区府办-like department of tests/department.py (本部 + 交流服务中心)."""

from __future__ import annotations

import itertools
import shutil
from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.department import (
    CENTRE_FUNCTIONS,
    CENTRE_PROJECT_NAME,
    CENTRE_PURPOSES,
    PROFILE,
    QUFUBAN,
    STATEMENT,
    centre_budget,
    write_department,
)
from tests.strategies import catalog, texts
from xlbudget.consolidate import head_unit, merge_budgets
from xlbudget.findings import Location
from xlbudget.model import Budget, Unit, note_amount, note_count
from xlbudget.pipeline import Outcome, compile_workbook
from xlbudget.profile import load_profile
from xlbudget.template import write_budget_workbook

OUTPUTS = ("公开表.xlsx", "公开表_预算说明.docx", "公开表_预算说明.md")


def cell_of(path: Path, sheet: str, key: str, header: str) -> str:
    """``[file]sheet!B7``: the cell under ``header`` in the row whose first cell is ``key``, read
    with openpyxl from the clerk's workbook."""
    rows = list(openpyxl.load_workbook(path, read_only=True)[sheet].iter_rows(values_only=True))
    column = rows[0].index(header)
    labels = (key, f"{key}（元）", f"{key}（万元）")  # amount keys say their unit
    number = next(i for i, row in enumerate(rows, start=1) if str(row[0]) in labels)
    return f"[{path.name}]{sheet}!{'ABCDEFGH'[column]}{number}"


def at(where: Location) -> str:
    """A finding's place as the report of several workbooks prints it."""
    return f"[{where.file}]{where}"


def compile_department(inputs: list[Path], folder: Path) -> tuple[Outcome, str]:
    folder.mkdir(parents=True, exist_ok=True)
    outcome = compile_workbook(inputs, folder / OUTPUTS[0], profile=PROFILE)
    text = (folder / OUTPUTS[2]).read_text(encoding="utf-8").replace("\\", "") if outcome.outputs else ""
    return outcome, text


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return write_department(tmp_path_factory.mktemp("department"))


@pytest.fixture(scope="module")
def compiled(files: list[Path], tmp_path_factory: pytest.TempPathFactory) -> dict[int, tuple[Outcome, str]]:
    """The department compiled in both orders: 0 = 本部 first, 1 = 交流服务中心 first."""
    return {i: compile_department(order, tmp_path_factory.mktemp(f"order{i}"))
            for i, order in enumerate([files, files[::-1]])}


@pytest.mark.parametrize("order", [0, 1])
def test_every_purpose_and_statement_is_kept(compiled: dict[int, tuple[Outcome, str]], order: int) -> None:
    outcome, text = compiled[order]
    assert outcome.exit_code == 0
    assert text.count("主要用于") == 13
    assert f"，主要用于{CENTRE_PURPOSES['2010303']}。" in text  # the 项 only the 交流服务中心 spends on
    assert f"## {CENTRE_PROJECT_NAME}情况说明" in text.splitlines()  # …经费 is not doubled
    assert all(section in text for section in STATEMENT)
    assert [f for f in outcome.findings if f.code == "XB505"] == []


@pytest.mark.parametrize("order", [0, 1])
def test_procurement_and_vehicles_are_summed(compiled: dict[int, tuple[Outcome, str]], order: int) -> None:
    _, text = compiled[order]
    lines = text.splitlines()
    assert ("2025年度本部门政府采购预算44.00万元，其中：政府采购货物预算0万元、政府采购工程预算0万元、"
            "政府采购服务预算44.00万元。") in lines
    assert ("2025年本部门面向中小企业预留政府采购项目预算金额44.00万元，其中，预留给小型和微型企业的政府采购"
            "项目预算为44.00万元。") in lines
    assert "截至2024年8月31日，上海市普陀区人民政府办公室共有车辆1辆，其中：" in text
    assert "应急保障用车1辆" in text


@pytest.mark.parametrize("order", [0, 1])
def test_descriptive_texts_come_from_the_head_unit(compiled: dict[int, tuple[Outcome, str]], files: list[Path],
                                                   order: int) -> None:
    outcome, text = compiled[order]
    assert "上海市普陀区人民政府办公室是协助区政府领导处理区政府日常工作的区政府工作部门" in text
    assert CENTRE_FUNCTIONS not in text
    centre = files[1]
    functions = [f for f in outcome.findings if f.code == "XB141"]
    assert [(f.severity, at(f.where)) for f in functions] == [("info", cell_of(centre, "说明事项", "主要职能", "内容"))]
    assert "本部.xlsx" in functions[0].message and "主要职能" in functions[0].message
    purposes = [f for f in outcome.findings if f.code == "XB140"]
    assert [(f.severity, at(f.where)) for f in purposes] == [
        ("warning", cell_of(centre, "功能科目用途", "2010350", "主要用途"))]
    assert "2010350" in purposes[0].message and CENTRE_PURPOSES["2010350"] in purposes[0].message
    assert "事业单位的基本支出" in purposes[0].message


def test_every_order_gives_the_same_files(files: list[Path], tmp_path: Path) -> None:
    results = []
    for index, order in enumerate(itertools.permutations(files)):
        outcome, _ = compile_department(list(order), tmp_path / str(index))
        assert outcome.exit_code == 0
        results.append([(tmp_path / str(index) / name).read_bytes() for name in OUTPUTS])
    assert all(r == results[0] for r in results)


@st.composite
def unit_budgets(draw: st.DrawFn) -> list[Budget]:
    """2–4 one-unit workbooks of department 157 (one of them perhaps its 本级 157001), with 说明事项
    amounts (元 or 万元), counts and texts, and 主要用途, as each unit's clerk might fill them."""
    numbers = draw(st.lists(st.integers(1, 12), min_size=2, max_size=4, unique=True))
    note_values = st.one_of(texts(max_size=8), st.integers(0, 10**9).map(lambda n: f"{n / 100:.2f}"),
                            st.integers(0, 9).map(str))
    keys = st.sampled_from(("主要职能", "机构设置", "政府采购服务", "政府采购预留中小企业", "其他用车", "拟购置其他用车"))
    out = []
    for n in numbers:
        unit = Unit(f"157{n:03d}", draw(texts()), "事业单位", Location("单位", 2, "A", f"单位{n}.xlsx"))
        out.append(Budget(
            year=2022, dept_code="157", dept_name="某某局", amount_unit=draw(st.sampled_from(("元", "万元"))),
            units=(unit,), incomes=(), lines=(), projects=(),
            notes=draw(st.dictionaries(keys, note_values, max_size=4)),
            purposes=draw(st.dictionaries(st.sampled_from(("2010301", "2010302", "2080505")), texts(), max_size=2)),
            catalog=catalog()))
    return out


def merged_view(budgets: list[Budget]) -> tuple[object, ...]:
    merged, findings = merge_budgets(budgets)
    return (merged, list(merged.notes.items()), list(merged.purposes.items()), sorted(findings, key=repr))


@settings(max_examples=60, deadline=None)
@given(unit_budgets(), st.data())
def test_merging_does_not_depend_on_the_order(budgets: list[Budget], data: st.DataObject) -> None:
    shuffled = data.draw(st.permutations(budgets))
    assert merged_view(shuffled) == merged_view(budgets)
    merged, _ = merge_budgets(shuffled)
    for key in ("政府采购服务", "政府采购预留中小企业"):
        given = [a for b in budgets if (a := note_amount(b, key)) is not None]
        assert note_amount(merged, key) == (sum(given) if given else None)
    counts = [c for b in budgets if (c := note_count(b, "其他用车")) is not None]
    assert note_count(merged, "其他用车") == (sum(counts) if counts else None)


@pytest.mark.parametrize(("units", "head"), [
    ([("312002", "上海市普陀区中小企业服务中心"), ("312009", "上海市普陀区商务委员会")], "312009"),  # named as the 部门
    ([("312002", "中小企业服务中心"), ("312001", "商务委机关")], "312001"),  # 部门编码 + 001
    ([("312005", "服务中心"), ("312007", "商务委本部"), ("312008", "商务委（本级）")], "312007"),
    ([("312005", "服务中心"), ("312006", "信息中心")], None),
])
def test_the_head_unit(units: list[tuple[str, str]], head: str | None) -> None:
    found = head_unit([Unit(code, name, "事业单位") for code, name in units], "312", "上海市普陀区商务委员会")
    assert (found.code if found else None) == head


def test_a_note_that_is_not_a_number_is_reported_not_summed(tmp_path: Path) -> None:
    centre = centre_budget()
    centre = replace(centre, notes=centre.notes | {"政府采购服务": "约10万"})
    head = shutil.copy(QUFUBAN / "input.xlsx", tmp_path / "本部.xlsx")
    write_budget_workbook(centre, tmp_path / "交流服务中心.xlsx", version=load_profile("shanghai-unit").input_contract)
    outcome, text = compile_department([tmp_path / "交流服务中心.xlsx", Path(head)], tmp_path / "out")
    assert [(f.code, at(f.where)) for f in outcome.findings if f.code == "XB142"] == [
        ("XB142", cell_of(tmp_path / "交流服务中心.xlsx", "说明事项", "政府采购服务", "内容"))]
    assert "政府采购服务预算34.00万元" in text


def test_the_department_remembers_where_each_text_it_takes_was_typed(files: list[Path]) -> None:
    from xlbudget.pipeline import read_inputs

    merged, _, _ = read_inputs(files[::-1], profile=PROFILE)
    head, centre = files
    assert at(merged.key_cells["说明事项"]["主要职能"]) == cell_of(head, "说明事项", "主要职能", "内容")
    assert at(merged.key_cells["功能科目用途"]["2010350"]) == cell_of(head, "功能科目用途", "2010350", "主要用途")
    assert at(merged.key_cells["功能科目用途"]["2010303"]) == cell_of(centre, "功能科目用途", "2010303", "主要用途")
    assert "政府采购服务" not in merged.key_cells["说明事项"]  # a sum of both workbooks: no one cell
