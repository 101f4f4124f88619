"""The disclosure workbook, read back: sheets, merged headers, formats, values, print setup."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

from tests.lo import convert_to_pdf
from xlbudget.findings import ERROR, WARNING, Finding, Location
from xlbudget.outputs import OutputError, atomic_write, ensure_not_input
from xlbudget.render import MONEY_FORMAT, write_disclosure
from xlbudget.tables.base import CODE, GROUP, TEXT, TOTAL, UNIT, Column, Row, Table

ORG = "洛阳市政务服务和大数据管理局"
FORMULA_TEXT = '=HYPERLINK("http://x","y")'


def code(*path: str) -> Column:
    return Column(path, CODE, 6)


def text(*path: str) -> Column:
    return Column(path, TEXT, 30)


def money(*path: str) -> Column:
    return Column(path, width=12)


def expenditure_table() -> Table:
    """单位支出预算表 as in the seed: a three-level header over 14 columns."""
    columns = (
        code("科目编码", "类"), code("科目编码", "款"), code("科目编码", "项"),
        Column(("单位代码",), CODE, 10), text("单位（科目名称）"), money("合计"),
        money("基本支出", "小计"),
        money("基本支出", "人员经费", "工资福利支出"),
        money("基本支出", "人员经费", "对个人和家庭的补助"),
        money("基本支出", "公用经费", "商品和服务支出"),
        money("基本支出", "公用经费", "资本性支出"),
        money("项目支出", "小计"), money("项目支出", "其他运转类"), money("项目支出", "特定目标类"),
    )
    rows = (
        Row((None, None, None, None, "合计", 3_846_290_000, 328_300_000, 293_900_000, None,
             32_400_000, 2_000_000, 3_517_990_000, 145_000_000, 3_372_990_000), TOTAL),
        Row((None, None, None, "157001", ORG, 3_846_290_000, 328_300_000, 293_900_000, None,
             32_400_000, 2_000_000, 3_517_990_000, 145_000_000, 3_372_990_000), UNIT),
        Row(("201", "03", "01", None, "行政运行", 263_100_000, 263_100_000, 228_700_000, None,
             32_400_000, 2_000_000, None, None, None)),
        Row(("205", "08", "03", None, "培训支出", 5_000, None, None, None,
             None, None, 4_999, 0, None)),
    )
    return Table("t03", "单位支出预算表", "2022年单位支出预算表", ORG, columns, rows, org_label="单位名称")


def performance_table() -> Table:
    """A 绩效目标表-like table: project columns merged down over each project's rows."""
    columns = (
        Column(("项目编码",), CODE, 24), Column(("项目名称",), TEXT, 24),
        Column(("项目金额", "资金总额"), width=12),
        Column(("成本指标", "三级指标"), TEXT, 20), Column(("成本指标", "指标值"), TEXT, 14),
    )
    rows = (
        Row(("0410001", "数字政府宣传经费", 138_000_000, "宣传费", "≤13.8万元"), GROUP, 1),
        Row(("0410001", "数字政府宣传经费", 138_000_000, "印刷费", FORMULA_TEXT), GROUP, 1),
        Row(("0410002", "接待经费", 2_000_000, "接待费", "≤2万元"), GROUP, 2),
        Row(("0410003", "网络安全经费", 400_000_000, "检测费", "≤10万元"), GROUP, 3),
        Row(("0410003", "网络安全经费", 400_000_000, "修复费", "≤20万元"), GROUP, 3),
        Row(("0410003", "网络安全经费", 400_000_000, "其他\n费用", "≤10万元"), GROUP, 3),
    )
    return Table("t12", "单位预算项目绩效目标表", "2022年单位预算项目绩效目标表", ORG, columns,
                 rows, merge_down=(0, 1, 2))


def three_public_table() -> Table:
    """一般公共预算"三公"经费预算表: one row and the standard note under it."""
    columns = (
        Column(("合计",)), Column(("因公出国（境）费",)),
        Column(("公务用车购置及运行费", "小计")), Column(("公务用车购置及运行费", "购置费")),
        Column(("公务用车购置及运行费", "运行费")), Column(("公务接待费",)),
    )
    rows = (Row((6_000_000, None, 4_000_000, None, 4_000_000, 2_000_000), TOTAL),)
    note = "注：“三公”经费是指纳入同级财政预算管理，部门使用财政拨款安排的因公出国（境）费、" \
           "公务用车购置及运行费和公务接待费。\n本单位无因公出国（境）费预算。"
    return Table("t08", '一般公共预算"三公"经费预算表', '2022年一般公共预算"三公"经费预算表',
                 "洛阳市\x07政务服务和大数据管理局", columns, rows, note=note, org_label="单位名称")


