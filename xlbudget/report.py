"""Findings as reports: text for the terminal, JSON (``docs/report-schema.json``) and one
self-contained HTML page a clerk opens in a browser. All three are built from the same records."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from xlbudget import __version__, contract
from xlbudget.findings import ERROR, INFO, SEVERITY_LABEL, SEVERITY_ORDER, WARNING, Finding, Location

SCHEMA = "xlbudget-report/1"
FORMATS = ("text", "json", "html")
SEVERITIES = (ERROR, WARNING, INFO)
_COLOURS = {ERROR: "red", WARNING: "yellow", INFO: "cyan"}
_SHEET_ORDER = {sheet.name: i for i, sheet in enumerate(contract.SHEETS)}


def sort_findings(findings: Sequence[Finding]) -> list[Finding]:
    """By file, then sheet (the template's order, then the disclosure tables as reported), row,
    column; workbook-wide findings first within a file, the disclosure's tables last."""
    tables: dict[str, int] = {}
    for f in findings:
        if f.where.sheet not in _SHEET_ORDER:
            tables.setdefault(f.where.sheet, len(tables))

    def key(f: Finding) -> tuple[Any, ...]:
        where = f.where
        place = 0 if where.file or not where.sheet else 1  # the input, then the disclosure
        if not where.sheet:
            sheet = -1
        elif where.sheet in _SHEET_ORDER:
            sheet = _SHEET_ORDER[where.sheet]
        else:
            sheet = len(_SHEET_ORDER) + tables[where.sheet]
        return (place, where.file, sheet, where.row, len(where.column), where.column,
                SEVERITY_ORDER[f.severity], f.code)

    return sorted(findings, key=key)


def counts(findings: Sequence[Finding]) -> Counter[str]:
    return Counter(f.severity for f in findings)


def summary_line(findings: Sequence[Finding]) -> str:
    c = counts(findings)
    return f"错误 {c[ERROR]} 个，警告 {c[WARNING]} 个，提示 {c[INFO]} 个"


def several_files(findings: Sequence[Finding], files: Sequence[str] = ()) -> bool:
    """Whether the report covers more than one workbook, so each location must name its file."""
    return len(files) > 1 or len({f.where.file for f in findings if f.where.file}) > 1


def place(where: Location, with_file: bool) -> str:
    """A location as the clerk reads it; ``[单位1.xlsx]项目!A2`` (Excel's own notation) when the
    report covers several workbooks."""
    if with_file and where.file and where.sheet:
        return f"[{where.file}]{where}"
    return str(where)


def _rule_titles() -> dict[str, str]:
    from xlbudget.checks import RULES

    return {rule.id: rule.title for rule in RULES.values()}


# -- text ----------------------------------------------------------------------------------------


def finding_lines(finding: Finding, colour: bool = False, with_file: bool = False) -> list[str]:
    """One finding: ``位置  [级别 规则] 说明`` then its values and hint, indented."""
    label = f"[{SEVERITY_LABEL[finding.severity]} {finding.code}]"
    if colour:
        import click

        label = click.style(label, fg=_COLOURS[finding.severity], bold=True)
    lines = [f"{place(finding.where, with_file)}  {label} {finding.message}"]
    values = [f"{name}：{value}" for name, value in
              (("期望", finding.expected), ("实际", finding.actual), ("差额", finding.difference)) if value]
    if values:
        lines.append("    " + "；".join(values))
    if finding.hint:
        lines.append(f"    处理建议：{finding.hint}")
    return lines


PER_RULE = 20  # findings of one rule the text report lists; JSON and HTML list all


def format_text(findings: Sequence[Finding], colour: bool = False, per_rule: int = PER_RULE,
                files: Sequence[str] = ()) -> str:
    """The terminal report: the findings in order, at most ``per_rule`` of each rule (thousands
    would bury the rest), then the count by rule, saying what was left out, and in total."""
    lines: list[str] = []
    listed: Counter[str] = Counter()
    with_file = several_files(findings, files)
    for finding in sort_findings(findings):
        listed[finding.code] += 1
        if listed[finding.code] <= per_rule:
            lines += finding_lines(finding, colour, with_file)
    titles = _rule_titles()
    by_rule = Counter(f.code for f in findings)
    if by_rule:
        lines.append("")
        lines += [f"{code} {titles.get(code, '')}：{n} 个" + (
            f"（只列出前 {per_rule} 个，全部见 --format json 或 html 报告）" if n > per_rule else "")
                  for code, n in sorted(by_rule.items())]
    lines.append(summary_line(findings))
    return "\n".join(lines)


# -- JSON ----------------------------------------------------------------------------------------


def finding_record(finding: Finding, units: dict[str, str], with_file: bool = False) -> dict[str, Any]:
    """One finding as documented in docs/report-schema.json."""
    where = finding.where
    cell = f"{where.column}{where.row}" if where.column and where.row else None
    return {
        "rule": finding.code, "severity": finding.severity, "message": finding.message,
        "file": where.file or None, "sheet": where.sheet or None, "row": where.row or None,
        "column": where.column or None, "cell": cell, "location": place(where, with_file),
        "expected": finding.expected or None, "actual": finding.actual or None,
        "difference": finding.difference or None, "hint": finding.hint or None,
        "unit": finding.unit or None, "unit_name": units.get(finding.unit) if finding.unit else None,
        "project": finding.project or None,
    }


def build_report(findings: Sequence[Finding], files: Sequence[str] = (),
                 units: dict[str, str] | None = None) -> dict[str, Any]:
    """The report as plain data: summary (by severity, rule, unit), rules used, findings."""
    from xlbudget.checks import RULES

    units = units or {}
    ordered = sort_findings(findings)
    by_rule: dict[str, dict[str, Any]] = {}
    by_unit: dict[str, dict[str, Any]] = {}
    for f in ordered:
        rule = RULES.get(f.code)
        entry = by_rule.setdefault(f.code, {"title": rule.title if rule else "", "count": 0,
                                            **{s: 0 for s in SEVERITIES}})
        entry["count"] += 1
        entry[f.severity] += 1
        if f.unit:
            unit = by_unit.setdefault(f.unit, {"name": units.get(f.unit, ""), "count": 0,
                                               **{s: 0 for s in SEVERITIES}})
            unit["count"] += 1
            unit[f.severity] += 1
    c = counts(findings)
    used = sorted(by_rule)
    with_file = several_files(findings, files)
    return {
        "schema": SCHEMA,
        "generator": f"xlbudget {__version__}",
        "files": list(files),
        "summary": {"error": c[ERROR], "warning": c[WARNING], "info": c[INFO], "total": len(findings),
                    "by_rule": {code: by_rule[code] for code in used},
                    "by_unit": dict(sorted(by_unit.items()))},
        "rules": {code: {"severity": RULES[code].severity, "title": RULES[code].title,
                         "family": RULES[code].family, "description": RULES[code].description,
                         "hint": RULES[code].hint} for code in used if code in RULES},
        "findings": [finding_record(f, units, with_file) for f in ordered],
    }


def format_json(findings: Sequence[Finding], files: Sequence[str] = (),
                units: dict[str, str] | None = None) -> str:
    import json  # only the JSON report needs it (a compile does not)

    return json.dumps(build_report(findings, files, units), ensure_ascii=False, indent=2) + "\n"


# -- HTML ----------------------------------------------------------------------------------------

_CSS = """
body{font-family:"Microsoft YaHei","PingFang SC","Noto Sans CJK SC",sans-serif;margin:24px;color:#222}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px}
.files{color:#555;margin:0 0 16px}
.cards{display:flex;flex-wrap:wrap;gap:12px}.card{border-radius:6px;padding:10px 18px;min-width:90px;color:#fff}
.card b{display:block;font-size:26px}.card.error{background:#c62828}.card.warning{background:#ef8f00}
.card.info{background:#1e70b5}
table{border-collapse:collapse;width:100%;font-size:13px}
th,td{border:1px solid #ccc;padding:4px 6px;text-align:left;vertical-align:top}
th{background:#f2f2f2;position:sticky;top:0}
#findings{table-layout:fixed;min-width:860px}td{overflow-wrap:anywhere}
td.num{text-align:right}td.where{font-family:monospace}
.wide{overflow-x:auto}
tr.error td.sev{color:#c62828;font-weight:bold}tr.warning td.sev{color:#b36b00;font-weight:bold}
tr.info td.sev{color:#1e70b5}
.filters{margin:8px 0;display:flex;gap:16px;flex-wrap:wrap}.filters label{font-size:14px}
.hint{color:#2e5e2e}.empty{color:#2e7d32;font-size:16px}
dt{font-weight:bold;margin-top:10px}dd{margin:4px 0 0 16px;color:#333}
@media (max-width:600px){body{margin:10px}}
"""

_JS = """
(function(){
  var rows=[].slice.call(document.querySelectorAll('#findings tbody tr'));
  var sel={severity:document.getElementById('f-severity'),rule:document.getElementById('f-rule'),
           unit:document.getElementById('f-unit')};
  var shown=document.getElementById('shown');
  function apply(){
    var n=0;
    rows.forEach(function(r){
      var ok=Object.keys(sel).every(function(k){return !sel[k].value||r.dataset[k]===sel[k].value;});
      r.style.display=ok?'':'none'; if(ok){n++;}
    });
    shown.textContent=n;
  }
  Object.keys(sel).forEach(function(k){sel[k].addEventListener('change',apply);});
  apply();
})();
"""

_HTML_COLUMNS = ("级别", "规则", "位置", "单位", "说明", "期望", "实际", "差额", "处理建议")
# Fixed widths: a long text wraps in its own cell instead of squeezing 说明 to a few characters.
_COLGROUP = "<colgroup>" + "".join(f'<col style="width:{w}">' for w in (
    "4em", "5em", "8em", "8%", "24%", "10%", "10%", "10%", "20%")) + "</colgroup>"


def _e(value: object) -> str:
    from html import escape  # only the HTML report needs it (a compile does not)

    return escape("" if value is None else str(value), quote=True)


def _options(label: str, key: str, values: dict[str, str]) -> str:
    options = "".join(f'<option value="{_e(v)}">{_e(text)}</option>' for v, text in values.items())
    return f'<label>{label}：<select id="f-{key}"><option value="">全部</option>{options}</select></label>'


def _finding_row(record: dict[str, Any]) -> str:
    unit = " ".join(x for x in (record["unit"], record["unit_name"]) if x)
    cells = [
        f'<td class="sev">{_e(SEVERITY_LABEL[record["severity"]])}</td>',
        f'<td>{_e(record["rule"])}</td>',
        f'<td class="where">{_e(record["location"])}</td>',
        f"<td>{_e(unit)}</td>",
        f'<td>{_e(record["message"])}</td>',
        *(f'<td class="num">{_e(record[k])}</td>' for k in ("expected", "actual", "difference")),
        f'<td class="hint">{_e(record["hint"])}</td>',
    ]
    return (f'<tr class="{_e(record["severity"])}" data-severity="{_e(record["severity"])}" '
            f'data-rule="{_e(record["rule"])}" data-unit="{_e(record["unit"] or "")}">{"".join(cells)}</tr>')


def _summary_tables(summary: dict[str, Any]) -> str:
    rules = "".join(
        f'<tr><td>{_e(code)}</td><td>{_e(r["title"])}</td><td class="num">{r["error"]}</td>'
        f'<td class="num">{r["warning"]}</td><td class="num">{r["info"]}</td></tr>'
        for code, r in summary["by_rule"].items())
    parts = ["<h2>按规则</h2><table><thead><tr><th>规则</th><th>名称</th><th>错误</th><th>警告</th>"
             f"<th>提示</th></tr></thead><tbody>{rules}</tbody></table>"]
    if summary["by_unit"]:
        units = "".join(
            f'<tr><td>{_e(code)}</td><td>{_e(u["name"])}</td><td class="num">{u["error"]}</td>'
            f'<td class="num">{u["warning"]}</td><td class="num">{u["info"]}</td></tr>'
            for code, u in summary["by_unit"].items())
        parts.append("<h2>按单位</h2><table><thead><tr><th>单位编码</th><th>单位名称</th><th>错误</th>"
                     f"<th>警告</th><th>提示</th></tr></thead><tbody>{units}</tbody></table>")
    return "".join(parts)


def format_html(findings: Sequence[Finding], files: Sequence[str] = (),
                units: dict[str, str] | None = None, family: str = "预算") -> str:
    """One self-contained page: summary, then the findings filterable by severity, rule and unit;
    titled for the document checked (``family``: 预算填报校验报告, 决算填报校验报告)."""
    report = build_report(findings, files, units)
    title = f"{family}填报校验报告"
    summary, records = report["summary"], report["findings"]
    cards = "".join(f'<div class="card {s}"><b>{summary[s]}</b>{SEVERITY_LABEL[s]}</div>' for s in SEVERITIES)
    body = [f'<h1>{title}</h1><p class="files">文件：{_e("、".join(files) or "（无）")}'
            f"　生成：{_e(report['generator'])}</p>", f'<div class="cards">{cards}</div>']
    if not records:
        body.append('<p class="empty">未发现问题。</p>')
    else:
        body.append(_summary_tables(summary))
        rule_choices = {code: f"{code} {r['title']}" for code, r in summary["by_rule"].items()}
        unit_choices = {code: f"{code} {u['name']}".strip() for code, u in summary["by_unit"].items()}
        filters = [_options("级别", "severity", {s: SEVERITY_LABEL[s] for s in SEVERITIES}),
                   _options("规则", "rule", rule_choices), _options("单位", "unit", unit_choices),
                   f'<span>显示 <b id="shown">{len(records)}</b> / {len(records)} 条</span>']
        head = "".join(f"<th>{c}</th>" for c in _HTML_COLUMNS)
        rows = "".join(_finding_row(r) for r in records)
        body.append(f'<h2>问题清单</h2><div class="filters">{"".join(filters)}</div><div class="wide">'
                    f'<table id="findings">{_COLGROUP}<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table></div>')
        rules = "".join(f"<dt>{_e(code)} {_e(r['title'])}（{_e(SEVERITY_LABEL[r['severity']])}）</dt>"
                        f"<dd>{_e(r['description'])}</dd><dd class=\"hint\">处理建议：{_e(r['hint'])}</dd>"
                        for code, r in report["rules"].items())
        body.append(f"<h2>规则说明</h2><dl>{rules}</dl><script>{_JS}</script>")
    return ('<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width,initial-scale=1">'
            f"<title>{title}</title><style>{_CSS}</style></head><body>{''.join(body)}</body></html>\n")


def render_report(findings: Sequence[Finding], report_format: str = "text", files: Sequence[str] = (),
                  units: dict[str, str] | None = None, colour: bool = False, family: str = "预算") -> str:
    """The report in ``report_format`` (one of FORMATS) of a ``family`` workbook (预算, 决算)."""
    if report_format == "json":
        return format_json(findings, files, units)
    if report_format == "html":
        return format_html(findings, files, units, family)
    return format_text(findings, colour, files=files)
