"""The JSON API of ``xlbudget serve`` (docs/api.md), as a script or a bureau's system calls it:
the same pipeline and the same refusals as the command line, size limits, per-request folders
that expire, the token, and Chinese 4xx answers for malformed requests."""

from __future__ import annotations

import io
import json
import re
import threading
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from tests.conftest import EXAMPLE_INPUT, ROOT
from tests.test_display import yuan_workbook
from tests.test_hostile_files import ATTACKS
from tests.web import need, running
from tests.workbooks import BASIC, GOALS, INCOME, KEYED, NOTES, PROJECT_LINES, PROJECTS, UNIT, UNITS, workbook

need("starlette")
need("httpx")
from starlette.testclient import TestClient  # noqa: E402

from xlbudget.web.app import CONCURRENT, Limits, create_app, size_text  # noqa: E402
from xlbudget.web.jobs import JOB_TTL, JobStore, safe_name  # noqa: E402

BASE_URL = "http://127.0.0.1:8765"
OUTPUT = ROOT / "examples" / "luoyang-2022" / "output"
TABLES = ["单位收支预算表", "单位收入预算表", "单位支出预算表", "财政拨款收支预算表", "一般公共预算支出预算表",
          "一般公共预算基本支出预算表", "支出经济分类汇总表", "一般公共预算“三公”经费预算表",
          "政府性基金预算支出预算表", "国有资本经营预算支出预算表", "项目支出预算表", "单位预算项目绩效目标表"]
# The six 成本指标 of the example that do not match their project's amount (source/NOTES.md).
LUOYANG_WARNINGS = [("XB404", f"绩效目标!E{row}") for row in (10, 25, 55, 72, 88, 98)]


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def client() -> Any:
    with TestClient(create_app(), base_url=BASE_URL) as test_client:
        yield test_client


def upload(*paths: Path, name: str | None = None) -> list[tuple[str, tuple[str, bytes, str]]]:
    return [("files", (name or p.name, p.read_bytes(), "application/octet-stream")) for p in paths]


def located(body: dict[str, Any]) -> list[tuple[str, str]]:
    return [(f["rule"], f["location"]) for f in body["report"]["findings"]]


def broken(tmp_path: Path) -> Path:
    """Income 120 against expenditure 110: the located error XB301 at 收入!C2."""
    return workbook(tmp_path, "错误.xlsx", 收入=[INCOME, [UNIT, "一般公共预算", "120.00"]])


def test_profiles_lists_the_formats(client: TestClient) -> None:
    body = client.get("/api/profiles").json()
    henan = next(p for p in body["profiles"] if p["name"] == "henan-2022")
    assert body["default"] == "henan-2022" and "河南" in henan["description"]


def test_check_reports_the_example_as_the_command_does(client: TestClient) -> None:
    jsonschema = need("jsonschema")
    answer = client.post("/api/check", files=upload(EXAMPLE_INPUT), data={"profile": "henan-2022"})
    body = answer.json()
    assert (answer.status_code, body["status"], body["exit_code"]) == (200, "ok", 0)
    assert located(body) == LUOYANG_WARNINGS
    assert body["report"]["files"] == ["input.xlsx"]
    jsonschema.validate(body["report"], json.loads((ROOT / "docs" / "report-schema.json").read_text("utf-8")))
    assert "xlsx" not in body["downloads"]  # checking writes no disclosure


