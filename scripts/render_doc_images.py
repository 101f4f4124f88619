"""Render two tables of the compiled example to PNG for the README (docs/*.png).

Each table is written alone to a temporary workbook, printed to PDF by headless LibreOffice
and rasterised by pdftoppm, so the pictures show what a clerk's printer would.
Run from the repository root: python scripts/render_doc_images.py
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from xlbudget.pipeline import derive
from xlbudget.render import write_disclosure

ROOT = Path(__file__).resolve().parent.parent
TABLES = {"单位支出预算表": "table-expenditure", "单位预算项目绩效目标表": "table-performance"}


def main() -> None:
    outcome = derive([ROOT / "examples" / "luoyang-2022" / "input.xlsx"])
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for name, stem in TABLES.items():
            table = next(t for t in outcome.tables if t.name == name)
            workbook = folder / f"{stem}.xlsx"
            write_disclosure([table], workbook)
            subprocess.run(["soffice", f"-env:UserInstallation={(folder / 'lo').as_uri()}", "--headless",
                            "--convert-to", "pdf", "--outdir", str(folder), str(workbook)],
                           check=True, capture_output=True, timeout=120)
            # page 1 is the 目录 sheet; page 2 is the table
            subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "2", "-l", "2", "-singlefile",
                            str(folder / f"{stem}.pdf"), str(ROOT / "docs" / stem)], check=True)
            print(f"docs/{stem}.png")


if __name__ == "__main__":
    main()
