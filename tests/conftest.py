"""Shared fixtures; every path is found relative to this file, never the working directory."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from xlbudget.pipeline import Outcome, derive
from xlbudget.profile import DEFAULT_PROFILE

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_INPUT = ROOT / "examples" / "luoyang-2022" / "input.xlsx"
SEED_FIGURES = Path(__file__).resolve().parent / "data" / "luoyang_2022_seed.json"


def example_profile(example: Path) -> str:
    """The profile an example is published in: its profile.txt, else the default."""
    named = example / "profile.txt"
    return named.read_text(encoding="utf-8").strip() if named.exists() else DEFAULT_PROFILE


@pytest.fixture(scope="session")
def luoyang() -> Outcome:
    """The bundled example, read and derived (no output written)."""
    return derive([EXAMPLE_INPUT])


@pytest.fixture(scope="session")
def seed() -> dict[str, Any]:
    """Every figure of the seed's tables (tests/data/luoyang_2022_seed.json)."""
    return json.loads(SEED_FIGURES.read_text(encoding="utf-8"))
