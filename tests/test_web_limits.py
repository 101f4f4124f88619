"""``xlbudget serve`` on a shared LAN, at the socket level: half-sent requests, idle and
slow connections and connection floods are closed or refused, so that a client without the
token holds a bounded share of the server and a clerk's request is still answered.

The server runs with the timeouts shortened (1 second instead of 5 or 10); the assertions wait
generously for the server to close (each socket read may take up to ``WAIT``)."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager

from tests.web import need, running

need("uvicorn")
from xlbudget.web.app import create_app  # noqa: E402
from xlbudget.web.limits import Limits  # noqa: E402

TOKEN = "lan-token"
WAIT = 15.0  # seconds a read may wait for the server before the test fails
SHORT = Limits(header_seconds=1, idle_seconds=1, body_grace_seconds=1, body_bytes_per_second=1000,
               connections=100, connections_per_client=8)


@contextmanager
def lan_server(limits: Limits = SHORT) -> Iterator[tuple[str, int]]:
    """A shared server (token required) with ``limits``; yields its (host, port)."""
    with running(create_app(TOKEN, loopback=False, limits=limits), limits) as base:
        host, port = base.removeprefix("http://").rsplit(":", 1)
        yield host, int(port)


def connect(address: tuple[str, int], source: str = "127.0.0.1") -> socket.socket:
    sock = socket.create_connection(address, timeout=WAIT, source_address=(source, 0))
    return sock


def answer(sock: socket.socket) -> bytes:
    """Everything the server sends until it closes the connection."""
    chunks = []
    while chunk := sock.recv(65536):
        chunks.append(chunk)
    return b"".join(chunks)


def refused_or_answer(sock: socket.socket) -> bytes:
    """The answer; b"" when the server reset the connection (it refused it while the request's
    first bytes were still unread)."""
    try:
        return answer(sock)
    except ConnectionResetError:
        return b""


def status_and_body(raw: bytes) -> tuple[int, dict[str, str]]:
    head, _, body = raw.partition(b"\r\n\r\n")
    return int(head.split()[1]), json.loads(body)


def get(address: tuple[str, int], source: str, path: str = "/api/profiles", token: str = TOKEN) -> int:
    with connect(address, source) as sock:
        sock.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\n"
                     "Connection: close\r\n\r\n".encode())
        return int(answer(sock).split()[1])


def test_half_sent_requests_are_closed_and_a_clerk_is_still_answered() -> None:
    with lan_server() as address, ExitStack() as stack:
        attack = [stack.enter_context(connect(address)) for _ in range(60)]
        for sock in attack:
            sock.sendall(b"GET /api/prof")  # half a request line, never finished
        assert get(address, "127.0.0.2") == 200  # another address is served at once
        answers = [refused_or_answer(sock) for sock in attack]
        late = [a for a in answers if a.startswith(b"HTTP/1.1 408 ")]
        assert len(late) == 8  # 8 held until the header deadline
        assert all(a == b"" or a.startswith(b"HTTP/1.1 503 ") for a in answers if a not in late)  # the rest at once
        assert status_and_body(late[0])[1]["code"] == "header_timeout"
        assert get(address, "127.0.0.1") == 200  # the address's connections were released


def test_a_silent_connection_is_closed() -> None:
    with lan_server() as address, connect(address) as sock:
        assert status_and_body(answer(sock))[0] == 408


def test_the_server_caps_all_its_connections() -> None:
    limits = Limits(header_seconds=1, connections=6, connections_per_client=4)
    with lan_server(limits) as address, ExitStack() as stack:
        held = [stack.enter_context(connect(address, f"127.0.0.{n}")) for n in (3, 3, 3, 3, 4, 4)]
        for sock in held:
            sock.sendall(b"G")
        with connect(address, "127.0.0.5") as refused:
            assert status_and_body(answer(refused)) == (503, {"error": "服务器的连接数已满，请稍后再试。",
                                                              "code": "too_many_connections"})
        assert [status_and_body(answer(sock))[0] for sock in held] == [408] * 6
        assert get(address, "127.0.0.5") == 200


def test_a_kept_alive_connection_must_finish_its_next_request_too() -> None:
    with lan_server() as address, connect(address) as sock:
        sock.sendall(f"GET /api/profiles HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {TOKEN}\r\n\r\n".encode())
        first = b""
        while b"\r\n\r\n" not in first:
            first += sock.recv(65536)
        assert first.startswith(b"HTTP/1.1 200")
        sock.sendall(b"GET /api/profiles HTTP/1.1\r\nHost: x\r\n")  # headers never finished
        rest = answer(sock)
        assert b"HTTP/1.1 408" in rest


def test_a_request_without_the_token_is_refused_before_its_body_is_read() -> None:
    with lan_server() as address, connect(address) as sock:
        sock.sendall(b"POST /api/check HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=b\r\n"
                     b"Content-Length: 50000000\r\n\r\n--b\r\n")  # 50 MB announced, 5 bytes sent
        status, body = status_and_body(answer(sock))  # answered and closed without waiting for the body
        assert status == 401 and "访问令牌" in body["error"]


def test_a_slow_body_is_cut_off() -> None:
    part = b'--b\r\nContent-Disposition: form-data; name="files"; filename="a.xlsx"\r\n\r\n'
    with lan_server() as address, connect(address) as sock:
        sock.sendall(f"POST /api/check HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {TOKEN}\r\n"
                     "Content-Type: multipart/form-data; boundary=b\r\nContent-Length: 100000\r\n\r\n".encode() + part)
        sock.settimeout(0.3)
        received = b""
        for _ in range(int(WAIT / 0.3)):  # one byte every 0.3 s: far below 1000 bytes a second
            try:
                sock.sendall(b"x")
                received = sock.recv(65536)
                break
            except TimeoutError:
                continue
        sock.settimeout(WAIT)
        received += refused_or_answer(sock)
        assert status_and_body(received) == (408, {"error": "上传太慢：请求内容没有按最低速度送达，连接已关闭。"
                                                            "请检查网络后重新上传。", "code": "body_timeout"})
