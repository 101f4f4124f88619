"""Reports (text, JSON against its schema, HTML), the ``check`` command and the rule registry."""

from __future__ import annotations

import importlib.util
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import jsonschema
import openpyxl
import pytest
from click.testing import CliRunner

from tests.conftest import EXAMPLE_INPUT, ROOT
from tests.workbooks import (
    BASIC,
    GOALS,
    INCOME,
    PROJECT,
    PROJECT_LINES,
    PROJECTS,
    UNIT,
    UNITS,
    goals,
    workbook,
)
from xlbudget.checks import CHECKS, RULES
from xlbudget.cli import main
from xlbudget.findings import ERROR, INFO, WARNING, Finding, Location
from xlbudget.report import build_report, format_html, format_json, format_text, sort_findings

SCHEMA = json.loads((ROOT / "docs" / "report-schema.json").read_text(encoding="utf-8"))
TESTS = Path(__file__).resolve().parent


def check(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["check", *args])
    return result.exit_code, result.stdout, result.stderr


# -- the registry ------------------------------------------------------------------------------


def test_every_rule_has_a_title_description_and_hint() -> None:
    for rule in RULES.values():
        assert re.fullmatch(r"XB\d{3}", rule.id)
        assert rule.severity in (ERROR, WARNING, INFO)
        assert rule.title and rule.hint and len(rule.description) > 20, rule.id


def test_every_check_function_states_its_rule() -> None:
    assert all(c.run.__doc__ and c.rule.id in RULES for c in CHECKS)


def test_every_rule_id_used_in_the_code_is_registered() -> None:
    used = {m for path in (ROOT / "xlbudget").rglob("*.py")
            for m in re.findall(r"\bXB\d{3}\b", path.read_text(encoding="utf-8"))}
    assert used - set(RULES) == set()


def test_every_rule_has_a_test() -> None:
    text = "".join(p.read_text(encoding="utf-8") for p in TESTS.glob("test_*.py"))
    assert [rule for rule in RULES if rule not in text] == []


def test_rules_doc_is_up_to_date() -> None:
    spec = importlib.util.spec_from_file_location("gen_rules_doc", ROOT / "scripts" / "gen_rules_doc.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert Path(module.OUT).read_text(encoding="utf-8") == module.render(), "run scripts/gen_rules_doc.py"


# -- report contents ---------------------------------------------------------------------------

HOSTILE = "<script>alert('x')</script>"
SAMPLE = [
    Finding("XB404", WARNING, f"项目“{HOSTILE}”的成本指标…", Location("绩效目标", 3, "E", "a.xlsx"), "核对。",
            "2.00 万元", "3万元", "1.00 万元", unit="001001", project=PROJECT),
    Finding("XB301", ERROR, "收支不平衡", Location("收入", 2, "C", "a.xlsx"), "核对。", "1.00 万元", "1.01 万元",
            "0.01 万元", unit="001001"),
    Finding("XB303", INFO, "尾差", Location("单位支出预算表", 5, "F")),
    Finding("XB501", WARNING, "缺少上年数", Location("上年数", file="a.xlsx")),
]


def test_findings_are_sorted_by_sheet_in_template_order_then_row() -> None:
    assert [f.code for f in sort_findings(SAMPLE)] == ["XB301", "XB404", "XB501", "XB303"]


def test_json_report_validates_against_its_schema() -> None:
    data = json.loads(format_json(SAMPLE, ["a.xlsx"], {"001001": "测试单位"}))
    jsonschema.validate(data, SCHEMA)
    assert data["summary"] | {"by_rule": None, "by_unit": None} == {
        "error": 1, "warning": 2, "info": 1, "total": 4, "by_rule": None, "by_unit": None}
    assert data["summary"]["by_unit"] == {"001001": {"name": "测试单位", "count": 2, "error": 1, "warning": 1, "info": 0}}
    record = data["findings"][0]
    assert (record["rule"], record["cell"], record["location"], record["difference"]) == ("XB301", "C2", "收入!C2",
                                                                                          "0.01 万元")


def test_json_report_of_the_example_validates(tmp_path: Path) -> None:
    code, out, _ = check(str(EXAMPLE_INPUT), "--format", "json")
    assert code == 0
    data = json.loads(out)
    jsonschema.validate(data, SCHEMA)
    assert data["summary"]["error"] == 0 and data["summary"]["by_rule"]["XB404"]["count"] == 6


def test_schema_rejects_a_malformed_report() -> None:
    data = build_report(SAMPLE)
    data["findings"][0]["severity"] = "fatal"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, SCHEMA)


