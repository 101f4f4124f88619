"""benchmarks/run.py takes its 舍位平衡 rows from benchmarks/rounding.py: the hook they share works."""

from __future__ import annotations

from benchmarks import run


def test_run_gets_the_rounding_rows_from_rounding_py() -> None:
    section = run.render_rounding(quick=True)  # a 2,000-line 元 budget, compiled exact and balanced once
    assert section.startswith("## 舍位平衡")
    assert [line.split("|")[1].strip() for line in section.splitlines() if line.startswith("| 2,000")] == ["2,000 / 10"]
    assert "Load average" in section
