"""What a file must pass before any workbook parser sees it (README “拒绝处理的文件”).

``inspect`` reads only bytes: the path, the size, the magic number, the zip directory and
the XML of every zip member, streamed. It refuses (``UnusableInput``) empty files, files that
are not workbooks, encrypted workbooks, zip bombs, XML with entity or DTD declarations and
sheets too large to hold in memory, each with its own rule id. From the worksheets the reader
will use it also collects what python-calamine hides: formula cells without a cached value,
error values and hidden rows; of the other worksheets, their data range.

Worksheets are scanned twice as fast as a parser could: one regular expression over each
chunk for the data bounds (cells with content and an ``r`` reference). Only a sheet with
formulas, error values, hidden rows, cells without references or a non-UTF-8 encoding is
parsed (defusedxml) to place each of those exactly.
"""

from __future__ import annotations

import codecs
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring, iterparse

from xlbudget.findings import Location, Rule, UnusableInput
from xlbudget.reading.rules import (
    CANNOT_OPEN,
    EMPTY_FILE,
    ENCRYPTED,
    NOT_A_WORKBOOK,
    TOO_LARGE,
    XML_ENTITIES,
    ZIP_BOMB,
)

MB = 2**20
MAX_FILE_BYTES = 100 * MB  # a typical filled template is 50 KB, a 20,000-line one 1 MB
MAX_UNCOMPRESSED = 300 * MB  # all zip members together, as the directory declares them
MAX_MEMBERS = 10_000
MAX_RATIO, RATIO_FROM = 100, 10 * MB  # members larger than RATIO_FROM may inflate 100:1 at most
MAX_ROWS, MAX_COLUMNS, MAX_CELLS = 200_000, 1_000, 5_000_000  # a sheet's data range, from A1
CHUNK = 4 * MB

ZIP_MAGIC, OLE_MAGIC = b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
REOPEN_HINT = "请在 Excel 或 WPS 中打开该文件，“另存为”Excel 工作簿（.xlsx）后再试。"

# A DTD or entity declaration, in UTF-8 or UTF-16 (either byte order), any letter case.
_DECLARATION = re.compile(rb"<\x00?!\x00?(?:[Dd]\x00?[Oo]\x00?[Cc]|[Ee]\x00?[Nn]\x00?[Tt])")
_CELL_REF = re.compile(rb'<c r="([A-Z]{1,3})(\d{1,7})"[^>]*(?<!/)>')  # a cell with content
# Marks of a formula, an error value, a hidden row, or cells written with a namespace prefix.
_PARSE_MARKS = (b"<f>", b"<f ", b't="e"', b'hidden="1"', b'hidden="true"', b":c ", b":c>")
_A1 = re.compile(r"([A-Z]{1,3})(\d+)")


@dataclass
class SheetFacts:
    """What the scan saw in one worksheet: positions are (1-based row, 0-based column)."""

    uncached: list[tuple[int, int]] = field(default_factory=list)  # formula without a value
    errors: list[tuple[int, int, str]] = field(default_factory=list)  # #DIV/0!, #N/A …
    hidden_rows: list[int] = field(default_factory=list)


@dataclass
class Inspection:
    """A file that passed: its format and the facts of the worksheets scanned (xlsx only)."""

    kind: str  # xlsx | xlsb | xls | ods
    sheets: dict[str, SheetFacts] = field(default_factory=dict)
    bounds: dict[str, tuple[int, int]] = field(default_factory=dict)  # other xlsx worksheets: rows, columns


def inspect(path: Path, wanted: Callable[[str], bool] = lambda name: True) -> Inspection:
    """Check ``path`` before parsing; ``wanted`` says which sheets (by name) will be read."""
    _check_size(path)
    try:
        with path.open("rb") as handle:
            head = handle.read(4096)
    except OSError as error:
        raise _refuse(CANNOT_OPEN, path, f"无法打开 {path.name}：{error.strerror or error}",
                      "确认有读取权限，且文件没有被其他程序独占。") from None
    if head.startswith(ZIP_MAGIC):
        return _inspect_zip(path, wanted)
    if head.startswith(OLE_MAGIC):
        return _inspect_ole(path)
    raise _refuse(NOT_A_WORKBOOK, path, f"无法作为 Excel 工作簿读取：{path.name} {_describe(head)}，不是 Excel 工作簿",
                  REOPEN_HINT)


