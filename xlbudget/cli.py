"""The ``xlbudget`` command: parse arguments, call the pipeline, print, choose the exit code.

Heavy libraries are imported inside the pipeline calls, so ``xlbudget --help`` stays fast.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

import click

from xlbudget import __version__
from xlbudget.usage import ChineseGroup

if TYPE_CHECKING:
    from xlbudget.batch import Options

PATHS = click.Path(path_type=Path)
GC_YOUNG_THRESHOLD = 50_000  # allocations between young-generation collections (Python's default: 700)


def _profile_option(command: Any) -> Any:
    """--profile: a built-in format's name (listed in the help) or a profile file."""
    from xlbudget import profiles

    names = "、".join(profiles.names())
    return click.option("--profile", default=None,
                        help=f"公开格式：内置 {names}（xlbudget profiles 列出），或自己的格式配置文件 .toml。默认按"
                             f"工作簿基本信息记载的“公开格式”（xlbudget template 生成的模板都有记载），未记载时为 "
                             f"{profiles.DEFAULT}")(command)
CATALOG_HELP = "自定义科目 CSV（类别,编码,名称[,政府经济分类编码,单位类型]），可多次指定"
BUDGET_OPTION = click.option(
    "--budget", "year_budget", type=PATHS, multiple=True,
    help="部门决算：同一年度的预算填报工作簿（编制该年度预算公开表所用的；部门由几个单位工作簿合并的，每个写一次"
         "--budget），按它填写每个项级科目和“三公”经费的年初预算，并报告决算工作簿自己填写的年初预算与它不同之处")
ROUNDING_OPTION = click.option(
    "--rounding", type=click.Choice(["exact", "balanced"]), default=None,
    help="万元显示数的舍入：exact 逐数四舍五入（合计与分项之和可能差几分）；balanced 舍位平衡（每个合计都"
         "等于其显示分项之和，各数与精确值相差不到 0.01 万元）。默认按格式配置（henan-2022 为 exact）")


def _colour(stream: TextIO) -> bool:
    """Colour on a terminal, unless the NO_COLOR convention (no-color.org) turns it off."""
    return stream.isatty() and not os.environ.get("NO_COLOR")


def _finish(outcome: object, done: str = "", inputs: tuple[Path, ...] = ()) -> None:
    """Print findings (if any) and written files, then exit with the outcome's code."""
    from xlbudget.report import format_text

    findings = outcome.findings  # type: ignore[attr-defined]
    if findings:
        click.echo(format_text(findings, colour=_colour(sys.stderr), files=[p.name for p in inputs]), err=True)
    for path in outcome.outputs:  # type: ignore[attr-defined]
        click.echo(f"{done}{path}")
    for notice in getattr(outcome, "notices", ()):
        click.echo(notice)
    sys.exit(outcome.exit_code)  # type: ignore[attr-defined]


@click.group(cls=ChineseGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="xlbudget")
def main() -> None:
    """xlbudget：由一份标准工作簿编制部门预算（或部门决算）公开表。

    \b
    xlbudget template -o 模板.xlsx      生成空白填报模板（--profile juesuan-2024：部门决算模板）
    xlbudget example                    写出内置示例（洛阳市政务服务和大数据管理局 2022）
    xlbudget check 填报.xlsx            校验填报工作簿（--format html -o 报告.html）
    xlbudget compile 填报.xlsx -o 公开表.xlsx   编制预算公开表
    xlbudget serve                      网页版（需 pip install 'xlbudget[web]'）

    退出码：0 成功；1 数据有错误；2 文件无法使用或参数错误。
    """


@main.command()
@click.option("-o", "--output", type=PATHS, default=Path("预算填报模板.xlsx"), show_default=True,
              help="输出的模板文件")
@click.option("--year", type=click.IntRange(2000, 2100), default=None,
              help="预算年度（默认为下一年，即正在编制的预算年度；与 --from 同用时为上年工作簿的年度加一）")
@click.option("--unit", "amount_unit", type=click.Choice(["万元", "元"]), default=None,
              help="模板的金额单位（默认取 --profile 格式配置的金额单位；与 --from 同用时沿用上年工作簿的金额单位）")
