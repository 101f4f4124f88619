"""The shipped profiles and catalogs are parsed once per installation (xlbudget.cache): a later
process reads the stored result, which is exactly what parsing gives, and anything that could
make it wrong — an edited file of the package, a damaged entry, a folder others may write to,
a clerk's own catalog — means parsing again or not caching at all."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from xlbudget import cache
from xlbudget.catalog import load_catalog, shipped_catalog
from xlbudget.profile import parse_profile
from xlbudget.profiles import names, text


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.delenv("XLBUDGET_CACHE", raising=False)
    return tmp_path / "xlbudget"


def _entries(folder: Path) -> list[str]:
    return sorted(p.name.split("-")[0] + "-" + p.name.split("-")[1] for p in folder.glob("*.pickle"))


@pytest.mark.parametrize("name", names())
def test_a_later_process_reads_the_profile_parsing_gives(folder: Path, name: str) -> None:
    code = f"from xlbudget.profile import load_profile; load_profile({name!r})"
    env = {**os.environ, "XDG_CACHE_HOME": str(folder.parent)}
    subprocess.run([sys.executable, "-c", code], check=True, env=env)
    assert [p.name.startswith(f"profile-{name}-") for p in folder.glob("*.pickle")] == [True]
    stored = cache.cached(f"profile-{name}", lambda: pytest.fail("parsed again, not read from the cache"))
    assert stored == parse_profile(text(name) or "", f"{name}.toml", shipped=True)


def test_a_later_process_reads_the_catalog_reading_gives(folder: Path) -> None:
    subprocess.run([sys.executable, "-c", "from xlbudget.catalog import load_catalog; load_catalog(2022)"],
                   check=True, env={**os.environ, "XDG_CACHE_HOME": str(folder.parent)})
    stored = cache.cached("catalog-2022", lambda: pytest.fail("read again, not from the cache"))
    assert stored == shipped_catalog(2022) == load_catalog(2022)
    assert stored.functional["2010101"].name == "行政运行"


def test_a_clerks_catalog_is_added_to_a_copy_never_stored(folder: Path, tmp_path: Path) -> None:
    extra = tmp_path / "自定义.csv"
    extra.write_text("类别,编码,名称\n功能分类,2010198,自定义的项\n", encoding="utf-8")
    assert load_catalog(2022, [extra]).functional["2010198"].name == "自定义的项"
    assert "2010198" not in load_catalog(2022).functional
    assert _entries(folder) == ["catalog-2022"]


def test_an_edited_file_of_the_package_makes_the_entries_stale(folder: Path, tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    package = tmp_path / "package"
    package.mkdir()
    (package / "module.py").write_text("A = 1\n", encoding="utf-8")
    monkeypatch.setattr(cache, "PACKAGE", package)
    cache.installation.cache_clear()
    assert cache.cached("thing", lambda: "first") == "first"
    assert cache.cached("thing", lambda: "not rebuilt") == "first"
    (package / "module.py").write_text("A = 22\n", encoding="utf-8")  # another size and time
    cache.installation.cache_clear()
    assert cache.cached("thing", lambda: "second") == "second"
    assert _entries(folder) == ["thing-" + cache.installation()[0]]  # the stale entry is gone
    cache.installation.cache_clear()


def test_a_damaged_entry_is_built_again(folder: Path) -> None:
    cache.cached("thing", lambda: ["a value"])
    (entry,) = folder.glob("thing-*.pickle")
    entry.write_bytes(b"\x80\x05 not a pickle")
    assert cache.cached("thing", lambda: ["built again"]) == ["built again"]
    assert cache.cached("thing", lambda: pytest.fail("stored again")) == ["built again"]


def test_a_folder_others_may_write_to_is_not_used(folder: Path) -> None:
    cache.cached("thing", lambda: "mine")
    folder.chmod(0o777)
    assert cache.folder() is None
    assert cache.cached("thing", lambda: "built") == "built"
    folder.chmod(0o700)


def test_caching_can_be_turned_off(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XLBUDGET_CACHE", "off")
    assert cache.cached("thing", lambda: "built") == "built"
    assert cache.cached("thing", lambda: "built again") == "built again"
    assert not folder.exists()