def sheet_fits(rows: int, columns: int) -> bool:
    """Whether a data range, counted from A1, is small enough to read."""
    return rows <= MAX_ROWS and columns <= MAX_COLUMNS and rows * columns <= MAX_CELLS


def check_sheet_size(path: Path, sheet: str, rows: int, columns: int) -> None:
    """Refuse a sheet whose data range, counted from A1, is too large to read (XB008)."""
    if not sheet_fits(rows, columns):
        raise _refuse(
            TOO_LARGE, path, f"工作表“{sheet}”的数据区域过大（上限 {MAX_ROWS} 行、{MAX_COLUMNS} 列、"
            f"共 {MAX_CELLS} 个单元格），已读到第 {rows} 行、第 {columns} 列",
            "删除表格下方或右侧多余的内容（包括看不见的空格和公式），或把数据拆分到几个工作簿。",
            sheet=sheet)


# -- the file as a whole -----------------------------------------------------------------------
def _refuse(rule: Rule, path: Path, message: str, hint: str, sheet: str = "") -> UnusableInput:
    return UnusableInput(rule.finding(message, Location(sheet, file=path.name), hint=hint))


def _check_size(path: Path) -> None:
    if path.is_dir():
        raise _refuse(CANNOT_OPEN, path, f"“{path}”是文件夹，不是工作簿文件", "请指定文件夹中的 .xlsx 文件。")
    try:
        size = path.stat().st_size
    except OSError:
        raise _refuse(CANNOT_OPEN, path, f"找不到文件：{path}", "请检查文件路径。") from None
    if not path.is_file():
        raise _refuse(CANNOT_OPEN, path, f"“{path}”不是普通文件", "请指定 .xlsx 工作簿文件。")
    if size == 0:
        raise _refuse(EMPTY_FILE, path, f"{path.name} 是空文件（0 字节）",
                      "文件可能没有保存成功或没有下载完整；请重新保存或重新下载。")
    if size > MAX_FILE_BYTES:
        raise _refuse(TOO_LARGE, path, f"{path.name} 有 {size / MB:.0f} MB，超过上限 {MAX_FILE_BYTES // MB} MB",
                      "预算填报工作簿通常不到 1 MB；请删除无关的工作表、图片后另存再试。")


def _describe(head: bytes) -> str:
    """What a file that is neither zip nor OLE looks like, for the message."""
    if head.startswith(b"%PDF"):
        return "是 PDF 文件"
    text = _as_text(head)
    if text is None:
        return "的格式无法识别"
    start = text.lstrip("\ufeff \t\r\n").lower()
    if "urn:schemas-microsoft-com:office:spreadsheet" in start:
        return "是“XML 电子表格 2003”格式"
    if start.startswith(("<!doctype html", "<html", "<table", "<meta")) or "<html" in start[:1000]:
        return "是网页（HTML）文件（常见于系统导出的“伪 Excel”）"
    if start.startswith("<"):
        return "是 XML 文本文件"
    return "是文本文件（如 CSV）"


def _as_text(head: bytes) -> str | None:
    """``head`` decoded as UTF-8/UTF-16/GB18030 text without control characters, else None."""
    encodings = ("utf-16",) if head[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE) else ("utf-8", "gb18030")
    for encoding in encodings:
        try:
            text = codecs.getincrementaldecoder(encoding)().decode(head)
        except UnicodeDecodeError:
            continue
        if not any(ord(ch) < 32 and ch not in "\t\r\n\f" for ch in text):
            return text
    return None


# -- OLE (.xls, and encrypted .xlsx) -----------------------------------------------------------
def _inspect_ole(path: Path) -> Inspection:
    """An OLE container is an .xls unless it holds an encrypted OOXML package (or no workbook)."""
    data = path.read_bytes()
    if _ole_stream(data, "EncryptedPackage") or _ole_stream(data, "EncryptionInfo"):
        raise encrypted(path)
    if not (_ole_stream(data, "Workbook") or _ole_stream(data, "Book")):
        raise _refuse(NOT_A_WORKBOOK, path, f"无法作为 Excel 工作簿读取：{path.name} 是 Word 等其他 Office 文件，不是 Excel 工作簿",
                      REOPEN_HINT)
    return Inspection("xls")


