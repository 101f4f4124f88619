"""The I/O floor: the same reads and writes as a compile, nothing else.

Imports only python-calamine and xlsxwriter, so a floor process pays no more start-up than
those two libraries (``benchmarks/run.py`` times it against a whole ``xlbudget compile``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

Sheet = tuple[str, list[tuple[int, int, Any, int]], list[dict[str, Any]]]  # name, cells, formats


def floor_read(path: Path) -> None:
    from python_calamine import CalamineWorkbook

    workbook = CalamineWorkbook.from_path(str(path))
    for name in workbook.sheet_names:
        workbook.get_sheet_by_name(name).to_python()


def floor_write(sheets: list[Sheet], target: Path, *, formatted: bool, in_memory: bool = True) -> None:
    """Write the captured cells with plain xlsxwriter, in memory or through temporary files as
    the compile did (``in_memory``); ``formatted``: with each cell's format (formatted blanks
    included), else values only."""
    import xlsxwriter

    workbook = xlsxwriter.Workbook(str(target), {"in_memory": in_memory, "strings_to_numbers": False,
                                                 "strings_to_formulas": False, "strings_to_urls": False})
    for name, cells, styles in sheets:
        sheet = workbook.add_worksheet(name)
        formats = [workbook.add_format(style) for style in styles] if formatted else []
        for row, col, value, style in cells:
            fmt = formats[style] if formatted else None
            if value.__class__ is float:
                sheet.write_number(row, col, value, fmt)
            elif value is not None:
                sheet.write_string(row, col, value, fmt)
            elif formatted:
                sheet.write_blank(row, col, None, fmt)
    workbook.close()


def floor(inputs: Path, sheets: list[Sheet], target: Path, *, formatted: bool, in_memory: bool = True) -> None:
    """One floor run: read ``inputs``, write ``sheets``."""
    floor_read(inputs)
    floor_write(sheets, target, formatted=formatted, in_memory=in_memory)