FINDINGS = (
    Finding("XB201", ERROR, "收入与支出不平衡", Location("收入", 3, "C"), "核对收入金额",
            "3846.29", "3846.30", "0.01"),
    Finding("XB410", WARNING, "项目无绩效目标", Location("项目", 5), ""),
)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("render") / "公开表.xlsx"
    tables = (expenditure_table(), performance_table(), three_public_table())
    write_disclosure(tables, path, findings=FINDINGS)
    return path


@pytest.fixture(scope="module")
def book(rendered: Path) -> openpyxl.Workbook:
    return openpyxl.load_workbook(rendered)


def merged(ws) -> set[str]:
    return {str(r) for r in ws.merged_cells.ranges}


def test_sheets_in_order(book):
    assert book.sheetnames == [
        "目录",
        "单位支出预算表",
        "单位预算项目绩效目标表",
        '一般公共预算"三公"经费预算表',
        "校验结果",
    ]


def test_toc_links_every_table(book):
    ws = book["目录"]
    assert ws["A1"].value == "目录"
    rows = [(ws.cell(r, 1).value, ws.cell(r, 2).value, ws.cell(r, 2).hyperlink.location)
            for r in range(3, 6)]
    assert rows == [
        (1, "单位支出预算表", "'单位支出预算表'!A1"),
        (2, "单位预算项目绩效目标表", "'单位预算项目绩效目标表'!A1"),
        (3, '一般公共预算"三公"经费预算表', "'一般公共预算\"三公\"经费预算表'!A1"),
    ]
    assert ws.column_dimensions["B"].width >= 30


def test_title_info_row_and_header_tree(book):
    ws = book["单位支出预算表"]
    assert ws["A1"].value == "2022年单位支出预算表"
    assert ws["A1"].font.b and ws["A1"].font.sz == 16 and ws["A1"].alignment.horizontal == "center"
    # printed over two pages (项目支出 on the second): title, 单位名称 and 单位 on the first
    assert [b.id for b in ws.col_breaks.brk] == [11]
    assert (ws["A2"].value, ws["J2"].value, ws["J2"].alignment.horizontal) == (
        f"单位名称：{ORG}", "单位：万元", "right")
    assert merged(ws) == {
        "A1:K1", "A2:E2", "J2:K2",  # 单位名称 over the columns its text needs
        "A3:C3", "D3:D5", "E3:E5", "F3:F5", "G3:K3", "L3:N3",
        "A4:A5", "B4:B5", "C4:C5", "G4:G5", "H4:I4", "J4:K4", "L4:L5", "M4:M5", "N4:N5",
    }
    assert [ws.cell(3, c).value for c in (1, 4, 5, 6, 7, 12)] == [
        "科目编码", "单位代码", "单位（科目名称）", "合计", "基本支出", "项目支出"]
    assert [ws.cell(4, c).value for c in (1, 2, 3, 7, 8, 10, 12, 13, 14)] == [
        "类", "款", "项", "小计", "人员经费", "公用经费", "小计", "其他运转类", "特定目标类"]
    assert [ws.cell(5, c).value for c in range(8, 12)] == [
        "工资福利支出", "对个人和家庭的补助", "商品和服务支出", "资本性支出"]
    header = ws["H5"]
    assert header.font.b and header.alignment.horizontal == "center"
    assert header.alignment.vertical == "center" and header.alignment.wrap_text
    assert header.border.left.style == "thin"


def test_money_values_and_format(book):
    ws = book["单位支出预算表"]
    assert [ws.cell(6, c).value for c in (6, 7, 12, 14)] == [3846.29, 328.30, 3517.99, 3372.99]
    assert ws["F9"].value == 0.01  # 5,000 分 rounds half up to 0.01 万元
    assert ws["L9"].value is None  # 4,999 分 rounds to 0.00: a blank (formatted, bordered) cell
    assert ws["M9"].value is None and ws["L9"].border.left.style == "thin"
    assert ws["G9"].value is None and ws["G9"].border.left.style == "thin"
    for ref in ("F6", "F9", "L9", "G9"):  # blank money cells keep the money format
        assert ws[ref].number_format == MONEY_FORMAT
    assert ws["F6"].alignment.horizontal == "right"


