"""The 预算说明 as Markdown: Jinja2 templates fed with the figures, plus the block reader both
writers share.

Wording lives in the templates (``xlbudget/templates/narrative``); a user folder given with
``--templates`` is searched first, so a province overrides one file and keeps the rest. Python
only hands over figures and formats numbers, through the filters below (one rounding place:
``xlbudget.money``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from xlbudget.figures import share
from xlbudget.money import Fen, to_display
from xlbudget.tables.two_sided import chinese_number

MAIN_TEMPLATE = "narrative.md.j2"
PACKAGE_TEMPLATES = "templates/narrative"  # inside the xlbudget package

# Markdown the templates write: "# " title, "## " part, "### " section, "#### " subsection,
# "- " list item; every other non-empty line is a paragraph.
HEADINGS = {"#": "title", "##": "part", "###": "section", "####": "subsection"}
_LINE_START = re.compile(r"^([#>+-]|\d+(?=[.)]))")
_INLINE = re.compile(r"([\\`*_<>&])")  # <, > and &: raw HTML typed in a workbook stays text
_UNESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")


class NarrativeError(ValueError):
    """A template that cannot be used; the message is for the clerk."""


@dataclass(frozen=True)
class Block:
    kind: str  # title | part | section | subsection | item | paragraph
    text: str  # plain text (Markdown escapes removed)


# -- Markdown text helpers ----------------------------------------------------------------------
def escape(text: str) -> str:
    """User text made literal in Markdown, line by line."""
    return "\n".join(_escape_line(line) for line in str(text).splitlines())


def _escape_line(line: str) -> str:
    line = _INLINE.sub(r"\\\1", line.strip())
    match = _LINE_START.match(line)
    if not match:
        return line
    if match.group(1)[0].isdigit():  # "1." → "1\." (an ordered list marker made literal)
        end = match.end()
        return line[:end] + "\\" + line[end:]
    return "\\" + line


def unescape(text: str) -> str:
    return _UNESCAPE.sub(r"\1", text)


def blocks(markdown: str) -> list[Block]:
    """The templates' Markdown as typed blocks (what the .docx writer lays out)."""
    out = []
    for line in markdown.splitlines():
        line = line.strip()
        if not line:
            continue
        marker, _, rest = line.partition(" ")
        if marker in HEADINGS and rest:
            out.append(Block(HEADINGS[marker], unescape(rest.strip())))
        elif marker == "-" and rest:
            out.append(Block("item", unescape(rest.strip())))
        else:
            out.append(Block("paragraph", unescape(line)))
    return out


def tidy(markdown: str) -> str:
    """One blank line between blocks (so every paragraph stays a paragraph), list items kept
    together, no trailing spaces."""
    lines = [line.rstrip() for line in markdown.splitlines() if line.strip()]
    out: list[str] = []
    for line in lines:
        if out and not (line.startswith("- ") and out[-1].startswith("- ")):
            out.append("")
        out.append(line)
    return "\n".join(out) + "\n"


# -- filters and functions for the templates ------------------------------------------------------
def wan(fen: Fen) -> str:
    """分 as 万元 with two decimals, e.g. 3846.29 (no thousands separator, as in the seed)."""
    return str(to_display(fen))


def pct(value: Decimal | None) -> str:
    return "—" if value is None else str(value)


def paragraphs(text: str) -> str:
    """Escaped user text, one paragraph per line."""
    return "\n\n".join(line for line in text.splitlines() if line.strip())


def sentence(text: str) -> str:
    """Escaped user text as one sentence ending with 。 (for "主要原因：…")."""
    joined = "".join(line.strip() for line in text.splitlines())
    return joined.rstrip("。.；;，, ") + "。"


def share_sum(parts: list[Fen], whole: Fen) -> Decimal | None:
    """Sum of the rounded shares of ``parts`` when they make up ``whole`` (else None)."""
    if not whole or sum(parts) != whole:
        return None
    return sum((share(p, whole) or Decimal(0) for p in parts), Decimal(0))


FILTERS = {"wan": wan, "pct": pct, "cn": chinese_number, "paras": paragraphs, "sentence": sentence}
FUNCTIONS = {"share": share, "share_sum": share_sum}


# -- rendering ----------------------------------------------------------------------------------
def _bytecode_cache() -> Any:
    """Compiled templates kept in the system's temporary folder (keyed by each template's
    source checksum), so a clerk's next compile skips compiling them; None where it can't."""
    import jinja2

    try:
        return jinja2.FileSystemBytecodeCache()
    except (OSError, RuntimeError):
        return None


@lru_cache(maxsize=8)
def environment(template_dirs: tuple[Path, ...] = ()) -> Any:
    """Jinja2 environment: the given folders first (in order), then the shipped templates."""
    import jinja2

    loaders: list[jinja2.BaseLoader] = []
    for folder in template_dirs:
        if not Path(folder).is_dir():
            raise NarrativeError(f"预算说明模板文件夹不存在：{folder}")
        loaders.append(jinja2.FileSystemLoader(str(folder)))
    loaders.append(jinja2.PackageLoader("xlbudget", PACKAGE_TEMPLATES))
    env = jinja2.Environment(loader=jinja2.ChoiceLoader(loaders), undefined=jinja2.StrictUndefined,
                             trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
                             autoescape=False, bytecode_cache=_bytecode_cache())
    env.filters.update(FILTERS)
    env.globals.update(FUNCTIONS)
    return env


def render_template(name: str, values: dict[str, Any], template_dirs: tuple[Path, ...] = ()) -> str:
    """Template ``name`` rendered with ``values``, tidied; template problems raise NarrativeError."""
    import jinja2

    env = environment(template_dirs)
    try:
        text = env.get_template(name).render(values)
    except jinja2.TemplateSyntaxError as exc:
        raise NarrativeError(f"预算说明模板 {exc.name or exc.filename} 第{exc.lineno}行有语法错误：{exc.message}") from None
    except jinja2.UndefinedError as exc:
        raise NarrativeError(f"预算说明模板无法使用：{exc}{_renamed(str(exc))}") from None
    except jinja2.TemplateError as exc:
        raise NarrativeError(f"预算说明模板无法使用：{exc}") from None
    return tidy(text)


# Names of the figures the default 预算说明 read before every format declared its own: a clerk's
# template that still uses one is told what to write instead.
RENAMED = {
    "fund": "f.fund_total、f.fund_basic、f.fund_project",
    "capital": "f.capital_total、f.capital_basic、f.capital_project",
    "fiscal_parts": "f.fiscal_general、f.fiscal_fund、f.fiscal_capital",
    "target_count": "f.targets[0]", "target_amount": "f.targets[1]",
    "procurement": "note_amount(\"政府采购货物\") 等", "procurement_total": "total_or_none([...])",
    "vehicle_counts": "note_count(\"一般公务用车\") 等", "vehicle_total": "total_or_none([...])",
    "equipment_counts": "note_count(\"单价50万元以上通用设备\") 等",
}


def _renamed(message: str) -> str:
    """A hint when an undefined name is one of ``RENAMED`` (or a figure the profile does not list)."""
    match = re.search(r"has no attribute '(\w+)'", message)
    if not match:
        return ""
    name = match.group(1)
    if name in RENAMED:
        return f"（“f.{name}”已不再提供，请改用 {RENAMED[name]}，见 xlbudget/templates/narrative/README.md）"
    return f"（模板读取的数字须列在格式配置的 narrative.figures 中：“{name}”）"
