"""Generated documentation stays in step with the code."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

from tests.conftest import ROOT


def _script(name: str):  # noqa: ANN202 - a loaded module
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_template_doc_is_up_to_date() -> None:
    doc = _script("gen_template_doc")
    assert Path(doc.OUT).read_text(encoding="utf-8") == doc.render(), "run scripts/gen_template_doc.py"


def test_readme_first_commands_are_the_ci_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    test_command = "python -m pip install -q -e '.[test,web]' && python -m pytest -q"
    assert test_command in readme and test_command in ci


def test_readme_architecture_line_lists_every_module() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    line = readme[readme.index("代码结构（依赖单向）"):].split("。", 1)[0]
    modules = {p.stem for p in (ROOT / "xlbudget").glob("*.py") if not p.stem.startswith("_")}
    modules |= {p.name + "/" if p.name == "tables" else p.name for p in (ROOT / "xlbudget").iterdir()
                if (p / "__init__.py").exists()}
    assert sorted(m for m in modules if m not in line) == []


def test_every_profile_key_is_documented() -> None:
    """docs/profiles.md names every key of the profile schema in code (`key`, `{ key, … }`,
    `key = …`, `[section.key]`), so a new key cannot be added without documenting it."""
    from tests.test_profile_keys import schema_keys

    doc = re.sub(r"```.*?```", " ", (ROOT / "docs" / "profiles.md").read_text(encoding="utf-8"), flags=re.DOTALL)
    spans = " ".join(re.findall(r"`([^`\n]+)`", doc))
    named = set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", spans))
    assert sorted({key.split(".")[-1] for key in schema_keys()} - named) == []