class _Page(HTMLParser):
    """Collects what the filters need: select ids and the rows' data attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.selects: list[str] = []
        self.rows: list[dict[str, str | None]] = []
        self.scripts = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "select":
            self.selects.append(str(values["id"]))
        elif tag == "tr" and "data-rule" in values:
            self.rows.append(values)
        elif tag == "script":
            self.scripts += 1


def test_html_report_is_self_contained_filterable_and_escaped() -> None:
    page = format_html(SAMPLE, ["a.xlsx"], {"001001": "测试单位"})
    parser = _Page()
    parser.feed(page)
    assert parser.selects == ["f-severity", "f-rule", "f-unit"]
    assert [(r["data-severity"], r["data-rule"], r["data-unit"]) for r in parser.rows] == [
        ("error", "XB301", "001001"), ("warning", "XB404", "001001"), ("warning", "XB501", ""), ("info", "XB303", "")]
    assert parser.scripts == 1  # the filter; the project name's <script> is inert text
    assert HOSTILE not in page and "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert "http" not in page.replace("http-equiv", "")  # no external resources
    assert "错误</div>" in page and "001001 测试单位" in page


def test_html_report_without_findings() -> None:
    assert "未发现问题" in format_html([], ["a.xlsx"])


def test_text_report_ends_with_counts() -> None:
    text = format_text(SAMPLE)
    assert text.splitlines()[0] == "收入!C2  [错误 XB301] 收支不平衡"
    assert "    期望：1.00 万元；实际：1.01 万元；差额：0.01 万元" in text
    assert "XB404 成本指标与项目金额不一致：1 个" in text
    assert text.endswith("错误 1 个，警告 2 个，提示 1 个")


# -- xlbudget check ----------------------------------------------------------------------------


def test_check_example_is_clean_of_errors() -> None:
    code, out, _ = check(str(EXAMPLE_INPUT))
    assert code == 0 and out.rstrip().endswith("错误 0 个，警告 6 个，提示 0 个")


def test_check_strict_fails_on_warnings() -> None:
    assert check(str(EXAMPLE_INPUT), "--strict")[0] == 1


def test_check_errors_exit_1_and_html_report_file(tmp_path: Path) -> None:
    path = workbook(tmp_path, 收入=[INCOME, [UNIT, "一般公共预算", "110.01"]])
    code, out, err = check(str(path), "--format", "html", "-o", str(tmp_path / "报告.html"))
    assert code == 1 and out == ""
    assert "错误 1 个" in err and "报告.html" in err
    page = (tmp_path / "报告.html").read_text(encoding="utf-8")
    assert 'data-rule="XB301"' in page and "收入!C2" in page


def test_check_unusable_input_exit_2(tmp_path: Path) -> None:
    (tmp_path / "假的.xlsx").write_text("不是工作簿", encoding="utf-8")
    code, out, _ = check(str(tmp_path / "假的.xlsx"), "--format", "json")
    assert code == 2
    assert [f["rule"] for f in json.loads(out)["findings"]] == ["XB004"]  # not a workbook


def test_check_missing_input_exit_2(tmp_path: Path) -> None:
    code, out, err = check(str(tmp_path / "没有这个文件.xlsx"))
    assert code == 2 and "[错误 XB001] 找不到文件" in out and "Traceback" not in out + err


def test_check_refuses_to_write_the_report_over_its_input(tmp_path: Path) -> None:
    path = workbook(tmp_path)
    before = path.read_bytes()
    code, _, err = check(str(path), "-o", str(path))
    assert code == 2 and "XB002" in err and path.read_bytes() == before


def test_check_without_input_is_a_usage_error() -> None:
    assert check()[0] == 2


# -- compile ------------------------------------------------------------------------------------


def test_compile_force_writes_errors_into_the_findings_sheet(tmp_path: Path) -> None:
    path = workbook(tmp_path, 收入=[INCOME, [UNIT, "一般公共预算", "110.01"]],
                    项目=[PROJECTS, [PROJECT, "会议费", "其他运转类", UNIT]])
    refused = CliRunner().invoke(main, ["compile", str(path), "-o", str(tmp_path / "a.xlsx"), "--narrative", "none"])
    assert refused.exit_code == 1 and "XB301" in refused.stderr and not (tmp_path / "a.xlsx").exists()
    forced = CliRunner().invoke(main, ["compile", str(path), "-o", str(tmp_path / "b.xlsx"), "--narrative", "none",
                                       "--force"])
    assert forced.exit_code == 1
    sheet = openpyxl.load_workbook(tmp_path / "b.xlsx")["校验结果"]
    assert [row[:3] for row in sheet.iter_rows(min_row=2, values_only=True)] == [("XB301", "错误", "收入!C2")]


def test_compiled_example_lists_its_warnings(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["compile", str(EXAMPLE_INPUT), "-o", str(tmp_path / "公开表.xlsx"),
                                       "--narrative", "none"])
    assert result.exit_code == 0
    sheet = openpyxl.load_workbook(tmp_path / "公开表.xlsx")["校验结果"]
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["XB404"] * 6


def test_a_text_report_of_thousands_lists_the_first_of_each_rule_and_counts_the_rest(tmp_path: Path) -> None:
    """1,500 unreadable amounts: the text report lists 20 and says 1,500; JSON lists all 1,500."""
    path = workbook(tmp_path, 收入=[INCOME, *([UNIT, "一般公共预算", "一百元"] for _ in range(1500))])
    code, text, _ = check(str(path))
    assert code == 1
    assert len([line for line in text.splitlines() if "[错误 XB104]" in line]) == 20
    assert "XB104 金额无法识别：1500 个（只列出前 20 个，全部见 --format json 或 html 报告）" in text
    assert "收入!C21  [错误 XB104]" in text and "收入!C22  [错误 XB104]" not in text
    _, data, _ = check(str(path), "--format", "json")
    assert sum(f["rule"] == "XB104" for f in json.loads(data)["findings"]) == 1500


def test_with_several_unit_workbooks_each_location_names_its_file(tmp_path: Path) -> None:
    """Two unit workbooks of one department, an unreadable amount in the second's 收入!C2: the location
    says which workbook (Excel's ``[文件]工作表!单元格``), in text and JSON alike."""
    first = workbook(tmp_path, "本级.xlsx")
    other, project = "001002", "41030022000000000002"
    second = workbook(tmp_path, "下属单位.xlsx", 单位=[UNITS, [other, "下属单位", "事业单位"]],
                      收入=[INCOME, [other, "一般公共预算", "一百一十"]],
                      基本支出=[BASIC, [other, "2010301", "30101", "一般公共预算", "100.00"]],
                      项目=[PROJECTS, [project, "培训费", "其他运转类", other]],
                      项目支出=[PROJECT_LINES, [project, "2010302", "30216", "一般公共预算", "10.00"]],
                      绩效目标=[GOALS, *goals(project)])
    code, text, _ = check(str(first), str(second))
    assert code == 1, text
    assert "[下属单位.xlsx]收入!C2  [错误 XB104]" in text
    assert "[下属单位.xlsx]收入  [错误 XB301] 单位“001002 下属单位”" in text  # its own workbook's 收入
    located = [line.split("  [")[0] for line in text.splitlines() if "  [" in line]
    assert all(where.startswith(("[本级.xlsx]", "[下属单位.xlsx]")) for where in located if where), located
    _, data, _ = check(str(first), str(second), "--format", "json")
    assert "[下属单位.xlsx]收入!C2" in [f["location"] for f in json.loads(data)["findings"]]
    _, alone, _ = check(str(second))
    assert "\n收入!C2  [错误 XB104]" in "\n" + alone and "[下属单位.xlsx]" not in alone
