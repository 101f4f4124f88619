"""One source of truth for rules: every rule id is declared once in the code (the reading rules in
``xlbudget.reading.rules``), and what reading reports — severity and hint — is what the registry
declares, over workbooks shaped the way clerks shape them."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.test_hostile_cells import MESSY
from tests.workbooks import BASE, BASIC, INCOME, UNIT, UNITS, info, workbook
from tests.workbooks_hostile import write_xlsx
from xlbudget.checks import RULES
from xlbudget.findings import ERROR, WARNING, Finding
from xlbudget.pipeline import derive
from xlbudget.reading.rules import MERGED_CELLS, NAME_MISMATCH

RULE_ID = re.compile(r"""["'](XB\d{3})["']""")
EXAMPLES = ("luoyang-2022", "shanghai-2025-shangwuwei", "shanghai-2025-qufuban")


def test_every_rule_id_is_declared_once_in_the_code() -> None:
    ids = Counter(match for path in sorted((ROOT / "xlbudget").rglob("*.py"))
                  for match in RULE_ID.findall(path.read_text(encoding="utf-8")))
    assert {rule: n for rule, n in ids.items() if n != 1} == {}
    assert sorted(ids) == sorted(RULES)


def _odd_workbooks(tmp_path: Path) -> list[list[Path]]:
    """Inputs (one or several workbooks each) that make reading report every kind of problem."""
    messy = write_xlsx(tmp_path / "杂乱.xlsx", MESSY, merges={"基本支出": ["A2:A3"]}, hidden_rows={"收入": [4]})
    lines = [BASIC, [UNIT, "2010301", "30101", "一般公共预算", "50"], [None, "2010301", "30102", "一般公共预算", "30"],
             [UNIT, "2010302", "30201", "一般公共预算", "7"], [UNIT, "2010302", "30202", "一般公共预算", None]]
    merged = write_xlsx(tmp_path / "合并.xlsx", {**BASE, "基本支出": lines}, merges={"基本支出": ["A2:A3", "E4:E5"]},
                        hidden_sheets=["项目"])
    named = workbook(tmp_path, "名称.xlsx", 基本支出=[
        [*BASIC, "功能分类名称", "经济分类名称"],
        [UNIT, "20805", "30101", "一般公共预算", "60", "行政事业单位离退休", "基本工资"],
        [UNIT, "2010301", "30102", "一般公共预算", "40", "一般行政管理事务", "奖金"]])
    copies = write_xlsx(tmp_path / "副本.xlsx", {**BASE, "收入 (2)": BASE["收入"], "测算": [["合计", 12]]})
    in_yuan = workbook(tmp_path, "元.xlsx", 基本信息=info("元"), 单位=[UNITS, [UNIT, "测试单位", "行政单位"], ["001002", "另一单位", "行政单位"]],
                       收入=[INCOME, ["001002", "一般公共预算", "1,000.001"]], 基本支出=[BASIC])
    empty = tmp_path / "空.xlsx"
    empty.write_bytes(b"")
    examples = [[ROOT / "examples" / name / "input.xlsx"] for name in EXAMPLES]
    return [[messy], [merged], [named], [copies], [workbook(tmp_path, "万元.xlsx"), in_yuan], [empty], *examples]


def test_what_reading_reports_is_what_the_registry_declares(tmp_path: Path) -> None:
    found: list[Finding] = [f for inputs in _odd_workbooks(tmp_path) for f in derive(inputs).findings]
    undeclared = [(f.code, f.severity, str(f.where)) for f in found
                  if f.code not in RULES or f.severity not in (RULES[f.code].severity, *RULES[f.code].also)
                  or not f.hint]
    assert undeclared == []
    # the corpus reaches the rules reported while reading, in both severities where a rule has two
    reading = {(f.code, f.severity) for f in found if RULES[f.code].family in ("读取", "科目")}
    assert {("XB117", "info"), ("XB117", "warning"), ("XB111", "info"), ("XB111", "error"), ("XB118", "info"),
            ("XB119", "error"), ("XB125", "warning"), ("XB206", "warning"), ("XB207", "info"), ("XB003", "error"),
            ("XB103", "error"), ("XB104", "error"), ("XB105", "error"), ("XB106", "error"), ("XB107", "warning"),
            ("XB110", "error")} <= reading


def test_a_severity_the_rule_does_not_declare_is_refused() -> None:
    assert MERGED_CELLS.finding("合并单元格", severity="info").severity == "info"
    with pytest.raises(ValueError, match="XB117"):
        MERGED_CELLS.finding("合并单元格", severity=ERROR)
    with pytest.raises(ValueError, match="XB206"):
        NAME_MISMATCH.finding("名称不符", severity=ERROR)
    assert NAME_MISMATCH.finding("名称不符", severity=WARNING).hint == NAME_MISMATCH.hint
