"""Files that are not what they claim, and attacks (issue #6, items 1 and 2).

Each refused file: exit 2, exactly one finding with its own rule id and a Chinese message,
nothing written (not even the output folder), refused before any workbook parser runs.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.lo import convert
from tests.workbooks import BASE
from tests.workbooks_hostile import (
    huge_sheet,
    ole_file,
    patch_declared_size,
    sheet_xml,
    xlsx,
    zeros_member,
)
from xlbudget.findings import Finding
from xlbudget.pipeline import compile_workbook, derive
from xlbudget.reader import read_budget

QUICK = 10.0  # seconds: generous, so a slow CI machine does not make the tests flaky


def refused(path: Path) -> Finding:
    """Compile ``path``: exit 2, one finding, no output and no output folder."""
    out = path.parent / "输出" / "公开表.xlsx"
    outcome = compile_workbook([path], out)
    assert outcome.exit_code == 2, outcome.findings
    assert outcome.outputs == [] and not out.parent.exists()
    [finding] = outcome.findings
    assert finding.where.file == path.name and finding.hint
    return finding


def base(path: Path) -> Path:
    return xlsx(path, BASE)


# -- files that are not what they claim ---------------------------------------------------------
def _docx(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("_rels/.rels", '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
                         'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
                         'officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
                         "</Relationships>")
        archive.writestr("word/document.xml", '<w:document xmlns:w="urn:w"><w:body/></w:document>')
    return path


def _plain_zip(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("收入.csv", "单位编码,金额\n001001,110\n")
    return path


def _truncated(path: Path) -> Path:
    data = base(path).read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


NOT_WORKBOOKS: dict[str, tuple[Callable[[Path], object], str, str]] = {
    # name: (make the file, rule, words of the message)
    "empty.xlsx": (lambda p: p.write_bytes(b""), "XB003", "空文件"),
    "csv.xlsx": (lambda p: p.write_text("单位编码,金额\n001001,110\n", encoding="utf-8"), "XB004", "文本文件（如 CSV）"),
    "csv_gbk.xlsx": (lambda p: p.write_bytes("单位编码,金额\n".encode("gbk")), "XB004", "文本文件（如 CSV）"),
    "html.xls": (lambda p: p.write_text("<html><body><table><tr><td>1</td></tr></table></body></html>"),
                 "XB004", "网页（HTML）"),
    "xml2003.xls": (lambda p: p.write_text('<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:'
                                           'office:spreadsheet"/>'), "XB004", "XML 电子表格 2003"),
    "pdf.xlsx": (lambda p: p.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"), "XB004", "PDF"),
    "random.xlsx": (lambda p: p.write_bytes(bytes(range(256)) * 4), "XB004", "格式无法识别"),
    "truncated.xlsx": (_truncated, "XB004", "已损坏或不完整"),
    "plain.zip.xlsx": (_plain_zip, "XB004", "是压缩包（zip）"),
    "word.xlsx": (_docx, "XB004", "Word"),
    "word.xls": (lambda p: ole_file(p, {"WordDocument": b"x"}), "XB004", "Word"),
    "encrypted.xlsx": (lambda p: ole_file(p, {"EncryptionInfo": b"\x04\x00\x04\x00\x40\x00\x00\x00",
                                              "EncryptedPackage": os.urandom(3000)}), "XB005", "已加密"),
}


@pytest.mark.parametrize("name", NOT_WORKBOOKS)
def test_a_file_that_is_not_a_workbook_is_refused(tmp_path: Path, name: str) -> None:
    make, rule, words = NOT_WORKBOOKS[name]
    make(tmp_path / name)
    finding = refused(tmp_path / name)
    assert (finding.code, words in finding.message) == (rule, True), finding.message


def test_a_folder_or_a_missing_path_is_refused(tmp_path: Path) -> None:
    (tmp_path / "填报.xlsx").mkdir()
    assert refused(tmp_path / "填报.xlsx").message == f"“{tmp_path / '填报.xlsx'}”是文件夹，不是工作簿文件"
    assert refused(tmp_path / "没有.xlsx").message == f"找不到文件：{tmp_path / '没有.xlsx'}"


def test_xlsm_and_misnamed_workbooks_are_read_by_content(tmp_path: Path) -> None:
    expected, _ = read_budget(base(tmp_path / "填报.xlsx"))
    xlsx(tmp_path / "宏.xlsm", BASE, macros=True)
    shutil.copy(tmp_path / "填报.xlsx", tmp_path / "改名.xls")
    for name in ("宏.xlsm", "改名.xls"):
        budget, findings = read_budget(tmp_path / name)
        assert (budget, findings) == (expected, []), name


def _libreoffice(source: Path, fmt: str) -> Path:
    return convert(source, source.parent, fmt)


def test_xls_and_ods_saved_by_an_office_suite_read_the_same(tmp_path: Path) -> None:
    """Clerks may save as .xls. An .xls named .xlsx is read by its content too."""
    from tests.workbooks import write_workbook

    source = write_workbook(tmp_path / "填报.xlsx", BASE)
    expected, _ = read_budget(source)
    for fmt in ("xls", "ods"):
        converted = _libreoffice(source, fmt)
        assert read_budget(converted) == (expected, []), fmt
    misnamed = shutil.copy(tmp_path / "填报.xls", tmp_path / "其实是xls.xlsx")
    assert read_budget(Path(misnamed)) == (expected, [])


def test_cli_refusal_has_no_traceback_and_writes_nothing(tmp_path: Path) -> None:
    ole_file(tmp_path / "加密.xlsx", {"EncryptionInfo": b"\x04\x00", "EncryptedPackage": b"x"})
    done = subprocess.run([sys.executable, "-m", "xlbudget", "compile", "加密.xlsx", "-o", "out.xlsx"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "已加密（设置了打开密码）" in done.stderr and "XB005" in done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["加密.xlsx"]


# -- attacks -------------------------------------------------------------------------------------
LAUGHS = ('<!DOCTYPE lolz [<!ENTITY lol "lol">' + "".join(
    f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10 if i > 1 else "&lol;" * 10}">' for i in range(1, 10)) + "]>")
XXE = '<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'


def _sheet_with(prolog: str, cell: str = "&lol9;") -> str:
    return sheet_xml([["单位编码", "资金来源", "金额"]], prolog=prolog).replace(
        "<sheetData>", f'<sheetData><row r="9"><c r="A9" t="inlineStr"><is><t>{cell}</t></is></c></row>')


def _shared_strings_xxe(path: Path) -> Path:
    strings = (f'<?xml version="1.0"?>{XXE}<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
               "<si><t>&xxe;</t></si></sst>")
    return xlsx(path, BASE, extra={"xl/sharedStrings.xml": strings})


def _utf16_sheet(path: Path) -> Path:
    text = _sheet_with(LAUGHS).replace('encoding="UTF-8"', 'encoding="UTF-16"')
    xlsx(path, {**BASE, "收入": "<placeholder/>"})
    return _replace_member(path, "xl/worksheets/sheet3.xml", text.encode("utf-16"))


def _replace_member(path: Path, member: str, data: bytes) -> Path:
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    parts[member] = data
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return path


def _workbook_doctype(path: Path) -> Path:
    base(path)
    with zipfile.ZipFile(path) as archive:
        book = archive.read("xl/workbook.xml").decode()
    return _replace_member(path, "xl/workbook.xml", book.replace("?>\n", "?>\n" + XXE, 1).encode())


def _without_relationships(path: Path) -> Path:
    """The far corners again, in a package whose workbook relationships are missing."""
    ATTACKS["two_far_corners"][0](path)
    with zipfile.ZipFile(path) as archive:
        parts = {n: archive.read(n) for n in archive.namelist() if n != "xl/_rels/workbook.xml.rels"}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return path


def _many_members(path: Path) -> Path:
    xlsx(path, BASE, extra={f"xl/media/x{i}.txt": "" for i in range(10_001)})
    return path


ATTACKS: dict[str, tuple[Callable[[Path], object], str, str]] = {
    "billion_laughs": (lambda p: xlsx(p, {**BASE, "收入": _sheet_with(LAUGHS)}), "XB007", "<!DOCTYPE>/<!ENTITY>"),
    "external_entity": (lambda p: xlsx(p, {**BASE, "收入": _sheet_with(XXE, "&xxe;")}), "XB007", "可能是恶意文件"),
    "xxe_in_shared_strings": (_shared_strings_xxe, "XB007", "xl/sharedStrings.xml"),
    "doctype_after_a_long_comment": (
        lambda p: xlsx(p, {**BASE, "收入": _sheet_with("<!--" + "x" * 5_000_000 + "-->" + LAUGHS)}),
        "XB007", "<!DOCTYPE>"),
    "utf16_sheet": (_utf16_sheet, "XB007", "<!DOCTYPE>"),
    "doctype_in_workbook_xml": (_workbook_doctype, "XB007", "xl/workbook.xml"),
    "zip_bomb_ratio": (lambda p: xlsx(p, BASE, extra={"xl/media/image1.png": zeros_member(50)}),
                       "XB006", "压缩比"),
    "zip_bomb_declared_size": (
        lambda p: patch_declared_size(xlsx(p, BASE, extra={"xl/media/a.bin": b"a" * 1000}), "xl/media/a.bin",
                                      400 * 2**20), "XB006", "解压后共 400 MB"),
    "zip_too_many_members": (_many_members, "XB006", "10014 个部件"),  # 4 package parts, 9 sheets
    "size_smaller_than_declared": (
        lambda p: patch_declared_size(base(p), "xl/worksheets/sheet3.xml", 10), "XB004", "已损坏"),
    "million_rows": (lambda p: huge_sheet(p, 1_000_000), "XB008", "数据区域过大"),
    "all_16384_columns": (lambda p: huge_sheet(p, 2, 16_384), "XB008", "第 16384 列"),
    "two_far_corners": (lambda p: xlsx(p, {**BASE, "收入": sheet_xml([[1]]).replace(
        "</row>", '</row><row r="150000"><c r="ZZ150000"><v>1</v></c></row>')}), "XB008", "第 150000 行、第 702 列"),
    "far_corners_without_relationships": (_without_relationships, "XB008", "xl/worksheets/sheet3.xml"),
}


@pytest.mark.parametrize("name", ATTACKS)
def test_an_attack_is_refused_quickly(tmp_path: Path, name: str) -> None:
    make, rule, words = ATTACKS[name]
    make(tmp_path / f"{name}.xlsx")
    started = time.perf_counter()
    finding = refused(tmp_path / f"{name}.xlsx")
    elapsed = time.perf_counter() - started
    assert (finding.code, words in finding.message) == (rule, True), finding.message
    assert elapsed < QUICK, f"{name} took {elapsed:.1f} s"


def test_a_wrong_dimension_does_not_matter(tmp_path: Path) -> None:
    """WPS (and other writers) leave wrong <dimension> refs: too small or the whole sheet."""
    expected, _ = read_budget(base(tmp_path / "ok.xlsx"))
    for ref in ("A1", "A1:XFD1048576"):
        sheets = {name: sheet_xml(grid, dimension=ref) for name, grid in BASE.items()}
        path = xlsx(tmp_path / "wps.xlsx", sheets)
        started = time.perf_counter()
        assert read_budget(path) == (expected, []), ref
        assert time.perf_counter() - started < QUICK


def test_formula_only_sheets_outside_the_template_are_not_scanned_or_read(tmp_path: Path) -> None:
    """A clerk's own sheet may be large or hold formulas: only the template's sheets are read, and
    one too large to look into is named (a warning), not refused and never parsed."""
    own = sheet_xml([[1]]).replace("</row>", '</row><row r="900000"><c r="ZZ900000"><f>1+1</f></c></row>')
    path = xlsx(tmp_path / "own.xlsx", {**BASE, "我的底稿": own})
    assert [(f.code, str(f.where), f.message) for f in derive([path]).findings] == [
        ("XB125", "我的底稿", "工作表“我的底稿”不是模板中的工作表，数据区域过大或无法读取，未读取")]


def test_the_readme_states_the_limits_and_rules() -> None:
    from tests.conftest import ROOT
    from xlbudget import safety

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## 拒绝处理的文件", 1)[1].split("\n## ", 1)[0]
    limits = (f"{safety.MAX_UNCOMPRESSED // safety.MB} MB", f"{safety.MAX_RATIO}:1", f"{safety.RATIO_FROM // safety.MB} MB",
              f"{safety.MAX_FILE_BYTES // safety.MB} MB", f"{safety.MAX_ROWS // 10_000} 万行", f"{safety.MAX_COLUMNS} 列",
              f"{safety.MAX_CELLS // 10_000} 万个单元格", f"{safety.MAX_MEMBERS // 10_000} 万个")
    codes = ("XB001", "XB003", "XB004", "XB005", "XB006", "XB007", "XB008", "XB115", "XB116", "XB117", "XB118")
    assert [text for text in limits + codes if text not in section] == []