def test_codes_are_text(book):
    ws = book["单位支出预算表"]
    codes = [(ws.cell(r, c).value, ws.cell(r, c).data_type) for r, c in ((8, 1), (8, 2), (7, 4))]
    assert codes == [("201", "s"), ("03", "s"), ("157001", "s")]
    assert book["单位预算项目绩效目标表"]["A5"].value == "0410001"


def test_text_is_never_a_formula(book, rendered):
    cell = book["单位预算项目绩效目标表"]["E6"]
    assert (cell.value, cell.data_type) == (FORMULA_TEXT, "s")
    with zipfile.ZipFile(rendered) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
        assert not any(b"<f>" in archive.read(n) for n in sheets)


def test_total_and_unit_rows_bold(book):
    ws = book["单位支出预算表"]
    assert [ws.cell(r, 6).font.b for r in (6, 7, 8)] == [True, True, False]
    assert [ws.cell(r, 5).font.b for r in (6, 7, 8)] == [True, True, False]


def test_freeze_panes_and_print_setup(book):
    ws = book["单位支出预算表"]
    assert ws.freeze_panes == "F6"  # below the header, after the code and name columns
    setup = ws.page_setup
    # too wide for one legible page: 75 %, split across pages with the label columns repeated
    assert (setup.orientation, setup.paperSize, setup.scale) == ("landscape", 9, 75)
    assert ws.sheet_properties.pageSetUpPr is None or not ws.sheet_properties.pageSetUpPr.fitToPage
    assert (ws.print_title_rows, ws.print_title_cols) == ("$3:$5", "$A:$E")
    narrow = book['一般公共预算"三公"经费预算表']
    fit_width = narrow.page_setup.fitToWidth or 1  # 1 is the OOXML default, so xlsxwriter omits it
    assert (fit_width, narrow.page_setup.fitToHeight, narrow.print_title_cols) == (1, 0, None)
    assert narrow.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_options.horizontalCentered
    assert ws.oddFooter.center.text == "第 &P 页，共 &N 页"


def test_merge_down_groups(book):
    ws = book["单位预算项目绩效目标表"]
    assert merged(ws) - {"A1:E1", "A2:C2", "C3:C4", "D3:E3"} == {
        "A3:A4", "B3:B4",
        "A5:A6", "B5:B6", "C5:C6",
        "A8:A10", "B8:B10", "C8:C10",
    }
    assert [ws.cell(r, 2).value for r in range(5, 11)] == [
        "数字政府宣传经费", None, "接待经费", "网络安全经费", None, None]
    assert ws["C8"].value == 400.0
    assert ws.row_dimensions[6].height >= 30 and ws.row_dimensions[10].height >= 30  # wrapped
    assert [ws.cell(r, 4).value for r in range(5, 11)] == [
        "宣传费", "印刷费", "接待费", "检测费", "修复费", "其他\n费用"]
    assert ws.freeze_panes == "C5"


def test_note_under_table(book):
    ws = book['一般公共预算"三公"经费预算表']
    assert ws["A2"].value == "单位名称：洛阳市政务服务和大数据管理局"  # control character stripped
    assert ws["A5"].value == 6.0 and ws["A5"].font.b
    assert ws["A6"].value.startswith("注：“三公”经费") and "\n本单位" in ws["A6"].value
    assert "A6:F6" in merged(ws)
    assert ws["A6"].alignment.wrap_text
    assert ws.row_dimensions[6].height >= 45


def test_findings_sheet(book):
    ws = book["校验结果"]
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=1, max_row=3)]
    assert rows == [
        ["规则", "级别", "位置", "说明", "期望", "实际", "差额", "处理建议"],
        ["XB201", "错误", "收入!C3", "收入与支出不平衡",
         "3846.29", "3846.30", "0.01", "核对收入金额"],
        ["XB410", "警告", "项目!第5行", "项目无绩效目标", None, None, None, None],
    ]


def test_byte_identical(tmp_path, rendered):
    again = tmp_path / "again.xlsx"
    write_disclosure((expenditure_table(), performance_table(), three_public_table()), again,
                     findings=FINDINGS)
    assert again.read_bytes() == rendered.read_bytes()
    with zipfile.ZipFile(again) as archive:
        assert b"2000-01-01T00:00:00Z" in archive.read("docProps/core.xml")


