"""Safe output files: written atomically, never over an input (DESIGN §10).

A failed write leaves the target exactly as it was: the content goes to a temporary
file in the same folder (so the final rename stays on one file system) and only a
complete, fsynced file replaces the target.
"""

from __future__ import annotations

import contextlib
import errno
import os
from collections.abc import Callable, Iterable
from pathlib import Path


class OutputError(ValueError):
    """An output that must not or cannot be written; the message is for the clerk."""


def atomic_write(path: Path, write: Callable[[Path], None]) -> None:
    """Let ``write`` fill a temporary file, then rename it over ``path``.

    ``write`` receives the temporary path (same folder and suffix as ``path``). Any
    exception removes the temporary file; OS errors become ``OutputError``.
    """
    path = Path(path)
    tmp = path.with_name(f".{path.stem}.{os.getpid()}.tmp{path.suffix}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.open("wb").close()  # fail early, with a clear message, on an unwritable folder
        write(tmp)
        with tmp.open("rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException as error:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise OutputError(f"无法写入 {path}：{_reason(error)}") from error
        raise
    _sync_folder(path.parent)


def ensure_not_input(out: Path, inputs: Iterable[Path]) -> None:
    """Refuse an output path that is one of the inputs (DESIGN §10: never modify an input)."""
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
