"""Rebuild xlbudget/data/catalogs/ from the reference catalogs and the curated corrections.

Inputs: the reference catalogs, kept verbatim in ``tests/data/catalogs`` (their SOURCES.md says
where they come from), including its second round ``corrections-2.csv`` / ``confirmed-2.csv``;
and ``scripts/catalogs/`` (the corrections as rows with budget years, the former names, and the
SOURCES section of this round). Adds ``valid_from`` / ``valid_to`` (budget years, blank = open)
so one file serves every budget year; the provenance columns are kept.
Run: python scripts/build_catalogs.py [REFERENCE_DIR] [OUT_DIR]
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / "tests" / "data" / "catalogs"
CURATED = ROOT / "scripts" / "catalogs"
OUT = ROOT / "xlbudget" / "data" / "catalogs"
# Reference codes that exist only from a later edition (see SOURCES.md, "Edition notes").
VALID_FROM = {"22198": "2025", "2219899": "2025"}
FILES = ("functional.csv", "econ_dept.csv", "econ_gov.csv", "econ_map.csv")
YEARS = ("valid_from", "valid_to")
# Curated rows added or replacing reference rows, applied in this order (a later file wins).
CURATED_ROWS = ("-corrections.csv", "-funds.csv")


def read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def write(path: Path, rows: list[dict[str, str]], fields: list[str]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fields, quoting=csv.QUOTE_ALL, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def family(source: str) -> str:
    """The independent source family of a source ID: every Shanghai Putuo document is ``SH``."""
    base = source.split("(")[0]
    return "SH" if base.startswith("SH") else base


def confirm(row: dict[str, str], confirmed: dict[str, str], where: str) -> None:
    """Apply one row of confirmed-2.csv: the suggested grade, the new source appended."""
    if row["name"] != confirmed["名称"] or row["confidence"] != confirmed["原等级"]:
        raise SystemExit(f"{where}: confirmed-2 row does not match the reference: {confirmed}")
    grade = confirmed["建议等级"][0]
    source = confirmed["依据"].split(":")[0].strip()
    counted = grade != "C"  # kept at C: evidence from editions before 2022 only
    if not counted:
        source += f"({confirmed['证据年度']})"
    sources = row["sources"].split(";")
    families = {family(s) for s in sources if s != "KB" and "(" not in s}
    row["sources"] = ";".join([s for s in sources if s != "KB"] + [source] + ["KB"] * ("KB" in sources))
    row["n_sources"] = str(int(row["n_sources"]) + (counted and family(source) not in families))
    row["confidence"] = grade


def mark_funds(rows: list[dict[str, str]], marks: dict[str, str]) -> None:
    """Each subject's ``fund``: the mark of the subject itself, else of its 款, else of its 类."""
    codes = {row["code"] for row in rows}
    if set(marks) - codes:
        raise SystemExit(f"fund-subjects.csv codes not in the catalog: {sorted(set(marks) - codes)}")
    for row in rows:
        code = row["code"]
        row["fund"] = next((marks[c] for c in (code, code[:5], code[:3]) if c in marks), "")


def build(src: Path, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    confirmed = {(c["类别"], c["编码"]): c for c in read(src / "confirmed-2.csv")}
    for name in FILES:
        rows = read(src / name)
        key = "code" if "code" in rows[0] else "dept_code"
        for row in rows:
            row.update(dict.fromkeys(YEARS, ""), valid_from=VALID_FROM.get(row[key], ""))
            found = confirmed.pop((name.removesuffix(".csv"), row[key]), None)
            if found:
                confirm(row, found, f"{name} {row[key]}")
        for suffix in CURATED_ROWS:
            curated = CURATED / name.replace(".csv", suffix)
            if curated.exists():
                replaced = {row["code"]: row for row in read(curated)}
                rows = sorted({**{row["code"]: row for row in rows}, **replaced}.values(), key=lambda r: r["code"])
        if name == "functional.csv":
            mark_funds(rows, {row["code"]: row["fund"] for row in read(CURATED / "fund-subjects.csv")})
        write(out / name, rows, list(rows[0]))
    if confirmed:
        raise SystemExit(f"confirmed-2 rows not in the reference: {sorted(confirmed)}")
    aliases = read(CURATED / "aliases.csv")
    write(out / "aliases.csv", aliases, list(aliases[0]))
    counts = "".join(f"| {name} | {len(read(out / name))} |\n" for name in (*FILES, "aliases.csv"))
    sources = (src / "SOURCES.md").read_text(encoding="utf-8")
    round_two = "".join((CURATED / f"SOURCES-{n}.md").read_text(encoding="utf-8") for n in (2, 3))
    shipped = f"\n## Shipped rows after this round\n\n| file | rows |\n| --- | --- |\n{counts}"
    (out / "SOURCES.md").write_text(sources + round_two + shipped, encoding="utf-8")


if __name__ == "__main__":
    args = [Path(a) for a in sys.argv[1:3]]
    build(args[0] if args else REFERENCE, args[1] if len(args) > 1 else OUT)
