"""A workbook remembers its format: ``template --profile X`` records X and the template version in
基本信息 (公开格式, 模板版本); ``compile``, ``check``, ``template --from`` and batch use it when no
--profile is given, refuse a different --profile naming both formats, and read a workbook without
a record as before (henan-2022). Run as a clerk runs them: real processes, files filled with openpyxl."""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from tests.conftest import EXAMPLE_INPUT, ROOT
from tests.web import need
from tests.workbooks import BASE

SHANGHAI_TABLES = ["单位财务收支预算总表", "单位收入预算总表", "单位支出预算总表"]
HENAN_TABLES = ["单位收支预算表", "单位收入预算表", "单位支出预算表"]
FILLED = ("单位", "收入", "基本支出", "项目", "项目支出", "绩效目标")


def xlbudget(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "xlbudget", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=120)


def fill(template: Path, target: Path, **info: object) -> Path:
    """The template filled as a clerk does in Excel: 基本信息 values typed beside their keys (a key
    given as None is cleared), rows typed under the headers of the data sheets (tests.workbooks.BASE)."""
    book = openpyxl.load_workbook(template)
    values = {"部门编码": "001", "部门名称": "测试部门"} | info
    for row in book["基本信息"].iter_rows(min_row=2):
        if row[0].value in values:
            row[1].value = values[row[0].value]
    for name in FILLED:
        sheet, headers = book[name], [c.value for c in book[name][1]]
        given = BASE[name]
        for number, line in enumerate(given[1:], start=2):
            for header, value in zip(given[0], line, strict=True):
                sheet.cell(number, headers.index(header) + 1, value)
    book.save(target)
    return target


def stamp(path: Path) -> dict[str, object]:
    sheet = openpyxl.load_workbook(path)["基本信息"]
    return {key: value for key, value in sheet.iter_rows(min_row=2, values_only=True) if key in ("公开格式", "模板版本")}


def tables(path: Path) -> list[str]:
    return openpyxl.load_workbook(path, read_only=True).sheetnames


