"""The commands as a clerk runs them: real processes, real files, exit codes."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from tests.conftest import EXAMPLE_INPUT
from xlbudget.cli import main

TABLE_SHEETS = ["单位收支预算表", "单位收入预算表", "单位支出预算表", "财政拨款收支预算表", "一般公共预算支出预算表",
                "一般公共预算基本支出预算表", "支出经济分类汇总表", "一般公共预算“三公”经费预算表",
                "政府性基金预算支出预算表", "国有资本经营预算支出预算表", "项目支出预算表", "单位预算项目绩效目标表"]


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "xlbudget", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=120)


def test_example_then_compile(tmp_path: Path) -> None:
    assert run("example", ".", cwd=tmp_path).returncode == 0
    done = run("compile", "luoyang-2022.xlsx", "-o", "公开表.xlsx", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    workbook = openpyxl.load_workbook(tmp_path / "公开表.xlsx")
    assert workbook.sheetnames[0] == "目录"
    assert [s for s in workbook.sheetnames if s in TABLE_SHEETS] == TABLE_SHEETS
    sheet = workbook["单位支出预算表"]
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    row = next(r for r in values if r[4] == "行政运行")
    assert row[5] == pytest.approx(263.10) and row[6] == pytest.approx(263.10)


def test_compile_is_byte_identical(tmp_path: Path) -> None:
    run("example", ".", cwd=tmp_path)
    run("compile", "luoyang-2022.xlsx", "-o", "a.xlsx", cwd=tmp_path)
    run("compile", "luoyang-2022.xlsx", "-o", "b.xlsx", cwd=tmp_path)
    assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()


def test_compile_refuses_to_overwrite_its_input(tmp_path: Path) -> None:
    run("example", ".", cwd=tmp_path)
    before = (tmp_path / "luoyang-2022.xlsx").read_bytes()
    done = run("compile", "luoyang-2022.xlsx", "-o", "luoyang-2022.xlsx", cwd=tmp_path)
    assert done.returncode == 2 and "拒绝覆盖输入" in done.stderr
    assert (tmp_path / "luoyang-2022.xlsx").read_bytes() == before


def test_missing_input_is_exit_2_without_traceback(tmp_path: Path) -> None:
    done = run("compile", "没有这个文件.xlsx", cwd=tmp_path)
    assert done.returncode == 2
    assert "找不到文件" in done.stderr and "Traceback" not in done.stderr
    assert list(tmp_path.iterdir()) == []


def test_not_a_workbook_is_exit_2(tmp_path: Path) -> None:
    (tmp_path / "假的.xlsx").write_text("单位编码,金额\n157001,1\n", encoding="utf-8")
    done = run("compile", "假的.xlsx", "-o", "out.xlsx", cwd=tmp_path)
    assert done.returncode == 2 and "无法作为 Excel 工作簿读取" in done.stderr
    assert not (tmp_path / "out.xlsx").exists()


def test_template_command(tmp_path: Path) -> None:
    done = run("template", "-o", "模板.xlsx", "--year", "2023", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    workbook = openpyxl.load_workbook(tmp_path / "模板.xlsx")
    assert "收入" in workbook.sheetnames and "填报说明" in workbook.sheetnames


@pytest.mark.parametrize("command", sorted(main.commands))
def test_every_command_has_help(command: str) -> None:
    result = CliRunner().invoke(main, [command, "--help"])
    assert result.exit_code == 0
    assert main.commands[command].help, f"{command} has no help text"


@pytest.mark.parametrize("command", [[], *([c] for c in sorted(main.commands))])
def test_help_pages_are_in_chinese(command: list[str]) -> None:
    shown = CliRunner().invoke(main, [*command, "--help"], prog_name="xlbudget").output
    assert shown.startswith("用法：xlbudget") and "\n选项：\n" in shown and "显示本帮助并退出。" in shown
    assert [w for w in ("Usage:", "Options:", "Commands:", "Show this", "[default:") if w in shown] == []


def test_help_does_not_import_heavy_libraries() -> None:
    code = ("import sys; from xlbudget.cli import main\n"
            "heavy = {'openpyxl', 'xlsxwriter', 'pandas', 'python_calamine'} & set(sys.modules)\n"
            "print(sorted(heavy))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_an_internal_error_is_a_message_not_a_traceback(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import xlbudget.pipeline as pipeline
    from xlbudget.cli import run

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("模拟的程序错误")

    monkeypatch.setattr(pipeline, "write_example", broken)
    monkeypatch.delenv("XLBUDGET_DEBUG", raising=False)
    monkeypatch.setattr(sys, "argv", ["xlbudget", "example", str(tmp_path)])
    with pytest.raises(SystemExit) as stop:
        run()
    assert stop.value.code == 2


# -- usage errors in Chinese ----------------------------------------------------------------------
@pytest.mark.parametrize(("args", "message"), [
    (["check"], "错误：缺少参数 INPUTS..."),
    (["compile", "--bogus", "a.xlsx"], "错误：没有选项“--bogus”"),
    (["compil"], "错误：没有命令“compil”；可用的命令：check、compile、example、"),
    (["template", "--year", "abc"], "错误：选项 --year 的值无效：“abc”不是有效的整数"),
    (["template", "--year", "1900"], "错误：选项 --year 的值无效：1900 不在允许的范围（2000<=x<=2100）内"),
    (["check", "a.xlsx", "--format", "pdf"], "错误：选项 --format 的值无效：“pdf”不是可选的值，可选：text、json、html"),
    (["compile", "a.xlsx", "-o"], "错误：选项 -o 后面需要一个值"),
    (["check", "--strict=1", "a.xlsx"], "错误：选项 --strict 不带值"),
    (["example", "a", "b"], "错误：多余的参数：b"),
    (["compile", "a.xlsx", "--narrative", "pdf"], "错误：选项 --narrative 的值无效："),
])
def test_usage_errors_are_in_chinese(args: list[str], message: str) -> None:
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2
    assert message in result.output
    assert [w for w in ("Usage:", "Error:", "Try '", "Invalid", "Missing", "No such") if w in result.output] == []


def test_usage_error_shows_the_usage_line_in_chinese() -> None:
    lines = CliRunner().invoke(main, ["check"], prog_name="xlbudget").output.splitlines()
    assert lines[:2] == ["用法：xlbudget check [选项] INPUTS...", "运行“xlbudget check --help”查看帮助。"]


def test_compile_refuses_a_file_together_with_batch(tmp_path: Path) -> None:
    (tmp_path / "部门").mkdir()
    shutil.copy(EXAMPLE_INPUT, tmp_path / "部门" / "a.xlsx")
    result = CliRunner().invoke(main, ["compile", str(EXAMPLE_INPUT), "--batch", str(tmp_path / "部门"),
                                       "--out-dir", str(tmp_path / "out")])
    assert result.exit_code == 2 and "不能同时给出填报工作簿" in result.output
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("option", ["--batch", "--templates"])
def test_a_missing_folder_is_xb001(tmp_path: Path, option: str) -> None:
    args = ["compile", "--batch", str(tmp_path / "没有")] if option == "--batch" else [
        "compile", str(EXAMPLE_INPUT), "-o", str(tmp_path / "out.xlsx"), "--templates", str(tmp_path / "没有")]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2 and "[错误 XB001]" in result.output and "does not exist" not in result.output
    assert not (tmp_path / "out.xlsx").exists()


def test_an_empty_batch_folder_is_xb001_not_an_internal_error(tmp_path: Path) -> None:
    (tmp_path / "空").mkdir()
    result = CliRunner().invoke(main, ["compile", "--batch", str(tmp_path / "空"), "--out-dir", str(tmp_path / "o")])
    assert result.exit_code == 2 and "[错误 XB001]" in result.output and "中没有填报工作簿" in result.output


def on_a_terminal(*args: str, env: dict[str, str]) -> str:
    """What the command prints when its output is a terminal (a pseudo-terminal here)."""
    import os
    import pty

    main_fd, child_fd = pty.openpty()
    done = subprocess.run([sys.executable, "-m", "xlbudget", *args], stdout=child_fd, stderr=child_fd,
                          env={**os.environ, **env}, timeout=120)
    os.close(child_fd)
    chunks = []
    while True:
        try:
            chunk = os.read(main_fd, 65536)
        except OSError:  # the terminal is closed once everything is read
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(main_fd)
    assert done.returncode == 0
    return b"".join(chunks).decode("utf-8")


@pytest.mark.parametrize(("no_color", "coloured"), [("", True), ("1", False)])
def test_no_color_turns_colour_off(no_color: str, coloured: bool) -> None:
    shown = on_a_terminal("check", str(EXAMPLE_INPUT), env={"NO_COLOR": no_color})
    assert "[警告 XB404]" in shown
    assert ("\x1b[" in shown) is coloured


@pytest.mark.parametrize(("delay", "shown"), [(0.0, ["读取", "编制", "校验", "写出"]), (3600.0, [])])
def test_compile_shows_its_stages_once_it_runs_long(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                    delay: float, shown: list[str]) -> None:
    """Progress on stderr after the delay (0 here: every stage shows; an hour: none does)."""
    from xlbudget import cli

    monkeypatch.setattr(cli._Progress, "DELAY", delay)
    result = CliRunner().invoke(main, ["compile", str(EXAMPLE_INPUT), "-o", str(tmp_path / "公开表.xlsx")])
    assert result.exit_code == 0
    stages = [line.split("中……")[0] for line in result.stderr.splitlines() if "中……（已用" in line]
    assert stages == shown
    assert "已生成：" not in result.stderr and "中……" not in result.stdout
