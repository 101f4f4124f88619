"""``xlbudget serve``'s protocol as docs/api.md states it: tokens in any script, every error body
``{"error": 中文, "code": …}``, the right status and headers, download names, a disk cap for all
jobs, uploads deleted once answered, and hints written for the page."""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

import pytest

from tests.conftest import EXAMPLE_INPUT, ROOT
from tests.web import need

need("starlette")
need("httpx")
from starlette.testclient import TestClient  # noqa: E402

from xlbudget.findings import ERROR, Finding, Location  # noqa: E402
from xlbudget.web.app import CODES, create_app  # noqa: E402
from xlbudget.web.jobs import JobStore  # noqa: E402
from xlbudget.web.limits import Limits  # noqa: E402
from xlbudget.web.server import page_url, resolve_token  # noqa: E402
from xlbudget.web.wording import for_page, page_text  # noqa: E402

BASE_URL = "http://127.0.0.1:8765"
LAN_URL = "http://192.0.2.7:8765"
TOKEN = "自己设定的令牌"  # the token docs/api.md shows


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def upload(path: Path, name: str | None = None) -> list[tuple[str, tuple[str, bytes, str]]]:
    return [("files", (name or path.name, path.read_bytes(), "application/octet-stream"))]


def download_name(answer: Any) -> str:
    disposition = answer.headers["content-disposition"]
    return unquote(disposition.split("filename*=utf-8''", 1)[1])


# -- tokens --------------------------------------------------------------------------------------


def test_the_documented_chinese_token_works_in_the_link_the_cookie_and_the_header() -> None:
    with TestClient(create_app(TOKEN, loopback=False), base_url=LAN_URL) as client:
        page = client.get(f"/?token={quote(TOKEN)}")  # the address `xlbudget serve` prints
        assert page.status_code == 200 and page.headers["set-cookie"].startswith(f"xlbudget_token_8765={quote(TOKEN)};")
        assert client.get("/api/profiles").status_code == 200  # the page's own requests carry the cookie
        client.cookies.clear()
        assert client.get("/api/profiles").status_code == 401
        for header in (f"Bearer {quote(TOKEN)}", f"Bearer {TOKEN}".encode()):  # percent-encoded or UTF-8
            assert client.get("/api/profiles", headers={"authorization": header}).status_code == 200  # type: ignore[dict-item]
        assert client.get("/api/profiles", headers={"authorization": f"Bearer {quote('自己')}"}).status_code == 401
    assert page_url("0.0.0.0", 8765, TOKEN) == f"http://127.0.0.1:8765/?token={quote(TOKEN)}"
    assert page_url("0.0.0.0", 8765, TOKEN).isascii()


def test_a_generated_token_is_ascii() -> None:
    generated = resolve_token("0.0.0.0", None)
    assert generated and generated.isascii() and quote(generated, safe="-_") == generated


def test_the_page_drops_the_token_from_the_address_bar() -> None:
    script = (ROOT / "xlbudget" / "web" / "static" / "app.js").read_text(encoding="utf-8")
    assert "history.replaceState" in script  # seen in Chromium: tests/test_web_keyboard.py


# -- errors --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("method", "path", "kwargs", "status", "code"), [
    ("post", "/api/compile", {}, 400, "bad_request"),
    ("post", "/api/compile", {"files": [("other", ("a.xlsx", b"x", "text/plain"))]}, 400, "no_files"),
    ("post", "/api/check", {"files": upload(EXAMPLE_INPUT), "data": {"profile": "../x"}}, 400, "unknown_profile"),
    ("post", "/api/compile", {"files": upload(EXAMPLE_INPUT), "data": {"narrative": "pdf"}}, 400, "bad_narrative"),
    ("post", "/api/check", {"files": upload(EXAMPLE_INPUT), "data": {"rounding": "x"}}, 400, "bad_rounding"),
    ("get", "/api/template?year=1999", {}, 400, "bad_template_options"),
    ("get", "/api/template?profile=beijing-2024", {}, 400, "unknown_profile"),
    ("get", "/api/nothing", {}, 404, "not_found"),
    ("get", "/api/jobs/AAAAAAAAAAAAAAAAAAAAAA/xlsx", {}, 404, "expired"),
    ("get", "/api/compile", {}, 405, "method_not_allowed"),
    ("put", "/api/template", {}, 405, "method_not_allowed"),
    ("post", "/api/check", {"files": upload(EXAMPLE_INPUT), "headers": {"origin": "http://evil.example"}}, 403,
     "foreign_origin"),
    ("get", "/api/profiles", {"headers": {"host": "evil.example"}}, 403, "foreign_host"),
])
def test_every_error_body_has_a_chinese_message_and_a_code(method: str, path: str, kwargs: dict[str, Any], status: int,
                                                           code: str) -> None:
    with TestClient(create_app(), base_url=BASE_URL) as client:
        answer = getattr(client, method)(path, **kwargs)
    assert answer.status_code == status and answer.json()["code"] == code
    assert sorted(answer.json()) == ["code", "error"] and re.search(r"[\u4e00-\u9fff]", answer.json()["error"])
    assert answer.headers["connection"] == "close"


def test_every_code_is_documented() -> None:
    doc = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    codes = set(CODES.values()) | {"no_files", "unknown_profile", "bad_narrative", "bad_rounding", "bad_template_options",
                                   "expired", "foreign_origin", "foreign_host", "request_too_large", "file_too_large",
                                   "too_many_files", "unusable", "header_timeout", "too_many_connections"}
    assert [code for code in sorted(codes) if f"`{code}`" not in doc] == []


def test_a_wrong_method_names_the_allowed_ones() -> None:
    with TestClient(create_app(), base_url=BASE_URL) as client:
        assert sorted(client.put("/api/template").headers["allow"].split(", ")) == ["GET", "HEAD", "POST"]
        assert client.get("/api/compile").headers["allow"] == "POST"