def test_compile_returns_the_report_and_working_downloads(client: TestClient) -> None:
    body = client.post("/api/compile", files=upload(EXAMPLE_INPUT)).json()
    assert (body["status"], located(body)) == ("ok", LUOYANG_WARNINGS)
    assert sorted(body["downloads"]) == ["docx", "json", "md", "xlsx"]
    xlsx = client.get(body["downloads"]["xlsx"])
    assert "input_%E5%85%AC%E5%BC%80%E8%A1%A8.xlsx" in xlsx.headers["content-disposition"]  # input_公开表.xlsx
    assert openpyxl.load_workbook(io.BytesIO(xlsx.content)).sheetnames == ["目录", *TABLES, "校验结果"]
    # the same bytes as `xlbudget compile` writes (the committed example output)
    assert xlsx.content == (OUTPUT / "公开表.xlsx").read_bytes()
    assert client.get(body["downloads"]["md"]).content == (OUTPUT / "公开表_预算说明.md").read_bytes()
    assert client.get(body["downloads"]["json"]).json() == body["report"]
    assert "XB404" in client.get(body["report_html"]).text
    preview = client.get(body["preview"]).text
    assert preview.count('<section class="sheet"') == 12 and "2022年单位支出预算表" in preview


def three_public(html: str) -> list[str]:
    """The amounts of the “三公” table's one row (the total) in a preview."""
    section = html.split('id="t08"', 1)[1].split("</section>", 1)[0]
    total = section.split("<tbody>", 1)[1].split("</tr>", 1)[0]
    return re.findall(r'<td class="money"[^>]*>([^<]*)</td>', total)


def test_rounding_is_chosen_per_request(client: TestClient, tmp_path: Path) -> None:
    """三公 parts of 36,050, 36,050 and 35,900 元: rounded alone 3.61 + 3.61 + 3.59 = 10.81 against a
    total of 10.80; 舍位平衡 takes one 3.605 down to 3.60 so the parts add up."""
    yuan = yuan_workbook(tmp_path)
    exact = client.post("/api/compile", files=upload(yuan), data={"rounding": "exact"}).json()
    assert three_public(client.get(exact["preview"]).text) == ["10.80", "3.61", "3.59", "", "3.59", "3.61"]
    balanced = client.post("/api/compile", files=upload(yuan), data={"rounding": "balanced"}).json()
    total, abroad, vehicles, _, _, reception = three_public(client.get(balanced["preview"]).text)
    assert total == "10.80" and sorted([abroad, vehicles, reception]) == ["3.59", "3.60", "3.61"]
    sheet = openpyxl.load_workbook(io.BytesIO(client.get(balanced["downloads"]["xlsx"]).content))
    assert sorted(c.value for c in sheet["一般公共预算“三公”经费预算表"][5] if c.value) == [3.59, 3.59, 3.6, 3.61, 10.8]
    assert "balanced" in client.get("/api/profiles").json()["options"]["rounding"]


def test_narrative_none_writes_only_the_workbook(client: TestClient) -> None:
    body = client.post("/api/compile", files=upload(EXAMPLE_INPUT), data={"narrative": "none"}).json()
    assert sorted(body["downloads"]) == ["json", "xlsx"]


def test_errors_offer_no_disclosure(client: TestClient, tmp_path: Path) -> None:
    body = client.post("/api/compile", files=upload(broken(tmp_path))).json()
    assert (body["status"], body["exit_code"], located(body)) == ("errors", 1, [("XB301", "收入!C2")])
    assert sorted(body["downloads"]) == ["json"] and "preview" not in body
    assert "强制输出" in body["note"] and "--" not in body["note"]  # written for the page


def test_several_unit_workbooks_are_one_department(client: TestClient, tmp_path: Path) -> None:
    own = workbook(tmp_path, "本级.xlsx")  # 110.00 万元
    other = workbook(tmp_path, "下属.xlsx", 单位=[UNITS, ["001002", "下属单位", "事业单位"]],
                     收入=[INCOME, ["001002", "一般公共预算", "50.00"]],
                     基本支出=[BASIC, ["001002", "2010301", "30101", "一般公共预算", "50.00"]],
                     项目=[PROJECTS], 项目支出=[PROJECT_LINES], 绩效目标=[GOALS], 上年数=[KEYED], 说明事项=[NOTES])
    body = client.post("/api/compile", files=upload(own, other)).json()
    assert (body["status"], body["report"]["files"]) == ("ok", ["本级.xlsx", "下属.xlsx"])
    sheet = openpyxl.load_workbook(io.BytesIO(client.get(body["downloads"]["xlsx"]).content)).worksheets[1]
    assert (sheet["A5"].value, sheet["B5"].value) == ("一、一般公共预算", 160)  # 一、一般公共预算: 110.00 + 50.00


