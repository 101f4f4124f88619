"""Imports flow one way (STYLE.md): no module of xlbudget imports, directly or through others,
a module that imports it — counting imports inside functions and under TYPE_CHECKING too."""

from __future__ import annotations

import ast
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

from tests.conftest import ROOT

PACKAGE = ROOT / "xlbudget"


def _name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph() -> dict[str, set[str]]:
    """Module → the xlbudget modules it imports anywhere in its text."""
    modules = {_name(p): p for p in PACKAGE.rglob("*.py")}

    def module_of(name: str) -> str:
        while name not in modules:
            name = name.rpartition(".")[0]
        return name

    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("xlbudget"):
                found |= {module_of(f"{node.module}.{a.name}") for a in node.names}
            elif isinstance(node, ast.Import):
                found |= {module_of(a.name) for a in node.names if a.name.startswith("xlbudget")}
        graph[name] = found - {name}
    return graph


def test_no_import_circle() -> None:
    try:
        TopologicalSorter(import_graph()).prepare()
    except CycleError as exc:
        raise AssertionError(f"import circle: {' → '.join(exc.args[1])}") from None


def test_table_registry_does_not_know_profiles() -> None:
    assert "xlbudget.profile" not in import_graph()["xlbudget.tables"]