def encrypted(path: Path) -> UnusableInput:
    """The refusal of a password-protected file (also used for calamine's PasswordError)."""
    return _refuse(ENCRYPTED, path, f"{path.name} 已加密（设置了打开密码），无法读取",
                   "在 Excel 或 WPS 中打开文件，取消打开密码（文件 → 信息 → 保护工作簿 → 用密码进行加密，"
                   "清空密码），另存后再试。")


def _ole_stream(data: bytes, name: str) -> bool:
    """Whether a directory entry named ``name`` exists: 128-byte entries after the 512-byte
    header, the UTF-16LE name first and its byte length (with the terminator) at offset 64."""
    encoded = name.encode("utf-16-le")
    length = (len(encoded) + 2).to_bytes(2, "little")
    start = data.find(encoded, 512)
    while start != -1:
        if (start - 512) % 128 == 0 and data[start + 64:start + 66] == length:
            return True
        start = data.find(encoded, start + 1)
    return False


# -- zip (.xlsx, .xlsm, .xlsb, .ods) -----------------------------------------------------------
def _inspect_zip(path: Path, wanted: Callable[[str], bool]) -> Inspection:
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            _check_directory(path, members)
            kind, sheets = _package(path, archive)
            unnamed = kind == "xlsx" and not sheets  # no usable relationships: scan every worksheet
            inspection = Inspection(kind)
            for info in members:
                part = info.filename
                name = part if unnamed and "worksheets/" in part and part.endswith(".xml") else sheets.get(part)
                if name is not None and (unnamed or wanted(name)):
                    inspection.sheets[name] = _scan_sheet(path, archive, info, name)
                elif name is not None:
                    inspection.bounds[name] = _sheet_bounds(path, archive, info)
                else:
                    _scan_member(path, archive, info)
            if kind == "ods":
                _check_ods(path, archive, wanted)
            return inspection
    except RuntimeError:  # zipfile: "File … is encrypted, password required"
        raise encrypted(path) from None
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, KeyError,
            NotImplementedError):
        raise _refuse(NOT_A_WORKBOOK, path, f"无法作为 Excel 工作簿读取：{path.name} 已损坏或不完整（压缩包结构错误）",
                      "文件可能没有下载或复制完整；请重新下载，或在 Excel/WPS 中打开后另存再试。") from None


def _check_directory(path: Path, members: list[zipfile.ZipInfo]) -> None:
    """Zip-bomb limits on what the directory declares, before anything is inflated (XB006)."""
    total = sum(info.file_size for info in members)
    inflated = next((info for info in members if info.file_size > RATIO_FROM
                     and info.file_size > MAX_RATIO * max(info.compress_size, 1)), None)
    if len(members) > MAX_MEMBERS or total > MAX_UNCOMPRESSED or inflated:
        detail = (f"{inflated.filename} 压缩比 {inflated.file_size // max(inflated.compress_size, 1)}:1"
                  if inflated and total <= MAX_UNCOMPRESSED else f"{len(members)} 个部件，解压后共 {total / MB:.0f} MB")
        raise _refuse(ZIP_BOMB, path, f"{path.name} 解压后过大或压缩比异常（{detail}），疑似“压缩炸弹”，拒绝读取",
                      f"正常的预算填报工作簿解压后只有几 MB（上限 {MAX_UNCOMPRESSED // MB} MB）。" + REOPEN_HINT)


