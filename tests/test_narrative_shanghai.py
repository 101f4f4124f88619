"""The Shanghai 预算说明: the profile's own templates write the reference's sections and fixed
sentences from the tables' figures and the clerk's inputs; a missing input is a finding and its
sentence is left out, never a placeholder."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from tests.conftest import ROOT, example_profile
from xlbudget.model import Budget, Statement
from xlbudget.pipeline import Outcome, compile_workbook
from xlbudget.profile import load_profile
from xlbudget.reader import read_budget
from xlbudget.template import write_budget_workbook

SHANGHAI = load_profile("shanghai-unit").input_contract

QUFUBAN = ROOT / "examples" / "shanghai-2025-qufuban"
SHANGWUWEI = ROOT / "examples" / "shanghai-2025-shangwuwei"

# Sentences of the published 预算说明 the examples reproduce, copied from the reference texts
# (line breaks of the PDF joined). Where the generated text differs, NOTES.md says why.
PUBLISHED = {
    QUFUBAN: [
        "2025年，上海市普陀区人民政府办公室收入预算9,101.68万元，其中：财政拨款收入9,101.68万元，比2024年预算减少"
        "2,389.52万元；事业收入0万元；事业单位经营收入0万元；其他收入0万元。",
        "财政拨款收入支出减少的主要原因是项目调整。",
        "2025年“三公”经费预算数为867.50万元，与2024年预算持平。其中：",
        "（三）公务接待费28.50万元，与2024年预算持平。",
        "截至2024年8月31日，上海市普陀区人民政府办公室共有车辆0辆，其中：部级领导干部用车0辆、主要领导干部用车0辆、"
        "机要通信用车0辆、应急保障用车0辆、执法执勤用车0辆、特种专业技术用车0辆、离退休干部用车0辆、其他用车0辆；"
        "单价100万元（含）以上设备（不含车辆）0台（套）。",
    ],
    SHANGWUWEI: [
        "2025年“三公”经费预算数为1.00万元，与2024年预算持平。其中：",
        "（一）因公出国（境）费0万元，与2024年预算持平，主要原因是此部分预算由区外办统一安排。",
        "2025年上海市普陀区商务委员会财政拨款的机关运行经费预算为171.01万元。",
        "2025年度本部门政府采购预算38.20万元，其中：政府采购货物预算7.80万元、政府采购工程预算0万元、政府采购服务预算30.40万元。",
        "16. “住房保障支出（类）住房改革支出（款）购房补贴（项）”148.80万元，主要用于机关人员每月房贴支出。",
        "2025年度项目总预算1720.00万，其中各级企业技术中心及专精特新认定1720.00万。",
    ],
}


def compile_budget(budget: Budget, folder: Path, profile: str) -> tuple[Outcome, str]:
    source = folder / "input.xlsx"
    write_budget_workbook(budget, source, version=load_profile(profile).input_contract)
    outcome = compile_workbook([source], folder / "公开表.xlsx", profile=profile, narrative=("md",))
    text = (folder / "公开表_预算说明.md").read_text(encoding="utf-8") if outcome.outputs else ""
    return outcome, text.replace("\\", "")


@pytest.mark.parametrize("example", [QUFUBAN, SHANGWUWEI], ids=lambda p: p.name)
def test_published_sentences_are_reproduced(example: Path, tmp_path: Path) -> None:
    budget, _ = read_budget(example / "input.xlsx", version=load_profile(example_profile(example)).input_contract)
    outcome, text = compile_budget(budget, tmp_path, example_profile(example))
    assert outcome.exit_code == 0
    paragraphs = text.splitlines()
    assert [s for s in PUBLISHED[example] if s not in paragraphs] == []


def test_sections_in_the_published_order(tmp_path: Path) -> None:
    budget, _ = read_budget(SHANGWUWEI / "input.xlsx", version=SHANGHAI)
    _, text = compile_budget(budget, tmp_path, "shanghai-department")
    parts = [line[3:] for line in text.splitlines() if line.startswith("## ")]
    dept = "上海市普陀区商务委员会"
    assert parts == [f"{dept}主要职能", f"{dept}机构设置", "名词解释", "2025年部门预算编制说明", "其他相关情况说明",
                     "科技创新专项经费情况说明", "生命健康专项（政策资金）经费情况说明",
                     "商业创新专项（政策资金）经费情况说明", "贸易高质量发展专项（政策资金）经费情况说明"]
    assert "本部门中，行政单位1家，事业单位1家，具体包括：" in text


def test_a_unit_budget_has_no_project_statements(tmp_path: Path) -> None:
    budget, _ = read_budget(SHANGWUWEI / "input.xlsx", version=SHANGHAI)
    _, text = compile_budget(budget, tmp_path, "shanghai-unit")
    assert "经费情况说明" not in text and "本单位编报绩效目标的项目共4个" in text


def test_missing_inputs_are_findings_and_their_sentences_are_left_out(tmp_path: Path) -> None:
    budget, _ = read_budget(QUFUBAN / "input.xlsx", version=SHANGHAI)
    notes = {k: v for k, v in budget.notes.items() if k not in ("资产统计日期", "拟购置其他用车")}
    prior = {k: v for k, v in budget.prior.items() if k != "公务接待费"}
    purposes = {k: v for k, v in budget.purposes.items() if k != "2010301"}
    outcome, text = compile_budget(replace(budget, notes=notes, prior=prior, purposes=purposes), tmp_path,
                                   "shanghai-unit")
    found = [(f.code, f.where.sheet, f.expected) for f in outcome.findings if f.code in ("XB501", "XB504", "XB505")]
    assert found == [("XB501", "上年数", "公务接待费"), ("XB504", "说明事项", "资产统计日期"),
                     ("XB504", "说明事项", "拟购置其他用车"), ("XB505", "功能科目用途", "2010301")]
    assert not [line for line in text.splitlines() if line.startswith("截至") or "请填写" in line or "【" in line]
    assert "（三）公务接待费28.50万元。" in text.splitlines()
    assert "“一般公共服务支出（类）政府办公厅（室）及相关机构事务（款）行政运行（项）”1,202.95万元。" in text


def test_marking_projects_counts_them_as_having_targets(tmp_path: Path) -> None:
    budget, _ = read_budget(QUFUBAN / "input.xlsx", version=SHANGHAI)
    marked = tuple(replace(p, targets_set=p.code != "QF2025001") for p in budget.projects)
    outcome, text = compile_budget(replace(budget, projects=marked), tmp_path, "shanghai-unit")
    assert "2025年度，本单位编报绩效目标的项目共4个，涉及项目预算资金6,630.00万元。" in text.splitlines()
    assert [(f.code, str(f.where)) for f in outcome.findings if f.code == "XB402"] == [("XB402", "项目!A2")]


def test_incomplete_statements_are_findings(tmp_path: Path) -> None:
    budget, _ = read_budget(SHANGWUWEI / "input.xlsx", version=SHANGHAI)
    first = budget.statements[0]
    blank = Statement(first.project, tuple((h, "" if h == "实施周期" else t) for h, t in first.sections))
    stray = Statement("SW9999999", first.sections)
    outcome, _ = compile_budget(replace(budget, statements=(blank, stray, *budget.statements[1:])), tmp_path,
                                "shanghai-department")
    found = [(f.code, str(f.where)) for f in outcome.findings if f.code == "XB506"]
    assert found == [("XB506", "项目经费情况说明!F2"), ("XB506", "项目经费情况说明!A3")]
