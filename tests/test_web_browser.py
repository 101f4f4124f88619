"""``xlbudget serve`` in a real browser: headless Chromium (Debian's chromium and chromium-driver)
driven by selenium against the server running in a thread, as a clerk uses the page.

Set XLBUDGET_ARTIFACTS to a folder to keep the screenshot of the page after an upload.
"""

from __future__ import annotations

import base64
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from tests.conftest import EXAMPLE_INPUT
from tests.test_display import yuan_workbook
from tests.web import chromium, need, running
from tests.workbooks import INCOME, UNIT, workbook

need("selenium")
need("starlette")
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import Select, WebDriverWait  # noqa: E402

from xlbudget.web.app import create_app  # noqa: E402

WAIT = 60  # seconds: generous, so a slow CI machine does not make the tests flaky
TABLES = ["单位收支预算表", "单位收入预算表", "单位支出预算表", "财政拨款收支预算表", "一般公共预算支出预算表",
          "一般公共预算基本支出预算表", "支出经济分类汇总表", "一般公共预算“三公”经费预算表",
          "政府性基金预算支出预算表", "国有资本经营预算支出预算表", "项目支出预算表", "单位预算项目绩效目标表"]


@pytest.fixture(scope="module")
def downloads(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("downloads")


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory, downloads: Path) -> Iterator[Any]:
    with chromium(tmp_path_factory.mktemp("chromium-profile"), downloads) as driver:
        yield driver


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    with running(create_app()) as base:
        yield base


def until(driver: Any, condition: Callable[[Any], Any]) -> Any:
    return WebDriverWait(driver, WAIT).until(condition)


