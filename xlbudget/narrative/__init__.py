"""The 预算说明: generated from the tables' figures, written as .docx and Markdown.

    narrative = build_narrative(budget, tables, profile)       # renders, writes nothing
    paths = narrative.write(folder / "公开表_预算说明", ("docx", "md"))

Wording is in Jinja2 templates (``xlbudget/templates/narrative``; a folder of one's own via
``template_dir`` overrides any of them). Every number comes from ``xlbudget.figures``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from xlbudget.figures import FiguresError, compute_figures
from xlbudget.layout import LayoutError
from xlbudget.model import Budget
from xlbudget.narrative.text import Block, NarrativeError, blocks, render_markdown, render_template
from xlbudget.outputs import atomic_write
from xlbudget.profile import Profile
from xlbudget.tables.base import Table

FORMATS = ("docx", "md")
SUFFIX = "_预算说明"  # <workbook stem>_预算说明.docx / .md, beside the workbook

__all__ = ["FORMATS", "SUFFIX", "Narrative", "NarrativeError", "build_narrative", "narrative_stem",
           "parse_formats", "write_narrative"]


@dataclass(frozen=True)
class Narrative:
    """A rendered 预算说明: its title, author (the department) and Markdown text."""

    title: str
    author: str
    markdown: str

    def blocks(self) -> list[Block]:
        return blocks(self.markdown)

    def write(self, stem: Path, formats: Sequence[str] = FORMATS) -> list[Path]:
        """Write ``stem``.docx / ``stem``.md atomically; returns the written paths."""
        from xlbudget.narrative.word import write_docx

        written = []
        for kind in formats:
            path = stem.with_name(f"{stem.name}.{kind}")
            if kind == "md":
                data = self.markdown.encode("utf-8")
                atomic_write(path, lambda tmp, data=data: tmp.write_bytes(data))  # type: ignore[misc]
            else:
                atomic_write(path, lambda tmp: write_docx(tmp, self.title, self.author, self.blocks()))
            written.append(path)
        return written


def build_narrative(budget: Budget, tables: list[Table], profile: Profile,
                    template_dir: Path | None = None) -> Narrative:
    """Render the 预算说明 of ``budget`` from its derived ``tables`` (raises NarrativeError):
    the profile's own templates when it has them, else the default ones."""
    from xlbudget.narrative import declared

    try:
        if profile.narrative:
            values = declared.context(budget, tables, profile, profile.narrative)
            markdown = render_template(f"{profile.narrative.templates}/{declared.MAIN_TEMPLATE}", values,
                                       template_dir)
        else:
            markdown = render_markdown(budget, compute_figures(budget, tables, profile), tables, template_dir)
    except (FiguresError, LayoutError) as exc:
        raise NarrativeError(f"无法生成预算说明：{exc}") from None
    title = next((b.text for b in blocks(markdown) if b.kind == "title"), f"{budget.year}年预算说明")
    return Narrative(title, budget.dept_name, markdown)


def write_narrative(budget: Budget, tables: list[Table], profile: Profile, stem: Path,
                    formats: Sequence[str] = FORMATS, template_dir: Path | None = None) -> list[Path]:
    """Render and write in one call."""
    return build_narrative(budget, tables, profile, template_dir).write(stem, formats)


def narrative_stem(workbook: Path) -> Path:
    """``公开表.xlsx`` → ``公开表_预算说明`` (the narrative sits beside the workbook)."""
    return workbook.with_name(f"{workbook.stem}{SUFFIX}")


def parse_formats(text: str) -> tuple[str, ...]:
    """``docx,md`` → ("docx", "md"); ``none`` → (); anything else raises ValueError."""
    items = tuple(dict.fromkeys(p.strip().lower() for p in text.replace("，", ",").split(",") if p.strip()))
    if items == ("none",):
        return ()
    unknown = [i for i in items if i not in FORMATS]
    if unknown or not items:
        raise ValueError(f"预算说明格式须为 {','.join(FORMATS)} 中的一个或多个，或 none（收到：{text}）")
    return items
