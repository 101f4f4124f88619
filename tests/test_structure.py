"""Structure is declared in the profile, never read from label text: how 类 lines are numbered and
named, 类/款 subtotal rows in every classification table, 科目编码 columns in the project table."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given, settings

from tests.conftest import EXAMPLE_INPUT, ROOT
from tests.strategies import budgets, generate_budget
from tests.test_profile import error_of, raw, table_of
from xlbudget.checks import run_checks
from xlbudget.checks.balance import column_sums
from xlbudget.cli import main
from xlbudget.derive import derive_tables
from xlbudget.model import Budget
from xlbudget.pipeline import Outcome, derive
from xlbudget.profile import Profile, load_profile, profile_from_data
from xlbudget.tables.base import DEPARTMENT, DETAIL, GROUP, UNIT, Table


def derived(budget: Budget, data: dict[str, Any] | Profile, key: str) -> tuple[Table, list[str]]:
    """The table ``key`` of ``budget`` with the profile ``data``, and the table checks' findings."""
    profile = data if isinstance(data, Profile) else profile_from_data(data, "mine.toml")
    tables = derive_tables(budget, profile)
    codes = [f.code for f in run_checks(budget, tables, profile=profile) if f.code in ("XB302", "XB304", "XB306")]
    return next(t for t in tables if t.key == key), codes


def labels(table: Table, col: int) -> list[str]:
    return [str(r.cells[col]) for r in table.rows if r.cells[col]]


def test_class_lines_are_numbered_and_named_as_the_profile_says(luoyang: Outcome) -> None:
    assert luoyang.budget
    data = raw("henan-2022")
    fiscal = table_of(data, "t04")
    fiscal |= {"class_label": "{number}.{name}（{code}）", "class_numbering": "sequence", "class_suffix": "",
               "all_classes": False}
    table, findings = derived(luoyang.budget, data, "t04")
    # only the 类 with spending, numbered without gaps, no 支出 appended
    assert labels(table, 2) == ["一、本年支出", "一.一般公共服务（201）", "二.教育（205）", "三.社会保障和就业（208）",
                                "四.卫生健康（210）", "五.住房保障支出（221）", "二、年终结转结余", "支出合计"]
    assert findings == []


def test_the_default_class_lines_are_today_s(luoyang: Outcome) -> None:
    """Numbered by code − 200 (（十九） follows （十七）), 支出 appended, every listed 类."""
    fiscal = next(t for t in luoyang.tables if t.key == "t04")
    assert labels(fiscal, 2)[17:19] == ["（十七）金融支出", "（十九）援助其他地区支出"]
    assert len(labels(fiscal, 2)) == 3 + 30


def test_an_unknown_placeholder_in_a_class_label_is_an_error() -> None:
    data = raw("henan-2022")
    table_of(data, "t01")["class_label"] = "{no}、{name}"
    assert "tables[0]（t01）.class_label：未知的占位符“{no}”（可用：code、name、number）" in error_of(data)


@pytest.mark.parametrize("subtotals", [["class"], ["class", "kuan"]])
def test_an_economic_table_prints_class_subtotal_rows(luoyang: Outcome, subtotals: list[str]) -> None:
    assert luoyang.budget
    data = raw("henan-2022")
    table_of(data, "t07")["subtotals"] = subtotals
    table, findings = derived(luoyang.budget, data, "t07")
    rows = [(r.kind, r.cells[0], r.cells[1], r.cells[2]) for r in table.rows[2:5]]
    kuan = [(GROUP, "301", "01", "基本工资")] if "kuan" in subtotals else []
    assert rows[:1 + len(kuan)] == [(GROUP, "301", None, "工资福利支出"), *kuan]
    assert rows[1 + len(kuan)][0] == DETAIL
    assert findings == []


def test_subtotal_rows_of_a_department_are_not_added_to_its_total() -> None:
    budget = generate_budget(seed=5, units=3, lines=80, projects=6, clean=True)
    for key, option in (("t03", "subtotals"), ("t07", "subtotals")):
        data = raw("henan-2022")
        table_of(data, key)[option] = ["class", "kuan"]
        table, findings = derived(budget, data, key)
        kinds = [r.kind for r in table.rows]
        first_unit = kinds.index(UNIT)
        assert {GROUP, DEPARTMENT} <= set(kinds[1:first_unit]), key
        assert findings == [], key


