"""Hostile and messy input files, built byte by byte in the test (no binary fixtures).

``xlsx`` writes a minimal workbook from raw worksheet XML (``sheet_xml``), so a test can put
anything in it: formulas without cached values, error values, hidden rows, wrong dimensions,
DTDs, a million rows. ``write_xlsx`` writes a workbook the way Excel users shape them (merged
cells, hidden rows and sheets) with xlsxwriter. ``ole_file`` writes an OLE container (an
encrypted .xlsx is one). ``tests.workbooks.BASE`` is the clean budget most cases start from.
"""

from __future__ import annotations

import struct
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from xlbudget.safety import column_number

Grid = list[list[Any]]  # cells of any type (list[list[object]] would refuse list[list[str]])

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOC_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
STATE_HIDDEN = ' state="hidden"'


@dataclass(frozen=True)
class Formula:
    """A formula cell; ``cached`` None = never calculated (no ``<v>``), "" = an empty ``<v/>``;
    ``text_result``: the cached value is text (``t="str"``), possibly empty."""

    text: str
    cached: object = None
    text_result: bool = False


@dataclass(frozen=True)
class ErrorValue:
    text: str  # #DIV/0!, #N/A …


def column_letters(number: int) -> str:
    """1 → A, 27 → AA (the inverse of ``safety.column_number``)."""
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _cell(ref: str, value: object) -> str:
    if isinstance(value, Formula):
        cached = value.cached
        kind = ' t="str"' if value.text_result else ""
        v = "" if cached is None else f"<v>{escape(str(cached))}</v>"
        return f'<c r="{ref}"{kind}><f>{escape(value.text)}</f>{v}</c>'
    if isinstance(value, ErrorValue):
        return f'<c r="{ref}" t="e"><v>{escape(value.text)}</v></c>'
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int | float):
        return f'<c r="{ref}"><v>{value!r}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{escape(str(value))}</t></is></c>'


def sheet_xml(rows: Grid, *, dimension: str = "", prolog: str = "", hidden_rows: Iterable[int] = ()) -> str:
    """A worksheet: ``rows`` from A1 (None = no cell), rows numbered from 1."""
    hidden = set(hidden_rows)
    body = []
    for number, row in enumerate(rows, start=1):
        cells = "".join(_cell(f"{column_letters(col)}{number}", value)
                        for col, value in enumerate(row, start=1) if value is not None)
        flag = ' hidden="1"' if number in hidden else ""
        body.append(f'<row r="{number}"{flag}>{cells}</row>')
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return (f"{HEAD}{prolog}<worksheet xmlns=\"{MAIN}\" xmlns:r=\"{DOC_RELS}\">{dim}"
            f"<sheetData>{''.join(body)}</sheetData></worksheet>")


def xlsx(path: Path, sheets: Mapping[str, str | Grid], *, hidden: Iterable[str] = (),
         extra: Mapping[str, bytes | str] | None = None, macros: bool = False) -> Path:
    """A minimal .xlsx: one worksheet part per entry (raw XML, or a grid for ``sheet_xml``)."""
    hidden = set(hidden)
    kind = ("application/vnd.ms-excel.sheet.macroEnabled.main+xml" if macros else
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml")
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' for i in range(1, len(sheets) + 1))
    parts: dict[str, bytes | str] = {
        "[Content_Types].xml": f'{HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{kind}"/>{overrides}</Types>',
        "_rels/.rels": f'{HEAD}<Relationships xmlns="{RELS}"><Relationship Id="rId1" '
        f'Type="{DOC_RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'{HEAD}<workbook xmlns="{MAIN}" xmlns:r="{DOC_RELS}"><sheets>' + "".join(
            f'<sheet name={quoteattr(name)} sheetId="{i}"{STATE_HIDDEN if name in hidden else ""} '
            f'r:id="rId{i}"/>' for i, name in enumerate(sheets, start=1)) + "</sheets></workbook>",
        "xl/_rels/workbook.xml.rels": f'{HEAD}<Relationships xmlns="{RELS}">' + "".join(
            f'<Relationship Id="rId{i}" Type="{DOC_RELS}/worksheet" Target="worksheets/sheet{i}.xml"/>'
            for i in range(1, len(sheets) + 1)) + "</Relationships>",
    }
    for i, content in enumerate(sheets.values(), start=1):
        parts[f"xl/worksheets/sheet{i}.xml"] = content if isinstance(content, str) else sheet_xml(content)
    parts.update(extra or {})
    if macros:
        parts["xl/vbaProject.bin"] = b"\xd0\xcf\x11\xe0 not run by xlbudget"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def write_xlsx(path: Path, sheets: Mapping[str, Grid], *, merges: Mapping[str, Iterable[str]] | None = None,
               hidden_rows: Mapping[str, Iterable[int]] | None = None, hidden_sheets: Iterable[str] = ()) -> Path:
    """A workbook as Excel users shape it: ``merges`` (A1 ranges; the grid's top-left value is
    kept), hidden rows (1-based) and hidden sheets. Formulas are written with their value."""
    import xlsxwriter

    workbook = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_numbers": False})
    workbook.set_properties({"created": datetime(2000, 1, 1)})  # same grids → same bytes
    for name, grid in sheets.items():
        ws = workbook.add_worksheet(name)
        for r, row in enumerate(grid):
            for c, value in enumerate(row):
                if isinstance(value, Formula):
                    ws.write_formula(r, c, value.text, None, value.cached)
                elif value is not None:
                    ws.write(r, c, value)
        for area in (merges or {}).get(name, ()):
            first, last = (_position(ref) for ref in area.split(":"))
            top = grid[first[0]] if first[0] < len(grid) else []
            ws.merge_range(*first, *last, top[first[1]] if first[1] < len(top) else "")
        for number in (hidden_rows or {}).get(name, ()):
            ws.set_row(number - 1, None, None, {"hidden": True})
        if name in set(hidden_sheets):
            ws.hide()
    workbook.close()
    return path


