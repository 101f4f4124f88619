"""Click's usage errors and help pages in Chinese.

Click writes its messages in English. The ``xlbudget`` group (``ChineseGroup``) catches every usage
error click raises while parsing or dispatching and raises ``ChineseUsageError`` instead, whose
``show`` prints the usage line, the help hint and the message in Chinese (exit code 2, as click's).
Its commands (``ChineseCommand``) and the group itself put click's words of a help page in Chinese.
"""

from __future__ import annotations

import re
from typing import IO, Any

import click

_PATH_KIND = {"File": "文件", "Directory": "文件夹", "Path": "路径", "file": "文件", "directory": "文件夹",
              "path": "路径"}
_NUMBER_KIND = {"integer": "整数", "integer range": "整数", "float": "数字", "float range": "数字",
                "boolean": "是/否值"}

# (click's English message, its Chinese form); ``{0}``… are the pattern's groups.
_MESSAGES: tuple[tuple[str, str], ...] = (
    (r"^'(.*)' is not a valid (integer range|integer|float range|float|boolean)\.$", "“{0}”不是有效的{1}"),
    (r"^(.*) is not in the range (.*)\.$", "{0} 不在允许的范围（{1}）内"),
    (r"^'(.*)' is not (?:one of )?(.*)\.$", "“{0}”不是可选的值，可选：{1}"),
    (r"^(File|Directory|Path) '(.*)' does not exist\.$", "找不到{0}“{1}”"),
    (r"^(File|Directory|Path) '(.*)' is a file\.$", "“{1}”是文件，这里应为文件夹"),
    (r"^(File|Directory|Path) '(.*)' is a directory\.$", "“{1}”是文件夹，这里应为文件"),
    (r"^(File|Directory|Path) '(.*)' is not (readable|writable)\.$", "无法读写{0}“{1}”（没有权限）"),
    (r"^Option '(.*)' requires an argument\.$", "选项 {0} 后面需要一个值"),
    (r"^Option '(.*)' does not take a value\.$", "选项 {0} 不带值"),
    (r"^Got unexpected extra arguments? \((.*)\)$", "多余的参数：{0}"),
    (r"^Missing command\.$", "缺少命令"),
    (r"^Argument '(.*)' takes (\d+) values\.$", "参数 {0} 需要 {1} 个值"),
)
_NO_SUCH_COMMAND = r"^No such command '(.*)'\.$"


def _words(match: re.Match[str]) -> list[str]:
    """The pattern's groups, with click's type names and quoted choice lists made Chinese."""
    words = []
    for group in match.groups():
        group = _PATH_KIND.get(group, _NUMBER_KIND.get(group, group))
        words.append("、".join(re.findall(r"'([^']*)'", group)) or group if "'" in group else group)
    return words


def chinese_text(message: str) -> str:
    """One of click's English messages in Chinese; any other message (ours) unchanged."""
    for pattern, chinese in _MESSAGES:  # matched only on a usage error: compiled then, by re's cache
        match = re.match(pattern, message.strip())
        if match:
            return chinese.format(*_words(match))
    return message


def _param_name(param: click.Parameter | None, ctx: click.Context | None) -> str:
    if param is None:
        return "参数"
    if isinstance(param, click.Option):
        return f"选项 {'/'.join(param.opts)}"
    return f"参数 {param.make_metavar(ctx) if ctx else (param.name or '').upper()}"


def chinese_message(error: click.UsageError) -> str:
    """The message of any click usage error, in Chinese."""
    if isinstance(error, click.NoSuchOption):
        guess = f"；是否要用：{'、'.join(error.possibilities)}" if error.possibilities else ""
        return f"没有选项“{error.option_name}”{guess}"
    command = re.match(_NO_SUCH_COMMAND, error.message)
    if command:  # click ≥ 8.4 raises NoSuchCommand, older versions a plain UsageError
        group = error.ctx.command if error.ctx else None
        commands = group.list_commands(error.ctx) if isinstance(group, click.Group) and error.ctx else []
        return f"没有命令“{command[1]}”" + (f"；可用的命令：{'、'.join(commands)}" if commands else "")
    if isinstance(error, click.MissingParameter):
        return f"缺少{_param_name(error.param, error.ctx)}"
    if isinstance(error, click.BadParameter):
        return f"{_param_name(error.param, error.ctx)} 的值无效：{chinese_text(error.message)}"
    return chinese_text(error.message)


class ChineseUsageError(click.UsageError):
    """A usage error shown in Chinese: usage line, help hint, message."""

    def show(self, file: IO[Any] | None = None) -> None:
        lines = []
        if self.ctx is not None:
            pieces = self.ctx.command.collect_usage_pieces(self.ctx)
            usage = " ".join([self.ctx.command_path, *pieces]).replace("[OPTIONS]", "[选项]")
            lines += [f"用法：{usage.replace('COMMAND [ARGS]...', '命令 [参数]...')}",
                      f"运行“{self.ctx.command_path} --help”查看帮助。", ""]
        lines.append(f"错误：{self.message}")
        click.echo("\n".join(lines), file=file, err=file is None)


def _chinese(error: click.UsageError) -> ChineseUsageError:
    return error if isinstance(error, ChineseUsageError) else ChineseUsageError(chinese_message(error), error.ctx)


# click's words on a help page, in Chinese (the options' own help texts are Chinese already).
_HELP_WORDS = (("Usage: ", "用法："), ("[OPTIONS]", "[选项]"), ("COMMAND [ARGS]...", "命令 [参数]..."),
               ("\nOptions:\n", "\n选项：\n"), ("\nCommands:\n", "\n命令：\n"),
               ("\nPositional arguments:\n", "\n参数：\n"), ("Show this message and exit.", "显示本帮助并退出。"),
               ("Show the version and exit.", "显示版本号并退出。"), ("[default: ", "[默认："),
               ("[default:", "[默认："), ("[required]", "[必填]"))  # a long help wraps after "[default:"


def chinese_help(text: str) -> str:
    for english, chinese in _HELP_WORDS:
        text = text.replace(english, chinese)
    return text


class ChineseCommand(click.Command):
    """A command whose help page is in Chinese."""

    def get_help(self, ctx: click.Context) -> str:
        return chinese_help(super().get_help(ctx))


class ChineseGroup(click.Group):
    """A command group whose usage errors (its own and its commands') and help pages are shown in
    Chinese; ``@group.command()`` makes ChineseCommands."""

    command_class = ChineseCommand

    def get_help(self, ctx: click.Context) -> str:
        return chinese_help(super().get_help(ctx))

    def make_context(self, info_name: str | None, args: list[str], parent: click.Context | None = None,
                     **extra: Any) -> click.Context:
        try:
            return super().make_context(info_name, args, parent, **extra)
        except click.UsageError as error:
            raise _chinese(error) from None

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except click.UsageError as error:
            raise _chinese(error) from None
