"""Running the web app: choose the token, bind the address, print it, open the browser.

The socket is bound before uvicorn starts, so a busy port is a clear message (and port 0 a
free port); uvicorn's shutdown runs the app's lifespan, which removes every job folder.
"""

from __future__ import annotations

import contextlib
import ipaddress
import os
import secrets
import signal
import socket
import sys
import threading
import time
import webbrowser
from collections.abc import Callable, Iterator
from dataclasses import replace
from urllib.parse import quote

import uvicorn
from starlette.types import ASGIApp

from xlbudget.web.app import create_app
from xlbudget.web.jobs import JobStore
from xlbudget.web.limits import MB, Limits
from xlbudget.web.protocol import LimitedH11Protocol

DEFAULT_HOST, DEFAULT_PORT = "127.0.0.1", 8765


class ServeError(Exception):
    """The server cannot start; the message is for the clerk."""


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def resolve_token(host: str, token: str | None) -> str | None:
    """The token every request must carry: none needed on loopback (unless given); on any other
    address the given one, or a new one when none was given; an empty one refuses to start."""
    if is_loopback(host):
        return token or None
    if token is None:
        return secrets.token_urlsafe(24)
    if not token.strip():
        raise ServeError(f"在非本机地址 {host} 上提供服务必须设置访问令牌（--token），否则局域网中的任何人都能上传和下载；"
                         "不写 --token 时会自动生成一个。")
    return token


def bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host.strip("[]"), port))
        sock.listen(128)  # connections wait in the queue until uvicorn accepts them
    except OSError as error:
        sock.close()
        raise ServeError(f"无法在 {host}:{port} 上启动：{error.strerror or error}"
                         "（端口可能已被占用，可用 --port 换一个端口）") from None
    return sock


def page_url(host: str, port: int, token: str | None) -> str:
    shown = "127.0.0.1" if host in ("0.0.0.0", "::", "[::]") else host
    shown = f"[{shown}]" if ":" in shown and not shown.startswith("[") else shown
    return f"http://{shown}:{port}/" + (f"?token={quote(token, safe='')}" if token else "")


def serve(host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, token: str | None = None,
          open_browser: bool = True, echo: Callable[[str], None] = print, disk_mb: int | None = None) -> None:
    """Serve until Ctrl+C or SIGTERM (raises ServeError when the server cannot start). On stopping,
    requests still running after ``Limits.stop_seconds`` are aborted and every job folder goes."""
    token = resolve_token(host, token)
    limits = Limits() if disk_mb is None else replace(Limits(), disk_bytes=disk_mb * MB)
    sock = bind(host, port)
    url = page_url(host, sock.getsockname()[1], token)
    store = JobStore(limits=limits)  # removes the folders of servers no longer running
    server = make_server(create_app(token, loopback=is_loopback(host), limits=limits, store=store), limits)
    echo(f"xlbudget 网页版已启动：{url}")
    if not is_loopback(host):
        echo(f"局域网中的其他电脑请用本机的 IP 地址代替 {host}，并带上访问令牌：?token={quote(token or '', safe='')}")
    echo("按 Ctrl+C 停止；停止时删除所有上传的文件和生成的结果。")
    if open_browser:
        threading.Thread(target=_open_when_started, args=(server, url), daemon=True).start()
    try:
        with _signals_ignored_after(), contextlib.suppress(KeyboardInterrupt):
            server.run(sockets=[sock])
    finally:  # also when a signal came before uvicorn took over the signals
        store.close()
    echo("已停止。")
    if any(t.is_alive() and not t.daemon for t in threading.enumerate() if t is not threading.main_thread()):
        _exit_now()


def _exit_now() -> None:
    """A pipeline still runs in a worker thread (threads cannot be stopped): its job folder is
    gone already, so end the process now rather than wait for it."""
    for stream in (sys.stdout, sys.stderr):
        stream.flush()
    os._exit(0)


def make_server(app: ASGIApp, limits: Limits) -> uvicorn.Server:
    """uvicorn with the limits of docs/api.md: h11 only (with a header deadline and connection
    caps), idle connections closed, requests aborted ``stop_seconds`` after a stop signal."""
    config = uvicorn.Config(app, http=LimitedH11Protocol.serving(limits), ws="none", lifespan="on",
                            timeout_keep_alive=limits.idle_seconds,  # type: ignore[arg-type]  # a float works
                            timeout_graceful_shutdown=limits.stop_seconds,  # type: ignore[arg-type]
                            log_level="warning")
    return uvicorn.Server(config)


@contextlib.contextmanager
def _signals_ignored_after() -> Iterator[None]:
    """uvicorn shuts down cleanly on Ctrl+C or SIGTERM, then raises the signal again for the
    handlers it found; ignore it then (the job folders are gone already), restore them after."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {sig: signal.signal(sig, signal.SIG_IGN) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _open_when_started(server: uvicorn.Server, url: str, wait: float = 10) -> None:
    deadline = time.monotonic() + wait
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    if server.started:
        webbrowser.open(url)
