"""Safe output files: written atomically, never over an input (docs/architecture.md §4).

A failed write leaves the target exactly as it was: the content goes to a temporary
file in the same folder (so the final rename stays on one file system) and only a
complete, fsynced file replaces the target.

The files of one compile (公开表 and 预算说明) are an ``OutputSet``: all are written into a
staging folder beside them, then moved into place together under a lock, so two compiles to
the same name never leave tables of one input beside a 预算说明 of the other. Temporaries are
named ``.xlbudget-<pid>-….tmp`` (a set's folder) and ``.<name>.<pid>.tmp.<suffix>`` (a file);
those a killed run left are removed.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any

TEMP_PREFIX = ".xlbudget-"
STALE_AFTER = 15 * 60  # seconds: a temporary this old, of a process no longer running, is left over
_STAGING_NAME = re.compile(rf"^{re.escape(TEMP_PREFIX)}(\d+)-.*\.tmp$")  # an OutputSet's folder
_WRITE_NAME = re.compile(r"^\..*\.(\d+)\.tmp(\.[^.]*)?$")  # atomic_write's file: .公开表.<pid>.tmp.xlsx


class OutputError(ValueError):
    """An output that must not or cannot be written; the message is for the clerk."""


def atomic_write(path: Path, write: Callable[[Path], object]) -> None:
    """Let ``write`` fill a temporary file, then rename it over ``path``.

    ``write`` receives the temporary path (same folder and suffix as ``path``). Any
    exception removes the temporary file; OS errors become ``OutputError``. Inside an
    ``OutputSet``'s staging folder the file is written in place (the set moves it).
    """
    path = Path(path)
    staged = _STAGING_NAME.match(path.parent.name) is not None
    shown = path.parent.parent / path.name if staged else path
    tmp = path if staged else path.with_name(f".{path.stem}.{os.getpid()}.tmp{path.suffix}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.open("wb").close()  # fail early, with a clear message, on an unwritable folder
        write(tmp)
        with tmp.open("rb+") as handle:
            os.fsync(handle.fileno())
        if not staged:
            os.replace(tmp, path)
    except BaseException as error:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise OutputError(f"无法写入 {shown}：{_reason(error)}") from error
        raise
    if not staged:  # a staged file's rename is made durable when its set commits
        _sync_folder(path.parent)


class OutputSet:
    """Files written together into one folder: ``path(target)`` gives where to write each,
    ``commit()`` moves them all into place (all or none), leaving the set always removes
    whatever was not moved — on errors, Ctrl-C and (via the CLI's handler) SIGTERM."""

    def __init__(self, folder: Path, name: str) -> None:
        self.folder, self.name = Path(folder), name
        self.staging: Path | None = None

    def __enter__(self) -> OutputSet:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            remove_stale(self.folder)
            self.staging = Path(tempfile.mkdtemp(prefix=f"{TEMP_PREFIX}{os.getpid()}-", suffix=".tmp",
                                                 dir=self.folder))
        except OSError as error:
            raise OutputError(f"无法写入 {self.folder / self.name}：{_reason(error)}") from error
        return self

    def __exit__(self, *exc: object) -> None:
        if self.staging is not None:
            shutil.rmtree(self.staging, ignore_errors=True)

    def path(self, target: Path) -> Path:
        """Where to write ``target`` (a file of the set's folder) until the commit."""
        assert self.staging is not None, "OutputSet used outside its with-block"
        return self.staging / Path(target).name

    def commit(self, names: Sequence[str]) -> list[Path]:
        """Move the staged files into the folder under the lock; on any failure the files
        already moved are put back as they were."""
        assert self.staging is not None, "OutputSet used outside its with-block"
        done: list[tuple[Path, Path | None]] = []  # (target, its previous content saved in staging)
        with _locked(self.folder / f"{TEMP_PREFIX}{self.name}.lock"):
            try:
                for name in names:
                    target = self.folder / name
                    if target.is_dir():
                        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(target))
                    previous = self.staging / f"{name}.previous" if target.exists() else None
                    if previous is not None:
                        os.replace(target, previous)
                    done.append((target, previous))
                    os.replace(self.staging / name, target)
            except OSError as error:
                _put_back(done)
                raise OutputError(f"无法写入 {target}：{_reason(error)}") from error
        _sync_folder(self.folder)
        return [self.folder / name for name in names]


