"""The bundled example as clerks' software writes it (issue #10, "Done when"): every amount a
formula with the 17-digit cache Excel writes, and the same workbook saved by LibreOffice as .xlsx,
.xls and .ods — each reads as the same budget and compiles to the same values as the original."""

from __future__ import annotations

import re
import zipfile
from decimal import Decimal
from functools import partial
from pathlib import Path

import openpyxl
import pytest

from tests.conftest import EXAMPLE_INPUT
from tests.lo import convert
from xlbudget.pipeline import Outcome, derive

AMOUNT_SHEETS = ("收入", "基本支出", "项目支出", "上年数")
# Amount cells of the example (收入 1, 基本支出 15, 项目支出 21, 上年数 9) and those whose Excel cache
# is not the double of their amount (0.57+1.13 is cached as 1.6999999999999997, not 1.7).
LUOYANG_AMOUNTS, LUOYANG_NOISY = 46, 7
_NUMBER_CELL = re.compile(r'<c r="([A-Z]+)(\d+)"( s="\d+")?><v>([^<]+)</v></c>')


def amount_columns(path: Path) -> dict[str, str]:
    """Worksheet part → the column letter of its 金额 header, for the sheets holding amounts."""
    book = openpyxl.load_workbook(path, read_only=True)
    letters = {}
    for index, name in enumerate(book.sheetnames, start=1):
        if name in AMOUNT_SHEETS:
            header = next(book[name].iter_rows(max_row=1, values_only=True))
            letters[f"xl/worksheets/sheet{index}.xml"] = openpyxl.utils.get_column_letter(header.index("金额") + 1)
    book.close()
    return letters


def as_formula(match: re.Match[str], column: str) -> str:
    """A number cell of ``column`` as Excel saves ``=a+b`` typed in it: the formula and the sum as
    a double, written with 17 significant digits (3846.29 → 3846.2899999999999)."""
    letters, row, style, value = match.groups()
    if letters != column or int(row) == 1:
        return match.group(0)
    amount = Decimal(repr(float(value)))  # the amount (xlsxwriter may write 79.04 as 79.04000000000001)
    first = (amount / 3).quantize(Decimal("0.01"))
    second = amount - first
    cached = float(first) + float(second)
    return f'<c r="{letters}{row}"{style or ""}><f>{first}+{second}</f><v>{cached:.17g}</v></c>'


def with_formulas(source: Path, target: Path) -> Path:
    """``source`` with every amount turned into a formula cell with an Excel-style cache."""
    columns = amount_columns(source)
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            data = old.read(item)
            column = columns.get(item.filename)
            if column:
                xml = data.decode("utf-8")
                data = _NUMBER_CELL.sub(partial(as_formula, column=column), xml).encode("utf-8")
            new.writestr(item, data)
    return target


def compiled(outcome: Outcome) -> list[list[tuple[object, ...]]]:
    return [[tuple(row.cells) for row in table.rows] for table in outcome.tables]


def reported(outcome: Outcome) -> list[tuple[str, str]]:
    return [(f.code, str(f.where)) for f in outcome.findings]


@pytest.fixture(scope="module")
def original() -> Outcome:
    return derive([EXAMPLE_INPUT])


@pytest.fixture(scope="module")
def formulas(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return with_formulas(EXAMPLE_INPUT, tmp_path_factory.mktemp("formulas") / "luoyang.xlsx")


def test_the_corpus_really_holds_noisy_formula_caches(formulas: Path) -> None:
    """Many caches are not their amount's double: the sum of the parts carries noise."""
    with zipfile.ZipFile(formulas) as book:
        xml = "".join(book.read(name).decode() for name in amount_columns(EXAMPLE_INPUT))
    cells = re.findall(r"<f>([\d.]+)\+([\d.]+)</f><v>([^<]+)</v>", xml)
    noisy = [cache for first, second, cache in cells if float(cache) != float(Decimal(first) + Decimal(second))]
    assert "<f>0.57+1.13</f><v>1.6999999999999997</v>" in xml
    assert (len(cells), len(noisy)) == (LUOYANG_AMOUNTS, LUOYANG_NOISY)


def test_excel_style_caches_read_as_the_original(original: Outcome, formulas: Path) -> None:
    outcome = derive([formulas])
    assert outcome.budget == original.budget
    assert reported(outcome) == reported(original) and outcome.exit_code == 0
    assert compiled(outcome) == compiled(original)


@pytest.mark.parametrize("fmt", ["xlsx", "xls", "ods"])
def test_saved_by_libreoffice_reads_as_the_original(original: Outcome, formulas: Path, tmp_path: Path,
                                                    fmt: str) -> None:
    saved = convert(formulas, tmp_path / "saved", fmt)
    outcome = derive([saved])
    assert outcome.budget == original.budget  # every amount, code (20-digit project codes too) and name
    assert reported(outcome) == reported(original) and outcome.exit_code == 0
    assert compiled(outcome) == compiled(original)
