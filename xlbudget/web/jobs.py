"""Per-request work folders: every upload and output of one request lives in its own folder
under one private temporary root, found again only by an unguessable id, and removed when its
downloads expire and on shutdown."""

from __future__ import annotations

import re
import secrets
import shutil
import tempfile
import threading
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

JOB_TTL = 30 * 60  # seconds a request's downloads stay available (docs/api.md)
MAX_NAME = 80  # characters kept of an uploaded file's name
_ID = re.compile(r"[A-Za-z0-9_-]{22}")
_UNSAFE = re.compile(r"[^\w\-.()（）\[\]【】 ]")  # \w covers Chinese; nothing else may pass


def safe_name(filename: str | None, index: int) -> str:
    """The browser's file name reduced to a plain name (no folder, no dot files, no control or
    path characters), so findings name the clerk's own file; ``工作簿N.xlsx`` when nothing is left."""
    base = re.split(r"[\\/]", unicodedata.normalize("NFC", filename or ""))[-1]
    name = _UNSAFE.sub("_", base).strip(" .")[-MAX_NAME:].lstrip(" .")
    return name or f"工作簿{index}.xlsx"


@dataclass
class Job:
    """One request's folder: uploads under ``inputs``, results under ``outputs``."""

    id: str
    folder: Path
    expires: float
    files: dict[str, Path] = field(default_factory=dict)  # download kind → file

    @property
    def inputs(self) -> Path:
        return self.folder / "in"

    @property
    def outputs(self) -> Path:
        return self.folder / "out"

    def upload_path(self, index: int, filename: str | None) -> Path:
        """Where upload ``index`` is stored: a folder of its own, so equal names never collide."""
        folder = self.inputs / str(index)
        folder.mkdir(parents=True)
        return folder / safe_name(filename, index)


class JobStore:
    """The jobs of one server; thread-safe, as requests run in worker threads."""

    def __init__(self, ttl: float = JOB_TTL, clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl, self.clock = ttl, clock
        self.root = Path(tempfile.mkdtemp(prefix="xlbudget-serve-"))
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