@pytest.fixture(scope="module")
def shanghai(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A Shanghai unit workbook from a template stamped shanghai-unit, filled as a clerk would."""
    folder = tmp_path_factory.mktemp("shanghai")
    made = xlbudget("template", "--profile", "shanghai-unit", "--year", "2022", "-o", "模板.xlsx", cwd=folder)
    assert made.returncode == 0, made.stderr
    return fill(folder / "模板.xlsx", folder / "填报.xlsx")


def test_the_template_records_its_format_visibly(shanghai: Path) -> None:
    assert stamp(shanghai) == {"公开格式": "shanghai-unit", "模板版本": 1}  # the core template's version (time)
    guide = [row[0] for row in openpyxl.load_workbook(shanghai)["填报说明"].iter_rows(values_only=True)]
    assert any("“公开格式”（本模板为 shanghai-unit）" in str(line) for line in guide)


def test_compile_without_profile_uses_the_recorded_format(shanghai: Path, tmp_path: Path) -> None:
    done = xlbudget("compile", str(shanghai), "-o", "公开表.xlsx", "--narrative", "none", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    names = tables(tmp_path / "公开表.xlsx")
    assert [n for n in names if n in SHANGHAI_TABLES] == SHANGHAI_TABLES
    assert not [n for n in names if n in HENAN_TABLES]


def test_another_profile_is_an_error_naming_both(shanghai: Path, tmp_path: Path) -> None:
    for command in ("compile", "check"):
        done = xlbudget(command, str(shanghai), "--profile", "henan-2022", cwd=tmp_path)
        assert done.returncode == 2
        report = done.stderr if command == "compile" else done.stdout
        assert "基本信息!B6  [错误 XB150] 工作簿记载的公开格式为“shanghai-unit”，但 --profile 指定的格式为“henan-2022”" in report
        assert "错误 1 个，警告 0 个，提示 0 个" in report
    assert not (tmp_path / f"{shanghai.stem}_公开表.xlsx").exists()
    same = xlbudget("check", str(shanghai), "--profile", "shanghai-unit", "--format", "json", cwd=tmp_path)
    assert "XB150" not in same.stdout and same.returncode in (0, 1)


def test_a_workbook_without_a_record_compiles_as_before(tmp_path: Path) -> None:
    done = xlbudget("compile", str(EXAMPLE_INPUT), "-o", "公开表.xlsx", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    committed = ROOT / "examples" / "luoyang-2022" / "output"
    for name in ("公开表.xlsx", "公开表_预算说明.docx", "公开表_预算说明.md"):
        assert (tmp_path / name).read_bytes() == (committed / name).read_bytes(), name


def test_an_unknown_recorded_format_is_said_at_its_cell(shanghai: Path, tmp_path: Path) -> None:
    typo = fill(shanghai, tmp_path / "改错.xlsx", 公开格式="shanghai-units")
    done = xlbudget("check", str(typo), cwd=tmp_path)
    assert done.returncode == 2
    assert ("基本信息!B6  [错误 XB151] 基本信息“公开格式”为“shanghai-units”，不是内置的公开格式"
            "（henan-2022、juesuan-2024、shanghai-department、shanghai-unit）") in done.stdout


def test_the_clerk_may_change_the_record(shanghai: Path, tmp_path: Path) -> None:
    cleared = fill(shanghai, tmp_path / "清空.xlsx", 公开格式=None)
    assert stamp(cleared) == {"公开格式": None, "模板版本": 1}
    done = xlbudget("compile", str(cleared), "-o", "公开表.xlsx", "--narrative", "none", "--force", cwd=tmp_path)
    assert done.returncode in (0, 1) and [n for n in tables(tmp_path / "公开表.xlsx") if n in HENAN_TABLES] == HENAN_TABLES
    spaced = fill(shanghai, tmp_path / "全角.xlsx", 公开格式=" ｓhanghai-unit ")
    assert "XB15" not in xlbudget("check", str(spaced), "--format", "json", cwd=tmp_path).stdout


def test_template_from_carries_the_record(tmp_path: Path) -> None:
    made = xlbudget("template", "--profile", "henan-2022", "--year", "2022", "-o", "模板.xlsx", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    last = fill(tmp_path / "模板.xlsx", tmp_path / "2022.xlsx")
    done = xlbudget("template", "--from", str(last), "-o", "2023.xlsx", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert stamp(tmp_path / "2023.xlsx") == {"公开格式": "henan-2022", "模板版本": 1}
    refused = xlbudget("template", "--from", str(last), "--profile", "shanghai-unit", "-o", "x.xlsx", cwd=tmp_path)
    assert refused.returncode == 2 and not (tmp_path / "x.xlsx").exists()
    assert "工作簿记载的公开格式为“henan-2022”，但 --profile 指定的格式为“shanghai-unit”" in refused.stderr


def test_unit_workbooks_recording_different_formats_are_refused(shanghai: Path, tmp_path: Path) -> None:
    made = xlbudget("template", "--year", "2022", "-o", "河南.xlsx", cwd=tmp_path)
    assert made.returncode == 0 and stamp(tmp_path / "河南.xlsx") == {"公开格式": "henan-2022", "模板版本": 1}
    henan = fill(tmp_path / "河南.xlsx", tmp_path / "河南填报.xlsx")
    done = xlbudget("check", str(shanghai), str(henan), cwd=tmp_path)
    assert done.returncode == 2
    assert (f"[河南填报.xlsx]基本信息!B6  [错误 XB150] 工作簿记载的公开格式为“henan-2022”，但 {shanghai.name} 记载的格式为"
            "“shanghai-unit”") in done.stdout


def test_batch_compiles_each_workbook_in_its_own_format(shanghai: Path, tmp_path: Path) -> None:
    folder = tmp_path / "各部门"
    folder.mkdir()
    shutil.copy(shanghai, folder / "上海.xlsx")
    shutil.copy(EXAMPLE_INPUT, folder / "洛阳.xlsx")
    done = xlbudget("compile", "--batch", str(folder), "--out-dir", "公开表", "--jobs", "1", "--narrative", "none",
                    "--force", cwd=tmp_path)
    assert done.returncode in (0, 1), done.stderr
    assert [n for n in tables(tmp_path / "公开表" / "上海_公开表.xlsx") if n in SHANGHAI_TABLES] == SHANGHAI_TABLES
    assert [n for n in tables(tmp_path / "公开表" / "洛阳_公开表.xlsx") if n in HENAN_TABLES] == HENAN_TABLES


def test_the_web_api_defaults_to_the_recorded_format(shanghai: Path) -> None:
    need("starlette")
    need("httpx")
    from starlette.testclient import TestClient

    from xlbudget.web.app import create_app

    files = [("files", (shanghai.name, shanghai.read_bytes(), "application/octet-stream"))]
    with TestClient(create_app(), base_url="http://127.0.0.1:8765") as client:
        compiled = client.post("/api/compile", files=files, data={"narrative": "none"}).json()
        assert compiled["exit_code"] in (0, 1) and "XB150" not in compiled["report"]["summary"]["by_rule"]
        names = openpyxl.load_workbook(io.BytesIO(client.get(compiled["downloads"]["xlsx"]).content)).sheetnames
        assert [n for n in names if n in SHANGHAI_TABLES] == SHANGHAI_TABLES
        refused = client.post("/api/check", files=files, data={"profile": "henan-2022"})
    assert refused.status_code == 422
    assert [(f["rule"], f["location"]) for f in refused.json()["report"]["findings"]] == [("XB150", "基本信息!B6")]