def _put_back(done: list[tuple[Path, Path | None]]) -> None:
    for target, previous in reversed(done):
        with contextlib.suppress(OSError):
            if previous is not None:
                os.replace(previous, target)
            else:
                target.unlink(missing_ok=True)


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    """An exclusive lock on ``path`` (created if missing, removed after): compiles to the same
    name take turns. The file is re-checked after locking, since the holder before removed it."""
    while True:
        handle = path.open("a+b")
        try:
            _lock(handle)
            if os.name == "nt" or os.path.samestat(os.fstat(handle.fileno()), os.stat(path)):
                break
        except FileNotFoundError:  # removed by the previous holder while we waited: lock anew
            pass
        handle.close()
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            path.unlink()  # fails on Windows while open; the lock file then stays
        handle.close()


def _lock(handle: IO[Any]) -> None:
    try:
        import fcntl
    except ImportError:  # Windows
        import msvcrt

        while True:
            try:
                msvcrt.locking(handle.fileno(), msvcrt.LK_LOCK, 1)  # type: ignore[attr-defined]
                return
            except OSError:  # LK_LOCK gives up after 10 s; keep waiting
                continue
    fcntl.flock(handle.fileno(), fcntl.LOCK_EX)


def remove_stale(folder: Path) -> list[Path]:
    """Remove the temporaries a killed run left in ``folder``: named by ``atomic_write`` or an
    ``OutputSet``, older than STALE_AFTER and of a process that no longer runs here."""
    removed = []
    for entry in folder.iterdir():
        match = _STAGING_NAME.match(entry.name) or _WRITE_NAME.match(entry.name)
        if not match or _running(int(match[1])):
            continue
        with contextlib.suppress(OSError):
            if time.time() - entry.lstat().st_mtime < STALE_AFTER:
                continue
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry)
            else:
                entry.unlink()
            removed.append(entry)
    return removed


def _running(pid: int) -> bool:
    """Whether a process ``pid`` runs here (on Windows unknown: the age alone decides)."""
    if os.name == "nt" or pid == os.getpid():
        return pid == os.getpid()
    try:
        os.kill(pid, 0)  # signal 0: existence check only
    except ProcessLookupError:
        return False
    except OSError:  # exists, owned by someone else
        return True
    return True


def ensure_not_input(out: Path, inputs: Iterable[Path]) -> None:
    """Refuse an output path that is one of the inputs (never modify an input)."""
    out = Path(out)
    for source in inputs:
        source = Path(source)
        if _same_file(out, source):
            raise OutputError(f"输出文件 {out} 就是输入文件 {source}，拒绝覆盖输入，请另选输出路径")


def _same_file(a: Path, b: Path) -> bool:
    if a.exists() and b.exists():
        return os.path.samefile(a, b)
    return a.resolve() == b.resolve()


_REASONS = {
    errno.ENOSPC: "磁盘空间不足，请清理磁盘或换一个位置保存",
    errno.EDQUOT: "磁盘配额已用完，请清理或换一个位置保存",
    errno.EROFS: "位置是只读的（如光盘或只读共享），请换一个位置保存",
    errno.EISDIR: "同名的文件夹已存在，请换一个文件名",
    errno.ENOTDIR: "路径中有一级不是文件夹（同名的文件已存在）",
    errno.EEXIST: "路径中有一级不是文件夹（同名的文件已存在）",
    errno.ENAMETOOLONG: "文件名或路径过长",
}


def _reason(error: OSError) -> str:
    """Why a write failed, in the clerk's terms (a file open in Excel is locked on Windows)."""
    if isinstance(error, PermissionError):
        return "没有写入权限，或文件正被其他程序（如 Excel、WPS）打开，请关闭后重试"
    return _REASONS.get(error.errno or 0, error.strerror or str(error))


def _sync_folder(folder: Path) -> None:
    """Make the rename durable where the platform allows fsync on a folder (POSIX)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)