def test_large_workbook_assembled_in_temporary_files(tmp_path, monkeypatch, rendered):
    """Past IN_MEMORY_CELLS the sheets go through temporary files (less memory): the same
    cells, again byte-identical run to run, no temporary file left behind."""
    import xlbudget.render

    monkeypatch.setattr(xlbudget.render, "IN_MEMORY_CELLS", 10)
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    tables = (expenditure_table(), performance_table(), three_public_table())
    first, second = tmp_path / "first.xlsx", tmp_path / "second.xlsx"
    write_disclosure(tables, first, findings=FINDINGS)
    write_disclosure(tables, second, findings=FINDINGS)
    assert first.read_bytes() == second.read_bytes() != rendered.read_bytes()
    with zipfile.ZipFile(first) as archive:  # xlsxwriter dates files it zipped from disk 1980-01-31
        assert {info.date_time[:3] for info in archive.infolist()} == {(1980, 1, 31)}
    with zipfile.ZipFile(first) as a, zipfile.ZipFile(rendered) as b:
        assert {n: a.read(n) for n in a.namelist()} == {n: b.read(n) for n in b.namelist()}
    assert list((tmp_path / "tmp").iterdir()) == []


def test_no_findings_no_findings_sheet(tmp_path):
    path = tmp_path / "out.xlsx"
    write_disclosure((three_public_table(),), path)
    assert openpyxl.load_workbook(path).sheetnames == ["目录", '一般公共预算"三公"经费预算表']


def test_amounts_in_yuan(tmp_path):
    path = tmp_path / "out.xlsx"
    write_disclosure((three_public_table(),), path, money_unit_label="元")
    ws = openpyxl.load_workbook(path)['一般公共预算"三公"经费预算表']
    assert (ws["A5"].value, ws["F2"].value) == (60_000.0, "单位：元")
    with pytest.raises(ValueError, match="不支持的金额单位"):
        write_disclosure((three_public_table(),), path, money_unit_label="千元")


def test_import_does_not_load_xlsxwriter():
    code = "import sys, xlbudget.render; assert 'xlsxwriter' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).parent.parent)


def test_unwritable_folder_is_an_output_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(OutputError, match="无法写入"):
        write_disclosure((three_public_table(),), blocker / "out.xlsx")


def test_libreoffice_prints_the_workbook(rendered, tmp_path):
    pdf = convert_to_pdf(rendered, tmp_path / "pdf")
    assert pdf.stat().st_size > 0
    assert pdf.read_bytes().startswith(b"%PDF")


# --- outputs ------------------------------------------------------------------------------


def failing_writer(path: Path) -> None:
    path.write_bytes(b"half")
    raise RuntimeError("boom")


def test_atomic_write_replaces_target(tmp_path):
    seen: list[Path] = []

    def write(tmp: Path) -> None:
        seen.append(tmp)
        tmp.write_bytes(b"new")

    target = tmp_path / "sub" / "out.xlsx"
    atomic_write(target, write)
    assert target.read_bytes() == b"new"
    assert (seen[0].parent, seen[0].suffix, seen[0].name.startswith(".out.")) == (
        target.parent, ".xlsx", True)
    assert sorted(p.name for p in target.parent.iterdir()) == ["out.xlsx"]


def test_failed_write_leaves_no_target_and_no_temp(tmp_path):
    with pytest.raises(RuntimeError, match="boom"):
        atomic_write(tmp_path / "out.xlsx", failing_writer)
    assert list(tmp_path.iterdir()) == []


def test_failed_write_keeps_existing_target(tmp_path):
    target = tmp_path / "out.xlsx"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError):
        atomic_write(target, failing_writer)
    assert target.read_bytes() == b"old"
    assert list(tmp_path.iterdir()) == [target]


def test_os_error_becomes_output_error(tmp_path):
    def write(tmp: Path) -> None:
        raise PermissionError(13, "Permission denied")

    with pytest.raises(OutputError, match="无法写入 .*out.xlsx：没有写入权限"):
        atomic_write(tmp_path / "out.xlsx", write)
    assert list(tmp_path.iterdir()) == []


def test_ensure_not_input_refuses_an_input(tmp_path):
    source = tmp_path / "in.xlsx"
    source.write_bytes(b"x")
    (tmp_path / "sub").mkdir()
    link = tmp_path / "link.xlsx"
    link.symlink_to(source)
    for out in (source, tmp_path / "sub" / ".." / "in.xlsx", link):
        with pytest.raises(OutputError, match="拒绝覆盖输入"):
            ensure_not_input(out, [tmp_path / "other.xlsx", source])
    ensure_not_input(tmp_path / "out.xlsx", [source])
    ensure_not_input(tmp_path / "missing.xlsx", [tmp_path / "missing-input.xlsx"])
