"""Build xlbudget/data/word/skeleton.docx: the 预算说明's page, styles and footer, without text.

Made once with python-docx (a test dependency) from ``STYLES`` and ``PAGE`` in
``xlbudget.narrative.word``; a compile fills in the paragraphs and document properties. Every
East Asian font is set through ``w:rFonts w:eastAsia`` (python-docx's ``font.name`` only sets
the Latin fonts). Deterministic: tests/test_word.py rebuilds it and compares the bytes.
Run: python scripts/build_docx_skeleton.py
"""

from __future__ import annotations

import io
import sys
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from lxml import etree

from xlbudget.narrative.word import (
    COMMENTS,
    FALLBACK_FONTS,
    FIXED_DATE,
    LATIN_FONT,
    LINE_SPACING,
    PAGE,
    SKELETON,
    STYLES,
    W_NS,
    Style,
    fixed_zip,
)

OUT = Path(__file__).resolve().parent.parent / "xlbudget" / Path(*SKELETON)


def skeleton() -> bytes:
    """The skeleton's bytes: page set up, styles defined, page numbers in the footer."""
    document = Document()
    _page_setup(document)
    for spec in STYLES.values():
        _define(document, spec)
    _footer_page_number(document)
    props = document.core_properties
    props.title = props.author = props.last_modified_by = ""
    props.created = props.modified = props.last_printed = FIXED_DATE
    props.revision = 1
    props.comments = COMMENTS
    buffer = io.BytesIO()
    document.save(buffer)
    return fixed_zip(buffer.getvalue(), {"word/fontTable.xml": _declare_fonts})


def _page_setup(document: Any) -> None:
    for section in document.sections:
        section.page_width, section.page_height = Cm(PAGE["width"]), Cm(PAGE["height"])
        section.top_margin, section.bottom_margin = Cm(PAGE["top"]), Cm(PAGE["bottom"])
        section.left_margin, section.right_margin = Cm(PAGE["left"]), Cm(PAGE["right"])
        section.footer_distance = Cm(2.5)


def _define(document: Any, spec: Style) -> None:
    """Restyle a built-in style: fonts (Latin and East Asian), size, colour, spacing."""
    style = document.styles[spec.name]
    assert style.style_id == spec.style_id, (spec.name, style.style_id)
    style.font.size = Pt(spec.size)
    style.font.bold = spec.bold
    style.font.italic = False
    style.font.color.rgb = RGBColor(0, 0, 0)
    set_fonts(style.element, spec.font)
    layout = style.paragraph_format
    layout.alignment = WD_ALIGN_PARAGRAPH.CENTER if spec.centred else WD_ALIGN_PARAGRAPH.JUSTIFY
    layout.first_line_indent = Pt(spec.size * 2) if spec.indent else None
    layout.left_indent = Pt(0)
    layout.line_spacing = Pt(max(LINE_SPACING, spec.size * 1.25))
    layout.space_before, layout.space_after = Pt(spec.space_before), Pt(spec.space_after)
    _drop_border(style.element)


def set_fonts(element: Any, east_asian: str) -> None:
    """Latin font and East Asian font on a style or run element; theme fonts removed."""
    rpr = element.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    fonts.set(qn("w:ascii"), LATIN_FONT)
    fonts.set(qn("w:hAnsi"), LATIN_FONT)
    fonts.set(qn("w:cs"), LATIN_FONT)
    fonts.set(qn("w:eastAsia"), east_asian)


def _drop_border(element: Any) -> None:
    """The default Title style has a bottom border; a 公文 title has none."""
    ppr = element.find(qn("w:pPr"))
    if ppr is not None:
        for border in ppr.findall(qn("w:pBdr")):
            ppr.remove(border)


def _footer_page_number(document: Any) -> None:
    """"— 1 —" centred in the footer (a PAGE field, so every page shows its own number)."""
    paragraph = document.sections[0].footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.first_line_indent = Pt(0)

    def run(text: str = "", field: str = "", instruction: str = "") -> None:
        r = paragraph.add_run(text)
        r.font.size = Pt(14)
        set_fonts(r._r, "宋体")
        if field:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), field)
            r._r.append(char)
        if instruction:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = instruction
            r._r.append(instr)

    run("— ")
    run(field="begin")
    run(instruction=" PAGE ")
    run(field="separate")
    run("1")
    run(field="end")
    run(" —")


def _declare_fonts(xml: bytes) -> bytes:
    """Add the East Asian fonts to word/fontTable.xml, each with its fallback face."""
    root = etree.fromstring(xml)
    known = {f.get(f"{{{W_NS}}}name") for f in root}
    for name, fallback in FALLBACK_FONTS.items():
        if name in known:
            continue
        font = etree.SubElement(root, f"{{{W_NS}}}font", {f"{{{W_NS}}}name": name})
        etree.SubElement(font, f"{{{W_NS}}}altName", {f"{{{W_NS}}}val": fallback})
        etree.SubElement(font, f"{{{W_NS}}}charset", {f"{{{W_NS}}}val": "86"})
        etree.SubElement(font, f"{{{W_NS}}}family", {f"{{{W_NS}}}val": "auto"})
        etree.SubElement(font, f"{{{W_NS}}}pitch", {f"{{{W_NS}}}val": "variable"})
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


if __name__ == "__main__":
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else OUT
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(skeleton())
    print(f"wrote {out}")