def test_a_non_workbook_is_refused_with_the_reason(client: TestClient) -> None:
    answer = client.post("/api/compile", files=[("files", ("预算.xlsx", "单位,金额\n1,2\n".encode(), "text/csv"))])
    body = answer.json()
    assert (answer.status_code, body["status"], [f["rule"] for f in body["report"]["findings"]]) == (
        422, "unusable", ["XB004"])
    assert "预算.xlsx 是文本文件（如 CSV），不是 Excel 工作簿" in body["error"]
    assert body["downloads"] == {"json": body["downloads"]["json"]}


@pytest.mark.parametrize("attack", ["billion_laughs", "external_entity", "zip_bomb_ratio", "zip_bomb_declared_size"])
def test_uploads_pass_the_same_guards_as_files(client: TestClient, tmp_path: Path, attack: str) -> None:
    build, rule, words = ATTACKS[attack]
    path = tmp_path / "攻击.xlsx"
    build(path)
    body = client.post("/api/check", files=upload(path)).json()
    assert body["status"] == "unusable" and [f["rule"] for f in body["report"]["findings"]] == [rule]
    assert words in body["error"]


def test_size_limits_per_file_per_request_and_file_count(tmp_path: Path) -> None:
    limits = Limits(file_bytes=30_000, request_bytes=200_000, files=3)
    small = workbook(tmp_path, "小.xlsx")
    assert small.stat().st_size < 30_000
    big = tmp_path / "大.xlsx"
    big.write_bytes(EXAMPLE_INPUT.read_bytes() + b"\0" * 30_000)
    kb = -(-big.stat().st_size // 1024)  # the example's size (its catalog sheets grow with the catalog), rounded up
    with TestClient(create_app(limits=limits), base_url=BASE_URL) as client:
        answer = client.post("/api/check", files=upload(big))
        assert answer.status_code == 413 and answer.json() == {
            "error": f"文件 大.xlsx 共 {kb} KB，超过每个文件 29 KB 的上限。预算填报工作簿通常不到 1 MB。", "code": "file_too_large"}
        answer = client.post("/api/check", files=upload(*[big] * 4))
        assert answer.status_code == 413 and "超过每次请求 195 KB 的上限" in answer.json()["error"]
        answer = client.post("/api/check", files=upload(*[small] * 4))
        assert answer.status_code == 413 and answer.json() == {"error": "一次最多上传 3 个工作簿。", "code": "too_many_files"}
        assert client.post("/api/check", files=upload(*[small] * 3)).status_code == 200


@pytest.mark.parametrize(("method", "path", "kwargs", "status", "words"), [
    ("post", "/api/compile", {}, 400, "multipart/form-data"),
    ("post", "/api/compile", {"json": {"files": "a.xlsx"}}, 400, "multipart/form-data"),
    ("post", "/api/compile", {"data": {"profile": "henan-2022"}}, 400, "文件字段名为 files"),
    ("post", "/api/compile", {"content": b"--x\r\nContent-Type: text/plain\r\n\r\nabc\r\n--x--\r\n",
                              "headers": {"content-type": "multipart/form-data; boundary=x"}}, 400, "请求格式不正确"),
    ("post", "/api/compile", {"content": b"abc", "headers": {"content-type": "multipart/form-data"}}, 400,
     "请求格式不正确"),
    ("post", "/api/compile", {"files": [("files", ("a.xlsx", b"x", "x"))], "data": {"profile": "../../etc/passwd"}},
     400, "未知的格式配置：../../etc/passwd"),
    ("post", "/api/compile", {"files": [("files", ("a.xlsx", b"x", "x"))], "data": {"profile": "/etc/x.toml"}},
     400, "未知的格式配置：/etc/x.toml"),  # a profile file is for the command line, not for uploads
    ("post", "/api/compile", {"files": [("files", ("a.xlsx", b"x", "x"))], "data": {"narrative": "pdf"}},
     400, "预算说明格式"),
    ("post", "/api/compile", {"files": [("files", ("a.xlsx", b"x", "x"))], "data": {"rounding": "floor"}},
     400, "舍入方式须为 exact、balanced 之一"),
    ("get", "/api/compile", {}, 405, "不支持该请求方法"),
    ("get", "/api/nothing", {}, 404, "没有这个地址"),
    ("get", "/api/template?year=abc", {}, 400, "年度须为"),
    ("get", "/api/jobs/AAAAAAAAAAAAAAAAAAAAAA/xlsx", {}, 404, "已过期"),
    ("get", "/api/jobs/..%2F..%2Fetc/passwd", {}, 404, ""),
    ("get", "/static/..%2F..%2Fpipeline.py", {}, 404, "没有这个地址"),
    ("get", "/static/index.html", {}, 404, "没有这个地址"),
])
def test_malformed_requests_get_a_chinese_4xx(client: TestClient, method: str, path: str, kwargs: dict[str, Any],
                                              status: int, words: str) -> None:
    answer = getattr(client, method)(path, **kwargs)
    assert answer.status_code == status
    shown = answer.json()["error"] if path.startswith("/api/") else answer.text  # the browser gets a page
    assert words in shown and "Traceback" not in answer.text


def test_a_request_without_length_is_refused(client: TestClient) -> None:
    def chunks() -> Any:
        yield b"--x\r\n"

    answer = client.post("/api/check", content=chunks(), headers={"content-type": "multipart/form-data; boundary=x"})
    assert answer.status_code == 411 and "Content-Length" in answer.json()["error"]


def test_the_browsers_file_name_never_becomes_a_path(tmp_path: Path) -> None:
    store = JobStore()
    with TestClient(create_app(store=store), base_url=BASE_URL) as client:
        body = client.post("/api/check", files=upload(EXAMPLE_INPUT, name="../../逃逸.xlsx")).json()
        assert body["report"]["files"] == ["逃逸.xlsx"]
        assert [p.name for p in store.root.rglob("*") if "逃逸" in p.name or p.name == "in"] == []  # uploads deleted


@pytest.mark.parametrize(("given", "kept"), [
    ("填报.xlsx", "填报.xlsx"), (r"C:\Users\会计\Desktop\填报 2023.xlsx", "填报 2023.xlsx"),
    ("../../etc/passwd", "passwd"), ("..", "工作簿1.xlsx"), ("", "工作簿1.xlsx"), (None, "工作簿1.xlsx"),
    (".bashrc", "bashrc"), ("a\x00b;rm -rf *.xlsx", "a_b_rm -rf _.xlsx"), ("x" * 200 + ".xlsx", "x" * 36 + "…" + "x" * 18 + ".xlsx"),
])
def test_safe_names(given: str | None, kept: str) -> None:
    assert safe_name(given, 1) == kept


def test_downloads_expire_and_their_folder_is_removed() -> None:
    clock = Clock()
    store = JobStore(ttl=60, clock=clock)
    with TestClient(create_app(store=store), base_url=BASE_URL) as client:
        body = client.post("/api/compile", files=upload(EXAMPLE_INPUT)).json()
        assert client.get(body["downloads"]["xlsx"]).status_code == 200
        (folder,) = store.root.iterdir()
        clock.now += 61
        answer = client.get(body["downloads"]["xlsx"])
        assert answer.status_code == 404 and "结果保留 1 分钟" in answer.json()["error"]
        store.sweep()
        assert not folder.exists()


def test_shutdown_removes_every_folder() -> None:
    store = JobStore()
    with TestClient(create_app(store=store), base_url=BASE_URL) as client:
        client.post("/api/compile", files=upload(EXAMPLE_INPUT))
        assert any(store.root.iterdir())
    assert not store.root.exists()


def test_a_shared_server_requires_its_token() -> None:
    with pytest.raises(ValueError, match="访问令牌"):
        create_app(loopback=False)
    with TestClient(create_app("s3cret", loopback=False), base_url="http://192.0.2.7:8765") as client:
        refused = client.get("/api/profiles")
        assert refused.status_code == 401 and "访问令牌" in refused.json()["error"]
        assert client.get("/", headers={"accept": "text/html"}).status_code == 401
        assert client.get("/api/profiles", headers={"authorization": "Bearer wrong"}).status_code == 401
        assert client.get("/api/profiles", headers={"authorization": "Bearer s3cret"}).status_code == 200
        assert client.post("/api/check", files=upload(EXAMPLE_INPUT)).status_code == 401
        page = client.get("/?token=s3cret")  # the printed address: the page keeps the token as a cookie
        assert page.status_code == 200 and "httponly" in page.headers["set-cookie"].lower()
        assert client.get("/static/app.js").status_code == 200
        assert client.post("/api/check", files=upload(EXAMPLE_INPUT)).json()["status"] == "ok"


def test_a_loopback_server_answers_only_to_loopback_names(client: TestClient) -> None:
    assert client.get("/api/profiles", headers={"host": "localhost:8765"}).status_code == 200
    assert client.get("/api/profiles", headers={"host": "[::1]:8765"}).status_code == 200
    answer = client.get("/api/profiles", headers={"host": "attacker.example:8765"})
    assert answer.status_code == 403 and "127.0.0.1" in answer.json()["error"]
    # another site's page posting to the local server (the browser sends its Origin)
    answer = client.post("/api/check", files=upload(EXAMPLE_INPUT), headers={"origin": "http://attacker.example"})
    assert answer.status_code == 403 and "其他网站" in answer.json()["error"]
    same = client.post("/api/check", files=upload(EXAMPLE_INPUT), headers={"origin": BASE_URL})
    assert same.status_code == 200


def test_templates_blank_and_rolled_forward(client: TestClient) -> None:
    blank = client.get("/api/template?year=2024&unit=元")
    sheets = openpyxl.load_workbook(io.BytesIO(blank.content))
    assert "填报说明" in sheets.sheetnames and "2024" in blank.headers["content-disposition"]
    body = client.post("/api/template", files=upload(EXAMPLE_INPUT)).json()
    rolled = openpyxl.load_workbook(io.BytesIO(client.get(body["downloads"]["xlsx"]).content))
    info = {row[0]: row[1] for row in rolled["基本信息"].iter_rows(values_only=True)}
    assert info["预算年度"] in (2023, "2023")


def test_the_blank_template_is_of_the_chosen_format(client: TestClient) -> None:
    def info(answer: Any) -> tuple[dict[Any, Any], list[str]]:
        assert answer.status_code == 200
        book = openpyxl.load_workbook(io.BytesIO(answer.content))
        return dict(book["基本信息"].iter_rows(min_row=2, max_col=2, values_only=True)), book.sheetnames

    shanghai, sheets = info(client.get("/api/template?year=2025&profile=shanghai-unit"))
    assert (shanghai["公开格式"], shanghai["模板版本"], shanghai["金额单位"]) == ("shanghai-unit", 1, "元")
    assert "功能科目用途" in sheets and "项目经费情况说明" in sheets
    henan, sheets = info(client.get("/api/template?year=2025"))
    assert (henan["公开格式"], henan["模板版本"], henan["金额单位"]) == ("henan-2022", 1, "万元")
    assert "功能科目用途" not in sheets
    wan, _ = info(client.get("/api/template?year=2025&profile=shanghai-department&unit=万元"))
    assert (wan["公开格式"], wan["金额单位"]) == ("shanghai-department", "万元")
    listed = client.get("/api/profiles").json()["profiles"]
    assert {p["name"]: p["amount_unit"] for p in listed} == {"henan-2022": "万元", "juesuan-2024": "万元",
                                                             "shanghai-department": "元", "shanghai-unit": "元"}


def test_concurrent_requests_never_mix_files(tmp_path: Path) -> None:
    httpx = need("httpx")
    wrong = broken(tmp_path)
    results: dict[str, Any] = {}

    def post(name: str, path: Path, base: str) -> None:
        results[name] = httpx.post(f"{base}/api/compile", files=upload(path), timeout=120).json()

    with running(create_app()) as base:
        threads = [threading.Thread(target=post, args=(name, path, base))
                   for name, path in (("good", EXAMPLE_INPUT), ("bad", wrong), ("good2", EXAMPLE_INPUT))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(180)
        assert (results["good"]["status"], results["bad"]["status"], results["good2"]["status"]) == (
            "ok", "errors", "ok")
        assert located(results["bad"]) == [("XB301", "收入!C2")]
        assert results["good"]["downloads"]["xlsx"] != results["good2"]["downloads"]["xlsx"]
        for name in ("good", "good2"):
            assert httpx.get(results[name]["downloads"]["xlsx"]).content == (OUTPUT / "公开表.xlsx").read_bytes()


def test_the_api_doc_states_the_limits_and_every_route() -> None:
    doc = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    limits = Limits()
    for stated in (f"最大 {size_text(limits.file_bytes)}", f"最大 {size_text(limits.request_bytes)}，最多 {limits.files} 个",
                   f"{JOB_TTL // 60} 分钟", f"最多 {CONCURRENT} 个请求同时编制"):
        assert stated in doc
    for route in ("GET /api/profiles", "POST /api/check", "POST /api/compile", "GET /api/template",
                  "POST /api/template", "/api/jobs/"):
        assert route in doc


def test_an_internal_error_is_a_chinese_500(monkeypatch: pytest.MonkeyPatch) -> None:
    import xlbudget.web.app as app

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("模拟的程序错误")

    monkeypatch.setattr(app, "derive", broken)
    with TestClient(create_app(), base_url=BASE_URL, raise_server_exceptions=False) as client:
        answer = client.post("/api/check", files=upload(EXAMPLE_INPUT))
    assert answer.status_code == 500 and "服务器内部错误" in answer.json()["error"]
    assert "模拟的程序错误" not in answer.text and "Traceback" not in answer.text


def test_the_page_is_chinese_and_needs_no_network(client: TestClient) -> None:
    page = client.get("/")
    assert '<html lang="zh-CN">' in page.text and "上传填报工作簿" in page.text
    assert "default-src 'self'" in page.headers["content-security-policy"]
    for text in (page.text, client.get("/static/app.js").text, client.get("/static/app.css").text):
        assert not re.search(r"https?://|//[a-z]|@import|url\(", text)


def test_a_shanghai_department_compiles_in_its_own_format(client: TestClient) -> None:
    example = ROOT / "examples" / "shanghai-2025-shangwuwei" / "input.xlsx"
    body = client.post("/api/compile", files=upload(example), data={"profile": "shanghai-department"}).json()
    assert body["status"] == "ok"
    preview = client.get(body["preview"]).text
    assert preview.count('<section class="sheet"') == 9  # the nine Shanghai tables
    assert "<span>编制部门：上海市普陀区商务委员会</span><span>单位：元</span>" in preview


# -- 部门决算 (issue 17 item 7) ------------------------------------------------------------------------
ACCOUNTS_EXAMPLE = ROOT / "examples" / "shanghai-2024-caizhengju-juesuan"
ACCOUNTS_TABLES = ["收入支出决算总表", "收入决算表", "支出决算表", "财政拨款收入支出决算总表", "一般公共预算财政拨款支出决算表",
                   "一般公共预算财政拨款基本支出决算表", "财政拨款“三公”经费支出决算表",
                   "政府性基金预算财政拨款收入支出决算表", "国有资本经营预算财政拨款收入支出决算表"]


def disposition(answer: Any) -> str:
    """The file name a browser saves a download under."""
    from urllib.parse import unquote

    return unquote(answer.headers["content-disposition"].split("filename*=utf-8''", 1)[1])


def test_profiles_say_which_document_each_format_compiles(client: TestClient) -> None:
    families = {p["name"]: p["family"] for p in client.get("/api/profiles").json()["profiles"]}
    assert families["juesuan-2024"] == "决算" and families["henan-2022"] == families["shanghai-unit"] == "预算"


def test_an_accounts_workbook_is_checked_at_its_cells(client: TestClient, tmp_path: Path) -> None:
    """The 决算 workbook records its format: no profile chosen, and with juesuan-2024 chosen, the same
    located error (本年收入 115 + 年初 3 against 本年支出 110 + 年末 9, at the 年末结转和结余 amount)."""
    from tests.accounts_workbooks import BASE
    from tests.accounts_workbooks import UNIT as ACCOUNTS_UNIT
    from tests.accounts_workbooks import workbook as accounts

    info = [*BASE["基本信息"], ["公开格式", "juesuan-2024"], ["模板版本", "1"]]
    balances = [*BASE["结转结余"][:3], [ACCOUNTS_UNIT, "年末结转和结余", "其他收入", "", "6.00"]]
    path = accounts(tmp_path, 基本信息=info, 结转结余=balances)
    for chosen in ({}, {"profile": "juesuan-2024"}):
        body = client.post("/api/check", files=upload(path), data=chosen).json()
        assert (body["status"], body["family"], located(body)) == ("errors", "决算", [("XB702", "结转结余!E3")])
        assert "<title>决算填报校验报告</title>" in client.get(body["report_html"]).text
    refused = client.post("/api/check", files=upload(path), data={"profile": "henan-2022"})
    assert refused.status_code == 422 and located(refused.json()) == [("XB150", "基本信息!B6")]


def test_an_accounts_workbook_compiles_with_its_narrative_labelled(client: TestClient) -> None:
    """The 普陀区财政局 2024 决算: the nine tables, the 决算说明 saved as such (not as a 预算说明), the same
    bytes as the committed example output."""
    body = client.post("/api/compile", files=upload(ACCOUNTS_EXAMPLE / "input.xlsx", name="财政局.xlsx")).json()
    assert (body["status"], body["family"]) == ("ok", "决算")
    assert sorted(body["downloads"]) == ["docx", "json", "md", "xlsx"]
    names = {kind: disposition(client.get(body["downloads"][kind])) for kind in ("xlsx", "docx", "md")}
    assert names == {"xlsx": "财政局_公开表.xlsx", "docx": "财政局_决算说明.docx", "md": "财政局_决算说明.md"}
    md = client.get(body["downloads"]["md"]).content
    assert md == (ACCOUNTS_EXAMPLE / "output" / "公开表_决算说明.md").read_bytes()
    preview = client.get(body["preview"]).text
    assert re.findall(r'<section class="sheet" id="j\d+" data-name="([^"]+)"', preview) == ACCOUNTS_TABLES


def test_the_blank_accounts_template(client: TestClient) -> None:
    """A 决算 is of the year closed: the template defaults to last year and says it is a 决算 template."""
    from datetime import date

    answer = client.get("/api/template?profile=juesuan-2024")
    year = date.today().year - 1
    assert disposition(answer) == f"{year}年决算填报模板.xlsx"
    book = openpyxl.load_workbook(io.BytesIO(answer.content))
    info = dict(book["基本信息"].iter_rows(min_row=2, max_col=2, values_only=True))
    assert (info["预算年度"], info["公开格式"]) == (year, "juesuan-2024") and "本年收入" in book.sheetnames
    assert disposition(client.get("/api/template?year=2026")) == "2026年预算填报模板.xlsx"


def test_an_accounts_workbook_takes_its_year_budget(client: TestClient, tmp_path: Path) -> None:
    """The ``budget`` field is ``compile --budget``: every 项 gets its 完成年初预算 (figures of
    tests/test_initial_budget.py, transcribed there by hand); the 决算's own 90.00 for 2010301 against the
    budget's 100.00 is XB723 at its cell, naming the budget as the clerk called it."""
    from tests.accounts_workbooks import BUDGETS
    from tests.test_initial_budget import accounts_book, budget_book

    accounts, budget = accounts_book(tmp_path, 年初预算=[BUDGETS, ["2010301", "90.00", "", ""]]), budget_book(tmp_path)
    alone = client.post("/api/compile", files=upload(accounts)).json()
    assert "行政运行（项）。年初预算为90.00万元，支出决算为100.00万元，完成年初预算的111.11%" in client.get(
        alone["downloads"]["md"]).text  # its own 年初预算, without the budget
    body = client.post("/api/compile", files=upload(accounts) + [("budget", ("2024预算.xlsx", budget.read_bytes(), "x"))]).json()
    assert body["status"] == "ok" and body["report"]["files"] == ["决算.xlsx"]
    text = client.get(body["downloads"]["md"]).text
    assert "行政运行（项）。年初预算为100.00万元，支出决算为100.00万元，完成年初预算的100.00%。" in text
    assert "公务接待费：年初预算为1.00万元，支出决算为0.00万元，完成年初预算的0.00%" in text
    typed = next(f for f in body["report"]["findings"] if f["location"] == "年初预算!B2")
    assert typed["rule"] == "XB723" and "预算工作簿为 100.00 万元（2024预算.xlsx 基本支出!E2" in typed["message"]


def test_a_budget_field_says_what_is_wrong_in_the_page_s_words(client: TestClient, tmp_path: Path) -> None:
    from tests.test_initial_budget import budget_book

    budget = budget_book(tmp_path)
    body = client.post("/api/check", files=upload(budget) + [("budget", ("b.xlsx", budget.read_bytes(), "x"))]).json()
    assert body["status"] == "unusable" and located(body) == [("XB724", "b.xlsx")]
    finding = body["report"]["findings"][0]
    assert "--budget" not in finding["message"] + finding["hint"] and "不要选择“本年度预算工作簿”" in finding["hint"]
    bad = client.post("/api/check", files=upload(budget), data={"budget": "不是文件"})
    assert (bad.status_code, bad.json()["code"]) == (400, "bad_budget")


def test_the_accounts_template_from_the_year_s_budget(client: TestClient, tmp_path: Path) -> None:
    """``template --profile juesuan-2024 --from`` the budget: a 决算填报模板 with the 年初预算 filled."""
    from tests.test_initial_budget import budget_book

    body = client.post("/api/template", files=upload(budget_book(tmp_path)), data={"profile": "juesuan-2024"}).json()
    assert body["status"] == "ok", body
    answer = client.get(body["downloads"]["xlsx"])
    assert disposition(answer) == "决算填报模板.xlsx"
    book = openpyxl.load_workbook(io.BytesIO(answer.content))
    info = dict(book["基本信息"].iter_rows(min_row=2, max_col=2, values_only=True))
    assert (str(info["预算年度"]), info["公开格式"]) == ("2024", "juesuan-2024")
    planned = {row[0]: row[1] for row in book["年初预算"].iter_rows(min_row=2, values_only=True) if row[0]}
    assert str(planned["2010301"]) in ("100", "100.00") and str(planned["2080505"]) in ("5", "5.00")