@click.option("--catalog", "catalogs", type=PATHS, multiple=True, help=CATALOG_HELP)
@click.option("--from", "previous", type=PATHS, default=None,
              help="上年已填报的工作簿：沿用单位、项目和说明事项文字，并以其数字填写上年数。--profile 为部门决算格式"
                   "（如 juesuan-2024）时给出同一年度的预算工作簿：沿用部门、单位、主要职能，填好各项和“三公”经费的"
                   "年初预算，列出各项目的本年支出行待填决算数")
@_profile_option
def template(output: Path, year: int | None, amount_unit: str | None, catalogs: tuple[Path, ...],
             previous: Path | None, profile: str | None) -> None:
    """生成填报模板（含填报说明、下拉选项），为 --profile 格式所需的输入；--from 由上年工作簿生成本年模板，
    或（部门决算格式）由同一年度的预算工作簿生成决算模板。

    模板在基本信息中记载所属的公开格式和模板版本，编制、校验时不写 --profile 即按它。空白模板默认为
    henan-2022；--from 时默认沿用上年工作簿记载的格式。
    """
    from xlbudget.pipeline import write_template_file, write_template_from

    if previous is not None:
        _finish(write_template_from(previous, output, year, catalogs, profile), "已生成模板：")
    from datetime import date

    _finish(write_template_file(output, year or date.today().year + 1, catalogs, amount_unit, profile),
            "已生成模板：")


@main.command()
def profiles() -> None:
    """列出内置的公开格式（--profile 可用的名称），每种一行。"""
    from xlbudget.profile import builtin_profiles

    for name, description in builtin_profiles().items():
        click.echo(f"{name}\t{description}")