def submit(driver: Any, page: str, *paths: Path, button: str = "btn-compile") -> str:
    """Open the page, choose ``paths``, press ``button``; the status line once done."""
    driver.get(page)
    until(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#profile option"))
    driver.find_element(By.ID, "files").send_keys("\n".join(str(p) for p in paths))
    driver.find_element(By.ID, button).click()
    return status(driver)


def status(driver: Any) -> str:
    until(driver, lambda d: "busy" not in d.find_element(By.ID, "status").get_attribute("class"))
    return str(driver.find_element(By.ID, "status").text)


def findings(driver: Any) -> list[tuple[str, str, str]]:
    """(severity, rule, location) of every row of the findings frame."""
    frame = until(driver, lambda d: d.find_element(By.ID, "findings-frame"))
    until(driver, lambda d: d.execute_script(
        "var f=arguments[0]; return f.contentDocument && f.contentDocument.readyState==='complete'"
        " && f.contentDocument.title==='预算填报校验报告'", frame))
    driver.switch_to.frame(frame)
    try:
        rows = driver.find_elements(By.CSS_SELECTOR, "#findings tbody tr")
        return [tuple(td.text for td in row.find_elements(By.TAG_NAME, "td")[:3]) for row in rows]
    finally:
        driver.switch_to.default_content()


def downloaded(folder: Path, name: str) -> Path:
    path = folder / name
    deadline = time.monotonic() + WAIT
    while not path.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert path.exists(), sorted(p.name for p in folder.iterdir())
    return path


def test_the_example_shows_its_warnings_previews_and_downloads(browser: Any, site: str, downloads: Path,
                                                                tmp_path: Path) -> None:
    assert submit(browser, site + "/", EXAMPLE_INPUT) == "已生成公开表。错误 0 个，警告 6 个，提示 0 个"
    assert findings(browser) == [("警告", "XB404", f"绩效目标!E{row}") for row in (10, 25, 55, 72, 88, 98)]
    tabs = browser.find_elements(By.CSS_SELECTOR, "#preview-tabs button")
    assert [t.text for t in tabs] == [f"{i} {name}" for i, name in enumerate(TABLES, start=1)]
    tabs[2].click()  # 单位支出预算表: the 行政运行 基本支出 the published table left blank
    shown = browser.find_element(By.CSS_SELECTOR, "#preview .sheet:not([hidden])")
    row = next(r for r in shown.find_elements(By.TAG_NAME, "tr") if "行政运行" in r.text)
    assert "263.10" in row.text
    artifacts = Path(os.environ.get("XLBUDGET_ARTIFACTS") or tmp_path)
    artifacts.mkdir(parents=True, exist_ok=True)
    browser.set_window_size(1280, browser.execute_script("window.scrollTo(0, 0); return document.documentElement.scrollHeight") + 140)
    browser.save_screenshot(str(artifacts / "web-page.png"))  # the whole page (docs/web-page.png)
    # every request of the page went to its own server: it works without a network
    sources = browser.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
    assert sources and all(s.startswith(site + "/") for s in sources), sources
    browser.find_element(By.CSS_SELECTOR, "#downloads a[data-kind=xlsx]").click()
    sheets = openpyxl.load_workbook(downloaded(downloads, "input_公开表.xlsx")).sheetnames
    assert sheets == ["目录", *TABLES, "校验结果"]


def test_a_broken_workbook_shows_the_located_error_and_no_download(browser: Any, site: str, tmp_path: Path) -> None:
    wrong = workbook(tmp_path, "错误.xlsx", 收入=[INCOME, [UNIT, "一般公共预算", "120.00"]])
    assert submit(browser, site + "/", wrong).startswith("发现 1 个错误，没有生成公开表。")
    assert findings(browser) == [("错误", "XB301", "收入!C2")]
    kinds = [a.get_attribute("data-kind") for a in browser.find_elements(By.CSS_SELECTOR, "#downloads a")]
    assert kinds == ["json", "html"]  # the report only, no disclosure
    assert not browser.find_element(By.ID, "preview-block").is_displayed()


def test_a_non_workbook_is_refused_clearly(browser: Any, site: str, tmp_path: Path) -> None:
    text = tmp_path / "预算.xlsx"
    text.write_text("单位,金额\n1,2\n", encoding="utf-8")
    shown = submit(browser, site + "/", text, button="btn-check")
    assert shown.startswith("文件无法使用：无法作为 Excel 工作簿读取：预算.xlsx 是文本文件（如 CSV），不是 Excel 工作簿")


def test_two_uploads_at_once_keep_their_own_results(browser: Any, site: str, tmp_path: Path) -> None:
    wrong = workbook(tmp_path, "错误.xlsx", 收入=[INCOME, [UNIT, "一般公共预算", "120.00"]])
    first = browser.current_window_handle
    windows: dict[str, str] = {}
    for name, path in (("good", EXAMPLE_INPUT), ("bad", wrong)):
        if windows:
            browser.switch_to.new_window("tab")
        windows[name] = browser.current_window_handle
        browser.get(site + "/")
        until(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#profile option"))
        browser.find_element(By.ID, "files").send_keys(str(path))
    for name in windows:  # both requests are in flight before either answer is read
        browser.switch_to.window(windows[name])
        browser.find_element(By.ID, "btn-compile").click()
    browser.switch_to.window(windows["bad"])
    assert status(browser).startswith("发现 1 个错误")
    assert findings(browser) == [("错误", "XB301", "收入!C2")]
    browser.close()
    browser.switch_to.window(first)
    assert status(browser) == "已生成公开表。错误 0 个，警告 6 个，提示 0 个"


def test_templates_download(browser: Any, site: str, downloads: Path) -> None:
    browser.get(site + "/")
    year = browser.find_element(By.ID, "tpl-year")
    year.clear()
    year.send_keys("2024")
    browser.find_element(By.ID, "tpl-blank").click()
    assert "填报说明" in openpyxl.load_workbook(downloaded(downloads, "2024年预算填报模板.xlsx")).sheetnames
    browser.find_element(By.ID, "tpl-previous").send_keys(str(EXAMPLE_INPUT))
    browser.find_element(By.ID, "tpl-from").click()
    rolled = openpyxl.load_workbook(downloaded(downloads, "预算填报模板.xlsx"))
    info = {row[0]: row[1] for row in rolled["基本信息"].iter_rows(values_only=True)}
    assert str(info["预算年度"]) == "2023"


def test_the_blank_template_of_a_chosen_format(browser: Any, site: str, downloads: Path) -> None:
    browser.get(site + "/")
    until(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#tpl-profile option"))
    chooser = Select(browser.find_element(By.ID, "tpl-profile"))
    assert chooser.first_selected_option.get_attribute("value") == "henan-2022"
    chooser.select_by_value("shanghai-unit")
    assert Select(browser.find_element(By.ID, "tpl-unit")).first_selected_option.text == "元"  # the format's unit
    year = browser.find_element(By.ID, "tpl-year")
    year.clear()
    year.send_keys("2026")
    browser.find_element(By.ID, "tpl-blank").click()
    book = openpyxl.load_workbook(downloaded(downloads, "2026年预算填报模板.xlsx"))
    info = dict(book["基本信息"].iter_rows(min_row=2, max_col=2, values_only=True))
    assert (info["预算年度"], info["金额单位"], info["公开格式"]) == (2026, "元", "shanghai-unit")
    assert "功能科目用途" in book.sheetnames


def test_a_shared_server_refuses_a_browser_without_its_token(browser: Any, tmp_path: Path) -> None:
    with running(create_app("s3cret-token", loopback=False)) as base:
        browser.get(base + "/")
        assert "需要访问令牌" in browser.find_element(By.TAG_NAME, "body").text
        shown = submit(browser, base + "/?token=s3cret-token", EXAMPLE_INPUT, button="btn-check")
        assert shown == "校验通过，没有错误。错误 0 个，警告 6 个，提示 0 个"


def test_a_dropped_workbook_is_compiled(browser: Any, site: str) -> None:
    browser.get(site + "/")
    until(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#profile option"))
    browser.execute_script(
        "var bytes = Uint8Array.from(atob(arguments[0]), function (c) { return c.charCodeAt(0); });"
        "var data = new DataTransfer(); data.items.add(new File([bytes], '洛阳.xlsx'));"
        "document.getElementById('drop').dispatchEvent(new DragEvent('drop', {dataTransfer: data, bubbles: true}));",
        base64.b64encode(EXAMPLE_INPUT.read_bytes()).decode())
    assert browser.find_element(By.ID, "chosen").text.startswith("洛阳.xlsx")
    browser.find_element(By.ID, "btn-compile").click()
    assert status(browser) == "已生成公开表。错误 0 个，警告 6 个，提示 0 个"


def test_balanced_rounding_is_offered_and_used(browser: Any, site: str, tmp_path: Path) -> None:
    browser.get(site + "/")
    until(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#rounding option"))
    labels = [o.text for o in browser.find_elements(By.CSS_SELECTOR, "#rounding option")]
    assert labels == ["按格式配置", "逐数四舍五入", "舍位平衡（合计等于分项之和）"]
    Select(browser.find_element(By.ID, "rounding")).select_by_value("balanced")
    browser.find_element(By.ID, "files").send_keys(str(yuan_workbook(tmp_path)))
    browser.find_element(By.ID, "btn-compile").click()
    assert status(browser).startswith("已生成公开表。")
    browser.find_element(By.CSS_SELECTOR, "#preview-tabs button[data-table=t08]").click()
    row = browser.find_element(By.CSS_SELECTOR, "#t08 tbody tr")
    amounts = [td.text for td in row.find_elements(By.TAG_NAME, "td")]
    assert amounts[0] == "10.80" and sorted([amounts[1], amounts[2], amounts[5]]) == ["3.59", "3.60", "3.61"]


ACCOUNTS_INPUT = EXAMPLE_INPUT.parents[1] / "shanghai-2024-caizhengju-juesuan" / "input.xlsx"


def test_an_accounts_workbook_downloads_its_jue_suan_shuo_ming(browser: Any, site: str, downloads: Path,
                                                                tmp_path: Path) -> None:
    """The 普陀区财政局 2024 决算 uploaded as a clerk does: the buttons offer the 决算说明, saved under that name."""
    shown = submit(browser, site + "/", ACCOUNTS_INPUT)
    assert shown.startswith("已生成公开表。错误 0 个，警告 1 个"), shown
    buttons = {a.get_attribute("data-kind"): a.text for a in browser.find_elements(By.CSS_SELECTOR, "#downloads a")}
    assert buttons == {"xlsx": "下载公开表（.xlsx）", "docx": "下载决算说明（.docx）", "md": "下载决算说明（.md）",
                       "json": "下载校验报告（JSON）", "html": "下载校验报告（网页）"}
    tabs = [t.text for t in browser.find_elements(By.CSS_SELECTOR, "#preview-tabs button")]
    assert tabs[0] == "1 收入支出决算总表" and len(tabs) == 9
    artifacts = Path(os.environ.get("XLBUDGET_ARTIFACTS") or tmp_path)
    artifacts.mkdir(parents=True, exist_ok=True)
    browser.set_window_size(1280, browser.execute_script("window.scrollTo(0, 0); return document.documentElement.scrollHeight") + 140)
    browser.save_screenshot(str(artifacts / "web-page-juesuan.png"))
    browser.find_element(By.CSS_SELECTOR, "#downloads a[data-kind=md]").click()
    text = downloaded(downloads, "input_决算说明.md").read_text(encoding="utf-8")
    assert "支出决算为" in text and "预算说明" not in text


def test_the_blank_accounts_template_is_for_the_year_closed(browser: Any, site: str, downloads: Path) -> None:
    browser.get(site + "/")
    until(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#tpl-profile option"))
    Select(browser.find_element(By.ID, "tpl-profile")).select_by_value("juesuan-2024")
    year = int(browser.find_element(By.ID, "tpl-year").get_attribute("value"))
    assert browser.find_element(By.ID, "tpl-year-label").text == "决算年度"
    assert year == browser.execute_script("return new Date().getFullYear()") - 1
    browser.find_element(By.ID, "tpl-blank").click()
    book = openpyxl.load_workbook(downloaded(downloads, f"{year}年决算填报模板.xlsx"))
    info = dict(book["基本信息"].iter_rows(min_row=2, max_col=2, values_only=True))
    assert (info["预算年度"], info["公开格式"]) == (year, "juesuan-2024") and "结转结余" in book.sheetnames


def test_an_accounts_workbook_with_its_year_budget(browser: Any, site: str, downloads: Path, tmp_path: Path) -> None:
    """Step 2's 本年度预算工作簿 gives the 决算 its 年初预算: the 决算说明 says how much of it each 项 used."""
    from tests.test_initial_budget import accounts_book, budget_book

    accounts, budget = accounts_book(tmp_path), budget_book(tmp_path, "本年预算.xlsx")
    browser.get(site + "/")
    until(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#profile option"))
    assert not browser.find_element(By.ID, "budget-clear").is_displayed()  # nothing to take back yet
    browser.find_element(By.ID, "budget").send_keys(str(budget))
    assert browser.find_element(By.ID, "budget-name").text == "本年预算.xlsx"
    assert browser.find_element(By.ID, "budget-clear").is_displayed()
    browser.find_element(By.ID, "files").send_keys(str(accounts))
    browser.find_element(By.ID, "btn-compile").click()
    assert status(browser).startswith("已生成公开表。错误 0 个")
    browser.find_element(By.CSS_SELECTOR, "#downloads a[data-kind=md]").click()
    text = downloaded(downloads, "决算_决算说明.md").read_text(encoding="utf-8")
    assert "行政运行（项）。年初预算为100.00万元，支出决算为100.00万元，完成年初预算的100.00%。" in text


def test_the_accounts_template_from_the_year_s_budget(browser: Any, site: str, downloads: Path, tmp_path: Path) -> None:
    from tests.test_initial_budget import budget_book

    browser.get(site + "/")
    until(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#tpl-profile option"))
    Select(browser.find_element(By.ID, "tpl-profile")).select_by_value("juesuan-2024")
    assert browser.find_element(By.ID, "tpl-from").text == "生成决算模板"
    browser.find_element(By.ID, "tpl-previous").send_keys(str(budget_book(tmp_path)))
    browser.find_element(By.ID, "tpl-from").click()
    book = openpyxl.load_workbook(downloaded(downloads, "决算填报模板.xlsx"))
    info = dict(book["基本信息"].iter_rows(min_row=2, max_col=2, values_only=True))
    assert (str(info["预算年度"]), info["公开格式"]) == ("2024", "juesuan-2024")
    assert browser.find_element(By.ID, "tpl-message").text.startswith("已生成决算模板。")
