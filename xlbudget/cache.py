"""What every command would otherwise rebuild from xlbudget's own files — the shipped profiles
parsed and checked, the shipped catalogs read — kept between runs: built once per installation
and stored as pickles in the user's cache folder (``$XDG_CACHE_HOME/xlbudget``, else
``~/.cache/xlbudget``; ``XLBUDGET_CACHE=off`` turns it off).

An entry is keyed by the installation: the path of the package and the size and modification
time of every file in it (code, profiles, catalogs, templates). Editing any of them, or
installing another version, makes every entry stale; stale entries of this installation are
removed when a fresh one is written. Only xlbudget's own files are cached, never a clerk's
profile or catalog file. A folder that cannot be used (not ours, not writable) means no cache.
"""

from __future__ import annotations

import os
import zlib
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")
PACKAGE = Path(__file__).resolve().parent
SUFFIX = ".pickle"


def folder() -> Path | None:
    """The cache folder, created private to this user; None when caching is off or impossible."""
    if os.environ.get("XLBUDGET_CACHE", "").lower() in ("off", "0", "no"):
        return None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    path = Path(base) / "xlbudget"
    try:
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = path.stat()
    except OSError:
        return None
    if hasattr(os, "getuid") and (info.st_uid != os.getuid() or info.st_mode & 0o022):
        return None  # someone else's folder, or others may write into it: never unpickle from it
    return path


@lru_cache(maxsize=1)
def installation() -> tuple[str, str]:
    """(this package's key, the stamp of its files as they are now)."""
    state = zlib.crc32(str(PACKAGE).encode())
    stamp = 0
    for path, size, mtime in sorted(_files(PACKAGE)):
        stamp = zlib.crc32(f"{path}\0{size}\0{mtime}\n".encode(), stamp)
    return f"{state:08x}", f"{stamp:08x}"


def _files(root: Path) -> list[tuple[str, int, int]]:
    found = []
    with os.scandir(root) as entries:
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                if entry.name != "__pycache__":
                    found += _files(Path(entry.path))
            else:
                info = entry.stat()
                found.append((entry.path, info.st_size, info.st_mtime_ns))
    return found


def cached(name: str, build: Callable[[], T]) -> T:
    """``build()``'s result for ``name`` (one of xlbudget's own files, parsed), from the cache
    when this installation stored it before, else built now and stored."""
    where = folder()
    if where is None:
        return build()
    package, stamp = installation()
    entry = where / f"{name}-{package}-{stamp}{SUFFIX}"
    import pickle

    try:
        return pickle.loads(entry.read_bytes())  # type: ignore[no-any-return]
    except FileNotFoundError:
        pass
    except Exception:  # noqa: BLE001 - an unreadable or damaged entry is rebuilt, never an error
        pass
    value = build()
    _store(entry, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL), f"{name}-{package}-")
    return value


def _store(entry: Path, data: bytes, prefix: str) -> None:
    """Write ``entry`` atomically (concurrent processes may write it too) and drop the stale
    entries of the same name and installation."""
    temporary = entry.with_name(f".{entry.name}.{os.getpid()}.tmp")
    try:
        temporary.write_bytes(data)
        os.replace(temporary, entry)
        for old in entry.parent.glob(f"{prefix}*{SUFFIX}"):
            if old != entry:
                old.unlink(missing_ok=True)
    except OSError:
        temporary.unlink(missing_ok=True)