def test_the_project_table_shows_each_project_s_subject_codes(luoyang: Outcome) -> None:
    assert luoyang.budget
    data = raw("henan-2022")
    projects = table_of(data, "t11")
    projects["codes"] = ["function", "econ"]
    projects["columns"][1:1] = [
        {"path": ["功能分类科目", "编码"], "kind": "code", "field": "function"},
        {"path": ["功能分类科目", "名称"], "kind": "text", "field": "function_name"},
        {"path": ["经济分类科目", "编码"], "kind": "code", "field": "econ"},
        {"path": ["经济分类科目", "名称"], "kind": "text", "field": "econ_name"},
    ]
    table, findings = derived(luoyang.budget, data, "t11")
    first = table.rows[2]
    assert first.cells[:6] == ("其他运转类", "2010302", "一般行政管理事务", "30215", "会议费", "会议费")
    lines = [ln for ln in luoyang.budget.lines if ln.project]
    assert len(table.rows_of(DETAIL)) == len({(ln.project, ln.function, ln.econ) for ln in lines})
    assert findings == []


def test_shanghai_income_components_are_checked_against_their_line() -> None:
    """一、财政拨款收入 = 1、+ 2、+ 3、 (declared level = 2), not added again to 收入总计."""
    outcome = derive([ROOT / "examples" / "shanghai-2025-qufuban" / "input.xlsx"], profile="shanghai-unit")
    totals = next(t for t in outcome.tables if t.key == "sh01")
    assert [(s.total, s.parts) for s in totals.sums or ()][:2] == [(0, (1, 2, 3)), (7, (0, 4, 5, 6))]
    assert load_profile("shanghai-department").table("sh01").income_rows[1].level == 2  # type: ignore[attr-defined]


# -- how a money column adds up is declared, never read from its header ------------------------------
def test_a_column_headed_total_is_a_total_only_when_it_says_so(luoyang: Outcome) -> None:
    assert luoyang.budget
    data = raw("henan-2022")
    columns = table_of(data, "t07")["columns"]  # 支出经济分类汇总表: 总计, 一般公共预算/小计, 其中：财政拨款 …
    for column in columns:
        column.pop("role", None)
    columns[6]["role"] = "total"  # 总计 (the others are the profile's column_role: item)
    table, findings = derived(luoyang.budget, data, "t07")
    assert [(c.path, c.role) for c in table.columns[6:9]] == [
        (("总计",), "total"), (("一般公共预算", "小计"), "item"), (("一般公共预算", "其中：财政拨款"), "item")]
    assert "XB302" in findings  # 总计 ≠ 小计 + 其中 + … when 小计 and 其中 are items


OLD_ROLES = re.compile(r', role = "(total|part)"|^column_role = .*\n', re.MULTILINE)


def test_a_profile_written_before_roles_compiles_the_same_and_says_what_to_add(tmp_path: Path) -> None:
    """A clerk's profile that relied on header words (合计/小计/其中) loads, compiles byte for byte
    what the same profile with declared roles does, and is told that its column sums go unchecked."""
    henan = (ROOT / "xlbudget" / "profiles" / "henan-2022.toml").read_text(encoding="utf-8")
    old = tmp_path / "mine.toml"
    old.write_text(OLD_ROLES.sub("", henan), encoding="utf-8")
    assert "role =" not in old.read_text(encoding="utf-8")
    outputs = {}
    for profile in ("henan-2022", str(old)):
        out = tmp_path / profile.replace("/", "_") / "公开表.xlsx"
        out.parent.mkdir()
        result = CliRunner().invoke(main, ["compile", str(EXAMPLE_INPUT), "-o", str(out), "--profile", profile,
                                           "--narrative", "md"])
        assert result.exit_code == 0, result.output
        outputs[profile] = (result.output, {p.name: p.read_bytes() for p in sorted(out.parent.iterdir())})
    assert len(outputs["henan-2022"][1]) == 2 and outputs[str(old)][1] == outputs["henan-2022"][1]
    assert "column_role" not in outputs["henan-2022"][0]
    assert (f"格式配置 {old} 中 77 个金额列没有写 role（如 tables[0]（t01）.columns[1]），不参加列合计校验（XB302）；"
            "在顶层写 column_role = \"item\"") in outputs[str(old)][0]


def test_a_total_beside_a_column_of_undeclared_role_is_not_checked(luoyang: Outcome) -> None:
    """What an undeclared column adds up is not known: no identity is read into it (no false
    XB302), and the totals whose columns all declare their role are still checked."""
    assert luoyang.budget
    data = raw("henan-2022")
    del data["column_role"]
    spending = table_of(data, "t03")  # 合计 = 基本支出/小计 + 项目支出/小计; 基本支出 = 人员经费/… + 公用经费/…
    for column in spending["columns"]:
        if column["path"][0] == "项目支出":
            column["role"] = column.get("role", "item")
    table, findings = derived(luoyang.budget, data, "t03")
    sums = {table.columns[total].path: [table.columns[p].path for p in parts] for total, parts in column_sums(table)}
    assert sums == {("合计",): [("基本支出", "小计"), ("项目支出", "小计")],
                    ("项目支出", "小计"): [("项目支出", "其他运转类"), ("项目支出", "特定目标类")]}
    assert findings == []


