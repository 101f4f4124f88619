"""Inputs per format: optional inputs are declared once (contract.INPUTS) and a profile lists the
ones it reads (``inputs = [...]``). ``template --profile`` writes exactly those with their 填报说明,
the reader reads exactly those, and a workbook filling an input its format does not declare gets a
notice (XB153) instead of having it used. Earlier workbooks and profiles keep working: unstamped
(Luoyang), stamped 模板版本 2 (the Shanghai template before this change) and ``contract = 2``.
Run as a clerk runs them: real processes, workbooks filled with openpyxl."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import EXAMPLE_INPUT, ROOT
from tests.test_format_stamp import fill, xlbudget
from xlbudget import contract
from xlbudget.catalog import load_catalog
from xlbudget.contract import CONTRACT_V1, INPUTS, PLANNED
from xlbudget.model import Budget, Statement
from xlbudget.profile import ProfileError, load_profile
from xlbudget.reader import read_budget
from xlbudget.template import write_budget_workbook, write_template

CORE_SHEETS = [sheet.name for sheet in CONTRACT_V1.sheets]
LUOYANG_OUTPUT = ROOT / "examples" / "luoyang-2022" / "output"
QUFUBAN = ROOT / "examples" / "shanghai-2025-qufuban"
# The bundled 区府办 input as the template before this change wrote it (模板版本 2, which then meant
# version 1 with Shanghai's inputs): git show b8e21fb:examples/shanghai-2025-qufuban/input.xlsx
EARLIER_SHANGHAI = ROOT / "tests" / "data" / "earlier-templates" / "shanghai-2025-qufuban-v2.xlsx"
SHANGHAI_INPUTS = ["已设绩效目标", "功能科目用途", "项目经费情况说明", "上年财政拨款支出", "资产统计日期", "政府采购预留",
                   "上海车辆分类", "单价100万元以上设备"]


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def sheet_rows(path: Path, sheet: str) -> list[tuple[object, ...]]:
    return list(openpyxl.load_workbook(path)[sheet].iter_rows(values_only=True))


def keys(path: Path, sheet: str) -> list[object]:
    """The keys a key/value sheet lists (说明事项 labels without their unit)."""
    return [contract.split_note_label(str(row[0]))[0] for row in sheet_rows(path, sheet)[1:] if row[0]]


def guide(path: Path) -> list[str]:
    return [str(row[0]) for row in sheet_rows(path, "填报说明") if row[0]]


def published(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """The disclosure tables' cells (every sheet but the 目录 and the 校验结果, which count the findings)."""
    book = openpyxl.load_workbook(path)
    return {name: list(book[name].iter_rows(values_only=True)) for name in book.sheetnames if name not in ("目录", "校验结果")}


def report(folder: Path, *args: str) -> tuple[int, list[dict[str, str]]]:
    done = xlbudget("check", *args, "--format", "json", cwd=folder)
    return done.returncode, json.loads(done.stdout)["findings"]


@pytest.fixture
def one_input(tmp_path: Path) -> Path:
    """A clerk's format: henan-2022 and only the 功能科目用途 sheet."""
    return write(tmp_path, "某县.toml", 'extends = "henan-2022"\ninputs = ["功能科目用途"]\n')


