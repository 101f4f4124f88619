"""Findings as text for the terminal (JSON and HTML reports build on the same records)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from xlbudget.findings import ERROR, INFO, SEVERITY_LABEL, SEVERITY_ORDER, WARNING, Finding

_COLOURS = {ERROR: "red", WARNING: "yellow", INFO: "cyan"}


def sort_findings(findings: Sequence[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (f.sort_key, SEVERITY_ORDER[f.severity]))


def counts(findings: Sequence[Finding]) -> Counter[str]:
    return Counter(f.severity for f in findings)


def summary_line(findings: Sequence[Finding]) -> str:
    c = counts(findings)
    return f"错误 {c[ERROR]} 个，警告 {c[WARNING]} 个，提示 {c[INFO]} 个"


def finding_lines(finding: Finding, colour: bool = False) -> list[str]:
    """One finding: ``位置  [级别 规则] 说明`` then its values and hint, indented."""
    label = f"[{SEVERITY_LABEL[finding.severity]} {finding.code}]"
    if colour:
        import click

        label = click.style(label, fg=_COLOURS[finding.severity], bold=True)
    lines = [f"{finding.where}  {label} {finding.message}"]
    values = [f"{name}：{value}" for name, value in
              (("期望", finding.expected), ("实际", finding.actual), ("差额", finding.difference)) if value]
    if values:
        lines.append("    " + "；".join(values))
    if finding.hint:
        lines.append(f"    处理建议：{finding.hint}")
    return lines


def format_text(findings: Sequence[Finding], colour: bool = False) -> str:
    lines: list[str] = []
    for finding in sort_findings(findings):
        lines += finding_lines(finding, colour)
    lines.append(summary_line(findings))
    return "\n".join(lines)
