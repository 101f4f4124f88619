"""Findings are values: a stable rule id, a severity, a Chinese message, where, and a hint."""

from __future__ import annotations

from dataclasses import dataclass, field

ERROR, WARNING, INFO = "error", "warning", "info"
SEVERITY_LABEL = {ERROR: "错误", WARNING: "警告", INFO: "提示"}
SEVERITY_ORDER = {ERROR: 0, WARNING: 1, INFO: 2}


def column_letter(index: int) -> str:
    """0-based column index → A, B, … AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@dataclass(frozen=True, order=True)
class Location:
    """A place in the clerk's own workbook: sheet, 1-based row, column letter ("" = whole row)."""

    sheet: str = ""
    row: int = 0
    column: str = ""
    file: str = ""

    def at(self, column: str) -> Location:
        return Location(self.sheet, self.row, column, self.file)

    def __str__(self) -> str:
        if not self.sheet:
            return self.file
        if not self.row:
            return self.sheet
        return f"{self.sheet}!{self.column}{self.row}" if self.column else f"{self.sheet}!第{self.row}行"


@dataclass(frozen=True)
class Finding:
    code: str
    severity: str
    message: str
    where: Location = field(default_factory=Location)
    hint: str = ""
    expected: str = ""
    actual: str = ""
    difference: str = ""
    unit: str = ""  # 单位编码 the finding concerns, for summaries
    project: str = ""  # 项目编码 the finding concerns, if any


@dataclass(frozen=True)
class Rule:
    """A stable rule: its id never changes meaning; ``description`` states it in the clerk's terms.
    ``also``: other severities some of its findings take (a milder case of the same rule)."""

    id: str
    severity: str
    title: str
    hint: str
    family: str
    description: str = ""
    also: tuple[str, ...] = ()

    def finding(self, message: str, where: Location | None = None, *, severity: str = "",
                hint: str = "", expected: str = "", actual: str = "", difference: str = "",
                unit: str = "", project: str = "") -> Finding:
        """A finding of this rule; severity and hint default to the rule's."""
        if severity and severity != self.severity and severity not in self.also:
            raise ValueError(f"{self.id} is not declared with severity {severity}")
        return Finding(self.id, severity or self.severity, message, where or Location(),
                       hint or self.hint, expected, actual, difference, unit, project)


class UnusableInput(Exception):
    """The input cannot be read at all (not a workbook, encrypted …); carries the finding."""

    def __init__(self, finding: Finding) -> None:
        super().__init__(finding.message)
        self.finding = finding