def _formats(ctx: click.Context, param: click.Parameter, value: str) -> tuple[str, ...]:
    from xlbudget.narrative import parse_formats

    try:
        return parse_formats(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


@main.command()
@click.argument("inputs", nargs=-1, required=True, type=PATHS)
@click.option("--format", "report_format", type=click.Choice(["text", "json", "html"]), default="text",
              show_default=True, help="报告格式：text 屏幕阅读，json 供程序处理，html 在浏览器中查看和筛选")
@click.option("-o", "--output", type=PATHS, default=None, help="报告文件（默认输出到屏幕）")
@click.option("--strict", is_flag=True, help="有警告时也以退出码 1 结束")
@_profile_option
@click.option("--catalog", "catalogs", type=PATHS, multiple=True, help=CATALOG_HELP)
@click.option("--prior", type=PATHS, default=None, help="上年已填报的工作簿：以其数字作为上年数（优先于“上年数”表）")
@BUDGET_OPTION
@ROUNDING_OPTION
def check(inputs: tuple[Path, ...], report_format: str, output: Path | None, strict: bool, profile: str | None,
          catalogs: tuple[Path, ...], prior: Path | None, year_budget: tuple[Path, ...], rounding: str | None) -> None:
    """校验填报工作簿，报告错误、警告和提示（不生成公开表）。

    多个输入文件视为同一部门的各单位工作簿，合并校验。退出码：0 无错误；1 有错误（--strict 时有警告也为 1）；
    2 文件无法使用。
    """
    from xlbudget.pipeline import check_workbooks
    from xlbudget.report import format_text, summary_line

    outcome = check_workbooks(inputs, profile=profile, catalog_files=catalogs, prior=prior, rounding=rounding,
                              year_budget=year_budget, report_format=report_format, report_path=output, strict=strict,
                              colour=_colour(sys.stdout))
    if not outcome.report:  # the report itself could not be written
        click.echo(format_text(outcome.findings, files=[p.name for p in inputs]), err=True)
    elif output is None:
        click.echo(outcome.report, nl=not outcome.report.endswith("\n"))
    else:
        click.echo(f"{summary_line(outcome.findings)}\n已生成校验报告：{output}", err=True)
    for notice in outcome.notices:  # beside the report (stderr), which may be JSON or HTML
        click.echo(notice, err=True)
    sys.exit(outcome.exit_code)


@main.command(name="compile")
@click.argument("inputs", nargs=-1, type=PATHS)
@click.option("-o", "--output", type=PATHS, default=None, help="输出的公开表工作簿（默认：输入文件名_公开表.xlsx）")
@_profile_option
@click.option("--catalog", "catalogs", type=PATHS, multiple=True, help=CATALOG_HELP)
@click.option("--force", is_flag=True, help="有错误时仍然输出（错误写入“校验结果”表）")
@click.option("--batch", "batch_dir", type=PATHS,
              help="批量编制：目录下每个工作簿（或每个子目录中的单位工作簿）为一个部门")
@click.option("--out-dir", type=PATHS, default=Path("公开表"), show_default=True, help="批量编制的输出目录")
@click.option("--jobs", type=click.IntRange(1, 64), default=None, help="并行进程数（默认：CPU 核数）")
@click.option("--narrative", "narrative", default="docx,md", show_default=True, callback=_formats,
              help="预算说明的格式（docx、md，逗号分隔），none 为不生成；写在公开表旁：公开表名_预算说明.docx")
@click.option("--templates", "template_dir", type=PATHS,
              default=None, help="自己的预算说明模板文件夹（同名文件替换内置模板，见 xlbudget/templates/narrative/README.md）")
@click.option("--prior", type=PATHS, default=None, help="上年已填报的工作簿：以其数字作为上年数（优先于“上年数”表）")
@BUDGET_OPTION
@ROUNDING_OPTION
def compile_(inputs: tuple[Path, ...], output: Path | None, profile: str | None, catalogs: tuple[Path, ...],
             force: bool, batch_dir: Path | None, out_dir: Path, jobs: int | None,
             narrative: tuple[str, ...], template_dir: Path | None, prior: Path | None,
             year_budget: tuple[Path, ...], rounding: str | None) -> None:
    """由填报工作簿编制预算公开表工作簿。

    多个输入文件视为同一部门的各单位工作簿，合并编制。
    """
    if batch_dir is not None:
        from xlbudget.batch import Options

        if inputs:
            raise click.UsageError(f"--batch 编制文件夹中的全部部门，不能同时给出填报工作簿（{inputs[0]}）；"
                                   "请二选一。")
        if prior is not None:
            raise click.UsageError("--prior 只用于单个部门；批量编制时请在各部门工作簿的“上年数”表中填写上年数。")
        if year_budget:
            raise click.UsageError("--budget 只用于单个部门；批量编制时请在各部门决算工作簿的“年初预算”“三公经费”表中"
                                   "填写年初预算。")
        _batch(batch_dir, out_dir, jobs, Options(profile, catalogs, force, narrative, template_dir, rounding))
    if not inputs:
        raise click.UsageError("请给出填报工作簿，或用 --batch 目录 批量编制。")
    import gc

    from xlbudget.pipeline import compile_workbook

    # The compile's millions of objects (input, tables, cells) live until it ends and hold no cycles
    # worth collecting: no collector passes over them meanwhile (a fifth of the CPU of 50,000
    # projects; the peak memory is the same).
    collecting = gc.isenabled()
    gc.disable()
    target = output or inputs[0].with_name(f"{inputs[0].stem}_公开表.xlsx")
    try:
        with _Progress() as progress:
            outcome = compile_workbook(inputs, target, profile=profile, catalog_files=catalogs, force=force,
                                       narrative=narrative, template_dir=template_dir, prior=prior,
                                       rounding=rounding, progress=progress, year_budget=year_budget)
    finally:
        if collecting:
            gc.enable()
    _finish(outcome, "已生成：", inputs)


class _Progress:
    """The compile's stages on stderr, once it has run DELAY seconds (quick compiles stay silent):
    a timer shows the stage under way, later stages show as they start."""

    DELAY = 2.0

    def __init__(self) -> None:
        import threading

        self.start, self.stage, self.shown = time.monotonic(), "", ""
        self.lock = threading.Lock()
        self.timer = threading.Timer(self.DELAY, self._show)
        self.timer.daemon = True

    def __enter__(self) -> _Progress:
        self.timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.timer.cancel()

    def __call__(self, stage: str) -> None:
        self.stage = stage
        if time.monotonic() - self.start >= self.DELAY:
            self._show()

    def _show(self) -> None:
        with self.lock:
            if self.stage and self.stage != self.shown:
                self.shown = self.stage
                click.echo(f"{self.stage}中……（已用 {time.monotonic() - self.start:.0f} 秒）", err=True)


def _batch(folder: Path, out_dir: Path, jobs: int | None, options: Options) -> None:
    """Compile every department under ``folder``: a progress bar on a terminal, lines otherwise."""
    from xlbudget.batch import check_options, compile_batch, default_workers, discover
    from xlbudget.findings import UnusableInput
    from xlbudget.pipeline import EXIT_UNUSABLE, Outcome

    try:
        check_options(options)
        departments = discover(folder, out_dir)
    except UnusableInput as exc:
        _finish(Outcome([exc.finding], exit_code=EXIT_UNUSABLE))
    tty = sys.stderr.isatty()
    with click.progressbar(length=len(departments), label="编制中", file=sys.stderr) if tty else _NoBar() as bar:
        def report(result, done: int, total: int) -> None:  # type: ignore[no-untyped-def]
            if tty:
                bar.update(1)
            else:
                click.echo(f"[{done}/{total}] {result.line}", err=True)

        results = compile_batch(departments, out_dir, jobs or default_workers(), report, options)
    failed = [r for r in results if not r.counted]
    click.echo(f"共 {len(results)} 个部门，成功 {len(results) - len(failed)} 个，未成功 {len(failed)} 个"
               f"（未计入合计）；汇总：{out_dir / '汇总.xlsx'}")
    for r in failed:
        click.echo(f"  {r.name}：{r.status} {r.message}".rstrip())
    sys.exit(1 if failed else 0)


class _NoBar:
    """Stands in for click's progress bar when the output is not a terminal."""

    def __enter__(self) -> _NoBar:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def update(self, steps: int) -> None:
        return None


@main.command()
@click.argument("folder", type=PATHS, default=Path("."))
def example(folder: Path) -> None:
    """写出内置示例填报工作簿，便于试用 compile。"""
    from xlbudget.pipeline import write_example

    _finish(write_example(folder), "已写出示例：")


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="监听地址；0.0.0.0 在局域网中共享（此时必须使用访问令牌）")
@click.option("--port", type=click.IntRange(0, 65535), default=8765, show_default=True, help="端口")
@click.option("--no-browser", is_flag=True, help="不自动打开浏览器")
@click.option("--token", default=None,
              help="访问令牌：每个请求都须携带；非本机地址不指定时自动生成并显示。可用中文，地址中按百分号编码")
