"""Write docs/rules.md — the rule catalogue — from the registry in xlbudget/checks.

A test fails when the file is out of date: python scripts/gen_rules_doc.py
"""

from __future__ import annotations

from pathlib import Path

from xlbudget.checks import FAMILIES, RULES
from xlbudget.findings import SEVERITY_LABEL

OUT = Path(__file__).resolve().parent.parent / "docs" / "rules.md"


def render() -> str:
    lines = ["# 校验规则", "",
             "本文件由 `scripts/gen_rules_doc.py` 根据 `xlbudget/checks` 中的规则注册表生成，请勿手改。", "",
             "`xlbudget check 填报.xlsx` 列出全部问题（不会在第一个问题处停止），每条问题给出规则编号、级别、"
             "说明、在填报工作簿中的位置（如 `收入!C2`）、期望值/实际值/差额和处理建议。"
             "`xlbudget compile` 先做同样的校验：有**错误**时不生成公开表（`--force` 时仍生成），"
             "警告和提示写入公开表工作簿的“校验结果”表。", "",
             "- **错误**：数据不能用于公开，须改正；退出码 1。",
             "- **警告**：很可能有问题，请核对；`--strict` 时退出码 1。",
             "- **提示**：说明程序如何处理了数据，通常无需处理。", "",
             "规则编号一经发布不再改变含义。报告格式见 `docs/report-schema.json`。", "",
             "## 总览", "", "| 规则 | 级别 | 类别 | 名称 |", "| --- | --- | --- | --- |"]
    lines += [f"| [{r.id}](#{r.id.lower()}) | {SEVERITY_LABEL[r.severity]} | {r.family} | {r.title} |"
              for r in RULES.values()]
    for family in FAMILIES:
        lines += ["", f"## {family}"]
        for rule in (r for r in RULES.values() if r.family == family):
            lines += ["", f"### {rule.id}", "", f"**{rule.title}**（{SEVERITY_LABEL[rule.severity]}）", "",
                      rule.description, "", f"处理建议：{rule.hint}"]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    OUT.write_text(render(), encoding="utf-8")
    print(f"wrote {OUT}")
