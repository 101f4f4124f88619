"""LibreOffice in tests: open a file in a real office suite, print it or save it in another format.

A plain module (not a conftest) so tests import it explicitly:
``from tests.lo import convert_to_pdf``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

TIMEOUT = 120  # seconds


def find_soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert(source: Path, outdir: Path, fmt: str = "pdf") -> Path:
    """Open ``source`` in headless LibreOffice and save it as ``fmt`` (pdf, xlsx, xls, ods) in
    ``outdir``, with a private profile; return the new file's path.

    Without LibreOffice the calling test is skipped locally and fails under CI.
    """
    soffice = find_soffice()
    if soffice is None:
        message = "LibreOffice (soffice) not found"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    outdir.mkdir(parents=True, exist_ok=True)
    # A private profile, so parallel runs do not clash over LibreOffice's lock.
    profile = (outdir / "lo-profile").resolve().as_uri()
    result = subprocess.run(
        [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", fmt,
         "--outdir", str(outdir), str(source)],
        capture_output=True, text=True, timeout=TIMEOUT, check=False,
    )
    converted = outdir / f"{source.stem}.{fmt}"
    if result.returncode != 0 or not converted.exists():
        pytest.fail(f"soffice failed ({result.returncode}): {result.stdout}{result.stderr}")
    return converted


def convert_to_pdf(workbook: Path, outdir: Path) -> Path:
    """Print ``workbook`` to PDF, as a clerk's printer would."""
    return convert(workbook, outdir, "pdf")
