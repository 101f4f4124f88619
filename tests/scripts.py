"""The project's scripts (scripts/*.py) loaded as modules, so a test runs what a developer runs."""

from __future__ import annotations

import importlib.util
from types import ModuleType

from tests.conftest import ROOT


def load_script(name: str) -> ModuleType:
    """``scripts/<name>.py`` as a module (its ``__main__`` block not run)."""
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
