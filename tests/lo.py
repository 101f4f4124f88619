"""LibreOffice in tests: convert a workbook to PDF to prove it opens and prints.

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


def convert_to_pdf(workbook: Path, outdir: Path) -> Path:
    """Convert ``workbook`` with a private LibreOffice profile; return the PDF path.

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
        [
            soffice,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(outdir),
            str(workbook),
        ],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    pdf = outdir / (workbook.stem + ".pdf")
    if result.returncode != 0 or not pdf.exists():
        pytest.fail(f"soffice failed ({result.returncode}): {result.stdout}{result.stderr}")
    return pdf
