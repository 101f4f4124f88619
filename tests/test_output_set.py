"""One output set (issue 10, item 8): a compile's .xlsx, .docx and .md are written to temporaries and
moved into place together under a lock; temporaries go on every exit, stale ones are cleaned."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
import pytest

from tests.workbooks import info, workbook
from xlbudget import narrative, outputs
from xlbudget.outputs import STALE_AFTER, remove_stale
from xlbudget.pipeline import compile_workbook

OLD = b"the previous, complete output"
NAMES = ["公开表.xlsx", "公开表_预算说明.docx", "公开表_预算说明.md"]


def department(tmp_path: Path, name: str) -> Path:
    """A clean small budget whose 部门名称 is ``name``."""
    rows = info()
    rows[3] = ["部门名称", name]
    return workbook(tmp_path, f"{name[:20]}.xlsx", 基本信息=rows)


def temporaries(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if ".tmp" in p.name or p.name.startswith(".xlbudget-"))


def made_from(folder: Path) -> tuple[str, str]:
    """Which department the set's 公开表 and 预算说明 were compiled from."""
    sheet = openpyxl.load_workbook(folder / "公开表.xlsx")["单位收支预算表"]
    org = next(str(c) for row in sheet.iter_rows(values_only=True) for c in row if str(c).startswith("单位名称"))
    title = (folder / "公开表_预算说明.md").read_text(encoding="utf-8").splitlines()[0]
    return org, title


