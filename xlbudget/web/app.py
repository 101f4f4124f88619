"""The web app: the page, the JSON API (``docs/api.md``) and the guards every request passes.

Every request works in a job folder of its own (``jobs``); the pipeline runs in worker threads,
so the page stays responsive and concurrent requests never share a file.
"""

from __future__ import annotations

import contextlib
import hmac
import json
import shutil
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from html import escape
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

import anyio
import anyio.to_thread
from starlette.applications import Starlette
from starlette.background import BackgroundTask
from starlette.datastructures import MutableHeaders, UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from xlbudget import profiles
from xlbudget.money import ROUNDINGS, UNITS
from xlbudget.narrative import FORMATS as NARRATIVE_FORMATS
from xlbudget.narrative import SUFFIXES as NARRATIVE_SUFFIXES
from xlbudget.narrative import parse_formats
from xlbudget.pipeline import (
    EXIT_ERRORS,
    EXIT_OK,
    EXIT_UNUSABLE,
    Outcome,
    compile_workbook,
    derive,
    write_template_file,
    write_template_from,
)
from xlbudget.profile import DEFAULT_PROFILE, builtin_profiles, load_profile
from xlbudget.report import render_report, summary_line
from xlbudget.web.jobs import JOB_TTL, DiskFull, Job, JobStore, safe_name
from xlbudget.web.limits import MB, Limits
from xlbudget.web.preview import tables_html
from xlbudget.web.wording import for_page

CONCURRENT = 2  # pipelines at once; more requests wait (the machine's cores are the limit)
LOOPBACK_NAMES = frozenset({"127.0.0.1", "localhost", "::1"})
STATUS = {EXIT_OK: "ok", EXIT_ERRORS: "errors", EXIT_UNUSABLE: "unusable"}  # by exit code, as the CLI
TEMPLATE_NAME = "预算填报模板.xlsx"  # last year's budget rolled into this year's template
DISCLOSURE = "公开表.xlsx"
NO_FORCE = ("有错误时不生成公开表。网页不提供“强制输出”：带错误的公开表不应公开，"
            "请按提示修改填报工作簿后重新上传。")
DOWNLOAD_LABELS = {DISCLOSURE: DISCLOSURE, "校验报告.json": "校验报告.json", "校验报告.html": "校验报告.html",
                   **{f"{Path(DISCLOSURE).stem}{suffix}.{kind}": f"{suffix.lstrip('_')}.{kind}"  # 预算说明.docx, 决算说明.md …
                      for suffix in NARRATIVE_SUFFIXES.values() for kind in NARRATIVE_FORMATS}}  # stored name → download
INLINE = frozenset({"html", "preview"})  # kinds of a job's files shown in the page, not downloaded
ASSETS = {"app.js": "text/javascript", "app.css": "text/css", "favicon.svg": "image/svg+xml"}  # the page's files, served by name
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",  # the token in the page's address never leaves in a Referer
    "Cache-Control": "no-store",
    "Content-Security-Policy": ("default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
                                "frame-ancestors 'self'; form-action 'self'"),
}
REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; frame-ancestors 'self'"
MESSAGES = {
    400: "请求格式不正确：请以 multipart/form-data 上传，文件字段名为 files。",
    401: "需要访问令牌：请使用启动 xlbudget serve 时显示的完整地址（含 ?token=…）打开本页，"
         "或在请求头中加 Authorization: Bearer 令牌。",
    403: "拒绝访问：本机服务只接受以 127.0.0.1 或 localhost 访问，也不接受其他网站页面发来的上传。",
    404: "没有这个地址。",
    405: "不支持该请求方法。",
    408: "上传太慢：请求内容没有按最低速度送达，连接已关闭。请检查网络后重新上传。",
    411: "请求缺少 Content-Length，无法判断上传大小。",
    413: "上传内容过大。",
    500: "服务器内部错误，请求没有完成。请把所用文件和操作步骤提供给维护人员。",
}