def _position(ref: str) -> tuple[int, int]:
    letters = "".join(ch for ch in ref if ch.isalpha())
    return int(ref[len(letters):]) - 1, column_number(letters) - 1


# -- zip tricks --------------------------------------------------------------------------------
def zeros_member(megabytes: int) -> bytes:
    return bytes(megabytes * 2**20)


def patch_declared_size(path: Path, member: str, size: int) -> Path:
    """Make the zip directory (central and local headers) declare ``size`` for ``member``."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(member)
    struct.pack_into("<I", data, info.header_offset + 22, size)  # local header: uncompressed size
    central = data.find(member.encode(), data.find(b"PK\x01\x02")) - 46
    assert data[central:central + 4] == b"PK\x01\x02"
    struct.pack_into("<I", data, central + 24, size)  # central directory: uncompressed size
    path.write_bytes(bytes(data))
    return path


def huge_sheet(path: Path, rows: int, columns: int = 1) -> Path:
    """An .xlsx whose one sheet really holds ``rows`` × ``columns`` numbers, streamed to disk."""
    base = xlsx(path, {"收入": "<placeholder/>"})
    with zipfile.ZipFile(base) as archive:
        parts = {name: archive.read(name) for name in archive.namelist() if not name.endswith("sheet1.xml")}
    letters = [column_letters(c) for c in range(1, columns + 1)]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(f'{HEAD}<worksheet xmlns="{MAIN}"><sheetData>'.encode())
            block: list[str] = []
            for number in range(1, rows + 1):
                cells = "".join(f'<c r="{x}{number}"><v>{number}</v></c>' for x in letters)
                block.append(f'<row r="{number}">{cells}</row>')
                if len(block) == 10_000:
                    sheet.write("".join(block).encode())
                    block = []
            sheet.write(("".join(block) + "</sheetData></worksheet>").encode())
    return path


# -- OLE ---------------------------------------------------------------------------------------
FREE, END, FAT_SECTOR, NONE = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
SECTOR = 512


def ole_file(path: Path, streams: Mapping[str, bytes]) -> Path:
    """A compound file (version 3) holding ``streams`` (each padded to 4,096 bytes so none
    lives in the mini stream). Excel stores an encrypted .xlsx as one with the streams
    ``EncryptionInfo`` and ``EncryptedPackage``; an .xls holds ``Workbook``."""
    datas = [data.ljust(4096, b"\0") for data in streams.values()]
    sizes = [len(data) // SECTOR + (len(data) % SECTOR > 0) for data in datas]
    fat = [FAT_SECTOR, END]  # sector 0: the FAT, sector 1: the directory
    starts = []
    for count in sizes:
        starts.append(len(fat))
        fat += [len(fat) + i + 1 for i in range(count - 1)] + [END]
    assert len(fat) <= SECTOR // 4, "one FAT sector is enough for these tests"
    header = struct.pack("<8s16sHHHHH6s", bytes.fromhex("d0cf11e0a1b11ae1"), bytes(16), 0x3E, 3, 0xFFFE, 9, 6,
                         bytes(6))
    header += struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, END, 0, END, 0)
    header += struct.pack("<109I", 0, *([FREE] * 108))
    names = list(streams)
    assert len(names) <= 3, "one directory sector is enough for these tests"
    entries = [_entry("Root Entry", 5, child=1, start=END, size=0)]
    for i, (name, start, data) in enumerate(zip(names, starts, datas, strict=True)):
        right = i + 2 if i + 1 < len(names) else NONE  # a chain of right siblings
        entries.append(_entry(name, 2, right=right, start=start, size=len(data)))
    directory = b"".join(entries).ljust(SECTOR * ((len(entries) * 128 + SECTOR - 1) // SECTOR), b"\0")
    fat_sector = struct.pack(f"<{len(fat)}I", *fat).ljust(SECTOR, b"\xff")
    path.write_bytes(header + fat_sector + directory[:SECTOR] + b"".join(datas))
    return path


def _entry(name: str, kind: int, *, child: int = NONE, right: int = NONE, start: int, size: int) -> bytes:
    encoded = (name + "\0").encode("utf-16-le")
    return struct.pack("<64sHBBIII16sIQQIQ", encoded, len(encoded), kind, 1, NONE, right, child,
                       bytes(16), 0, 0, 0, start, size)
