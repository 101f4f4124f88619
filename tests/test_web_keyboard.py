"""The page of ``xlbudget serve`` for a clerk without a mouse, on a small screen and with long
findings: headless Chromium (system chromium and chromedriver) driven by selenium with the
keyboard only — Tab to a control, Enter or Space to use it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from tests.conftest import EXAMPLE_INPUT
from tests.web import chromium, need, running

need("selenium")
need("starlette")
from selenium.webdriver.common.action_chains import ActionChains  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

from xlbudget.findings import WARNING, Finding, Location  # noqa: E402
from xlbudget.report import format_html  # noqa: E402
from xlbudget.web.app import create_app  # noqa: E402

WAIT = 60  # seconds: generous, so a slow CI machine does not make the tests flaky
COMPILED = "已生成公开表。错误 0 个，警告 6 个，提示 0 个"
CHOOSERS = ("var n = {files: 0, 'tpl-previous': 0}; window.chosen = n;"
            "Object.keys(n).forEach(function (id) { document.getElementById(id).addEventListener('click',"
            " function (e) { n[id] += 1; e.preventDefault(); }); });")  # counts the file dialogs opened


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    with chromium(tmp_path_factory.mktemp("profile"), tmp_path_factory.mktemp("downloads")) as driver:
        driver.set_window_size(1366, 768)
        yield driver


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    with running(create_app()) as base:
        yield base


def until(driver: Any, condition: Any) -> Any:
    return WebDriverWait(driver, WAIT).until(condition)


def focused(driver: Any) -> str:
    return str(driver.execute_script("var e = document.activeElement; return e.id || e.tagName"))


def tab_to(driver: Any, target: str, most: int = 40) -> list[str]:
    """Press Tab until ``target`` has the focus; the ids passed on the way."""
    passed: list[str] = []
    for _ in range(most):
        ActionChains(driver).send_keys(Keys.TAB).perform()
        passed.append(focused(driver))
        if passed[-1] == target:
            return passed
    raise AssertionError(f"Tab never reached #{target}: {passed}")


def press(driver: Any, key: str) -> None:
    ActionChains(driver).send_keys(key).perform()


def open_page(driver: Any, url: str) -> None:
    driver.get(url)
    until(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#profile option"))
    driver.execute_script(CHOOSERS)


def test_the_example_is_uploaded_and_compiled_with_the_keyboard_only(browser: Any, site: str) -> None:
    open_page(browser, site + "/")
    passed = tab_to(browser, "tpl-choose")
    press(browser, Keys.SPACE)
    assert browser.execute_script("return window.chosen") == {"files": 0, "tpl-previous": 1}
    passed += tab_to(browser, "drop")
    press(browser, Keys.ENTER)
    press(browser, Keys.SPACE)
    assert browser.execute_script("return window.chosen") == {"files": 2, "tpl-previous": 1}
    assert passed.index("tpl-choose") < passed.index("drop")
    browser.find_element(By.ID, "files").send_keys(str(EXAMPLE_INPUT))  # what the file dialog hands back
    assert browser.find_element(By.ID, "chosen").text.startswith("input.xlsx")
    tab_to(browser, "btn-compile")
    press(browser, Keys.ENTER)
    until(browser, lambda d: "busy" not in d.find_element(By.ID, "status").get_attribute("class"))
    assert browser.find_element(By.ID, "status").text == COMPILED
    until(browser, lambda d: focused(d) == "status")  # the result summary has the focus …
    top, bottom, height = browser.execute_script(
        "var r = document.getElementById('status').getBoundingClientRect(); return [r.top, r.bottom, innerHeight]")
    assert top >= 0 and bottom <= height  # … and is on the screen
    assert browser.execute_script("return scrollY") > 0  # the page scrolled down to it (1366×768)


def test_the_template_format_is_chosen_with_the_keyboard(browser: Any, site: str) -> None:
    open_page(browser, site + "/")
    passed = tab_to(browser, "tpl-profile")
    assert "tpl-year" not in passed  # the format comes first in its row
    press(browser, Keys.ARROW_DOWN)  # henan-2022 → juesuan-2024 (部门决算)
    assert browser.find_element(By.ID, "tpl-blank").get_attribute("href").endswith("&profile=juesuan-2024")
    press(browser, Keys.ARROW_DOWN)  # → shanghai-department
    link = browser.find_element(By.ID, "tpl-blank").get_attribute("href")
    assert link.endswith("&unit=" + quote("元") + "&profile=shanghai-department")
    assert "tpl-blank" in tab_to(browser, "tpl-blank")


def test_the_page_does_not_scroll_sideways_on_a_phone(browser: Any, site: str) -> None:
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                            {"width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": True})
    try:
        open_page(browser, site + "/")
        widths = "return [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        scroll, client = browser.execute_script(widths)
        assert (client, scroll) == (390, 390)
        browser.find_element(By.ID, "files").send_keys(str(EXAMPLE_INPUT))
        browser.find_element(By.ID, "btn-compile").click()
        until(browser, lambda d: d.find_element(By.ID, "status").text == COMPILED)
        until(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#preview .sheet"))
        assert browser.execute_script(widths) == [390, 390]  # results and preview included
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def test_the_token_leaves_the_address_bar(browser: Any) -> None:
    token = "自己设定的令牌"
    with running(create_app(token, loopback=False)) as base:
        open_page(browser, f"{base}/?token={quote(token)}")
        until(browser, lambda d: d.current_url == base + "/")
        browser.find_element(By.ID, "files").send_keys(str(EXAMPLE_INPUT))
        browser.find_element(By.ID, "btn-check").click()  # the cookie carries the token
        until(browser, lambda d: d.find_element(By.ID, "status").text.startswith("校验通过"))


def test_a_long_finding_wraps_in_its_cells(browser: Any, tmp_path: Path) -> None:
    mapping = "、".join(f"2130{i:03d}→3020{i % 10}" for i in range(60))  # one XB208-like list, no spaces
    finding = Finding("XB208", WARNING, "以下功能分类科目与经济分类的对照未经核实：" + mapping, Location("支出", 5, "B"),
                      "公开前请与预算年度的《政府收支分类科目》核对。", expected=mapping, actual=mapping)
    page = tmp_path / "report.html"
    page.write_text(format_html([finding], ["input.xlsx"]), encoding="utf-8")
    browser.get(page.as_uri())
    width, table, note = browser.execute_script(
        "var t = document.getElementById('findings'), th = t.querySelectorAll('th')[4];"
        "return [document.documentElement.clientWidth, t.getBoundingClientRect().width, th.getBoundingClientRect().width]")
    assert table <= width and note >= 200  # 说明 keeps a readable width (before: a 13,866 px table, 说明 126 px)
