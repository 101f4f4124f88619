"""A command imports only what it uses: a clerk's ``xlbudget compile`` pays for every module
loaded at start-up (issue 20), so the network and mail stacks never load."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, example_profile

EXAMPLES = sorted(p for p in (ROOT / "examples").iterdir() if (p / "input.xlsx").exists())
NETWORK = ("urllib.request", "email", "ssl", "http", "socket")  # urllib.parse comes with pathlib


def _imported_by(args: list[str]) -> list[str]:
    """The network-stack modules loaded by ``xlbudget ARGS`` run as a user runs it."""
    code = ("import runpy, sys\n"
            f"sys.argv = ['xlbudget', *{args!r}]\n"
            "try:\n    runpy.run_module('xlbudget', run_name='__main__')\n"
            "except SystemExit as stop:\n    assert not stop.code, stop.code\n"
            f"print(sorted(m for m in sys.modules if m.split('.')[0] in {NETWORK!r} or m in {NETWORK!r}))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return eval(done.stdout.strip().splitlines()[-1])  # noqa: S307 - the list printed above


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_compiling_an_example_loads_no_network_module(example: Path, tmp_path: Path) -> None:
    args = ["compile", str(example / "input.xlsx"), "-o", str(tmp_path / "公开表.xlsx"),
            "--profile", example_profile(example)]
    assert _imported_by(args) == []


def test_checking_loads_no_network_module() -> None:
    assert _imported_by(["check", str(EXAMPLES[0] / "input.xlsx"), "--profile", example_profile(EXAMPLES[0])]) == []
