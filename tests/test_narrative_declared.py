"""One narrative mechanism: every profile declares its 预算说明 (``[narrative]``: templates, the
figures they read, the 上年数 compared); a profile requires exactly the figures it uses, so a
one-table profile compiles, a profile may bring its templates in a folder beside it, and a
profile without ``[narrative]`` writes none and says so."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from importlib import resources
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from tests.conftest import EXAMPLE_INPUT, ROOT
from xlbudget.cli import main
from xlbudget.profile import ProfileError, load_profile, profile_from_data

ONE_TABLE = """
name = "一张表"
description = "只有收支总表"
amount_unit = "万元"
decimals = 2
title = "{year}年{name}"
total_label = "合计"

[wording]
unit = { subject = "单位", org_label = "单位名称" }
department = { subject = "部门", org_label = "部门名称" }

[[tables]]
key = "overview"
name = "{subject}收支总表"
builder = "income_expenditure"
columns = [
  { path = ["收入", "项目"], kind = "text" },
  { path = ["收入", "金额"] },
  { path = ["支出", "项目"], kind = "text" },
  { path = ["支出", "金额"] },
]
income_rows = [{ label = "一、财政拨款收入", sources = ["财政拨款"] }, { label = "二、其他收入", sources = ["单位资金"] }]
income_total = "本年收入合计"
grand_income = "收入总计"
expenditure_total = "本年支出合计"
grand_expenditure = "支出总计"
"""
WITH_NARRATIVE = ONE_TABLE + """
[figures.cells]
income_total = { table = "overview", row = "收入总计", column = ["收入", "金额"] }

[narrative]
templates = "我的说明"
figures = ["income_total"]
"""


def compile_with(profile: Path, out: Path) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["compile", str(EXAMPLE_INPUT), "-o", str(out), "--profile", str(profile)])
    return result.exit_code, result.output


def test_a_one_table_profile_compiles_and_says_it_has_no_narrative(tmp_path: Path) -> None:
    profile = tmp_path / "一张表.toml"
    profile.write_text(ONE_TABLE, encoding="utf-8")
    code, output = compile_with(profile, tmp_path / "公开表.xlsx")
    assert code == 0, output
    assert "格式配置 一张表 没有预算说明（[narrative]），未生成预算说明" in output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["一张表.toml", "公开表.xlsx"]
    sheet = openpyxl.load_workbook(tmp_path / "公开表.xlsx")["单位收支总表"]
    totals = {row[0].value: row[1].value for row in sheet.iter_rows() if row[0].value}
    assert totals["收入总计"] == 3846.29  # the published 收入总计 of Luoyang 2022, 万元


def test_a_profile_brings_its_templates_beside_it(tmp_path: Path) -> None:
    profile = tmp_path / "带说明.toml"
    profile.write_text(WITH_NARRATIVE, encoding="utf-8")
    (tmp_path / "我的说明").mkdir()
    (tmp_path / "我的说明" / "narrative.md.j2").write_text(
        "# {{ year }}年{{ dept }}预算说明\n\n收入总计 {{ f.income_total|wan }} 万元。\n", encoding="utf-8")
    code, output = compile_with(profile, tmp_path / "公开表.xlsx")
    assert code == 0, output
    text = (tmp_path / "公开表_预算说明.md").read_text(encoding="utf-8")
    assert text == "# 2022年洛阳市政务服务和大数据管理局预算说明\n\n收入总计 3846.29 万元。\n"
    assert (tmp_path / "公开表_预算说明.docx").exists()



def test_a_shipped_format_never_reads_templates_from_the_working_folder(tmp_path: Path) -> None:
    """A built-in profile is found by name, not beside a file: a ``narrative.md.j2`` (or a folder
    ``shanghai``) in the folder the clerk works in is not its template, and the parsed profile kept
    in the installation's cache does not remember that folder."""
    (tmp_path / "narrative.md.j2").write_text("# 不是预算说明\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "xlbudget", "compile", str(EXAMPLE_INPUT), "-o", "公开表.xlsx"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=120, env=os.environ | {"XLBUDGET_CACHE": "off"})
    assert done.returncode == 0, done.stderr
    committed = ROOT / "examples" / "luoyang-2022" / "output" / "公开表_预算说明.md"
    assert (tmp_path / "公开表_预算说明.md").read_bytes() == committed.read_bytes()
    assert load_profile("henan-2022").narrative.folder == ""  # type: ignore[union-attr]

def test_a_template_folder_that_is_nowhere_is_an_error(tmp_path: Path) -> None:
    profile = tmp_path / "带说明.toml"
    profile.write_text(WITH_NARRATIVE, encoding="utf-8")
    with pytest.raises(ProfileError, match="narrative.templates：没有预算说明模板文件夹“我的说明”"):
        load_profile(str(profile))


def test_an_old_figure_name_in_a_clerks_template_says_what_to_write(tmp_path: Path) -> None:
    profile = tmp_path / "带说明.toml"
    profile.write_text(WITH_NARRATIVE, encoding="utf-8")
    (tmp_path / "我的说明").mkdir()
    (tmp_path / "我的说明" / "narrative.md.j2").write_text("# 说明\n\n{{ f.fund[0]|wan }}\n", encoding="utf-8")
    code, output = compile_with(profile, tmp_path / "公开表.xlsx")
    assert code == 2 and "XB002" in output
    assert "“f.fund”已不再提供，请改用 f.fund_total、f.fund_basic、f.fund_project" in output
    assert not (tmp_path / "公开表.xlsx").exists()


def test_a_profile_of_todays_schema_without_narrative_is_told_what_to_add() -> None:
    """A clerk's copy of henan-2022 made before every format declared its 预算说明: it named the
    default 预算说明's figures without [narrative]; the error names the first and says what to add."""
    text = (resources.files("xlbudget") / "profiles" / "henan-2022.toml").read_text(encoding="utf-8")
    data = tomllib.loads(text)
    del data["narrative"]
    with pytest.raises(ProfileError) as caught:
        profile_from_data(data, "旧格式.toml")
    assert str(caught.value) == (
        "格式配置 旧格式.toml 中 figures.cells.income_current：此数字没有被 narrative.figures、identities 或 summary "
        "引用；若它供预算说明使用，请加 [narrative]（见 docs/profiles.md）")


def test_every_built_in_profile_declares_its_narrative() -> None:
    for name in ("henan-2022", "shanghai-unit", "shanghai-department"):
        spec = load_profile(name).narrative
        assert spec is not None and spec.figures and spec.prior, name
