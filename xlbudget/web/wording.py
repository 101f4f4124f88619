"""Findings as the page shows them: the clerk's own file names instead of the internal ones, no
server path, and hints that point at the page's controls instead of command-line options."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import replace
from pathlib import Path

from xlbudget.findings import Finding

# Hint phrases of the checks that name a command-line option, as the page says them.
PAGE_PHRASES = {
    "可用 --catalog 提供自定义科目文件": "可请管理员补充科目目录（网页上不能上传科目文件）",
    "或用 --catalog 补充对照关系": "或请管理员补充科目对照关系",
    "可用 --catalog 提供更正": "可请管理员更正科目目录",
    "（compile --rounding exact）": "（“舍入方式”选“逐数四舍五入”）",
    "格式配置（--profile）": "“公开表格式”",
    "请用 xlbudget template --year 年度 生成当年模板": "请在本页第 1 步选择该预算年度，下载当年模板",
    "编制部门预算时去掉 --budget（上年的预算工作簿用 --prior）。": "编制部门预算时不要选择“本年度预算工作簿”。",
    "--budget、--from 给出本年度的预算填报工作簿": "“本年度预算工作簿”须为本年度的预算填报工作簿",
    "--budget 给出本部门同一年度的预算工作簿": "“本年度预算工作簿”请选择本部门同一年度的预算工作簿",
    "--budget 给出同一年度的预算工作簿": "“本年度预算工作簿”请选择同一年度的预算工作簿",
}
# Any other option named in a text, by what the page offers instead.
PAGE_OPTIONS = {"--catalog": "管理员提供的科目目录", "--profile": "“公开表格式”", "--rounding": "“舍入方式”",
                "--force": "强制输出", "--narrative": "“预算说明”格式", "--from": "上年工作簿",
                "--year": "预算年度", "--budget": "“本年度预算工作簿”"}
_OPTION = re.compile(r"(?:compile |check |template )?(--[a-z][a-z-]*)(?: [a-z]+\b)?")


def page_text(text: str, names: Mapping[str, str], root: Path) -> str:
    """``text`` with internal names replaced by the clerk's, server paths removed and
    command-line options named as the page's controls."""
    text = re.sub(re.escape(str(root)) + r"[^\s“”\"'：，。]*[/\\]", "", text)  # a path keeps its file name only
    text = text.replace(str(root), "")
    for stored, shown in names.items():
        text = text.replace(stored, shown)
    for cli, page in PAGE_PHRASES.items():
        text = text.replace(cli, page)
    return _OPTION.sub(lambda m: PAGE_OPTIONS.get(m.group(1), m.group(0)), text)


def for_page(findings: Iterable[Finding], names: Mapping[str, str], root: Path) -> list[Finding]:
    def shown(text: str) -> str:
        return page_text(text, names, root)

    return [replace(f, message=shown(f.message), hint=shown(f.hint), expected=shown(f.expected),
                    actual=shown(f.actual), where=replace(f.where, file=names.get(f.where.file, shown(f.where.file))))
            for f in findings]
