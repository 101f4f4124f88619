"""With only ``pip install -e '.[test]'`` (no web extra) the web test modules are skipped as a
whole and the rest of the suite is still collected: the missing libraries are simulated in a
fresh interpreter, as a developer without starlette/uvicorn runs pytest."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.conftest import ROOT

WEB_TESTS = ["tests/test_web_api.py", "tests/test_web_browser.py", "tests/test_web_cli.py"]
# Modules set to None in sys.modules raise ImportError on import, as when they are not installed.
WITHOUT_WEB_EXTRA = """
import sys
for name in ("starlette", "uvicorn", "multipart", "python_multipart"):
    sys.modules[name] = None
import pytest
sys.exit(pytest.main(["--collect-only", "-q", "-rs", "-p", "no:cacheprovider", *sys.argv[1:]]))
"""


def test_web_tests_skip_at_module_level_without_the_web_extra() -> None:
    env = {k: v for k, v in os.environ.items() if k != "CI"}  # under CI a missing extra fails on purpose
    result = subprocess.run([sys.executable, "-c", WITHOUT_WEB_EXTRA, *WEB_TESTS, "tests/test_web_preview.py"],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "error" not in result.stdout.lower(), result.stdout
    skipped = sorted(line.split(": ", 1)[1] for line in result.stdout.splitlines() if line.startswith("SKIPPED"))
    assert skipped == ["starlette not installed (pip install -e '.[test,web]')",
                       "uvicorn not installed (pip install -e '.[test,web]')"], result.stdout
    assert "tests/test_web_preview.py::" in result.stdout, result.stdout
