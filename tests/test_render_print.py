"""The disclosure workbook as a clerk prints it: LibreOffice prints it to PDF, and the PDF (and
the workbook read back) shows legible text, whole department names and only the tables."""

from __future__ import annotations

import re
import subprocess
import unicodedata
from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest

from tests.lo import convert_to_pdf
from xlbudget.findings import WARNING, Finding, Location
from xlbudget.pipeline import derive
from xlbudget.render import write_disclosure

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "luoyang-2022" / "input.xlsx"
LONG_NAME = "洛阳市某某区人民政府政务服务和大数据管理局办公室"  # 25 characters
WIDE = ("单位收入预算表", "单位支出预算表", "支出经济分类汇总表", "项目支出预算表", "单位预算项目绩效目标表")
# Excel measures column widths in widths of Calibri 11 digits (7 px); a Chinese character of 11 pt
# text (宋体/等线, 14.7 px) is 2.1 of them, any other character at most 1.2 (here: digits, colons).
CJK_UNITS, OTHER_UNITS, FONT_PIXELS_PER_POINT = 2.1, 1.2, 96 / 72


def units(text: str, size: float = 11) -> float:
    """Excel width units of one line of ``text`` at ``size`` points, measured independently of
    the renderer."""
    wide = sum(unicodedata.east_asian_width(ch) in "WF" for ch in text)
    return (wide * CJK_UNITS + (len(text) - wide) * OTHER_UNITS) * size / 11


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The Luoyang tables under a 25-character department name, with findings, and their PDF."""
    folder = tmp_path_factory.mktemp("print")
    tables = tuple(replace(t, org_name=LONG_NAME) for t in derive([EXAMPLE]).tables)
    findings = [Finding("XB501", WARNING, f"第 {n} 条提示", Location("上年数", n + 1), "处理建议")
                for n in range(40)]
    workbook = folder / "公开表.xlsx"
    write_disclosure(tables, workbook, findings=findings)
    return workbook, convert_to_pdf(workbook, folder)


def pages(pdf: Path) -> list[list[tuple[str, float]]]:
    """Each page's words with their heights (points), from ``pdftotext -bbox-layout``."""
    html = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    word = re.compile(r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)</word>')
    return [[(text, float(bottom) - float(top)) for top, bottom, text in word.findall(page)]
            for page in html.split("<page ")[1:]]


def test_every_page_prints_text_of_at_least_8_points(printed):
    found = pages(printed[1])
    # The 目录 prints at full size: its words calibrate word height to font size (11 pt).
    ratio = min(h for _, h in found[0]) / 11
    sizes = {min(h for _, h in page) / ratio for page in found}
    assert min(sizes) >= 8, sorted(sizes)
    titles = {text for page in found for text, _ in page}
    assert {f"2022年{name}" for name in WIDE} <= titles  # every wide table is printed


def test_findings_are_not_printed_nor_counted(printed):
    found = pages(printed[1])
    words = [text for page in found for text, _ in page]
    assert "处理建议" not in words and "第 1 条提示" not in " ".join(words)
    totals = [re.findall(r"共\s*(\d+)\s*页", " ".join(text for text, _ in page)) for page in found]
    assert totals == [[str(len(found))]] * len(found)  # "第 P 页，共 N 页": N counts the tables' pages
    book = openpyxl.load_workbook(printed[0])
    assert book["校验结果"].sheet_state == "hidden"


