"""Per-request work folders: every upload and output of one request lives in its own folder
under the server's private temporary root, found again only by an unguessable id.

The root is stamped with the server's process id, so the next server removes the roots of
servers that are no longer running (killed, or the machine switched off). Uploads are stored
under internal names and deleted as soon as the request is answered; results stay until their
downloads expire, within a disk cap for all jobs together.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import sys
import tempfile
import threading
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from xlbudget.web.limits import Limits

JOB_TTL = 30 * 60  # seconds a request's downloads stay available (docs/api.md)
MAX_NAME = 60  # characters of an uploaded file's name shown in reports and download names
ROOT_PREFIX = "xlbudget-serve-"
WORKBOOK_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xls", ".ods"})
_ID = re.compile(r"[A-Za-z0-9_-]{22}")
_ROOT = re.compile(rf"{ROOT_PREFIX}(\d+)-")
_UNSAFE = re.compile(r"[^\w\-.()（）\[\]【】 ]")  # \w covers Chinese; nothing else may pass


class DiskFull(Exception):
    """The jobs' disk cap would be exceeded."""


def safe_name(filename: str | None, index: int) -> str:
    """The browser's file name as shown to the clerk: the last part only, no control or path
    characters, shortened in the middle (keeping its end and suffix) to ``MAX_NAME``
    characters; ``工作簿N.xlsx`` when nothing is left."""
    base = re.split(r"[\\/]", unicodedata.normalize("NFC", filename or ""))[-1]
    name = _UNSAFE.sub("_", base).strip(" .")
    if len(name) > MAX_NAME:
        stem, dot, suffix = name.rpartition(".")
        suffix = dot + suffix if stem and len(suffix) <= 8 else ""
        keep = MAX_NAME - len(suffix) - 1
        body = name[: len(name) - len(suffix)]
        name = (body[: keep - keep // 3] + "…" + body[len(body) - keep // 3:]).strip(" .") + suffix
    return name or f"工作簿{index}.xlsx"


def stored_name(index: int, shown: str) -> str:
    """The internal name of upload ``index``: never the browser's, so any name can be saved."""
    suffix = Path(shown).suffix.lower()
    return f"upload-{index}{suffix if suffix in WORKBOOK_SUFFIXES else '.xlsx'}"


@dataclass
class Job:
    """One request's folder: uploads under ``in``, results under ``out``."""

    id: str
    folder: Path
    expires: float
    files: dict[str, Path] = field(default_factory=dict)  # download kind → file
    names: dict[str, str] = field(default_factory=dict)  # stored upload name → name shown
    size: int = 0  # bytes on disk once answered

    @property
    def inputs(self) -> Path:
        return self.folder / "in"

    @property
    def outputs(self) -> Path:
        return self.folder / "out"

    @property
    def title(self) -> str:
        """The first upload's shown name without its suffix: download names start with it."""
        first = next(iter(self.names.values()), "")
        return Path(first).stem or "xlbudget"

    def upload_path(self, index: int, filename: str | None) -> Path:
        """Where upload ``index`` is stored, under an internal name; the shown name is kept."""
        shown = safe_name(filename, index)
        path = self.inputs / stored_name(index, shown)
        path.parent.mkdir(parents=True, exist_ok=True)
        self.names[path.name] = shown
        return path


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def running(pid: int) -> bool:
    """Whether process ``pid`` exists (never signals it)."""
    if pid == os.getpid():
        return True
    if sys.platform == "win32":
        import ctypes

        handle = ctypes.windll.kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return ctypes.windll.kernel32.GetLastError() == 5  # access denied: it exists
        code = ctypes.c_ulong()
        ctypes.windll.kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
        ctypes.windll.kernel32.CloseHandle(handle)
        return code.value == 259  # STILL_ACTIVE
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_orphans(parent: Path) -> None:
    """Remove the job roots of servers that are no longer running."""
    for folder in parent.glob(f"{ROOT_PREFIX}*"):
        stamp = _ROOT.match(folder.name)
        if stamp and folder.is_dir() and not running(int(stamp.group(1))):
            shutil.rmtree(folder, ignore_errors=True)


class JobStore:
    """The jobs of one server; thread-safe, as requests run in worker threads."""

    def __init__(self, ttl: float = JOB_TTL, clock: Callable[[], float] = time.monotonic,
                 limits: Limits | None = None) -> None:
        self.ttl, self.clock = ttl, clock
        self.disk = (limits or Limits()).disk_bytes
        parent = Path(tempfile.gettempdir())
        remove_orphans(parent)
        self.root = Path(tempfile.mkdtemp(prefix=f"{ROOT_PREFIX}{os.getpid()}-", dir=parent))
        self.reserved = 0  # bytes of uploads being received
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()

    def create(self) -> Job:
        self.sweep()
        job_id = secrets.token_urlsafe(16)  # 22 characters
        folder = self.root / job_id
        folder.mkdir()
        job = Job(job_id, folder, self.clock() + self.ttl)
        with self._lock:
            self._jobs[job_id] = job
        return job

    def get(self, job_id: str) -> Job | None:
        """The live job with this id; ids are matched, never joined to a path."""
        if not _ID.fullmatch(job_id):
            return None
        with self._lock:
            job = self._jobs.get(job_id)
        return job if job and job.expires > self.clock() else None

    def reserve(self, size: int) -> None:
        """Count ``size`` bytes of an upload against the disk cap, or raise DiskFull."""
        self.sweep()
        with self._lock:
            if self.reserved + sum(j.size for j in self._jobs.values()) + size > self.disk:
                raise DiskFull
            self.reserved += size

    def release(self, size: int, job: Job | None) -> None:
        """The upload is answered: its files are deleted, its results counted at their size."""
        if job is not None:
            shutil.rmtree(job.inputs, ignore_errors=True)
            job.size = folder_size(job.folder)
        with self._lock:
            self.reserved -= size

    def discard(self, job: Job) -> None:
        with self._lock:
            self._jobs.pop(job.id, None)
        shutil.rmtree(job.folder, ignore_errors=True)

    def sweep(self) -> None:
        """Remove every expired job's folder."""
        now = self.clock()
        with self._lock:
            expired = [job for job in self._jobs.values() if job.expires <= now]
        for job in expired:
            self.discard(job)

    def close(self) -> None:
        """Remove every folder (on shutdown)."""
        with self._lock:
            self._jobs.clear()
        shutil.rmtree(self.root, ignore_errors=True)
