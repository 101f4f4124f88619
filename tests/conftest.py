"""Shared fixtures; every path is found relative to this file, never the working directory."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from xlbudget.pipeline import Outcome, derive

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_INPUT = ROOT / "examples" / "luoyang-2022" / "input.xlsx"
SEED_FIGURES = Path(__file__).resolve().parent / "data" / "luoyang_2022_seed.json"


@pytest.fixture(scope="session")
def luoyang() -> Outcome:
    """The bundled example, read and derived (no output written)."""
    return derive([EXAMPLE_INPUT])


@pytest.fixture(scope="session")
def seed() -> dict[str, Any]:
    """Every figure of the seed's tables (tests/data/luoyang_2022_seed.json)."""
    return json.loads(SEED_FIGURES.read_text(encoding="utf-8"))