@click.option("--disk-limit", type=click.IntRange(10, None), default=None, metavar="MB",
              help="上传和结果合计最多占用的磁盘空间（MB，默认 1024）；用完时新的上传须等之前的结果过期")
def serve(host: str, port: int, no_browser: bool, token: str | None, disk_limit: int | None) -> None:
    """启动网页版：在浏览器中上传填报工作簿、查看校验结果、预览和下载公开表。

    需要先安装网页组件：pip install 'xlbudget[web]'。文件只在本机（或所设服务器）处理，不发送到别处。
    """
    try:
        from xlbudget.web.server import ServeError
        from xlbudget.web.server import serve as run_server
    except ImportError as exc:
        click.echo(f"网页版需要额外的组件（缺少 {exc.name}）：请运行 pip install 'xlbudget[web]'", err=True)
        sys.exit(2)
    try:
        run_server(host, port, token, open_browser=not no_browser, echo=click.echo, disk_mb=disk_limit)
    except ServeError as exc:
        click.echo(str(exc), err=True)
        sys.exit(2)


_MAIN_PROCESS = os.getpid()  # batch workers inherit the handler below; only the command itself speaks


def _stop(signum: int, frame: object) -> None:
    """SIGTERM / SIGINT / SIGHUP: unwind like an error, so every temporary file is removed."""
    if os.getpid() == _MAIN_PROCESS:
        click.echo("\nxlbudget 已中断：未完成的输出没有写出，临时文件已删除。", err=True)
    raise SystemExit(128 + signum)


def run() -> None:
    """Console entry point: an unexpected error is a Chinese message and exit 2, never a
    traceback (set XLBUDGET_DEBUG=1 to see it)."""
    import gc
    import signal

    for name in ("SIGTERM", "SIGINT", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), _stop)
    # A compile allocates millions of short-lived, acyclic objects: collect the young generation
    # less often, and never rescan the start-up objects (modules, click's commands).
    gc.set_threshold(GC_YOUNG_THRESHOLD, *gc.get_threshold()[1:])
    gc.freeze()
    try:
        main()
    except Exception as exc:  # click handles usage errors and exits itself
        if os.environ.get("XLBUDGET_DEBUG"):
            raise
        click.echo(f"xlbudget 内部错误：{type(exc).__name__}: {exc}\n输入文件没有被修改，也没有写出不完整的文件。"
                   "请把所用命令和文件提供给维护人员（设置环境变量 XLBUDGET_DEBUG=1 可显示详细信息）。", err=True)
        sys.exit(2)


if __name__ == "__main__":  # pragma: no cover
    run()