def _package(path: Path, archive: zipfile.ZipFile) -> tuple[str, dict[str, str]]:
    """The format and, for xlsx, each worksheet part → its sheet name."""
    names = set(archive.namelist())
    if "mimetype" in names and archive.read("mimetype").strip() == ODS_MIMETYPE:
        return "ods", {}
    if "[Content_Types].xml" not in names:
        raise _refuse(NOT_A_WORKBOOK, path, f"无法作为 Excel 工作簿读取：{path.name} 是压缩包（zip），不是 Excel 工作簿",
                      REOPEN_HINT)
    book = _target(_xml(path, archive, "_rels/.rels"), "officeDocument", "")
    if book is None or book not in names:
        raise _refuse(NOT_A_WORKBOOK, path, f"无法作为 Excel 工作簿读取：{path.name} 是 Office 文件，但不是 Excel 工作簿",
                      REOPEN_HINT)
    if book.endswith(".bin"):
        return "xlsb", {}
    root = _xml(path, archive, book)
    if _local(root.tag) != "workbook":
        raise _refuse(NOT_A_WORKBOOK, path, f"无法作为 Excel 工作簿读取：{path.name} 是 Word 等其他 Office 文件，不是 Excel 工作簿",
                      REOPEN_HINT)
    folder = str(PurePosixPath(book).parent)
    rels_name = f"{folder}/_rels/{PurePosixPath(book).name}.rels"
    rels = _xml(path, archive, rels_name) if rels_name in names else None
    sheets: dict[str, str] = {}
    for sheet in root.iter():
        rid = next((v for k, v in sheet.attrib.items() if _local(k) == "id"), None)
        part = _target(rels, rid, folder) if _local(sheet.tag) == "sheet" and rels is not None else None
        if part:
            sheets[part] = sheet.get("name", "")
    return "xlsx", sheets


def _xml(path: Path, archive: zipfile.ZipFile, member: str) -> Element:
    """A small package part, parsed without DTDs or entities."""
    try:
        return fromstring(archive.read(member))
    except DefusedXmlException:
        raise _entities(path, member) from None
    except ParseError:
        raise _refuse(NOT_A_WORKBOOK, path, f"无法作为 Excel 工作簿读取：{path.name} 已损坏（{member} 不是有效的 XML）",
                      REOPEN_HINT) from None


def _target(rels: Element | None, key: str | None, folder: str) -> str | None:
    """The part a relationship points at: by Id, or by the end of its Type (``officeDocument``)."""
    if rels is None or key is None:
        return None
    for rel in rels:
        if rel.get("Id") == key or rel.get("Type", "").endswith("/" + key):
            target = rel.get("Target", "")
            joined = target.lstrip("/") if target.startswith("/") else f"{folder}/{target}".lstrip("/")
            return _normalize(joined)
    return None


def _normalize(part: str) -> str:
    """``xl/worksheets/../x.xml`` → ``xl/x.xml``."""
    out: list[str] = []
    for piece in part.split("/"):
        if piece == "..":
            if out:
                out.pop()
        elif piece not in ("", "."):
            out.append(piece)
    return "/".join(out)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _entities(path: Path, member: str) -> UnusableInput:
    return _refuse(XML_ENTITIES, path, f"{path.name} 的 {member} 含有 XML 实体或文档类型声明（<!DOCTYPE>/<!ENTITY>），"
                   "Excel 和 WPS 不会生成这种内容，可能是恶意文件，拒绝读取",
                   "如果来源可靠，请在 Excel 或 WPS 中打开后另存为 .xlsx 再试；来源不明的文件请勿打开。")


