"""The Luoyang example reproduces every figure of the seed's 12 tables (seed defects corrected:
the 基本支出 小计 the seed left blank, the 21-digit project codes)."""

from __future__ import annotations

import csv
from decimal import Decimal
from typing import Any

import pytest

from tests.conftest import ROOT
from xlbudget.money import to_display
from xlbudget.pipeline import Outcome
from xlbudget.tables.base import MONEY, TOTAL, UNIT, Row, Table

# seed label → our column path, where the printed header differs only in spacing or wording
ALIASES = {"基本支出小计": "基本支出小计", "项目支出小计": "项目支出小计", "一般公共预算小计": "一般公共预算小计",
           "国有资本经营": "国有资本经营预算", "“三公”经费合计": "“三公”经费合计"}


def table(outcome: Outcome, name: str) -> Table:
    return next(t for t in outcome.tables if t.name == name)


def column(t: Table, label: str, side: str = "") -> int:
    """Index of the money column whose joined path (or leaf, or last two levels) is ``label``."""
    label = ALIASES.get(label, label)
    matches = []
    for index, col in enumerate(t.columns):
        parts = [p.replace(" ", "") for p in col.path if not side or col.path[0] == side]
        if col.kind != MONEY or not parts:
            continue
        if label in ("".join(parts), parts[-1], "".join(parts[-2:]), "".join(parts[1:])):
            matches.append(index)
    assert len(matches) >= 1, f"{t.name}: no column {label}"
    return matches[0]


def shown(cell: Any) -> Decimal | None:
    """A money cell as displayed: blank for zero."""
    return to_display(cell) if isinstance(cell, int) and cell else None


def expect(value: str | None) -> Decimal | None:
    return Decimal(value) if value is not None else None


def detail_code(t: Table, row: Row, fields: tuple[int, ...]) -> str:
    return "".join(str(row.cells[i] or "") for i in fields)


def rows_by_code(t: Table, code_columns: tuple[int, ...], unit_column: int, total_label: str = "合计"
                 ) -> dict[str, Row]:
    out: dict[str, Row] = {}
    for row in t.rows:
        if row.kind == TOTAL:
            out[total_label] = row
        elif row.kind == UNIT:
            out[str(row.cells[unit_column])] = row
        else:
            out[detail_code(t, row, code_columns)] = row
    return out


def assert_grid(t: Table, rows: dict[str, Row], expected: dict[str, dict[str, Any]]) -> int:
    checked = 0
    for key, values in expected.items():
        assert key in rows, f"{t.name}: row {key} missing"
        for label, value in values.items():
            if label in ("gov_code", "类型", "name"):
                continue
            assert shown(rows[key].cells[column(t, label)]) == expect(value), (t.name, key, label)
            checked += 1
    return checked


@pytest.mark.parametrize("name", ["单位支出预算表", "一般公共预算支出预算表"])
def test_expenditure_tables(luoyang: Outcome, seed: dict[str, Any], name: str) -> None:
    t = table(luoyang, name)
    rows = rows_by_code(t, (0, 1, 2), 3)
    assert assert_grid(t, rows, seed[name]) == 9 * len(seed[name])
    # the seed left 行政运行's 基本支出 小计 blank in 单位支出预算表; it is 263.10
    assert shown(rows["2010301"].cells[column(t, "基本支出小计")]) == Decimal("263.10")


def test_basic_expenditure_by_economic_class(luoyang: Outcome, seed: dict[str, Any]) -> None:
    t = table(luoyang, "一般公共预算基本支出预算表")
    rows = rows_by_code(t, (0,), 0)
    expected = seed["一般公共预算基本支出预算表"]
    assert set(rows) == set(expected)
    assert_grid(t, rows, expected)
    for code, values in expected.items():
        if "gov_code" in values:
            assert rows[code].cells[2] == values["gov_code"]


def test_economic_summary(luoyang: Outcome, seed: dict[str, Any]) -> None:
    t = table(luoyang, "支出经济分类汇总表")
    rows = rows_by_code(t, (0, 1), 0)
    expected = seed["支出经济分类汇总表"]
    assert set(rows) == set(expected)
    assert_grid(t, rows, expected)
    assert shown(rows["30227"].cells[column(t, "总计")]) == Decimal("2459.00")
    for code, values in expected.items():
        if "gov_code" in values:
            assert f"{rows[code].cells[3]}{rows[code].cells[4]}" == values["gov_code"]


def test_income_expenditure_summary(luoyang: Outcome, seed: dict[str, Any]) -> None:
    t = table(luoyang, "单位收支预算表")
    expected = seed["单位收支预算表"]
    income = {str(r.cells[0]).strip(): r.cells[1] for r in t.rows if r.cells[0]}
    spending = {str(r.cells[2]).strip(): r.cells[3] for r in t.rows if r.cells[2]}
    for label, value in expected["income"].items():
        assert shown(income[label if label in income else "其中：财政拨款"]) == expect(value), label
    by_number = {label.split("、")[0]: v for label, v in spending.items() if "、" in label}
    from xlbudget.tables.two_sided import chinese_number

    for key, value in expected["expenditure"].items():
        got = by_number[chinese_number(int(key) - 200)] if key.isdigit() else spending[key]
        assert shown(got) == expect(value), key


