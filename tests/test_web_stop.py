"""Stopping ``xlbudget serve`` as an administrator does: SIGTERM or Ctrl+C (SIGINT) in the middle
of an upload stops it within 5 seconds and leaves nothing behind; a server killed outright
leaves its pid-stamped folder, which the next start removes."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.conftest import EXAMPLE_INPUT, ROOT
from tests.web import need

need("uvicorn")
from xlbudget.web.jobs import JobStore  # noqa: E402

STOPPED_WITHIN = 5  # seconds (issue 19)


@contextmanager
def serving(temp: Path) -> Iterator[tuple[subprocess.Popen[str], int]]:
    """``xlbudget serve`` on a free port with ``temp`` as its temporary folder."""
    server = subprocess.Popen([sys.executable, "-m", "xlbudget", "serve", "--no-browser", "--port", "0"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
                              env={**os.environ, "TMPDIR": str(temp)})
    try:
        assert server.stdout is not None
        first = server.stdout.readline()
        match = re.search(r"http://127\.0\.0\.1:(\d+)/", first)
        assert match, first + (server.stderr.read() if server.stderr else "")
        with socket.create_connection(("127.0.0.1", int(match.group(1))), timeout=30) as sock:  # started: it answers
            sock.sendall(b"GET /favicon.ico HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            assert sock.recv(12) == b"HTTP/1.1 200"
        yield server, int(match.group(1))
    finally:
        if server.poll() is None:
            server.kill()
            server.wait(30)


def half_upload(port: int) -> socket.socket:
    """A compile request that announces 5 MB and sends 1 MB of it, then waits."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=30)
    part = b'--b\r\nContent-Disposition: form-data; name="files"; filename="input.xlsx"\r\n\r\n'
    sock.sendall(b"POST /api/compile HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data; boundary=b\r\n"
                 b"Content-Length: 5000000\r\n\r\n" + part + b"\0" * 2**20)
    return sock


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])
def test_a_stop_signal_mid_upload_stops_the_server_and_removes_everything(tmp_path: Path, stop: int) -> None:
    with serving(tmp_path) as (server, port), half_upload(port):
        assert [p.name for p in tmp_path.iterdir()][0].startswith(f"xlbudget-serve-{server.pid}-")
        server.send_signal(stop)
        server.wait(STOPPED_WITHIN)  # raises TimeoutExpired when the upload holds the server
    assert server.returncode == 0 and server.stdout and server.stdout.read().strip().endswith("已停止。")
    assert list(tmp_path.iterdir()) == []  # no folder, no spooled upload


def test_the_next_start_removes_the_folders_of_killed_servers(tmp_path: Path) -> None:
    httpx = need("httpx")
    with serving(tmp_path) as (killed, port):
        with EXAMPLE_INPUT.open("rb") as handle:
            answer = httpx.post(f"http://127.0.0.1:{port}/api/compile", files={"files": ("input.xlsx", handle)},
                                timeout=120)
        assert answer.json()["status"] == "ok"
        killed.kill()  # SIGKILL: nothing runs on the way out
        killed.wait(30)
    assert list(tmp_path.glob(f"xlbudget-serve-{killed.pid}-*/*/out/公开表.xlsx"))
    with serving(tmp_path) as (server, _):
        (own,) = tmp_path.glob("xlbudget-serve-*")  # the killed server's folder is gone, the running one's is there
        assert own.name.startswith(f"xlbudget-serve-{server.pid}-")
        server.send_signal(signal.SIGTERM)
        server.wait(STOPPED_WITHIN)
    assert list(tmp_path.glob("xlbudget-serve-*")) == []


def test_only_folders_of_stopped_servers_are_removed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ended = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True,
                           check=True)
    for name in (f"xlbudget-serve-{int(ended.stdout)}-old", f"xlbudget-serve-{os.getppid()}-live", "xlbudget-serve-x"):
        (tmp_path / name / "job").mkdir(parents=True)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    store = JobStore()
    try:
        assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
            [f"xlbudget-serve-{os.getppid()}-live", "xlbudget-serve-x", store.root.name])  # not ours to judge: kept
        assert store.root.name.startswith(f"xlbudget-serve-{os.getpid()}-")
    finally:
        store.close()