CODES = {400: "bad_request", 401: "token_required", 404: "not_found", 405: "method_not_allowed",
         408: "body_timeout", 411: "length_required", 413: "too_large", 500: "internal_error", 507: "disk_full"}  # docs/api.md


class Refusal(Exception):
    """A request the server will not serve: an HTTP status, a Chinese message and a stable code
    (docs/api.md lists them), by default the status's."""

    def __init__(self, status: int, message: str | None = None, code: str | None = None,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.message = status, message or MESSAGES[status]
        self.code, self.headers = code or CODES[status], headers or {}

    def response(self, path: str) -> Response:
        return error_response(path, self.status, self.message, self.code, self.headers)


def error_response(path: str, status: int, message: str, code: str, extra: dict[str, str] | None = None) -> Response:
    """``{"error": 中文, "code": …}`` for the API, a small Chinese page for the browser."""
    headers = {"Connection": "close", **(extra or {})}  # an unread body is never read after a refusal
    if path.startswith("/api/"):
        return JSONResponse({"error": message, "code": code}, status, headers)
    page = (f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>xlbudget</title></head>'
            f"<body><h1>xlbudget</h1><p>{escape(message)}</p></body></html>")
    return HTMLResponse(page, status, headers)


# -- guards ------------------------------------------------------------------------------------


class Guard:
    """Every request, before any of its body is read: uploads only from the page itself (an
    ``Origin``, when sent, names this server); loopback servers answer only to a loopback Host
    (no DNS rebinding); with a token, it must come as ``Authorization: Bearer``, ``?token=`` or
    the page's cookie. A body must then arrive at the limits' minimum rate. Every response gets
    the security headers."""

    def __init__(self, app: ASGIApp, token: str | None, loopback: bool, limits: Limits) -> None:
        self.app, self.token, self.loopback, self.limits = app, token, loopback, limits

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        refused = self.refusal(request)
        if refused:
            await refused.response(request.url.path)(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers.setdefault(name, value)
            await send(message)

        await self.app(scope, paced(receive, self.limits), send_with_headers)

    def refusal(self, request: Request) -> Refusal | None:
        origin = request.headers.get("origin")
        if origin and request.method != "GET" and origin.split("://", 1)[-1] != request.headers.get("host"):
            return Refusal(403, code="foreign_origin")  # another web site's page posting here
        if self.loopback and host_name(request.headers.get("host", "")) not in LOOPBACK_NAMES:
            return Refusal(403, code="foreign_host")
        if self.token and not any(hmac.compare_digest(given.encode(), self.token.encode())
                                  for given in presented_tokens(request)):
            return Refusal(401)
        return None


def paced(receive: Receive, limits: Limits) -> Receive:
    """``receive`` that refuses (408) a body whose client is slower than the limits allow: the
    time spent waiting for it may not exceed the grace plus its bytes at the minimum rate."""
    waited, got, done = 0.0, 0, False

    async def receive_paced() -> Message:
        nonlocal waited, got, done
        if done:  # the body is complete: waiting for a disconnect is not the client's delay
            return await receive()
        allowed = limits.body_grace_seconds + got / limits.body_bytes_per_second - waited
        started = time.monotonic()
        with anyio.move_on_after(max(allowed, 0)):
            message = await receive()
            waited += time.monotonic() - started
            got += len(message.get("body", b""))
            done = not message.get("more_body", False)
            return message
        raise Refusal(408)

    return receive_paced


def host_name(header: str) -> str:
    """``127.0.0.1:8765`` → ``127.0.0.1``; ``[::1]:8765`` → ``::1``."""
    if header.startswith("["):
        return header[1:].split("]", 1)[0]
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header


def cookie_name(request: Request) -> str:
    """One cookie per port, so two servers on one machine keep their own tokens."""
    return f"xlbudget_token_{request.url.port or 80}"


def presented_tokens(request: Request) -> list[str]:
    """The tokens a request carries: a Bearer token as UTF-8 or percent-encoded (HTTP headers
    are bytes), the ``?token=`` parameter (decoded already), the page's cookie (percent-encoded,
    as cookies hold ASCII only)."""
    bearer = request.headers.get("authorization", "")
    found = []
    if bearer.lower().startswith("bearer "):
        raw = bearer[7:].strip()
        with contextlib.suppress(UnicodeError):
            raw = raw.encode("latin-1").decode("utf-8")
        found += [raw, unquote(raw)]
    found += [v for v in (request.query_params.get("token"), unquote(request.cookies.get(cookie_name(request), ""))) if v]
    return found


# -- uploads -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Upload:
    """A parsed request: the saved workbooks and the chosen options."""

    job: Job
    paths: list[Path]
    profile: str | None
    narrative: tuple[str, ...]
    rounding: str | None  # None: the profile's
    budgets: list[Path] = field(default_factory=list)  # a 部门决算's year budget workbook(s): its 年初预算 (--budget)


class Web:
    """The routes, sharing the job store, the limits and a limiter of concurrent pipelines."""

    def __init__(self, store: JobStore, limits: Limits) -> None:
        self.store, self.limits = store, limits
        self.limiter: anyio.CapacityLimiter | None = None

    async def run(self, call: Callable[..., Outcome], *args: Any, **kwargs: Any) -> Outcome:
        """A pipeline call in a worker thread, at most CONCURRENT at once."""
        if self.limiter is None:
            self.limiter = anyio.CapacityLimiter(CONCURRENT)
        return await anyio.to_thread.run_sync(partial(call, *args, **kwargs), limiter=self.limiter)

    @asynccontextmanager
    async def receive(self, request: Request, most: int | None = None) -> AsyncIterator[Upload]:
        """Check the sizes and the disk cap, then save each workbook in a new job's folder under
        an internal name. On leaving, every upload is deleted (refused or answered alike) and the
        job's results are counted against the disk cap."""
        length = request.headers.get("content-length")
        if length is None or not length.isdigit():
            raise Refusal(411)
        size = int(length)
        if size > self.limits.request_bytes:
            raise Refusal(413, over_limit("上传内容", size, "每次请求", self.limits.request_bytes) + "请分几次上传。",
                          "request_too_large")
        if not request.headers.get("content-type", "").startswith("multipart/form-data"):
            raise Refusal(400)
        try:
            self.store.reserve(size)
        except DiskFull:
            raise Refusal(507, f"服务器为上传和结果预留的磁盘空间（{size_text(self.store.disk, up=False)}）已用完，请稍后再试："
                               f"之前的结果在 {self.store.ttl / 60:.0f} 分钟后自动删除。", "disk_full") from None
        job: Job | None = None
        try:
            async with self.form(request, most or self.limits.files) as (uploads, budgets, fields):
                profile, narrative, rounding = _profile(fields), _narrative(fields), _rounding(fields)
                job = self.store.create()
                paths = []
                for index, upload in enumerate([*uploads, *budgets], start=1):
                    path = job.upload_path(index, upload.filename)
                    await anyio.to_thread.run_sync(_save, upload, path)
                    paths.append(path)
            yield Upload(job, paths[:len(uploads)], profile, narrative, rounding, paths[len(uploads):])
        except BaseException:
            if job is not None:
                self.store.discard(job)
                job = None
            raise
        finally:
            self.store.release(size, job)

    @asynccontextmanager
    async def form(self, request: Request, most: int
                   ) -> AsyncIterator[tuple[list[UploadFile], list[UploadFile], dict[str, str]]]:
        """The request's workbooks (within the limits), a 部门决算's year budget workbooks (field
        ``budget``) and its text fields."""
        try:
            async with request.form(max_files=most, max_fields=100) as form:
                given, budgets = form.getlist("files"), form.getlist("budget")
                uploads = [u for u in given if isinstance(u, UploadFile)]
                if not uploads or len(uploads) != len(given):
                    raise Refusal(400, "请求中没有工作簿：请以 multipart/form-data 上传，文件字段名为 files。", "no_files")
                budget = [b for b in budgets if isinstance(b, UploadFile)]
                if len(budget) != len(budgets):
                    raise Refusal(400, "budget 字段须为预算工作簿文件（部门决算的年初预算取自它）。", "bad_budget")
                for upload in [*uploads, *budget]:
                    if (upload.size or 0) > self.limits.file_bytes:
                        raise Refusal(413, over_limit(f"文件 {safe_name(upload.filename, 1)} ", upload.size or 0, "每个文件",
                                                      self.limits.file_bytes) + "预算填报工作簿通常不到 1 MB。",
                                      "file_too_large")
                yield uploads, budget, {k: v for k, v in form.items() if isinstance(v, str)}
        except HTTPException as exc:
            if "Too many files" in str(exc.detail):  # python-multipart stopped at ``most``
                raise Refusal(413, f"一次最多上传 {most} 个工作簿。", "too_many_files") from None
            raise

    # -- routes ----------------------------------------------------------------------------------

    async def index(self, request: Request) -> Response:
        page = (resources.files("xlbudget.web") / "static" / "index.html").read_text(encoding="utf-8")
        response = HTMLResponse(page)
        token = request.query_params.get("token")
        if token:  # the guard has checked it: keep it for the page's own requests (the page then drops it from the address)
            response.set_cookie(cookie_name(request), quote(token, safe=""), httponly=True, samesite="strict")
        return response

    async def icon(self, request: Request) -> Response:
        return static_file("favicon.svg")

    async def asset(self, request: Request) -> Response:
        name = request.path_params["name"]
        if name not in ASSETS:
            raise Refusal(404)
        return static_file(name)

    async def profiles(self, request: Request) -> Response:
        listed = [{"name": name, "description": text, "amount_unit": load_profile(name).amount_unit,
                   "family": load_profile(name).family} for name, text in builtin_profiles().items()]
        return JSONResponse({"default": DEFAULT_PROFILE, "profiles": listed,
                             "options": {"narrative": list(NARRATIVE_FORMATS), "rounding": list(ROUNDINGS)}})

    async def check(self, request: Request) -> Response:
        async with self.receive(request) as upload:
            outcome = await self.run(derive, upload.paths, profile=upload.profile, rounding=upload.rounding,
                                     year_budget=upload.budgets)
            return self.answer(request, upload, outcome)

    async def compile(self, request: Request) -> Response:
        async with self.receive(request) as upload:
            target = upload.job.outputs / DISCLOSURE
            outcome = await self.run(compile_workbook, upload.paths, target, profile=upload.profile,
                                     narrative=upload.narrative, rounding=upload.rounding, year_budget=upload.budgets)
            for path in outcome.outputs:
                upload.job.files[path.suffix.lstrip(".")] = path
            if outcome.outputs and outcome.display:
                preview = upload.job.outputs / "preview.html"
                preview.write_text(tables_html(outcome.display.shown), encoding="utf-8")  # as the workbook shows them
                upload.job.files["preview"] = preview
            return self.answer(request, upload, outcome)

    async def blank_template(self, request: Request) -> Response:
        profile = _profile(dict(request.query_params))  # None: the default format
        family = load_profile(profile or DEFAULT_PROFILE).family
        year_text = request.query_params.get("year", str(date.today().year + (1 if family == "预算" else -1)))
        unit = request.query_params.get("unit") or None  # None: the format's money unit
        if not year_text.isdigit() or not 2000 <= int(year_text) <= 2100 or unit not in (None, *UNITS):
            raise Refusal(400, f"年度须为 2000–2100 的整数，金额单位须为 {'、'.join(UNITS)} 之一。", "bad_template_options")
        job = self.store.create()
        target = job.outputs / f"{year_text}年{family}填报模板.xlsx"  # 2025年预算填报模板.xlsx, 2024年决算填报模板.xlsx
        outcome = await self.run(write_template_file, target, int(year_text), amount_unit=unit, profile=profile)
        if outcome.exit_code:
            self.store.discard(job)
            raise Refusal(500, outcome.findings[0].message)
        return FileResponse(target, filename=target.name, background=BackgroundTask(self.store.discard, job))

    async def template(self, request: Request) -> Response:
        return await (self.blank_template(request) if request.method in ("GET", "HEAD") else self.template_from(request))

    async def template_from(self, request: Request) -> Response:
        async with self.receive(request, most=1) as upload:
            family = load_profile(upload.profile).family if upload.profile else "预算"  # 决算: from the year's budget
            target = upload.job.outputs / (TEMPLATE_NAME if family == "预算" else f"{family}填报模板.xlsx")
            outcome = await self.run(write_template_from, upload.paths[0], target, profile=upload.profile)
            if outcome.outputs:
                upload.job.files["xlsx"] = target
            return self.answer(request, upload, outcome)

    async def download(self, request: Request) -> Response:
        job = self.store.get(request.path_params["job"])
        kind = request.path_params["kind"]
        path = job.files.get(kind) if job else None
        if job is None or path is None:
            raise Refusal(404, f"下载已过期（结果保留 {self.store.ttl / 60:.0f} 分钟）或不存在，请重新上传。", "expired")
        if kind == "html":  # shown in the page, saved under its name
            return HTMLResponse(path.read_text(encoding="utf-8"), headers={
                "Content-Security-Policy": REPORT_CSP,
                "Content-Disposition": f"inline; filename*=utf-8''{quote(download_name(job, kind, path))}"})
        if kind in INLINE:
            return HTMLResponse(path.read_text(encoding="utf-8"))
        return FileResponse(path, filename=download_name(job, kind, path))

    def answer(self, request: Request, upload: Upload, outcome: Outcome) -> JSONResponse:
        """The JSON report (docs/report-schema.json) inside the envelope of docs/api.md; the
        report's .json and .html are kept for download."""
        job, names = upload.job, [upload.job.names[p.name] for p in upload.paths]
        findings = for_page(outcome.findings, job.names, self.store.root)
        units = {u.code: u.name for u in outcome.budget.units} if outcome.budget else {}
        for kind in ("json", "html"):
            path = job.outputs / f"校验报告.{kind}"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(render_report(findings, kind, names, units,
                                          family=outcome.layout.family if outcome.layout else "预算"), encoding="utf-8")
            job.files[kind] = path
        report = json.loads(job.files["json"].read_text(encoding="utf-8"))
        base = f"{str(request.base_url).rstrip('/')}/api/jobs/{job.id}"  # full URLs, ready for curl
        body: dict[str, Any] = {
            "status": STATUS[outcome.exit_code], "exit_code": outcome.exit_code,
            "summary": summary_line(findings), "report": report,
            "downloads": {kind: f"{base}/{kind}" for kind in job.files if kind not in INLINE},
            "report_html": f"{base}/html", "expires_in": round(self.store.ttl),
        }
        if "preview" in job.files:
            body["preview"] = f"{base}/preview"
        if outcome.layout:  # the document read: 预算 (its 预算说明) or 决算 (its 决算说明)
            body["family"] = outcome.layout.family
        if outcome.exit_code == EXIT_UNUSABLE:
            body["error"] = findings[0].message if findings else MESSAGES[400]
            body["code"] = "unusable"
        elif outcome.exit_code and not outcome.outputs:
            body["note"] = NO_FORCE
        return JSONResponse(body, 422 if outcome.exit_code == EXIT_UNUSABLE else 200)


def static_file(name: str) -> Response:
    """One of the page's own files (ASSETS), served by name."""
    return Response((resources.files("xlbudget.web") / "static" / name).read_bytes(), media_type=ASSETS[name])


def size_text(size: int, up: bool = True) -> str:
    """A size for a message in KB below 1 MB, else in MB to a tenth; rounded ``up`` (a size)
    or down (a limit), so a size over a limit never reads as the limit."""
    unit, per, name = (1024, 1, "KB") if size < MB else (MB, 10, "MB")
    steps = -(-size * per // unit) if up else size * per // unit
    return f"{steps // per} {name}" if steps % per == 0 else f"{steps / per:.1f} {name}"


def over_limit(what: str, size: int, limit_name: str, limit: int) -> str:
    """``上传内容共 60.1 MB，超过每次请求 60 MB 的上限。`` — every size message reads the same."""
    return f"{what}共 {size_text(size)}，超过{limit_name} {size_text(limit, up=False)} 的上限。"


def download_name(job: Job, kind: str, path: Path) -> str:
    """``<first upload>_公开表.xlsx``, ``<first upload>_校验报告.html`` …; a template keeps its name."""
    label = DOWNLOAD_LABELS.get(path.name)
    return f"{job.title}_{label}" if label else path.name


def _save(upload: UploadFile, path: Path) -> None:
    upload.file.seek(0)
    with path.open("wb") as out:
        shutil.copyfileobj(upload.file, out)


def _profile(fields: dict[str, str]) -> str | None:
    """The chosen profile, one of the shipped ones (a name, never a path); None when none is
    chosen: the format each workbook records (the default when it records none)."""
    name = fields.get("profile") or None
    if name is not None and name not in profiles.names():
        raise Refusal(400, f"未知的格式配置：{name}（可选：{'、'.join(profiles.names())}）", "unknown_profile")
    return name


def _narrative(fields: dict[str, str]) -> tuple[str, ...]:
    try:
        return parse_formats(fields.get("narrative") or "docx,md")
    except ValueError as exc:
        raise Refusal(400, str(exc), "bad_narrative") from None


def _rounding(fields: dict[str, str]) -> str | None:
    name = fields.get("rounding") or None
    if name is not None and name not in ROUNDINGS:
        raise Refusal(400, f"舍入方式须为 {'、'.join(ROUNDINGS)} 之一，或不填（按格式配置）；收到：{name}", "bad_rounding")
    return name


# -- the app -----------------------------------------------------------------------------------


def create_app(token: str | None = None, *, loopback: bool = True, limits: Limits | None = None,
               store: JobStore | None = None) -> ASGIApp:
    """The ASGI app. ``token``: required on every request when given (and it must be given
    unless ``loopback``). The job store's folders are removed on shutdown."""
    if not loopback and not token:
        raise ValueError("在非本机地址上提供服务时必须设置访问令牌")
    jobs, limits = store or JobStore(JOB_TTL), limits or Limits()
    web = Web(jobs, limits)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        async with anyio.create_task_group() as tasks:
            tasks.start_soon(_sweep, jobs)
            try:
                yield
            finally:
                tasks.cancel_scope.cancel()
                jobs.close()

    async def refused(request: Request, exc: Exception) -> Response:
        if isinstance(exc, Refusal):
            return exc.response(request.url.path)
        if isinstance(exc, HTTPException) and exc.status_code in CODES:
            return Refusal(exc.status_code, headers=dict(exc.headers or {})).response(request.url.path)  # Allow on 405
        return Refusal(400 if isinstance(exc, HTTPException) else 500).response(request.url.path)

    routes = [
        Route("/", web.index),
        Route("/api/profiles", web.profiles),
        Route("/api/check", web.check, methods=["POST"]),
        Route("/api/compile", web.compile, methods=["POST"]),
        Route("/api/template", web.template, methods=["GET", "POST"]),
        Route("/api/jobs/{job}/{kind}", web.download),
        Route("/static/{name}", web.asset),
        Route("/favicon.ico", web.icon),
    ]
    app = Starlette(routes=routes, lifespan=lifespan,
                    exception_handlers={Refusal: refused, HTTPException: refused, Exception: refused})
    return Guard(app, token, loopback, limits)


async def _sweep(jobs: JobStore, every: float = 60) -> None:
    while True:
        await anyio.sleep(every)
        await anyio.to_thread.run_sync(jobs.sweep)
