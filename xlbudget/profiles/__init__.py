"""The disclosure formats shipped with xlbudget: one TOML file each (schema: docs/profiles.md).

Listing them needs no parsing, so the command line can name them in its help cheaply.
"""

from __future__ import annotations

from importlib import resources

DEFAULT = "henan-2022"  # the format used when --profile is not given


def names() -> list[str]:
    """The built-in profiles' names (their file names without .toml), sorted."""
    return sorted(item.name.removesuffix(".toml") for item in resources.files(__name__).iterdir()
                  if item.name.endswith(".toml"))


def text(name: str) -> str | None:
    """A built-in profile's TOML text; None when there is no such profile."""
    item = resources.files(__name__) / f"{name}.toml"
    return item.read_text(encoding="utf-8") if item.is_file() else None
