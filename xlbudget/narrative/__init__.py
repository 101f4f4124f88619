"""The 预算说明: generated from the tables' figures, written as .docx and Markdown.

    narrative = build_narrative(budget, tables, profile)       # renders, writes nothing
    paths = narrative.write(folder / "公开表_预算说明", ("docx", "md"))

Wording is in Jinja2 templates, which the profile declares (``[narrative]``: the folder under
``xlbudget/templates/narrative`` or beside the profile file, and the figures they read); a folder
of one's own via ``template_dir`` overrides any of them. Every number comes from
``xlbudget.figures``. A profile without ``[narrative]`` has no 预算说明.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from xlbudget.figures import FiguresError
from xlbudget.layout import LayoutError
from xlbudget.model import Budget
from xlbudget.narrative.text import Block, NarrativeError, blocks, render_template
from xlbudget.outputs import atomic_write
from xlbudget.profile import Profile
from xlbudget.tables.base import Table

FORMATS = ("docx", "md")
SUFFIX = "_预算说明"  # <workbook stem>_预算说明.docx / .md, beside the workbook
SUFFIXES = {"预算": SUFFIX, "决算": "_决算说明"}  # by the profile's family

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
                    template_dir: Path | None = None) -> Narrative | None:
    """Render the 预算说明 of ``budget`` from its derived ``tables`` with the templates the
    profile declares (raises NarrativeError); None when the profile has no 预算说明.
    ``template_dir``: a folder whose templates replace the shipped ones of the same name."""
    from xlbudget.narrative import accounts, declared

    spec = profile.narrative
    if spec is None:
        return None
    folders = tuple(Path(d) for d in (template_dir, spec.folder) if d)
    main = declared.MAIN_TEMPLATE if spec.templates in ("", ".") else f"{spec.templates}/{declared.MAIN_TEMPLATE}"
    try:
        family = accounts if profile.family == "决算" else declared
        markdown = render_template(main, family.context(budget, tables, profile, spec), folders)
    except (FiguresError, LayoutError) as exc:
        raise NarrativeError(f"无法生成预算说明：{exc}") from None
    title = next((b.text for b in blocks(markdown) if b.kind == "title"), f"{budget.year}年预算说明")
    return Narrative(title, budget.dept_name, markdown)


def write_narrative(budget: Budget, tables: list[Table], profile: Profile, stem: Path,
                    formats: Sequence[str] = FORMATS, template_dir: Path | None = None) -> list[Path]:
    """Render and write in one call (nothing when the profile has no 预算说明)."""
    narrative = build_narrative(budget, tables, profile, template_dir)
    return narrative.write(stem, formats) if narrative else []


def narrative_stem(workbook: Path, family: str = "预算") -> Path:
    """``公开表.xlsx`` → ``公开表_预算说明`` (a 部门决算's: ``公开表_决算说明``), beside the workbook."""
    return workbook.with_name(f"{workbook.stem}{SUFFIXES[family]}")


def parse_formats(text: str) -> tuple[str, ...]:
    """``docx,md`` → ("docx", "md"); ``none`` → (); anything else raises ValueError."""
    items = tuple(dict.fromkeys(p.strip().lower() for p in text.replace("，", ",").split(",") if p.strip()))
    if items == ("none",):
        return ()
    unknown = [i for i in items if i not in FORMATS]
    if unknown or not items:
        raise ValueError(f"预算说明格式须为 {','.join(FORMATS)} 中的一个或多个，或 none（收到：{text}）")
    return items