def test_a_format_declaring_one_input_gets_exactly_that_sheet(one_input: Path, tmp_path: Path) -> None:
    made = xlbudget("template", "--profile", str(one_input), "--year", "2022", "-o", "模板.xlsx", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    template = tmp_path / "模板.xlsx"
    assert openpyxl.load_workbook(template).sheetnames == ["填报说明", *CORE_SHEETS, "功能科目用途", "_lists"]
    assert [c for c in sheet_rows(template, "项目")[0]] == ["项目编码", "项目名称", "项目类型", "单位编码", "备注"]
    assert keys(template, "说明事项") == list(contract.NOTE_KEYS)
    assert keys(template, "上年数") == list(contract.PRIOR_KEYS)
    lines = guide(template)
    assert lines[lines.index("二、本格式的可选输入") + 1] == f"1. 功能科目用途：{INPUTS['功能科目用途'].guide}。"
    assert "三、各工作表" in lines and "四、下拉选项" in lines


def test_a_format_declaring_one_input_reads_it(one_input: Path, tmp_path: Path) -> None:
    xlbudget("template", "--profile", str(one_input), "--year", "2022", "-o", "模板.xlsx", cwd=tmp_path)
    filled = fill(tmp_path / "模板.xlsx", tmp_path / "填报.xlsx")
    book = openpyxl.load_workbook(filled)
    book["功能科目用途"].append(["20103O1", "机关运行"])  # a letter O typed for a zero: read, so reported
    book.save(filled)
    code, found = report(tmp_path, str(filled), "--profile", str(one_input))
    assert ("XB106", "功能科目用途!A2") in [(f["rule"], f["location"]) for f in found]
    code, found = report(tmp_path, str(filled), "--profile", "henan-2022")
    assert code == 2 and [(f["rule"], f["location"]) for f in found] == [("XB150", "基本信息!B6")]


def test_inputs_are_inherited_and_overridden(one_input: Path, tmp_path: Path) -> None:
    child = write(tmp_path, "乡镇.toml", 'extends = "某县.toml"\n')
    other = write(tmp_path, "街道.toml", 'extends = "某县.toml"\ninputs = ["项目经费情况说明", "已设绩效目标"]\n')
    assert load_profile(str(child)).inputs == ("功能科目用途",)
    assert [s.name for s in load_profile(str(other)).input_contract.sheets] == [*CORE_SHEETS, "项目经费情况说明"]
    assert load_profile(str(other)).input_contract.sheet("项目").columns[-1].header == "已设绩效目标"
    assert load_profile("shanghai-department").inputs == tuple(SHANGHAI_INPUTS)


@pytest.mark.parametrize("name", list(INPUTS))
def test_each_input_adds_exactly_its_sheets_columns_and_keys(name: str, tmp_path: Path) -> None:
    item, path = INPUTS[name], tmp_path / "模板.xlsx"
    write_template(path, 2025, load_catalog(2025), version=CONTRACT_V1.with_inputs((name,)), format_name="某县")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["填报说明", *CORE_SHEETS, *(s.name for s in item.sheets), "_lists"]
    for sheet in CONTRACT_V1.sheets:
        added = [column.header for on, column in item.columns if on == sheet.name]
        assert [c.value for c in book[sheet.name][1]] == [c.header for c in sheet.columns] + added
    counts = [*item.counts, *(PLANNED + key for key in item.counts)]
    assert keys(path, "说明事项") == list(dict.fromkeys([*contract.NOTE_KEYS, *item.note_keys, *counts]))
    assert keys(path, "上年数") == [*contract.PRIOR_KEYS, *item.prior_keys]
    assert f"1. {name}：{item.guide}。" in guide(path)


def test_the_henan_template_has_none_of_the_optional_inputs(tmp_path: Path) -> None:
    made = xlbudget("template", "--year", "2022", "-o", "模板.xlsx", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    template = tmp_path / "模板.xlsx"
    assert openpyxl.load_workbook(template).sheetnames == ["填报说明", *CORE_SHEETS, "_lists"]
    assert keys(template, "说明事项") == list(contract.NOTE_KEYS)
    assert keys(template, "上年数") == list(contract.PRIOR_KEYS)
    assert not [line for line in guide(template) if "可选输入" in line]
    assert [line for line in guide(template) if line[1:2] == "、"] == ["一、填写规则", "二、各工作表", "三、下拉选项"]


def test_the_shanghai_template_asks_for_its_inputs_with_their_guide(tmp_path: Path) -> None:
    made = xlbudget("template", "--profile", "shanghai-unit", "--year", "2025", "-o", "模板.xlsx", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    template = tmp_path / "模板.xlsx"
    assert openpyxl.load_workbook(template).sheetnames == ["填报说明", *CORE_SHEETS, "功能科目用途", "项目经费情况说明",
                                                            "_lists"]
    assert sheet_rows(template, "项目")[0][-1] == "已设绩效目标"
    assert {"部级领导干部用车", "拟购置单价100万元以上设备", "资产统计日期", "政府采购预留小微企业"} <= set(keys(template, "说明事项"))
    assert {"财政拨款支出", "国有资本经营预算支出"} <= set(keys(template, "上年数"))
    lines = guide(template)
    start = lines.index("二、本格式的可选输入")
    assert lines[start + 1:start + 9] == [f"{n}. {name}：{INPUTS[name].guide}。"
                                          for n, name in enumerate(SHANGHAI_INPUTS, start=1)]


def test_a_workbook_of_the_earlier_shanghai_template_reads_as_before(tmp_path: Path) -> None:
    assert ("模板版本", 2) in sheet_rows(EARLIER_SHANGHAI, "基本信息")
    done = xlbudget("compile", str(EARLIER_SHANGHAI), "-o", "公开表.xlsx", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    for name in ("公开表.xlsx", "公开表_预算说明.docx", "公开表_预算说明.md"):
        assert (tmp_path / name).read_bytes() == (QUFUBAN / "output" / name).read_bytes(), name
    earlier = [(f["rule"], f["location"]) for f in report(tmp_path, str(EARLIER_SHANGHAI))[1]]
    assert earlier == [(f["rule"], f["location"]) for f in report(tmp_path, str(QUFUBAN / "input.xlsx"))[1]]


def test_a_profile_naming_template_version_2_reads_shanghai_inputs(tmp_path: Path) -> None:
    """A clerk's copy of shanghai-unit.toml from before formats declared inputs (``contract = 2``)."""
    text = (ROOT / "xlbudget" / "profiles" / "shanghai-unit.toml").read_text(encoding="utf-8")
    start = text.index("inputs = [")
    text = text[:start] + "contract = 2\n" + text[text.index("]\n", start) + 2:]
    old = write(tmp_path, "上海旧.toml", text.replace('name = "shanghai-unit"', 'name = "上海旧"'))
    profile = load_profile(str(old))
    assert (profile.contract, set(profile.inputs)) == (1, set(SHANGHAI_INPUTS))
    assert profile.input_contract == load_profile("shanghai-unit").input_contract
    done = xlbudget("compile", str(QUFUBAN / "input.xlsx"), "--profile", str(old), "-o", "公开表.xlsx", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "公开表_预算说明.md").read_bytes() == (QUFUBAN / "output" / "公开表_预算说明.md").read_bytes()


def test_an_unknown_input_is_named_with_the_available_ones(tmp_path: Path) -> None:
    write(tmp_path, "错.toml", 'extends = "henan-2022"\ninputs = ["功能科目用途", "车辆分类"]\n')
    done = xlbudget("template", "--profile", "错.toml", "-o", "模板.xlsx", cwd=tmp_path)
    assert done.returncode == 2 and not (tmp_path / "模板.xlsx").exists()
    assert (f"[错误 XB002] 格式配置 错.toml 中 inputs[1]：未知的可选输入“车辆分类”（可用：{'、'.join(INPUTS)}）"
            in done.stderr)


def test_a_narrative_needing_an_undeclared_input_names_it(tmp_path: Path) -> None:
    fewer = [name for name in SHANGHAI_INPUTS if name != "上海车辆分类"]
    write(tmp_path, "少.toml", f'extends = "shanghai-unit"\ninputs = {json.dumps(fewer, ensure_ascii=False)}\n')
    with pytest.raises(ProfileError, match="“部级领导干部用车”属于可选输入“上海车辆分类”，本格式没有声明：在 inputs 中加上"
                                           "“上海车辆分类”"):
        load_profile(str(tmp_path / "少.toml"))
    write(tmp_path, "无用途.toml", 'extends = "shanghai-unit"\ninputs = ["上海车辆分类", "单价100万元以上设备", '
                                   '"资产统计日期", "上年财政拨款支出"]\n')
    with pytest.raises(ProfileError, match="narrative.purposes：“功能科目用途”属于可选输入“功能科目用途”"):
        load_profile(str(tmp_path / "无用途.toml"))


def test_a_decision_format_declares_no_inputs(tmp_path: Path) -> None:
    write(tmp_path, "决算.toml", 'extends = "juesuan-2024"\ninputs = ["功能科目用途"]\n')
    with pytest.raises(ProfileError, match="inputs：部门决算格式读部门决算填报模板，没有可选输入"):
        load_profile(str(tmp_path / "决算.toml"))


def test_a_sheet_the_format_does_not_declare_is_a_notice_and_not_used(tmp_path: Path) -> None:
    """功能科目用途 copied into a henan-2022 workbook: said at its first filled cell, never read."""
    workbook = tmp_path / "洛阳.xlsx"
    shutil.copy(EXAMPLE_INPUT, workbook)
    book = openpyxl.load_workbook(workbook)
    sheet = book.create_sheet("功能科目用途")
    sheet.append(["功能分类编码", "主要用途"])
    sheet.append(["2010301", "机关运行"])
    book.save(workbook)
    done = xlbudget("compile", str(workbook), "--profile", "henan-2022", "-o", "公开表.xlsx", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    for name in ("公开表_预算说明.docx", "公开表_预算说明.md"):
        assert (tmp_path / name).read_bytes() == (LUOYANG_OUTPUT / name).read_bytes(), name
    assert published(tmp_path / "公开表.xlsx") == published(LUOYANG_OUTPUT / "公开表.xlsx")  # 校验结果 says XB153
    code, found = report(tmp_path, str(workbook), "--profile", "henan-2022")
    before = [(f["rule"], f["location"]) for f in report(tmp_path, str(EXAMPLE_INPUT))[1]]
    notice = [f for f in found if f["rule"] == "XB153"]
    assert [(f["rule"], f["location"]) for f in found if f["rule"] != "XB153"] == before
    assert [(f["severity"], f["location"], f["message"]) for f in notice] == [
        ("info", "功能科目用途!A2", "“功能科目用途”表填写了内容，但所选格式不读取（可选输入“功能科目用途”，所选格式的 inputs "
                                    "没有声明它）：其内容未用于公开表和预算说明")]
    unstamped = xlbudget("check", str(workbook), cwd=tmp_path)  # no --profile, no record: another format's
    assert unstamped.returncode == 2 and "[错误 XB152]" in unstamped.stdout


def test_a_format_with_other_inputs_does_not_read_alike(tmp_path: Path) -> None:
    """XB150 compares declared inputs: a profile extending the recorded format with the same inputs
    reads its workbooks; one declaring other inputs is refused."""
    same = write(tmp_path, "同.toml", 'extends = "shanghai-unit"\ndecimals = 0\n')
    fewer = write(tmp_path, "少.toml", 'extends = "shanghai-unit"\ninputs = ' + json.dumps(
        SHANGHAI_INPUTS[1:], ensure_ascii=False) + "\n")  # without 已设绩效目标
    workbook = QUFUBAN / "input.xlsx"
    assert report(tmp_path, str(workbook), "--profile", str(same))[0] in (0, 1)
    code, found = report(tmp_path, str(workbook), "--profile", str(fewer))
    assert code == 2 and [(f["rule"], f["location"]) for f in found] == [("XB150", "基本信息!B6")]


@pytest.fixture(scope="module")
def qufuban() -> Budget:
    """The 区府办 budget with every Shanghai input filled (its one 项目经费情况说明 made up)."""
    budget, _ = read_budget(QUFUBAN / "input.xlsx", version=load_profile("shanghai-unit").input_contract)
    statement = Statement(budget.projects[0].code, tuple((s, f"{s}的内容") for s in contract.STATEMENT_SECTIONS))
    assert budget.purposes and any(p.targets_set for p in budget.projects)
    return replace(budget, statements=(statement,))


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sets(st.sampled_from(list(INPUTS))))
def test_a_template_reads_back_exactly_its_declared_inputs(qufuban: Budget, tmp_path: Path, names: set[str]) -> None:
    """Written as the template of any set of inputs and read back in it: each declared input gives
    back what was written, each other one gives nothing (its keys only as the clerk's own, XB112)."""
    version = CONTRACT_V1.with_inputs(tuple(names))
    path = tmp_path / f"{len(names)}-{abs(hash(frozenset(names)))}.xlsx"
    write_budget_workbook(qufuban, path, version=version)
    again, found = read_budget(path, version=version)
    assert again.purposes == (qufuban.purposes if "功能科目用途" in names else {})
    assert again.statements == (qufuban.statements if "项目经费情况说明" in names else ())
    assert [p.targets_set for p in again.projects] == [
        p.targets_set and "已设绩效目标" in names for p in qufuban.projects]
    for keys, was, read in ((version.prior_keys, qufuban.prior, again.prior),
                            (version.note_keys, qufuban.notes, again.notes)):
        assert {k: v for k, v in read.items() if k in keys} == {k: v for k, v in was.items() if k in keys}
    undeclared = [k for k in [*qufuban.prior, *qufuban.notes]
                  if k not in (*version.prior_keys, *version.note_keys) and contract.input_of(k)]
    assert {k: (again.prior | again.notes)[k] for k in undeclared} == {k: (qufuban.prior | qufuban.notes)[k]
                                                                      for k in undeclared}
    named = [f.message for f in found if f.code == "XB112"]
    assert len(named) == len(undeclared) and all("属于可选输入" in m and "所选格式没有声明它" in m for m in named)
