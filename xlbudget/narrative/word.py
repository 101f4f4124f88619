"""The 预算说明 as a styled .docx: A4, 公文-like fonts, page numbers.

The layout lives in a skeleton document (``xlbudget/data/word/skeleton.docx``) built once with
python-docx by ``scripts/build_docx_skeleton.py`` from ``STYLES`` and ``PAGE`` below. A compile
only fills in its paragraphs and document properties, as plain XML in the zip, so python-docx
is not needed at run time. The file is deterministic: fixed document dates and zip entry times.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from importlib import resources
from pathlib import Path

from xlbudget.narrative.text import Block

FIXED_DATE = datetime(2000, 1, 1)
FIXED_TIME = FIXED_DATE.timetuple()[:6]  # every zip entry's time
FIXED_DOS_TIME = (0, (FIXED_DATE.year - 1980) << 9 | FIXED_DATE.month << 5 | FIXED_DATE.day)  # (time, date) as zip stores them
ZIP_VERSION, UNIX = 20, 3  # what zipfile records on POSIX: needs/made by zip 2.0, on a Unix system
LATIN_FONT = "Times New Roman"
# East Asian fonts declared in the font table with the font to use where they are missing
# (w:altName) and the GB2312 character set, so Word/WPS/LibreOffice substitute a Chinese face.
FALLBACK_FONTS = {"方正小标宋简体": "黑体", "黑体": "SimHei", "楷体_GB2312": "楷体",
                  "仿宋_GB2312": "仿宋", "宋体": "SimSun"}
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
SKELETON = ("data", "word", "skeleton.docx")  # inside the xlbudget package
DOCUMENT, CORE = "word/document.xml", "docProps/core.xml"
# The skeleton's empty places the run time fills: the body, and the properties left blank.
BODY = b"<w:body>"
PROPERTIES = {"title": b"<dc:title></dc:title>", "creator": b"<dc:creator></dc:creator>",
              "last_modified_by": b"<cp:lastModifiedBy></cp:lastModifiedBy>"}


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

    @property
    def style_id(self) -> str:
        """The id paragraphs refer to (Word's built-in ids are the names without spaces)."""
        return self.name.replace(" ", "")


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
COMMENTS = "由 xlbudget 根据预算公开表数据生成"


def write_docx(path: Path, title: str, author: str, content: Sequence[Block]) -> None:
    """Lay ``content`` out in the skeleton document and save it to ``path``."""
    path.write_bytes(docx_bytes(title, author, content))


def docx_bytes(title: str, author: str, content: Sequence[Block]) -> bytes:
    skeleton = resources.files("xlbudget").joinpath(*SKELETON).read_bytes()
    values = {"title": title, "creator": author, "last_modified_by": author}
    return fixed_zip(skeleton, {DOCUMENT: lambda xml: _fill_body(xml, content),
                                CORE: lambda xml: _fill_properties(xml, values)})


def _fill_body(xml: bytes, content: Sequence[Block]) -> bytes:
    """The skeleton's body with one paragraph per block before its section properties."""
    paragraphs = []
    parts = 0
    for block in content:
        extra = ""
        if block.kind == "part":
            parts += 1  # 目录 stays under the title: the first part explicitly keeps its page
            extra = "<w:pageBreakBefore/>" if parts > 1 else '<w:pageBreakBefore w:val="0"/>'
        style = f'<w:pPr><w:pStyle w:val="{STYLES[block.kind].style_id}"/>{extra}</w:pPr>'
        paragraphs.append(f"<w:p>{style}{_run(block.text)}</w:p>")
    return _insert(xml, BODY, BODY + "".join(paragraphs).encode("utf-8"))


def _run(text: str) -> str:
    """A run of ``text``: tabs as ``w:tab``, the rest in ``w:t`` (spaces kept at the ends)."""
    if not text:
        return ""
    pieces = []
    for index, piece in enumerate(text.split("\t")):
        if index:
            pieces.append("<w:tab/>")
        if piece:
            space = ' xml:space="preserve"' if piece.strip() != piece else ""
            pieces.append(f"<w:t{space}>{_escape(piece)}</w:t>")
    return f"<w:r>{''.join(pieces)}</w:r>"


def _fill_properties(xml: bytes, values: dict[str, str]) -> bytes:
    """The skeleton's document properties with title and author filled in."""
    for key, empty in PROPERTIES.items():
        text = _escape(values[key]).encode("utf-8")
        xml = _insert(xml, empty, empty.replace(b"></", b">" + text + b"</"))
    return xml


def _escape(text: str) -> str:
    """``text`` as XML character data (what xml.sax.saxutils.escape does, without loading the
    urllib/email/ssl modules that saxutils imports)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _insert(xml: bytes, marker: bytes, replacement: bytes) -> bytes:
    if xml.count(marker) != 1:  # pragma: no cover - a skeleton not built by the script
        raise ValueError(f"skeleton.docx: {marker!r} expected once; run scripts/build_docx_skeleton.py")
    return xml.replace(marker, replacement)


def fixed_zip(data: bytes, transforms: dict[str, Callable[[bytes], bytes]]) -> bytes:
    """The same archive with fixed entry times (identical input gives identical bytes) and
    ``transforms`` applied to the named parts. Written as ``zipfile`` writes it (deflated at the
    default level); a part already in that form and not transformed — every part of the shipped
    skeleton but the two filled in — is copied as stored instead of inflated and deflated again."""
    entries, central = bytearray(), bytearray()
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        items = source.infolist()
        for item in items:
            transform = transforms.get(item.filename)
            if transform is None and item.compress_type == zipfile.ZIP_DEFLATED and not item.flag_bits \
                    and item.date_time == FIXED_TIME:
                stored, crc, size = _stored(data, item), item.CRC, item.file_size
            else:
                content = source.read(item.filename)
                content = transform(content) if transform else content
                packer = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
                stored, crc, size = packer.compress(content) + packer.flush(), zlib.crc32(content), len(content)
            name = item.filename.encode("ascii")
            # version 2.0, no flags, deflated, time, CRC, sizes, name; no extra field
            fields = (ZIP_VERSION, 0, 0, zipfile.ZIP_DEFLATED, *FIXED_DOS_TIME, crc, len(stored), size, len(name), 0)
            central += struct.pack("<4s4B4HL2L5H2L", b"PK\x01\x02", ZIP_VERSION, UNIX, *fields, 0, 0, 0,
                                   0o600 << 16, len(entries)) + name
            entries += struct.pack("<4s2B4HL2L2H", b"PK\x03\x04", *fields) + name + stored
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(items), len(items), len(central), len(entries), 0)
    return bytes(entries + central + end)


def _stored(archive: bytes, item: zipfile.ZipInfo) -> bytes:
    """The compressed bytes of ``item`` as they are in ``archive``."""
    start = item.header_offset + 30 + int.from_bytes(archive[item.header_offset + 26:item.header_offset + 28], "little") \
        + int.from_bytes(archive[item.header_offset + 28:item.header_offset + 30], "little")
    return archive[start:start + item.compress_size]
