"""Upload names in ``xlbudget serve``: any name a browser or script sends is stored under an
internal name, shown shortened when it has to be, never gives a 500 and never brings a server
path into a message."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import EXAMPLE_INPUT
from tests.web import need

need("starlette")
need("httpx")
from starlette.testclient import TestClient  # noqa: E402

from xlbudget.web.app import create_app  # noqa: E402
from xlbudget.web.jobs import MAX_NAME, JobStore  # noqa: E402

BASE_URL = "http://127.0.0.1:8765"
NINETY_CJK = "河南省洛阳市政务服务和大数据管理局" * 5 + "二〇二二年部门预算填报" * 4 + "工作簿.xlsx"  # 90 + 4 characters
HUNDRED_FOUR_BYTE = "𠀀" * 100 + ".xlsx"  # 100 characters of four UTF-8 bytes each


def post(client: TestClient, endpoint: str, name: str, content: bytes) -> Any:
    return client.post(endpoint, files=[("files", (name, content, "application/octet-stream"))])


@pytest.fixture(scope="module")
def store() -> JobStore:
    return JobStore()


@pytest.fixture(scope="module")
def client(store: JobStore) -> Any:
    with TestClient(create_app(store=store), base_url=BASE_URL) as test_client:
        yield test_client


@pytest.mark.parametrize("endpoint", ["/api/check", "/api/compile", "/api/template"])
@pytest.mark.parametrize("name", [NINETY_CJK, HUNDRED_FOUR_BYTE])
def test_long_names_are_served_and_shown_shortened(client: TestClient, endpoint: str, name: str) -> None:
    answer = post(client, endpoint, name, EXAMPLE_INPUT.read_bytes())
    assert answer.status_code == 200, answer.text
    (shown,) = answer.json()["report"]["files"]
    assert len(shown) == MAX_NAME and shown.endswith(".xlsx") and "…" in shown
    assert shown[:10] == name[:10] and shown[-12:] == name[-12:]  # both ends kept


def test_a_refused_file_is_named_as_the_clerk_named_it_and_no_path_shows(client: TestClient, store: JobStore) -> None:
    answer = post(client, "/api/check", NINETY_CJK, b"\x00" * 100)
    body = answer.json()
    assert answer.status_code == 422 and body["code"] == "unusable"
    shown = body["report"]["files"][0]
    assert shown in body["error"] and "upload-" not in answer.text
    assert str(store.root) not in answer.text and "/tmp" not in answer.text and "xlbudget-serve" not in answer.text


def test_the_findings_name_the_clerks_file(client: TestClient) -> None:
    body = post(client, "/api/check", "洛阳 2022（定稿）.xlsx", EXAMPLE_INPUT.read_bytes()).json()
    assert body["report"]["files"] == ["洛阳 2022（定稿）.xlsx"]
    assert {f["file"] for f in body["report"]["findings"] if f.get("file")} <= {"洛阳 2022（定稿）.xlsx"}


@settings(max_examples=60, deadline=None)
@given(st.text(min_size=0, max_size=300))
def test_no_name_gives_a_500_or_a_path(client: TestClient, store: JobStore, name: str) -> None:
    answer = post(client, "/api/check", name, b"not a workbook")
    assert answer.status_code in (400, 422), answer.text
    body = answer.json()
    assert str(store.root) not in answer.text and "upload-" not in answer.text
    if answer.status_code == 422:
        (shown,) = body["report"]["files"]
        assert 0 < len(shown) <= MAX_NAME and "/" not in shown and "\\" not in shown and Path(shown).name == shown
