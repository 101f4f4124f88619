"""The Shanghai 预算说明 explains changes: "财政拨款收入支出增加（减少）的主要原因是…" and each 三公
item's "…，主要原因是…". The Shanghai profiles declare these reasons ([narrative.reasons]), so a
change without its reason is a finding (XB502, XB503, XB508) and a reason whose amount the tables
contradict is XB605 — as for henan-2022. The bundled examples carry the published reasons."""

from __future__ import annotations

from dataclasses import replace

import pytest

from tests.conftest import ROOT
from xlbudget.checks import run_checks
from xlbudget.derive import derive_tables
from xlbudget.display import display_tables
from xlbudget.model import Budget
from xlbudget.pipeline import derive
from xlbudget.profile import load_profile

REASON_RULES = ("XB502", "XB503", "XB508", "XB605")
QUFUBAN, SHANGWUWEI = (ROOT / "examples" / name / "input.xlsx" for name in
                       ("shanghai-2025-qufuban", "shanghai-2025-shangwuwei"))
PROFILES = {QUFUBAN: "shanghai-unit", SHANGWUWEI: "shanghai-department"}


def read(example: object) -> Budget:
    outcome = derive([example])  # type: ignore[list-item]
    assert outcome.budget
    return outcome.budget


def reason_findings(budget: Budget, profile: str) -> list[tuple[str, str, str]]:
    layout = load_profile(profile)
    tables = derive_tables(budget, layout)
    display = display_tables(budget, layout, tables, layout.rounding)
    return [(f.code, str(f.where), f.message) for f in run_checks(budget, tables, [], layout, display)
            if f.code in REASON_RULES]


@pytest.mark.parametrize("example", [QUFUBAN, SHANGWUWEI], ids=["区府办", "商务委"])
def test_the_examples_give_the_published_reasons(example: object) -> None:
    assert reason_findings(read(example), PROFILES[example]) == []  # type: ignore[index]


def test_a_fiscal_change_without_its_reason_is_a_finding() -> None:
    """区府办: 财政拨款 9,101.68 万元, 2,389.52 less than 2024's 11,491.20 (published: 项目调整)."""
    budget = read(QUFUBAN)
    notes = {k: v for k, v in budget.notes.items() if k != "财政拨款变动原因"}
    assert reason_findings(replace(budget, notes=notes), "shanghai-unit") == [(
        "XB503", "说明事项",
        "财政拨款收入 9,101.68 万元，比上年 11,491.20 万元减少 2,389.52 万元，“说明事项”中没有填写“财政拨款变动原因”")]


def test_three_public_changes_need_their_reasons() -> None:
    """商务委: 公务接待费 1.00 万元 (2024: 1.00) and 因公出国（境）费 0 (2024: 0), made to change."""
    budget = read(SHANGWUWEI)
    prior = budget.prior | {"公务接待费": 500_000, "因公出国（境）费": 3_000_000, "三公经费": 3_500_000}
    notes = {k: v for k, v in budget.notes.items() if k not in ("公务接待费变动原因", "因公出国（境）费变动原因")}
    found = reason_findings(replace(budget, prior=prior, notes=notes), "shanghai-department")
    assert [(code, where) for code, where, _ in found] == [("XB502", "说明事项"), ("XB508", "上年数!B9")]
    noted = notes | {"公务接待费变动原因": "接待任务增加，比上年增加1万元"}
    assert [(code, message) for code, _, message in
            reason_findings(replace(budget, prior=prior, notes=noted), "shanghai-department")
            if code == "XB605"] == [
        ("XB605", "“说明事项”中“公务接待费变动原因”的文字写“增加1万元”，公开表中公务接待费增加 0.50 万元")]