def test_fiscal_table(luoyang: Outcome, seed: dict[str, Any]) -> None:
    t = table(luoyang, "财政拨款收支预算表")
    expected = seed["财政拨款收支预算表"]
    left = [(str(r.cells[0]).strip(), r.cells[1]) for r in t.rows if r.cells[0]]
    groups = {"一、本年收入": left[0:5], "二、上年结转": left[5:9]}
    for group, values in expected["income"].items():
        if not isinstance(values, dict):
            assert shown(dict(left)[group]) == expect(values)
            continue
        got = dict(groups[group])
        assert shown(got[group]) == expect(values["合计"])
        for label, value in values.items():
            if label != "合计":
                assert shown(got[label if label in got else "其中：财政拨款"]) == expect(value), label
    right = {str(r.cells[2]).strip(): r for r in t.rows if r.cells[2]}
    from xlbudget.tables.two_sided import chinese_number

    for key, values in expected["expenditure"].items():
        prefix = f"（{chinese_number(int(key) - 200)}）" if key.isdigit() else ""
        label = next(lab for lab in right if (lab.startswith(prefix) if prefix else key in lab))
        for col_label, value in values.items():
            assert shown(right[label].cells[column(t, col_label, "支出")]) == expect(value), (key, col_label)


def test_three_public(luoyang: Outcome, seed: dict[str, Any]) -> None:
    t = table(luoyang, "一般公共预算“三公”经费预算表")
    (row,) = t.rows
    for label, value in seed["一般公共预算“三公”经费预算表"].items():
        assert shown(row.cells[column(t, label)]) == expect(value), label


def test_projects(luoyang: Outcome, seed: dict[str, Any]) -> None:
    t = table(luoyang, "项目支出预算表")
    expected = seed["项目支出预算表"]
    rows = {str(r.cells[1]): r for r in t.rows}
    assert shown(rows["合计"].cells[3]) == expect(expected["合计"])
    assert shown(rows["157001"].cells[3]) == expect(expected["157001"])
    assert len([r for r in t.rows if r.cells[0]]) == len(expected["projects"]) == 17
    for name, values in expected["projects"].items():
        assert rows[name].cells[0] == values["类型"]
        assert shown(rows[name].cells[3]) == expect(values["合计"]), name
        assert shown(rows[name].cells[4]) == expect(values["一般公共预算"]), name


def test_performance_targets(luoyang: Outcome, seed: dict[str, Any]) -> None:
    t = table(luoyang, "单位预算项目绩效目标表")
    expected = seed["单位预算项目绩效目标表"]
    firsts = {str(r.cells[0]): r for r in t.rows if r.cells[0]}
    assert shown(firsts["157001"].cells[2]) == expect(expected["157001"]["资金总额"])
    for code, values in expected["projects"].items():
        assert shown(firsts[code].cells[2]) == expect(values["资金总额"]), code
        assert shown(firsts[code].cells[3]) == expect(values["政府预算资金"]), code
    # every transcribed indicator appears, in its category's column pair, in input order
    source = ROOT / "examples" / "luoyang-2022" / "source" / "绩效目标.csv"
    with source.open(encoding="utf-8") as f:
        indicators = list(csv.DictReader(f))
    labels = [c.path for c in t.columns]
    shown_pairs: dict[tuple[str, str], list[tuple[str, str]]] = {}
    current = ""
    for row in t.rows:
        current = str(row.cells[0]) if row.cells[0] else current
        for category in ("成本指标", "产出指标", "效益指标", "满意度指标"):
            name_col = labels.index(("绩效目标", category, "三级指标"))
            if row.cells[name_col]:
                shown_pairs.setdefault((current, category), []).append(
                    (str(row.cells[name_col]), str(row.cells[name_col + 1])))
    wanted: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for ind in indicators:
        wanted.setdefault((ind["项目编码"], ind["一级指标"]), []).append((ind["三级指标"], ind["指标值"]))
    assert shown_pairs == wanted
    assert sum(len(v) for v in wanted.values()) == 126


def test_fund_tables_say_they_are_empty(luoyang: Outcome) -> None:
    for name, text in (("政府性基金预算支出预算表", "本单位无政府性基金预算支出"),
                       ("国有资本经营预算支出预算表", "本单位无国有资本经营预算支出")):
        t = table(luoyang, name)
        assert any(text in (c or "") for r in t.rows for c in r.cells if isinstance(c, str))


def test_example_reads_without_errors(luoyang: Outcome) -> None:
    assert [f for f in luoyang.findings if f.severity == "error"] == []
    assert len(luoyang.tables) == 12