def _chunks(path: Path, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """A member inflated in chunks that end before a ``<``, so no tag is split; each chunk
    is checked for DTD/entity declarations. Inflating checks the CRC and declared size."""
    tail = b""
    with archive.open(info) as stream:
        while block := stream.read(CHUNK):
            data = tail + block
            cut = data.rfind(b"<")
            cut = len(data) if cut <= 0 or len(data) > 4 * CHUNK else cut
            data, tail = data[:cut], data[cut:]
            _refuse_declarations(path, info.filename, data)
            yield data
    if tail:
        _refuse_declarations(path, info.filename, tail)
        yield tail


def _refuse_declarations(path: Path, member: str, data: bytes) -> None:
    if (b"<!" in data or b"<\x00!" in data) and _DECLARATION.search(data):
        raise _entities(path, member)


def _scan_member(path: Path, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    for _ in _chunks(path, archive, info):
        pass


def _sheet_bounds(path: Path, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> tuple[int, int]:
    """The data range (rows, columns from A1) of a worksheet the reader may look into."""
    bounds = (0, 0)
    for chunk in _chunks(path, archive, info):
        bounds = _widen(bounds, chunk)
    return bounds


def _widen(bounds: tuple[int, int], chunk: bytes) -> tuple[int, int]:
    """``bounds`` (rows, columns) widened to the cells referenced in ``chunk``."""
    refs = _CELL_REF.findall(chunk)
    if not refs:
        return bounds
    return (max(bounds[0], max(int(digits) for _, digits in refs)),
            max(bounds[1], max(column_number(letters) for letters in {c for c, _ in refs})))


def _scan_sheet(path: Path, archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str) -> SheetFacts:
    """Bounds from the cell references; the parse only where something needs placing."""
    bounds = (0, 0)
    parse = False
    for number, chunk in enumerate(_chunks(path, archive, info)):
        if number == 0 and not chunk.lstrip().startswith(b"<"):
            parse = True  # UTF-16 or with a BOM: let the parser decode it
        parse = parse or any(mark in chunk for mark in _PARSE_MARKS)
        if chunk.count(b"<c ") + chunk.count(b"<c>") != chunk.count(b'<c r="'):
            parse = True  # cells without an r reference (first): only the parser can place them
        bounds = _widen(bounds, chunk)
        check_sheet_size(path, name, *bounds)
    return _parse_sheet(path, archive, info, name) if parse else SheetFacts()


def column_number(letters: str | bytes) -> int:
    """A → 1, Z → 26, AA → 27."""
    number = 0
    for letter in letters.decode() if isinstance(letters, bytes) else letters:
        number = number * 26 + ord(letter) - 64
    return number


def _parse_sheet(path: Path, archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str) -> SheetFacts:
    """Every cell placed as calamine places it (``r`` or the next position), with its facts."""
    facts = SheetFacts()
    row = column = rows = columns = 0
    with archive.open(info) as stream:
        for event, element in _events(path, stream, info.filename):
            tag = _local(element.tag)
            if event == "start" and tag == "row":
                row, column = int(element.get("r") or row + 1), 0
                if element.get("hidden") in ("1", "true"):
                    facts.hidden_rows.append(row)
            elif event == "end" and tag == "c":
                row, column = _position(element.get("r"), row, column + 1)
                if _cell_facts(element, row, column, facts):
                    rows, columns = max(rows, row), max(columns, column)
                    check_sheet_size(path, name, rows, columns)
                element.clear()
            elif event == "end" and tag == "row":
                element.clear()
    return facts


def _events(path: Path, stream: IO[bytes], member: str) -> Iterator[tuple[str, Element]]:
    try:
        yield from iterparse(stream, events=("start", "end"))
    except DefusedXmlException:
        raise _entities(path, member) from None
    except ParseError:
        raise _refuse(NOT_A_WORKBOOK, path, f"无法作为 Excel 工作簿读取：{path.name} 已损坏（{member} 不是有效的 XML）",
                      REOPEN_HINT) from None


def _position(ref: str | None, row: int, column: int) -> tuple[int, int]:
    match = _A1.fullmatch(ref or "")
    return (int(match.group(2)), column_number(match.group(1))) if match else (row, column)


def _cell_facts(cell: Element, row: int, column: int, facts: SheetFacts) -> bool:
    """Record an uncached formula or an error value; whether the cell holds anything."""
    children = {_local(child.tag): child for child in cell}
    value = children.get("v")
    kind = cell.get("t", "n")
    if "f" in children and (value is None or (not value.text and kind not in ("str", "inlineStr"))):
        facts.uncached.append((row, column - 1))
    elif kind == "e" and value is not None:
        facts.errors.append((row, column - 1, value.text or ""))
    return bool(children)


def _check_ods(path: Path, archive: zipfile.ZipFile, wanted: Callable[[str], bool]) -> None:
    """Bounds of the wanted tables of an .ods, counting repeated rows and cells that hold data."""
    name = ""
    row = column = rows = columns = 0
    repeat = 1
    with archive.open("content.xml") as stream:
        for event, element in _events(path, stream, "content.xml"):
            tag = _local(element.tag)
            if event == "start" and tag == "table":
                name, row, rows, columns = _ods_attr(element, "name"), 0, 0, 0
            elif event == "start" and tag == "table-row":
                repeat, column = int(_ods_attr(element, "number-rows-repeated") or 1), 0
                row += repeat
            elif event == "end" and tag in ("table-cell", "covered-table-cell"):
                column += int(_ods_attr(element, "number-columns-repeated") or 1)
                if wanted(name) and (len(element) or _ods_attr(element, "value-type")):
                    rows, columns = max(rows, row), max(columns, column)
                    check_sheet_size(path, name, rows, columns)
                element.clear()


def _ods_attr(element: Element, name: str) -> str:
    return next((v for k, v in element.attrib.items() if _local(k) == name), "")