# -- outline tables print the levels the profile declares ------------------------------------------
MENU = ROOT / "tests" / "data" / "made-up-menu.toml"


@pytest.mark.parametrize(("subtotals", "printed"), [
    ([], [(DETAIL, 1, "2010301"), (DETAIL, 1, "2010302"), (DETAIL, 1, "2050803")]),
    (["kuan"], [(GROUP, 1, "20103"), (DETAIL, 2, "2010301"), (DETAIL, 2, "2010302"), (GROUP, 1, "20508")]),
    (["class"], [(GROUP, 1, "201"), (DETAIL, 2, "2010301"), (DETAIL, 2, "2010302"), (GROUP, 1, "205")]),
    (["class", "kuan"], [(GROUP, 1, "201"), (GROUP, 2, "20103"), (DETAIL, 3, "2010301"), (DETAIL, 3, "2010302")]),
])
def test_an_outline_table_prints_the_class_and_kuan_rows_it_declares(
        luoyang: Outcome, subtotals: list[str], printed: list[tuple[str, int, str]]) -> None:
    assert luoyang.budget
    data = tomllib.loads(MENU.read_text(encoding="utf-8"))
    table_of(data, "o01")["subtotals"] = subtotals
    table, findings = derived(luoyang.budget, profile_from_data(data, str(MENU)), "o01")
    assert [(r.kind, r.level, r.cells[0]) for r in table.rows[:len(printed)]] == printed
    # the published 一般公共预算 3,846.29 万元: 基本支出 328.30, 项目支出 3,517.99
    assert table.rows[-1].cells == ("合计", None, 3_846_290_000, 328_300_000, 3_517_990_000)
    assert findings == []


def test_the_menu_format_lists_project_rows_only_by_default_of_its_file(luoyang: Outcome) -> None:
    """o01 says subtotals = []: every row a 项 with its whole code, and their sum the 合计."""
    assert luoyang.budget
    table = next(t for t in derive_tables(luoyang.budget, load_profile(str(MENU))) if t.key == "o01")
    details = table.rows[:-1]
    assert {r.kind for r in details} == {DETAIL} and all(len(str(r.cells[0])) == 7 for r in details)
    assert sum(int(r.cells[2] or 0) for r in details) == table.rows[-1].cells[2]


@settings(max_examples=30, deadline=None)
@given(budgets())
def test_outline_rows_add_up_whatever_levels_are_printed(budget: Budget) -> None:
    """Each printed 类/款 row = Σ the rows one level below it; the 合计 = Σ the top rows = Σ the lines."""
    data = tomllib.loads(MENU.read_text(encoding="utf-8"))
    for subtotals in ([], ["kuan"], ["class"], ["class", "kuan"]):
        table_of(data, "o01")["subtotals"] = subtotals
        table, findings = derived(budget, profile_from_data(data, str(MENU)), "o01")
        total = sum(ln.amount for ln in budget.lines if ln.source in ("一般公共预算", "一般公共预算结转"))
        assert table.rows[-1].cells[2] == total == sum(int(r.cells[2] or 0) for r in table.rows if r.level == 1)
        assert "XB302" not in findings, subtotals


def test_columns_an_extending_profile_writes_without_roles_are_its_own_to_declare(tmp_path: Path) -> None:
    """The base's column_role is for the base's columns: a clerk's profile that extends henan-2022
    and rewrites t03's columns the old way (no role) is told, instead of having its 小计 and 合计
    taken for parts (which would add them twice into the 合计)."""
    columns = [{k: v for k, v in c.items() if k != "role"} for c in table_of(raw("henan-2022"), "t03")["columns"]]
    mine = tmp_path / "mine.toml"
    mine.write_text('extends = "henan-2022"\n[[tables]]\nkey = "t03"\ncolumns = [\n'
                    + "".join(f"  {{ {', '.join(f'{k} = {json.dumps(v, ensure_ascii=False)}' for k, v in c.items())} }},\n"
                              for c in columns) + "]\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(EXAMPLE_INPUT), "--profile", str(mine)])
    assert "[错误 XB302]" not in result.output and "[警告 XB302]" not in result.output
    assert f"格式配置 {mine} 中 18 个金额列没有写 role（如 tables[2]（t03）.columns[5]）" in result.output  # t03 and t05, which reuses its columns
    assert "没有写 role" not in CliRunner().invoke(main, ["check", str(EXAMPLE_INPUT)]).output