def test_a_compile_between_two_writes_of_another_never_mixes_the_set(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Compile 乙 runs entirely while compile 甲 writes its 预算说明: the set is then 甲's alone
    (before: 乙's tables beside 甲's 预算说明)."""
    first, second = department(tmp_path, "甲部门"), department(tmp_path, "乙部门")
    out = tmp_path / "out" / "公开表.xlsx"
    write = narrative.Narrative.write
    interrupted = []

    def write_with_another_compile(self: narrative.Narrative, stem: Path, formats: tuple[str, ...]) -> list[Path]:
        if not interrupted:
            interrupted.append(True)
            assert compile_workbook([second], out).exit_code == 0
        return write(self, stem, formats)

    monkeypatch.setattr(narrative.Narrative, "write", write_with_another_compile)
    assert compile_workbook([first], out).exit_code == 0
    org, title = made_from(out.parent)
    assert "甲部门" in org and "甲部门" in title
    assert temporaries(out.parent) == []


def test_a_failed_预算说明_leaves_the_previous_set_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in NAMES:
        (tmp_path / name).write_bytes(OLD)

    def full_disk(*args: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("xlbudget.narrative.word.write_docx", full_disk)
    outcome = compile_workbook([department(tmp_path, "甲部门")], tmp_path / "公开表.xlsx")
    assert outcome.exit_code == 2 and "磁盘空间不足" in outcome.findings[0].message
    assert "无法写入" in outcome.findings[0].message and ".tmp" not in outcome.findings[0].message
    assert [(tmp_path / name).read_bytes() for name in NAMES] == [OLD] * 3
    assert temporaries(tmp_path) == []


def test_a_set_that_cannot_be_moved_whole_is_put_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The .docx is open in Word (Windows refuses to replace it): the .xlsx already moved goes back."""
    for name in NAMES:
        (tmp_path / name).write_bytes(OLD)
    replace = os.replace

    def docx_in_use(source: object, target: object) -> None:
        if "公开表_预算说明.docx" in (Path(str(source)).name, Path(str(target)).name):
            raise PermissionError(errno.EACCES, "Permission denied")
        replace(source, target)  # type: ignore[arg-type]

    monkeypatch.setattr(outputs.os, "replace", docx_in_use)
    outcome = compile_workbook([department(tmp_path, "甲部门")], tmp_path / "公开表.xlsx")
    assert outcome.exit_code == 2 and "正被其他程序" in outcome.findings[0].message
    assert [(tmp_path / name).read_bytes() for name in NAMES] == [OLD] * 3
    assert temporaries(tmp_path) == []


def test_a_250_character_department_name_compiles(tmp_path: Path) -> None:
    name = "洛阳市" + "政务服务和大数据管理局" * 22 + "第一分局"
    assert len(name) == 249
    outcome = compile_workbook([department(tmp_path, name + "局")], tmp_path / "out" / "公开表.xlsx")
    assert outcome.exit_code == 0, outcome.findings
    assert sorted(p.name for p in outcome.outputs) == sorted(NAMES)
    assert f"2022年{name}局预算说明" in (tmp_path / "out" / "公开表_预算说明.md").read_text(encoding="utf-8")


SLOW_COMPILE = """
import sys, time
import xlbudget.narrative.word as word
from xlbudget.cli import run

def slow(*args):
    print("writing", flush=True)
    time.sleep(60)

word.write_docx = slow
sys.argv = ["xlbudget", "compile", sys.argv[1], "-o", sys.argv[2]]
run()
"""


@pytest.mark.skipif(not hasattr(signal, "SIGTERM") or os.name == "nt", reason="POSIX signals")
@pytest.mark.parametrize("stop", ["SIGTERM", "SIGINT"])
def test_a_stopped_compile_removes_its_temporaries_and_keeps_the_old_set(tmp_path: Path, stop: str) -> None:
    source = department(tmp_path, "甲部门")
    (tmp_path / "out").mkdir()
    for name in NAMES:
        (tmp_path / "out" / name).write_bytes(OLD)
    writer = subprocess.Popen([sys.executable, "-c", SLOW_COMPILE, str(source), str(tmp_path / "out" / NAMES[0])],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert writer.stdout is not None and writer.stdout.readline().strip() == "writing"
    writer.send_signal(getattr(signal, stop))
    writer.wait(timeout=60)
    assert writer.returncode != 0
    assert "Traceback" not in (writer.stderr.read() if writer.stderr else "")
    assert temporaries(tmp_path / "out") == []
    assert [(tmp_path / "out" / name).read_bytes() for name in NAMES] == [OLD] * 3


@pytest.mark.skipif(os.name == "nt", reason="process ids checked on POSIX")
def test_stale_temporaries_of_a_killed_run_are_removed(tmp_path: Path) -> None:
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead = int(gone.stdout)
    old = time.time() - STALE_AFTER - 60
    stale = [tmp_path / f".公开表.{dead}.tmp.xlsx", tmp_path / f".xlbudget-{dead}-k3j2.tmp"]
    young = tmp_path / f".公开表_预算说明.{dead}.tmp.md"  # its run may still be finishing elsewhere
    alive = tmp_path / f".xlbudget-{os.getppid()}-x.tmp"  # a process that still runs
    mine = tmp_path / ".xlbudget-2022-公开表.xlsx"  # not a temporary name: the clerk's own file
    stale[0].write_bytes(b"half")
    stale[1].mkdir()
    (stale[1] / "公开表.xlsx").write_bytes(b"half")
    for path in (young, alive, mine):
        path.write_bytes(b"x")
    for path in (*stale, alive, mine):
        os.utime(path, (old, old))
    assert sorted(remove_stale(tmp_path)) == sorted(stale)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in (young, alive, mine))


def test_a_compile_cleans_the_stale_temporaries_beside_its_output(tmp_path: Path) -> None:
    left = tmp_path / "out" / ".公开表.4194999.tmp.xlsx"  # above the largest Linux pid
    left.parent.mkdir()
    left.write_bytes(b"half")
    os.utime(left, (time.time() - STALE_AFTER - 60,) * 2)
    assert compile_workbook([department(tmp_path, "甲部门")], tmp_path / "out" / "公开表.xlsx").exit_code == 0
    assert temporaries(tmp_path / "out") == []


LOCK_HOLDER = """
import sys, time
from pathlib import Path
from xlbudget.outputs import OutputSet, _locked

with _locked(Path(sys.argv[1])):
    print("locked", flush=True)
    sys.stdin.readline()
"""


@pytest.mark.skipif(os.name == "nt", reason="POSIX file locks")
def test_the_set_is_moved_under_the_lock(tmp_path: Path) -> None:
    """While another process holds the lock beside the output, a compile waits with its files
    staged; it moves them once the lock is released."""
    out = tmp_path / "公开表.xlsx"
    holder = subprocess.Popen([sys.executable, "-c", LOCK_HOLDER, str(tmp_path / ".xlbudget-公开表.xlsx.lock")],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
    source = department(tmp_path, "甲部门")
    compiler = subprocess.Popen([sys.executable, "-m", "xlbudget", "compile", str(source), "-o", str(out)],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    staged: list[Path] = []
    for _ in range(600):  # until its three files are staged (it then waits for the lock)
        staged = [p for d in tmp_path.glob(".xlbudget-*.tmp") for p in d.iterdir()]
        if len(staged) == 3 or compiler.poll() is not None:
            break
        time.sleep(0.1)
    assert sorted(p.name for p in staged) == sorted(NAMES) and compiler.poll() is None
    assert not out.exists()
    assert holder.stdin is not None
    holder.stdin.write("\n")
    holder.stdin.close()
    holder.wait(timeout=60)
    assert compiler.wait(timeout=120) == 0
    assert out.exists() and temporaries(tmp_path) == []


def test_each_file_is_synced_and_the_folder_once_the_set_is_in_place(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """Durable without waiting on the disk more than needed: every file's data is synced before
    it is moved, and the output folder after the move; the staging folder, whose entries are
    about to be moved away, never is."""
    synced: list[str] = []
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        synced.append("folder" if os.path.isdir(f"/proc/self/fd/{fd}") else "file")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    folders: list[Path] = []
    real_sync_folder = outputs._sync_folder
    monkeypatch.setattr(outputs, "_sync_folder", lambda folder: (folders.append(folder), real_sync_folder(folder)))
    out = tmp_path / "out"
    outcome = compile_workbook([department(tmp_path, "某局")], out / "公开表.xlsx")
    assert [p.name for p in outcome.outputs] == NAMES
    assert (synced, folders) == (["file", "file", "file", "folder"], [out])
