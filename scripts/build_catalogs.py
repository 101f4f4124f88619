"""Rebuild xlbudget/data/catalogs/ from the reference catalogs (../shared/reference/catalogs).

Adds the columns ``valid_from`` / ``valid_to`` (budget years, blank = open) so one file serves
every budget year; the provenance columns (sources, confidence …) are kept as they are.
Run: python scripts/build_catalogs.py ../shared/reference/catalogs
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "xlbudget" / "data" / "catalogs"
# Codes that exist only from a later edition (see SOURCES.md, "Edition notes").
VALID_FROM = {"22006": "2024", "2300412": "2024", "22198": "2025", "2219899": "2025"}
FILES = ("functional.csv", "econ_dept.csv", "econ_gov.csv", "econ_map.csv")


def main(src: Path) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for name in FILES:
        with (src / name).open(encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
        fields = list(rows[0]) + ["valid_from", "valid_to"]
        key = "code" if "code" in rows[0] else "dept_code"
        with (OUT / name).open("w", encoding="utf-8", newline="") as f:
            writer = csv.DictWriter(f, fields, quoting=csv.QUOTE_ALL, lineterminator="\n")
            writer.writeheader()
            for row in rows:
                writer.writerow(row | {"valid_from": VALID_FROM.get(row[key], ""), "valid_to": ""})
    (OUT / "SOURCES.md").write_text((src / "SOURCES.md").read_text(encoding="utf-8"), encoding="utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
