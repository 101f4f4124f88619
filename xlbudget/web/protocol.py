"""uvicorn's HTTP/1.1 protocol (h11) with what a server shared on a LAN needs and uvicorn has no
setting for: a deadline for a request's line and headers, and caps on the open connections of
the server and of each client address.

Why not another server (docs/api.md): uvicorn closes idle kept-alive connections
(``timeout_keep_alive``) and bounds header size (h11), but a request that never finishes its
headers is kept forever; hypercorn's ``read_timeout`` restarts with every byte, so one byte a
second holds a connection; granian has a header timeout but no per-address cap and runs its
workers in other processes. So the server stays uvicorn, and this subclass adds two timers and
a counter — no socket code of its own. The body's minimum rate is enforced in the app
(``app.Guard``), which sees how long it waits for the client.
"""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from typing import Any

from uvicorn.protocols.http.h11_impl import H11Protocol

from xlbudget.web.limits import Limits


def raw_response(status: int, reason: str, error: str, code: str) -> bytes:
    """A complete HTTP/1.1 error response that closes the connection, for the moments before a
    request exists (h11 cannot send one then)."""
    body = json.dumps({"error": error, "code": code}, ensure_ascii=False).encode()
    head = (f"HTTP/1.1 {status} {reason}\r\ncontent-type: application/json\r\n"
            f"content-length: {len(body)}\r\nconnection: close\r\n\r\n")
    return head.encode("ascii") + body


HEADERS_LATE = raw_response(408, "Request Timeout", "请求头没有在规定时间内发完，连接已关闭。", "header_timeout")
SERVER_FULL = raw_response(503, "Service Unavailable", "服务器的连接数已满，请稍后再试。", "too_many_connections")
CLIENT_FULL = raw_response(503, "Service Unavailable", "本机打开的连接过多，请关闭多余的页面后再试。",
                           "too_many_connections")


class Connections:
    """The open connections of one server, by client address."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.by_client: Counter[str] = Counter()

    def refusal(self, client: str) -> bytes | None:
        """The answer for a new connection over a cap; None: it is counted and served."""
        if sum(self.by_client.values()) >= self.limits.connections:
            return SERVER_FULL
        if self.by_client[client] >= self.limits.connections_per_client:
            return CLIENT_FULL
        self.by_client[client] += 1
        return None

    def release(self, client: str) -> None:
        self.by_client[client] -= 1
        if self.by_client[client] <= 0:
            del self.by_client[client]


class LimitedH11Protocol(H11Protocol):
    """One connection: refused over the caps; closed when a request's headers are not complete
    ``header_seconds`` after its first byte (or after connecting)."""

    guard: Connections  # set per server by ``serving``

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.counted: Connections | None = None
        self.headers_due: asyncio.TimerHandle | None = None

    @classmethod
    def serving(cls, limits: Limits) -> type[LimitedH11Protocol]:
        """The protocol class of one server: its own connection counts."""
        return type(cls.__name__, (cls,), {"guard": Connections(limits)})

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        client = self.client[0] if self.client else ""
        refused = self.guard.refusal(client)
        if refused:
            transport.write(refused)
            transport.close()
            return
        self.counted = self.guard
        self._await_headers()

    def connection_lost(self, exc: Exception | None) -> None:
        self._headers_done()
        if self.counted is not None:
            self.counted.release(self.client[0] if self.client else "")
            self.counted = None
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self.headers_due is None and (self.cycle is None or self.cycle.response_complete):
            self._await_headers()  # the first byte of a kept-alive connection's next request
        super().data_received(data)

    def handle_events(self) -> None:
        before = self.cycle
        super().handle_events()
        if self.cycle is not before:  # a request's headers are complete
            self._headers_done()

    def _await_headers(self) -> None:
        self.headers_due = self.loop.call_later(self.guard.limits.header_seconds, self._headers_late)

    def _headers_done(self) -> None:
        if self.headers_due is not None:
            self.headers_due.cancel()
            self.headers_due = None

    def _headers_late(self) -> None:
        self.headers_due = None
        if not self.transport.is_closing() and (self.cycle is None or self.cycle.response_complete):
            self.transport.write(HEADERS_LATE)
            self.transport.close()
