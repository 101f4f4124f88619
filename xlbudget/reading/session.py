"""One workbook being read: the located sheets, the findings so far (each through its declared
rule), and what later rows need from earlier ones (the amount unit, the catalog, listed codes)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from xlbudget import contract
from xlbudget.catalog import ECON_DEPT, ECON_GOV, FUNCTIONAL, Catalog
from xlbudget.findings import Finding, Location, Rule, column_letter
from xlbudget.reading.cells import code_text
from xlbudget.reading.workbook import RawBook

# Optional name columns a clerk may add beside a code: name header → (code header, catalog).
NAME_COLUMNS = {"功能分类名称": ("功能分类编码", FUNCTIONAL), "经济分类名称": ("经济分类编码", ECON_DEPT),
                "政府经济分类名称": ("政府经济分类编码", ECON_GOV)}


@dataclass
class SheetRows:
    """A located sheet: its header columns and data rows (1-based row numbers)."""

    name: str
    columns: dict[str, int]  # header text → 0-based column index
    rows: list[tuple[int, list[object]]] = field(default_factory=list)
    flagged: set[tuple[int, int]] = field(default_factory=set)  # (row, column) already reported
    letter: dict[str, str] = field(init=False)  # header text → column letter
    named: tuple[str, ...] = field(init=False)  # name columns the clerk added (NAME_COLUMNS)

    def __post_init__(self) -> None:
        self.letter = {header: column_letter(index) for header, index in self.columns.items()}
        self.named = tuple(header for header in NAME_COLUMNS if header in self.columns)

    def letters(self) -> dict[str, str]:
        return dict(self.letter)


class Session:
    """Collects findings while one workbook's sheets are turned into model items."""

    def __init__(self, path: Path, book: RawBook, version: contract.Contract = contract.CURRENT) -> None:
        self.contract = version
        self.file = path.name
        self.book = book
        self.raw = book.grids
        self.findings: list[Finding] = []
        self.unit = "万元"
        self.catalog: Catalog | None = None
        self.row_unit = ""  # 单位编码 of the row being read, so findings can be summarised by unit
        self.padded: dict[str, dict[str, str]] = {}  # code header → {code without its zeros: listed code}

    def report(self, rule: Rule, message: str, where: Location, hint: str = "", *, severity: str = "",
               expected: str = "", actual: str = "") -> None:
        """A finding of ``rule`` (its severity unless a declared milder one is given), for the row's unit."""
        self.findings.append(rule.finding(message, where, severity=severity, hint=hint, expected=expected,
                                          actual=actual, unit=self.row_unit))

    def where(self, sheet: str, row: int = 0, column: str = "") -> Location:
        return Location(sheet, row, column, self.file)

    def cell(self, located: SheetRows, number: int, header: str) -> Location:
        return Location(located.name, number, located.letter[header], self.file)

    def flagged(self, located: SheetRows, number: int, header: str) -> bool:
        """Whether the cell was already reported (a formula without a value, an error value)."""
        return (number, located.columns[header]) in located.flagged

    def listed_code(self, header: str, raw: object) -> str:
        """The code of a cell, as listed when it is a number that lost the listed code's zeros."""
        code = code_text(raw)
        return self.padded.get(header, {}).get(code, code) if isinstance(raw, int | float) else code

    def list_codes(self, header: str, codes: Sequence[str]) -> None:
        """Remember the codes of a list (单位, 项目) beginning with 0, by the number they become
        when their zeros are lost; a number two listed codes would become is left alone."""
        padded: dict[str, str] = {}
        for code in codes:
            short = code.lstrip("0")
            if code.isdigit() and short != code:
                padded[short] = code if padded.get(short, code) == code else ""
        self.padded[header] = {short: code for short, code in padded.items() if code and short not in codes}
