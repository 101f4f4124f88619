"""What ``xlbudget serve`` allows one request, one client and the whole server (docs/api.md
states each figure). One frozen value, shared by the app, the HTTP protocol and the server."""

from __future__ import annotations

from dataclasses import dataclass

MB = 2**20


@dataclass(frozen=True)
class Limits:
    """Uploads, connections, timeouts and disk. Tests shorten the timeouts; the defaults are
    what a finance bureau's LAN gets."""

    file_bytes: int = 20 * MB  # one workbook
    request_bytes: int = 60 * MB  # one request's body
    files: int = 50  # workbooks in one request
    header_seconds: float = 5.0  # a request's line and headers must be complete within this
    idle_seconds: float = 5.0  # an idle kept-alive connection is closed after this
    body_grace_seconds: float = 10.0  # a body may start slowly ...
    body_bytes_per_second: int = 20 * 1024  # ... but must then keep this average rate
    connections: int = 200  # open connections of the whole server
    connections_per_client: int = 24  # open connections of one client address
    disk_bytes: int = 1024 * MB  # uploads being received plus kept results of all jobs
    stop_seconds: float = 2.0  # on SIGTERM/SIGINT, requests still running after this are aborted
