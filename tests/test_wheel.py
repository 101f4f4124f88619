"""The installed tool needs nothing from the checkout: build the wheel, install it into a fresh
virtual environment, and run ``xlbudget template``, ``example`` and ``compile`` there."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

from tests.conftest import ROOT


def test_wheel_installs_and_runs(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(ROOT)],
                   check=True, timeout=600)
    (wheel,) = dist.glob("xlbudget-*.whl")
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "-q", str(wheel)], check=True, timeout=900)
    work = tmp_path / "work"
    work.mkdir()
    clean_env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH",)}
    where = subprocess.run([str(python), "-c", "import xlbudget; print(xlbudget.__file__)"], cwd=work,
                           capture_output=True, text=True, check=True, env=clean_env).stdout
    assert str(env_dir) in where, where
    tool = str(env_dir / "bin" / "xlbudget")
    shanghai = ROOT / "examples" / "shanghai-2025-shangwuwei" / "input.xlsx"  # its profile and templates
    for args in (["template", "-o", "模板.xlsx"], ["example", "."],
                 ["compile", "luoyang-2022.xlsx", "-o", "公开表.xlsx"],
                 ["compile", str(shanghai), "-o", "上海.xlsx", "--profile", "shanghai-department"]):
        done = subprocess.run([tool, *args], cwd=work, capture_output=True, text=True, env=clean_env,
                              timeout=300)
        assert done.returncode == 0, (args, done.stderr)
    assert (work / "公开表.xlsx").stat().st_size > 10_000
    assert "科技创新专项经费情况说明" in (work / "上海_预算说明.md").read_text(encoding="utf-8")
