"""Every example under examples/ compiles cleanly, and its committed output is what compiling
it gives today (byte for byte: the output is deterministic)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import ROOT, example_profile
from tests.lo import convert_to_pdf
from xlbudget.pipeline import compile_workbook

EXAMPLES = sorted(p for p in (ROOT / "examples").iterdir() if (p / "input.xlsx").exists())


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_example_compiles_to_its_committed_output(example: Path, tmp_path: Path) -> None:
    outcome = compile_workbook([example / "input.xlsx"], tmp_path / "公开表.xlsx",
                               profile=example_profile(example))
    assert outcome.exit_code == 0
    assert [f for f in outcome.findings if f.severity == "error"] == []
    for produced in outcome.outputs:
        committed = example / "output" / produced.name
        assert committed.read_bytes() == produced.read_bytes(), f"run scripts/build_example.py ({produced.name})"


def test_shipped_example_is_the_example_input() -> None:
    shipped = ROOT / "xlbudget" / "data" / "examples" / "luoyang-2022.xlsx"
    assert shipped.read_bytes() == (ROOT / "examples" / "luoyang-2022" / "input.xlsx").read_bytes()


def test_compiled_example_prints_in_libreoffice(tmp_path: Path) -> None:
    pdf = convert_to_pdf(ROOT / "examples" / "luoyang-2022" / "output" / "公开表.xlsx", tmp_path)
    assert pdf.stat().st_size > 20_000
