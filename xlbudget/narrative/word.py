"""The 预算说明 as a styled .docx (python-docx): A4, 公文-like fonts, page numbers.

Styles are defined once in ``STYLES``; every East Asian font is set through ``w:rFonts
w:eastAsia`` (python-docx's ``font.name`` only sets the Latin fonts). The file is
deterministic: fixed document dates and fixed zip entry times.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from xlbudget.narrative.text import Block

FIXED_DATE = datetime(2000, 1, 1)
LATIN_FONT = "Times New Roman"
# East Asian fonts declared in the font table with the font to use where they are missing
# (w:altName) and the GB2312 character set, so Word/WPS/LibreOffice substitute a Chinese face.
FALLBACK_FONTS = {"方正小标宋简体": "黑体", "黑体": "SimHei", "楷体_GB2312": "楷体",
                  "仿宋_GB2312": "仿宋", "宋体": "SimSun"}
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


@dataclass(frozen=True)
class Style:
    name: str  # Word style used (built-in headings keep the navigation pane working)
    font: str  # East Asian font
    size: float  # points
    bold: bool = False
    centred: bool = False
    indent: bool = False  # first line indented by two characters
    space_before: float = 0
    space_after: float = 0


BODY_SIZE = 16  # 三号
STYLES: dict[str, Style] = {
    "title": Style("Title", "方正小标宋简体", 22, centred=True, space_after=24),
    "part": Style("Heading 1", "黑体", BODY_SIZE, centred=True, space_before=12, space_after=12),
    "section": Style("Heading 2", "黑体", BODY_SIZE, indent=True),
    "subsection": Style("Heading 3", "楷体_GB2312", BODY_SIZE, bold=True, indent=True),
    "paragraph": Style("Normal", "仿宋_GB2312", BODY_SIZE, indent=True),
    "item": Style("List Paragraph", "仿宋_GB2312", BODY_SIZE, indent=True),
}
LINE_SPACING = 28  # points, exact (公文 28磅)
PAGE = {"width": 21.0, "height": 29.7, "top": 3.7, "bottom": 3.5, "left": 2.8, "right": 2.6}  # cm


def write_docx(path: Path, title: str, author: str, content: Sequence[Block]) -> None:
    """Lay ``content`` out in a new document and save it to ``path``."""
    from docx import Document

    document = Document()
    _page_setup(document)
    styles = {kind: _define(document, spec) for kind, spec in STYLES.items()}
    parts = 0
    for block in content:
        paragraph = document.add_paragraph(block.text)
        # style id set on the XML directly: python-docx's style setter scans every style per call
        paragraph._p.get_or_add_pPr().style = styles[block.kind].style_id
        if block.kind == "part":
            parts += 1
            paragraph.paragraph_format.page_break_before = parts > 1  # 目录 stays under the title
    _footer_page_number(document)
    _properties(document, title, author)
    buffer = io.BytesIO()
    document.save(buffer)
    path.write_bytes(_fixed_zip(buffer.getvalue(), {"word/fontTable.xml": _declare_fonts}))


def _page_setup(document: Any) -> None:
    from docx.shared import Cm

    for section in document.sections:
        section.page_width, section.page_height = Cm(PAGE["width"]), Cm(PAGE["height"])
        section.top_margin, section.bottom_margin = Cm(PAGE["top"]), Cm(PAGE["bottom"])
        section.left_margin, section.right_margin = Cm(PAGE["left"]), Cm(PAGE["right"])
        section.footer_distance = Cm(2.5)


def _define(document: Any, spec: Style) -> Any:
    """Restyle a built-in style: fonts (Latin and East Asian), size, colour, spacing."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt, RGBColor

    style = document.styles[spec.name]
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
    return style


def set_fonts(element: Any, east_asian: str) -> None:
    """Latin font and East Asian font on a style or run element; theme fonts removed."""
    from docx.oxml.ns import qn

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
    from docx.oxml.ns import qn

    ppr = element.find(qn("w:pPr"))
    if ppr is not None:
        for border in ppr.findall(qn("w:pBdr")):
            ppr.remove(border)


def _footer_page_number(document: Any) -> None:
    """"— 1 —" centred in the footer (a PAGE field, so every page shows its own number)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

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


def _properties(document: Any, title: str, author: str) -> None:
    props = document.core_properties
    props.title = title
    props.author = author
    props.last_modified_by = author
    props.created = props.modified = props.last_printed = FIXED_DATE
    props.revision = 1
    props.comments = "由 xlbudget 根据预算公开表数据生成"


def _declare_fonts(xml: bytes) -> bytes:
    """Add the East Asian fonts to word/fontTable.xml, each with its fallback face."""
    from lxml import etree

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


def _fixed_zip(data: bytes, transforms: dict[str, Callable[[bytes], bytes]]) -> bytes:
    """The same archive with fixed entry times (identical input gives identical bytes) and
    ``transforms`` applied to the named parts."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=FIXED_DATE.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            content = source.read(item.filename)
            transform = transforms.get(item.filename)
            target.writestr(info, transform(content) if transform else content)
    return out.getvalue()