def test_department_name_and_title_fit_their_cells(printed):
    book = openpyxl.load_workbook(printed[0])
    for ws in book.worksheets[1:-1]:
        for cell, size in (("A1", 16), ("A2", 11)):
            text = ws[cell].value
            span = next((r for r in ws.merged_cells.ranges if cell in r), None)
            last = span.max_col if span else 1
            width = sum(ws.column_dimensions[openpyxl.utils.get_column_letter(c)].width or 8.43
                        for c in range(1, last + 1))
            needed = units(text, size)
            if needed > width:  # wrapped onto lines that fit its height
                lines = -(-needed // width)
                assert ws[cell].alignment.wrap_text, (ws.title, cell, text, width)
                assert ws.row_dimensions[int(cell[1:])].height >= lines * size * 1.3, (ws.title, cell)
    assert book["政府性基金预算支出预算表"]["A2"].value == f"单位名称：{LONG_NAME}"


def test_wide_tables_split_across_pages_with_their_labels(printed):
    book = openpyxl.load_workbook(printed[0])
    for name in WIDE:  # too wide for one page at 8 pt: legible scale, label columns on every page
        ws = book[name]
        assert ws.page_setup.scale >= 73 and (ws.print_title_cols or "").startswith("$A:$"), name
        assert not ws.sheet_properties.pageSetUpPr or not ws.sheet_properties.pageSetUpPr.fitToPage
    found = pages(printed[1])
    label = "科目编码"  # the 收入 table's first label column, on each of its pages
    income = [page for page in found if "2022年单位收入预算表" in [t for t, _ in page]]  # title on each
    assert len(income) >= 2 and all(label in [t for t, _ in page] for page in income)


def test_rows_leave_room_around_their_text(printed):
    book = openpyxl.load_workbook(printed[0])
    for ws in book.worksheets[1:-1]:
        assert ws.sheet_format.defaultRowHeight >= 11 * 1.3 + 3, ws.title  # one line and its margins


def inked_ends(pdf: Path, folder: Path) -> list[list[tuple[str, bool]]]:
    """Each page's words with whether ink reaches the right end of the word's box: a word that
    LibreOffice clips at a cell's edge (pdftotext still reads it whole) ends in blank paper."""
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    word = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')
    found = []
    for number, page in enumerate(html.split("<page ")[1:], start=1):
        root = folder / f"page-{number}"
        subprocess.run(["pdftoppm", "-gray", "-r", "72", "-f", str(number), "-l", str(number), "-singlefile",
                        str(pdf), str(root)], check=True)
        data = (root.with_suffix(".pgm")).read_bytes()
        _, size, _, _ = data.split(b"\n", 3)
        width, height = map(int, size.split())
        pixels = data[len(data) - width * height:]
        words = []
        for x0, y0, x1, y1, text in word.findall(page):
            left, right = max(int(float(x1) - (float(y1) - float(y0))), int(float(x0))), int(float(x1))
            end = [pixels[y * width + x] for y in range(int(float(y0)), int(float(y1))) for x in range(left, right)]
            words.append((text, min(end, default=255) < 128))
        found.append(words)
    return found


def test_every_page_prints_whole_titles_and_department_names(printed, tmp_path):
    # A wide table's label columns are repeated on each page: no page may show a title or a
    # 单位名称 cut off at their edge; the title itself is printed whole on each page.
    titles = {f"2022年{name}" for name in WIDE}
    seen = []
    for page in inked_ends(printed[1], tmp_path):
        for text, inked in page:
            if text in titles or text.startswith("单位名称"):
                assert inked, text
                seen.append(text)
    assert all(seen.count(title) >= 2 for title in titles)  # on each of its pages


def test_a_long_department_name_prints_whole_on_each_page_of_a_wide_table(tmp_path):
    name = "洛阳市某某区人民政府政务服务和大数据管理局办公室所属" * 2  # 50 characters
    spending = next(t for t in derive([EXAMPLE]).tables if t.name == "单位支出预算表")
    workbook = tmp_path / "公开表.xlsx"
    write_disclosure([replace(spending, org_name=name)], workbook)
    found = inked_ends(convert_to_pdf(workbook, tmp_path), tmp_path)
    org = [(text, inked) for page in found for text, inked in page if text.startswith("单位名称")]
    assert len(org) >= 2 and all(inked for _, inked in org), org
