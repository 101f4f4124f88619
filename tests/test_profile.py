"""Profiles are typed and validated: a mistake in a profile is an error naming the file and the
key, never a silent change of a figure; no format's layout is written in Python."""

from __future__ import annotations

import copy
import shutil
import tomllib
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner

from tests.conftest import EXAMPLE_INPUT
from tests.strategies import generate_budget
from xlbudget.batch import OK, SUMMARY_NAME, Options, compile_batch, discover
from xlbudget.checks import run_checks
from xlbudget.cli import main
from xlbudget.derive import derive_tables
from xlbudget.figures import named_figures
from xlbudget.pipeline import Outcome
from xlbudget.profile import ProfileError, builtin_profiles, load_profile, profile_from_data
from xlbudget.summary import summarise
from xlbudget.tables.base import DEPARTMENT, DETAIL, GROUP, TOTAL, UNIT

PROFILES = sorted(builtin_profiles())
MENU = "made-up-menu"  # tests/data: every menu table and structure key, extending henan-2022
SWITCHES = "made-up-juesuan"  # tests/data: every regional switch of the 部门决算, extending juesuan-2024
Path_ = tuple[str | int, ...]


def raw(name: str) -> dict[str, Any]:
    if name in (MENU, SWITCHES):
        return tomllib.loads((Path(__file__).resolve().parent / "data" / f"{name}.toml").read_text(encoding="utf-8"))
    text = (resources.files("xlbudget") / "profiles" / f"{name}.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def with_change(data: dict[str, Any], where: Path_, change: Any) -> dict[str, Any]:
    """A deep copy of ``data`` with ``change(parent, last key)`` applied at ``where``."""
    out = copy.deepcopy(data)
    parent: Any = out
    for step in where[:-1]:
        parent = parent[step]
    change(parent, where[-1])
    return out


def rename(parent: dict[str, Any], key: str) -> None:
    parent[key + "x"] = parent.pop(key)


def misspell(parent: Any, key: str | int) -> None:
    parent[key] = parent[key] + "x"


def keys(data: Any, where: Path_ = ()) -> Iterator[Path_]:
    """Every key of every TOML table, as its path."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield (*where, key)
            yield from keys(value, (*where, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from keys(value, (*where, index))


def strings(data: Any, where: Path_ = ()) -> Iterator[Path_]:
    """Every string value (references and texts alike), as its path."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield from strings(value, (*where, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from strings(value, (*where, index))
    elif isinstance(data, str):
        yield where


def figures_of(outcome: Outcome, data: dict[str, Any], name: str) -> tuple[Any, ...]:
    """Every figure the 预算说明, the checks and the 汇总 read, with this profile."""
    profile = profile_from_data(data, f"{name}.toml")
    assert outcome.budget
    tables = derive_tables(outcome.budget, profile)
    values, by_class, by_source = summarise(tables, profile)  # (汇总 headings are texts, not figures)
    named = named_figures(outcome.budget, tables, profile)
    return named, list(values.values()), by_class, list(by_source.values())


def label(where: Path_) -> str:
    return ".".join(str(step) for step in where)


# -- every key and every reference of every built-in profile -----------------------------------
@pytest.mark.parametrize("name", [*PROFILES, MENU, SWITCHES])
def test_every_renamed_key_is_an_error_naming_the_file_and_the_key(name: str) -> None:
    data = raw(name)
    for where in keys(data):
        key = str(where[-1])
        with pytest.raises(ProfileError) as caught:
            profile_from_data(with_change(data, where, rename), f"{name}.toml")
        message = str(caught.value)
        assert f"{name}.toml" in message and key in message, (label(where), message)


@pytest.mark.parametrize("name", [*PROFILES, MENU, SWITCHES])
def test_every_misspelt_value_is_an_error_or_changes_no_figure(name: str, luoyang: Outcome) -> None:
    data = raw(name)
    baseline = figures_of(luoyang, data, name)
    errors = 0
    for where in strings(data):
        try:
            changed = figures_of(luoyang, with_change(data, where, misspell), name)
        except ProfileError as exc:
            assert f"{name}.toml" in str(exc), (label(where), str(exc))
            errors += 1
            continue
        assert changed == baseline, f"{label(where)} changed a figure without an error"
    # the references: tables, header paths, rows, sources, codes, fields (a profile that extends
    # another holds only its overrides)
    assert errors > (100 if "extends" not in data else 20)


# -- the mistakes of the issue, one by one ------------------------------------------------------
def table_of(data: dict[str, Any], key: str) -> dict[str, Any]:
    return next(t for t in data["tables"] if t["key"] == key)


def error_of(data: dict[str, Any]) -> str:
    with pytest.raises(ProfileError) as caught:
        profile_from_data(data, "mine.toml")
    return str(caught.value)


def test_a_misspelt_filter_key_is_an_error() -> None:
    data = raw("henan-2022")
    column = table_of(data, "t07")["columns"][13]
    column["sorces"] = column.pop("sources")
    assert error_of(data) == ("格式配置 mine.toml 中 tables[6]（t07）.columns[13].sorces：未知的键“sorces”"
                              "（可用：econ、econ_class、econ_class_not、expense、field、flow、function_class、kind、"
                              "operating_units、path、project_type、role、sources、when、width）")


def test_an_unknown_builder_lists_the_builders() -> None:
    data = raw("henan-2022")
    table_of(data, "t03")["builder"] = "grid"
    assert "tables[2]（t03）.builder：未知的表类型“grid”（可用：income_expenditure、unit_function" in error_of(data)


def test_a_builder_option_of_another_builder_is_an_error() -> None:
    data = raw("henan-2022")
    table_of(data, "t03")["income_rows"] = []
    assert "tables[2]（t03）.income_rows：未知的键“income_rows”" in error_of(data)


def test_a_text_column_must_name_a_field_of_its_builder() -> None:
    data = raw("henan-2022")
    table_of(data, "t03")["columns"][0]["field"] = "econ"
    assert "tables[2]（t03）.columns[0].field：“econ”不是此类表的字段" in error_of(data)


def test_a_renamed_table_key_is_an_error_where_it_is_referenced() -> None:
    data = raw("henan-2022")
    table_of(data, "t08")["key"] = "t08b"
    assert "figures.cells.three_public.table：没有键为“t08”的表" in error_of(data)


def test_a_figure_on_a_missing_row_or_column_is_an_error() -> None:
    data = raw("henan-2022")
    data["figures"]["cells"]["income_total"]["row"] = "收入合计"
    assert "figures.cells.income_total.row：表“t01”没有固定行“收入合计”" in error_of(data)
    data = raw("henan-2022")
    data["figures"]["cells"]["basic"]["column"] = ["基本支出", "合计"]
    assert "figures.cells.basic.column：表“t03”没有表头“基本支出/合计”" in error_of(data)


def test_an_identity_on_an_unknown_figure_is_an_error() -> None:
    data = raw("henan-2022")
    data["identities"][0]["figures"][1] = "spending"
    assert "identities[0].figures：未知的数字“spending”" in error_of(data)


def test_a_missing_figure_is_an_error() -> None:
    data = raw("henan-2022")
    del data["figures"]["cells"]["reception"]
    assert "narrative.figures：未知的数字“reception”（须在 [figures.*] 中）" in error_of(data)


def test_a_wrong_type_is_an_error() -> None:
    data = raw("henan-2022")
    table_of(data, "t03")["department_rows"] = "yes"
    assert "tables[2]（t03）.department_rows：应为true 或 false，而不是“yes”" in error_of(data)


def test_unknown_profile_lists_the_built_in_ones() -> None:
    with pytest.raises(ProfileError, match="未知的格式配置“henan”。内置格式：henan-2022"):
        load_profile("henan")


def test_a_profile_file_that_is_not_toml_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    path.write_text("name = ", encoding="utf-8")
    with pytest.raises(ProfileError, match=f"格式配置 {path} 不是有效的 TOML"):
        load_profile(str(path))


# -- references that the tables cannot resolve are findings, never skipped checks ---------------
def test_a_reference_the_tables_lack_is_a_finding(luoyang: Outcome) -> None:
    assert luoyang.budget and luoyang.layout
    tables = [t for t in luoyang.tables if t.key != "t08"]  # derived without the 三公 table
    found = run_checks(luoyang.budget, tables, profile=luoyang.layout)
    unresolved = [(f.code, str(f.where), f.message) for f in found if f.code == "XB306"]
    assert unresolved[0] == ("XB306", "henan-2022.toml", "数字“three_public”：公开表中没有格式配置所说的表“t08”")
    assert len(unresolved) == 7  # the six 三公 cells, and the 预算说明's figures as a whole


# -- a clerk's own format, with no Python change -------------------------------------------------
MADE_UP = Path(__file__).resolve().parent / "data" / "made-up-format.toml"


def test_a_made_up_format_compiles_from_its_file_alone(tmp_path: Path, luoyang: Outcome) -> None:
    out = tmp_path / "公开表.xlsx"
    result = CliRunner().invoke(main, ["compile", str(EXAMPLE_INPUT), "-o", str(out), "--profile", str(MADE_UP),
                                       "--narrative", "md"])
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(out)
    assert book.sheetnames[1:11] == ["收支总表", "支出表", "一般公共预算支出表", "政府性基金支出表", "国有资本经营支出表",
                                     "财政拨款收支表", "一般公共预算基本支出表", "“三公”经费表", "项目支出表", "项目绩效目标表"]
    spending, three = book["支出表"], book["“三公”经费表"]
    assert [spending["A1"].value, *(c.value for c in spending[2] if c.value)] == [
        "2022年单位支出表", "编制单位：洛阳市政务服务和大数据管理局", "单位：元"]
    # 元 without decimals (the published 3,846.29 万元 = 38,462,900 元); the 三公 table in 万元
    assert [c.value for c in spending[5]][1:7] == ["总计", 38_462_900, 3_283_000, 35_179_900, 1_450_000, 33_729_900]
    assert (spending["C5"].number_format, [c.value for c in three[2] if c.value][-1], three["A5"].value) == (
        "#,##0;-#,##0;;@", "单位：万元", 6)
    # the 预算说明 reads the same figures as with henan-2022 (income by source is grouped as this
    # format's income lines are): only where they are read from differs
    assert luoyang.budget and luoyang.layout
    mine = load_profile(str(MADE_UP))
    ours = named_figures(luoyang.budget, derive_tables(luoyang.budget, mine), mine)
    henan = named_figures(luoyang.budget, luoyang.tables, luoyang.layout)
    assert ours.pop("income_sources") == (("财政拨款收入", 3_846_290_000), ("财政专户管理资金", 0), ("单位资金", 0))
    henan.pop("income_sources")
    assert {k: v for k, v in ours.items() if k in henan} == {k: v for k, v in henan.items() if k in ours}
    assert len(set(ours) & set(henan)) == 37


def test_profiles_command_lists_each_built_in_profile_on_one_line() -> None:
    result = CliRunner().invoke(main, ["profiles"])
    assert result.exit_code == 0
    assert result.output.splitlines() == [f"{name}\t{text}" for name, text in builtin_profiles().items()]
    assert "henan-2022\t河南省部门预算公开" in result.output


def test_profile_option_lists_the_built_in_profiles_in_help_and_error(tmp_path: Path) -> None:
    for command in ("compile", "check", "template"):
        assert "内置 henan-2022" in CliRunner().invoke(main, [command, "--help"]).output
    result = CliRunner().invoke(main, ["check", str(EXAMPLE_INPUT), "--profile", "shanghai"])
    assert result.exit_code == 2 and "未知的格式配置“shanghai”。内置格式：henan-2022" in result.output


def test_a_broken_profile_file_stops_compile_with_exit_2(tmp_path: Path) -> None:
    broken = tmp_path / "mine.toml"
    broken.write_text(MADE_UP.read_text(encoding="utf-8").replace("econ_class_not", "econ_clas_not"),
                      encoding="utf-8")
    out = tmp_path / "out.xlsx"
    result = CliRunner().invoke(main, ["compile", str(EXAMPLE_INPUT), "-o", str(out), "--profile", str(broken)])
    assert result.exit_code == 2 and not out.exists()
    assert f"格式配置 {broken} 中 tables[6]（basic）.columns[4].econ_clas_not：未知的键“econ_clas_not”" in result.output


# -- a 部门's disclosure -------------------------------------------------------------------------
def test_a_department_prints_its_rows_summed_exactly_before_the_unit_blocks() -> None:
    budget = generate_budget(seed=3, units=3, lines=60, projects=6, clean=True)
    profile = load_profile()
    tables = {t.key: t for t in derive_tables(budget, profile)}
    spending = tables["t03"]
    assert (spending.name, spending.title, spending.org_label) == ("部门支出预算表", "2022年部门支出预算表", "部门名称")
    code, total = spending.column_index("科目编码", "项"), spending.column_index("合计")
    kinds = [r.kind for r in spending.rows]
    first_unit = kinds.index(UNIT)
    assert kinds[0] == TOTAL and set(kinds[1:first_unit]) == {DEPARTMENT} and DEPARTMENT not in kinds[first_unit:]
    # each 部门 row is the exact sum of the same 项 over the units (in 分, rounded only when shown)
    by_code: dict[tuple[object, ...], int] = {}
    for row in spending.rows_of(DETAIL):
        key = row.cells[:code + 1]
        by_code[key] = by_code.get(key, 0) + int(row.cells[total] or 0)
    assert {r.cells[:code + 1]: r.cells[total] for r in spending.rows_of(DEPARTMENT)} == by_code
    assert sum(int(r.cells[total] or 0) for r in spending.rows_of(DEPARTMENT)) == spending.rows[0].cells[total]
    assert [f.code for f in run_checks(budget, list(tables.values()), profile=profile)
            if f.code in ("XB302", "XB304", "XB306")] == []


def test_a_single_unit_keeps_the_unit_wording(luoyang: Outcome) -> None:
    spending = next(t for t in luoyang.tables if t.key == "t03")
    assert (spending.name, spending.org_label) == ("单位支出预算表", "单位名称")
    assert DEPARTMENT not in {r.kind for r in spending.rows}


def test_subtotal_rows_of_class_and_kuan_are_printed_when_the_profile_asks(luoyang: Outcome) -> None:
    data = raw("henan-2022")
    table_of(data, "t03")["subtotals"] = ["class", "kuan"]
    profile = profile_from_data(data, "mine.toml")
    assert luoyang.budget
    tables = derive_tables(luoyang.budget, profile)
    spending = next(t for t in tables if t.key == "t03")
    code = spending.column_index("科目编码", "类"), spending.column_index("科目编码", "款"), spending.column_index("科目编码", "项")
    rows = [(r.kind, "".join(str(r.cells[i] or "") for i in code), r.cells[spending.column_index("合计")])
            for r in spending.rows[2:6]]
    assert rows == [(GROUP, "201", 3_776_090_000), (GROUP, "20103", 3_776_090_000),
                    (DETAIL, "2010301", 263_100_000), (DETAIL, "2010302", 3_512_990_000)]
    assert [f.code for f in run_checks(luoyang.budget, tables, profile=profile) if f.code.startswith("XB30")] == []


def test_the_batch_summary_reads_what_the_chosen_profile_says(tmp_path: Path) -> None:
    folder, out = tmp_path / "部门", tmp_path / "输出"
    folder.mkdir()
    shutil.copy(EXAMPLE_INPUT, folder / "甲.xlsx")
    results = compile_batch(discover(folder, out), out, 1, lambda *_: None,
                            Options(profile=str(MADE_UP), narrative=()))
    assert [r.status for r in results] == [OK]
    sheet = openpyxl.load_workbook(out / SUMMARY_NAME).worksheets[1]
    header = [c.value for c in sheet[3]]
    assert header[6:9] == ["收入总计", "支出总计", "输出文件 / 说明"]  # the made-up format's [summary]
    assert [c.value for c in sheet[4]][:8] == ["总计", None, None, None, None, None, 3846.29, 3846.29]