def test_too_many_files_is_413_however_many() -> None:
    tiny = [("files", (f"{i}.xlsx", b"x", "application/octet-stream")) for i in range(1001)]
    with TestClient(create_app(), base_url=BASE_URL) as client:
        answer = client.post("/api/check", files=tiny)
    assert (answer.status_code, answer.json()) == (413, {"error": "一次最多上传 50 个工作簿。", "code": "too_many_files"})


def test_a_size_over_a_limit_never_reads_as_the_limit() -> None:
    limits = Limits(request_bytes=60 * 2**20)
    with TestClient(create_app(limits=limits), base_url=BASE_URL) as client:
        answer = client.post("/api/check", content=b"", headers={"content-length": str(60 * 2**20 + 1),
                                                                 "content-type": "multipart/form-data; boundary=x"})
    assert answer.status_code == 413
    assert answer.json()["error"] == "上传内容共 60.1 MB，超过每次请求 60 MB 的上限。请分几次上传。"


def test_downloads_are_named_after_the_upload() -> None:
    with TestClient(create_app(), base_url=BASE_URL) as client:
        body = client.post("/api/compile", files=upload(EXAMPLE_INPUT, "洛阳2022.xlsx")).json()
        names = {kind: download_name(client.get(url)) for kind, url in body["downloads"].items()}
        report = client.get(body["report_html"])
    assert names == {"xlsx": "洛阳2022_公开表.xlsx", "docx": "洛阳2022_预算说明.docx", "md": "洛阳2022_预算说明.md",
                     "json": "洛阳2022_校验报告.json"}
    assert download_name(report) == "洛阳2022_校验报告.html" and report.headers["content-disposition"].startswith("inline")


def test_the_page_has_an_icon() -> None:
    with TestClient(create_app(), base_url=BASE_URL) as client:
        icon = client.get("/favicon.ico")
        page = client.get("/").text
    assert icon.status_code == 200 and icon.headers["content-type"] == "image/svg+xml" and icon.text.startswith("<svg")
    assert '<link rel="icon" href="/favicon.ico"' in page


# -- disk --------------------------------------------------------------------------------------


def test_the_jobs_share_a_disk_cap() -> None:
    size = EXAMPLE_INPUT.stat().st_size
    clock = Clock()
    store = JobStore(ttl=60, clock=clock, limits=Limits(disk_bytes=size * 2))
    with TestClient(create_app(store=store, limits=Limits(disk_bytes=size * 2)), base_url=BASE_URL) as client:
        assert client.post("/api/compile", files=upload(EXAMPLE_INPUT)).status_code == 200
        full = client.post("/api/compile", files=upload(EXAMPLE_INPUT))  # the first job's results fill the cap
        assert full.status_code == 507 and full.json()["code"] == "disk_full"
        assert full.json()["error"].startswith("服务器为上传和结果预留的磁盘空间") and "1 分钟后自动删除" in full.json()["error"]
        clock.now += 61  # the first job expires
        assert client.post("/api/compile", files=upload(EXAMPLE_INPUT)).status_code == 200


def test_uploads_are_deleted_once_answered(tmp_path: Path) -> None:
    text = tmp_path / "预算.xlsx"
    text.write_text("单位,金额\n1,2\n", encoding="utf-8")
    store = JobStore()
    with TestClient(create_app(store=store), base_url=BASE_URL) as client:
        refused = client.post("/api/check", files=upload(text))
        assert refused.status_code == 422 and refused.json()["code"] == "unusable"
        client.post("/api/compile", files=upload(EXAMPLE_INPUT))
        kept = sorted(p.relative_to(store.root).parts[1:] for p in store.root.rglob("*") if p.is_file())
    assert all(parts[0] == "out" for parts in kept) and ("out", "公开表.xlsx") in kept  # results only


# -- wording ------------------------------------------------------------------------------------


def literal_hints() -> list[str]:
    """Every string literal of the checks that names a command-line option."""
    found = []
    for path in sorted((ROOT / "xlbudget" / "checks").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and re.search(r"--[a-z]", node.value):
                found.append(node.value)
    return found


def test_hints_name_the_pages_controls_not_command_line_options() -> None:
    texts = literal_hints()
    assert texts  # the checks do name options, for the command line
    assert [t for t in texts if re.search(r"--[a-z]", page_text(t, {}, Path("/srv")))] == []
    finding = Finding("XB101", ERROR, "无法打开 /srv/x/J/in/upload-1.xlsx", Location("收入", 2, "C", "upload-1.xlsx"),
                      "核对编码；如确为本年度新增科目，可用 --catalog 提供自定义科目文件。")
    (shown,) = for_page([finding], {"upload-1.xlsx": "我的预算.xlsx"}, Path("/srv/x"))
    assert (shown.message, shown.where.file) == ("无法打开 我的预算.xlsx", "我的预算.xlsx")
    assert shown.hint == "核对编码；如确为本年度新增科目，可请管理员补充科目目录（网页上不能上传科目文件）。"


def test_the_api_doc_states_the_lan_guarantees() -> None:
    doc = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    limits = Limits()
    for stated in (f"{limits.header_seconds:g} 秒内必须发完", f"答完后 {limits.idle_seconds:g} 秒内",
                   f"前 {limits.body_grace_seconds:g} 秒不限速，之后平均每秒至少 {limits.body_bytes_per_second // 1024} KB",
                   f"最多 {limits.connections} 个", f"最多 {limits.connections_per_client} 个",
                   f"默认 {limits.disk_bytes // 2**20} MB", f"最多再等 {limits.stop_seconds:g} 秒"):
        assert stated in doc, stated
