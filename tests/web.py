"""The web app in tests: the optional libraries, a real server on a free loopback port in a
thread, and headless Chromium driven by selenium.

A plain module (not a conftest), as ``tests/lo.py``: without the web extra or Chromium the
calling test is skipped locally and fails under CI. ``need`` is called at import by the web test
modules, so the skip is allowed at module level: the rest of the suite is still collected.
"""

from __future__ import annotations

import importlib
import os
import shutil
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--window-size=1400,1000", "--lang=zh-CN")


def missing(message: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message, allow_module_level=True)


def need(module: str) -> ModuleType:
    """Import an optional library of the web extra or the test extra."""
    try:
        return importlib.import_module(module)
    except ImportError:
        missing(f"{module} not installed (pip install -e '.[test,web]')")
        raise


@contextmanager
def running(app: Any, limits: Any = None) -> Iterator[str]:
    """Serve ``app`` as ``xlbudget serve`` does (uvicorn with ``limits``, by default the
    server's) on a free loopback port in a thread; yields the base URL."""
    need("uvicorn")
    from xlbudget.web.limits import Limits
    from xlbudget.web.server import bind, make_server

    sock = bind("127.0.0.1", 0)
    server = make_server(app, limits or Limits())
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started and thread.is_alive() and time.monotonic() < deadline:
        time.sleep(0.02)
    assert server.started, "the test server did not start"
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(15)


@contextmanager
def chromium(profile: Path, downloads: Path) -> Iterator[Any]:
    """Headless Chromium with a fresh profile, saving downloads to ``downloads``."""
    need("selenium")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    if not (shutil.which(CHROMIUM) and shutil.which(CHROMEDRIVER)):
        missing(f"{CHROMIUM} and {CHROMEDRIVER} are needed (Debian packages chromium, chromium-driver)")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (*CHROMIUM_FLAGS, f"--user-data-dir={profile}"):
        options.add_argument(flag)
    options.add_experimental_option("prefs", {"download.default_directory": str(downloads),
                                              "download.prompt_for_download": False})
    driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    try:
        driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
        yield driver
    finally:
        driver.quit()
