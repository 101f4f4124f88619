"""``xlbudget serve`` as a user runs it: start, compile with a plain HTTP request, download, stop
with Ctrl+C (every uploaded and generated file removed); refusals before any port is opened;
and the other commands never import the web libraries."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import EXAMPLE_INPUT, ROOT
from tests.web import need

need("uvicorn")
from xlbudget.web.server import ServeError, page_url, resolve_token  # noqa: E402

WEB_MODULES = "{'starlette', 'uvicorn', 'multipart', 'python_multipart', 'anyio', 'xlbudget.web'}"


def xlbudget(*args: str, **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "xlbudget", *args], capture_output=True, text=True,
                          timeout=60, **kwargs)  # type: ignore[call-overload]


@pytest.mark.parametrize("args", [["--help"], ["compile", "--help"], ["serve", "--help"]])
def test_other_commands_never_import_the_web_libraries(args: list[str]) -> None:
    code = (f"import sys\nfrom xlbudget.cli import main\ntry:\n    main({args!r})\nexcept SystemExit:\n    pass\n"
            f"print('IMPORTED', sorted({WEB_MODULES} & set(sys.modules)))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.splitlines()[-1] == "IMPORTED []"


def test_without_the_web_extra_the_command_says_what_to_install() -> None:
    code = ("import sys\nsys.modules['uvicorn'] = None\nfrom xlbudget.cli import main\n"
            "main(['serve', '--no-browser'])")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 2 and "pip install 'xlbudget[web]'" in done.stderr


def test_a_shared_address_needs_a_token() -> None:
    assert resolve_token("127.0.0.1", None) is None and resolve_token("localhost", "t") == "t"
    assert resolve_token("::1", None) is None
    generated = resolve_token("0.0.0.0", None)
    assert generated and len(generated) >= 32 and generated != resolve_token("0.0.0.0", None)
    with pytest.raises(ServeError, match="必须设置访问令牌"):
        resolve_token("192.168.1.5", " ")
    done = xlbudget("serve", "--no-browser", "--host", "0.0.0.0", "--token", "")
    assert done.returncode == 2 and "必须设置访问令牌" in done.stderr and "Traceback" not in done.stderr


def test_the_printed_address_carries_the_token() -> None:
    assert page_url("127.0.0.1", 8765, None) == "http://127.0.0.1:8765/"
    assert page_url("0.0.0.0", 80, "abc") == "http://127.0.0.1:80/?token=abc"
    assert page_url("::1", 8765, None) == "http://[::1]:8765/"


def test_a_busy_port_is_a_message() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        done = xlbudget("serve", "--no-browser", "--port", str(taken.getsockname()[1]))
    assert done.returncode == 2 and "端口可能已被占用" in done.stderr


def test_serve_then_compile_with_a_plain_request(tmp_path: Path) -> None:
    httpx = need("httpx")
    temp = tmp_path / "temp"
    temp.mkdir()
    env = {**os.environ, "TMPDIR": str(temp)}
    server = subprocess.Popen([sys.executable, "-m", "xlbudget", "serve", "--no-browser", "--port", "0"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT)
    try:
        assert server.stdout is not None
        first = server.stdout.readline()
        match = re.search(r"(http://127\.0\.0\.1:\d+)/", first)
        assert match, first + server.stderr.read() if server.stderr else first
        base = match.group(1)
        with EXAMPLE_INPUT.open("rb") as handle:
            answer = httpx.post(f"{base}/api/compile", files={"files": ("luoyang-2022.xlsx", handle)}, timeout=120)
        body = answer.json()
        assert body["report"]["summary"]["warning"] == 6 and body["status"] == "ok"
        xlsx = httpx.get(body["downloads"]["xlsx"])  # a full URL, as curl uses it
        assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
        assert list(temp.glob("xlbudget-serve-*/*/out/公开表.xlsx"))
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(30)
    assert server.returncode == 0 and server.stdout and server.stdout.read().strip().endswith("已停止。")
    assert list(temp.glob("xlbudget-serve-*")) == []  # every upload and result removed on shutdown


def test_the_browser_opens_once_the_server_has_started(monkeypatch: pytest.MonkeyPatch) -> None:
    import types

    from xlbudget.web import server as module

    opened: list[str] = []
    monkeypatch.setattr(module.webbrowser, "open", opened.append)
    module._open_when_started(types.SimpleNamespace(started=False), "http://127.0.0.1:1/", wait=0.2)  # type: ignore[arg-type]
    assert opened == []  # a server that never started opens nothing
    module._open_when_started(types.SimpleNamespace(started=True), "http://127.0.0.1:1/")  # type: ignore[arg-type]
    assert opened == ["http://127.0.0.1:1/"]


def test_the_disk_limit_option_states_the_servers_default() -> None:
    from xlbudget.web.limits import MB, Limits

    done = xlbudget("serve", "--help")
    assert f"（MB，默认 {Limits().disk_bytes // MB}）" in done.stdout
    refused = xlbudget("serve", "--no-browser", "--disk-limit", "5")
    assert refused.returncode == 2 and "--disk-limit" in refused.stderr
