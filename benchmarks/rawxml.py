"""The physical limit: the same reads, and the same cells written as raw sheet XML.

The smallest program that still produces an .xlsx Excel opens with the compile's values:
python-calamine reads the input as the floor does; each sheet's cells become one string of
``<c>`` elements (numbers as values, text inline), zipped with the four parts a workbook needs.
No formats, merges, widths or print setup — the figure says how much of a compile is writing
cells at all (docs/scaling.md). Imports only python-calamine and the standard library.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

from benchmarks.floor import Sheet, floor_read

CONTENT_TYPES = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                 '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                 '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                 '<Default Extension="xml" ContentType="application/xml"/>'
                 '<Override PartName="/xl/workbook.xml" '
                 'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>{sheets}'
                 '</Types>')
SHEET_TYPE = ('<Override PartName="/xl/worksheets/sheet{n}.xml" '
              'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>')
RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{}</Relationships>')
ROOT_REL = ('<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            'officeDocument" Target="xl/workbook.xml"/>')
SHEET_REL = ('<Relationship Id="rId{n}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
             'worksheet" Target="worksheets/sheet{n}.xml"/>')
WORKBOOK = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>{}</sheets></workbook>')
SHEET = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
         '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{}</sheetData>'
         '</worksheet>')


def _column(col: int) -> str:
    name = ""
    col += 1
    while col:
        col, rest = divmod(col - 1, 26)
        name = chr(65 + rest) + name
    return name


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def sheet_xml(cells: list[tuple[int, int, Any, int]]) -> str:
    """One sheet's XML: its cells row by row (blanks, which carry only a format, are left out)."""
    letters: dict[int, str] = {}
    rows: list[str] = []
    current, parts = -1, []
    for row, col, value, _ in sorted(cells, key=lambda c: (c[0], c[1])):
        if value is None:
            continue
        if row != current:
            if parts:
                rows.append(f'<row r="{current + 1}">{"".join(parts)}</row>')
            current, parts = row, []
        ref = f"{letters.get(col) or letters.setdefault(col, _column(col))}{row + 1}"
        if value.__class__ is float:
            parts.append(f'<c r="{ref}"><v>{value:.16G}</v></c>')
        else:
            parts.append(f'<c r="{ref}" t="inlineStr"><is><t>{_escape(value)}</t></is></c>')
    if parts:
        rows.append(f'<row r="{current + 1}">{"".join(parts)}</row>')
    return SHEET.format("".join(rows))


def raw_write(sheets: list[Sheet], target: Path) -> None:
    """The cells of ``sheets`` as a minimal workbook at ``target``."""
    numbers = range(1, len(sheets) + 1)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as book:
        book.writestr("[Content_Types].xml", CONTENT_TYPES.format(sheets="".join(SHEET_TYPE.format(n=n) for n in numbers)))
        book.writestr("_rels/.rels", RELS.format(ROOT_REL))
        book.writestr("xl/_rels/workbook.xml.rels", RELS.format("".join(SHEET_REL.format(n=n) for n in numbers)))
        names = [_escape(name).replace('"', "&quot;") for name, _, _ in sheets]
        book.writestr("xl/workbook.xml", WORKBOOK.format("".join(
            f'<sheet name="{name}" sheetId="{n}" r:id="rId{n}"/>' for n, name in enumerate(names, start=1))))
        for n, (_, cells, _) in enumerate(sheets, start=1):
            book.writestr(f"xl/worksheets/sheet{n}.xml", sheet_xml(cells))


def raw(inputs: Path, sheets: list[Sheet], target: Path) -> None:
    """One run: read ``inputs`` as the floor does, write ``sheets`` as raw XML."""
    floor_read(inputs)
    raw_write(sheets, target)
