"""A profile inherits another (``extends``): top-level keys, tables by key (merged, replaced,
removed, added after a named one), figures, identities and wording are overridden; cycles,
unknown bases and overrides of what the base lacks are XB002 naming the file and the key."""

from __future__ import annotations

import json
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from tests.conftest import ROOT
from xlbudget.cli import main
from xlbudget.profile import ProfileError, load_profile

QUFUBAN = ROOT / "examples" / "shanghai-2025-qufuban"
GOLDEN = Path(__file__).resolve().parent / "data" / "shanghai_2025_qufuban.json"


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def compile_with(profile: Path, out: Path) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["compile", str(QUFUBAN / "input.xlsx"), "-o", str(out),
                                       "--profile", str(profile), "--narrative", "none"])
    return result.exit_code, result.output


def test_a_clerks_profile_extending_shanghai_unit_prints_whole_yuan(tmp_path: Path) -> None:
    mine = write(tmp_path, "普陀区.toml", 'extends = "shanghai-unit"\ndecimals = 0\n')
    code, output = compile_with(mine, tmp_path / "公开表.xlsx")
    assert code == 0, output
    ws = openpyxl.load_workbook(tmp_path / "公开表.xlsx")["单位收入预算总表"]
    shown = {" ".join(str(c.value) for c in row[:4] if c.value): row[4] for row in ws.iter_rows(min_row=6)
             if isinstance(row[4].value, (int, float))}
    published = json.loads(GOLDEN.read_text(encoding="utf-8"))["预算单位收入预算总表"]["rows"]
    for key, cells in published.items():  # the published 元 with 2 decimals, rounded to whole 元
        whole = Decimal(cells["收入预算/合计"].replace(",", "")).quantize(Decimal(1), ROUND_HALF_UP)
        assert shown[key].value == int(whole), key
        assert shown[key].number_format.startswith("#,##0;"), key
    assert shown["201 03 01 行政运行"].value == 12_029_502  # published 12,029,501.84


def test_overrides_by_key(tmp_path: Path) -> None:
    mine = write(tmp_path, "mine.toml", """
extends = "shanghai-unit"
title = "{year}年{name}"

[wording.unit]
org_label = "单位名称"

[remove]
tables = ["sh07"]
figures = ["capital_table"]
identities = ["国有资本经营预算支出"]

[[tables]]
key = "sh02"
name = "{subject}收入表"

[[tables]]
key = "sh05b"
after = "sh05"
name = "{subject}一般公共预算基本支出表"
builder = "outline"
classification = "function"
expense = "basic"
columns = [
  { path = ["科目", "编码"], kind = "code", field = "class" },
  { path = ["科目", "名称"], kind = "text", field = "name" },
  { path = ["金额"] },
]

[[tables]]
key = "sh09"
replace = true
name = "{subject}“三公”经费和机关运行经费预算表"
builder = "one_row"
sources = ["一般公共预算", "一般公共预算结转"]
columns = [
  { path = ["“三公”经费预算数", "合计"], econ = ["30212", "30217", "31013", "30913", "30231"] },
  { path = ["“三公”经费预算数", "因公出国(境)费"], econ = ["30212"] },
  { path = ["“三公”经费预算数", "公务接待费"], econ = ["30217"] },
  { path = ["“三公”经费预算数", "公务用车购置及运行费", "小计"], econ = ["31013", "30913", "30231"] },
  { path = ["“三公”经费预算数", "公务用车购置及运行费", "购置费"], econ = ["31013", "30913"] },
  { path = ["“三公”经费预算数", "公务用车购置及运行费", "运行费"], econ = ["30231"] },
  { path = ["机关运行经费预算数"], expense = "basic", econ_class_not = ["301", "303"] },
]

[figures.cells]
fund = { table = "sh04", row = "收入总计", column = ["财政拨款支出", "政府性基金预算"] }

[narrative]
prior = { "三公经费" = "abroad" }
""")
    profile = load_profile(str(mine))
    assert [t.key for t in profile.tables] == ["sh01", "sh02", "sh03", "sh04", "sh05", "sh05b", "sh06", "sh08",
                                              "sh09"]
    assert (profile.name, profile.title, profile.decimals) == ("mine", "{year}年{name}", 2)
    assert profile.wording.unit.org_label == "单位名称" and profile.wording.unit.subject == "单位"
    sh02 = profile.table("sh02")
    assert sh02.name == "{subject}收入表" and len(sh02.columns) == 9  # merged: its columns kept
    assert profile.table("sh09").unit == ""  # replaced whole: the base's 万元 is gone
    assert "capital_table" not in profile.figures.cells and profile.figures.cells["fund"].row == "收入总计"
    assert "国有资本经营预算支出" not in [i.name for i in profile.identities]
    assert profile.narrative is not None and profile.narrative.prior["三公经费"] == "abroad"
    assert profile.narrative.prior["公务接待费"] == "reception"  # the base's other comparisons kept
    assert profile.narrative.subject == "单位"


def test_a_base_by_path_is_found_beside_the_profile(tmp_path: Path) -> None:
    write(tmp_path, "base.toml", 'extends = "shanghai-department"\nname = "区级"\ndecimals = 1\n')
    mine = write(tmp_path, "mine.toml", 'extends = "base.toml"\ndescription = "某区"\n')
    profile = load_profile(str(mine))
    assert (profile.name, profile.description, profile.decimals, profile.level) == ("mine", "某区", 1, "department")
    assert profile.table("sh01").name == "{subject}财务收支预算总表"


@pytest.mark.parametrize(("files", "expected"), [
    ({"a.toml": 'extends = "b.toml"', "b.toml": 'extends = "a.toml"'}, "b.toml 中 extends：循环继承"),
    ({"a.toml": 'extends = "a.toml"'}, "a.toml 中 extends：循环继承"),
    ({"a.toml": 'extends = "shanghai"'}, "a.toml 中 extends：未知的基础格式“shanghai”"),
    ({"a.toml": 'extends = "没有.toml"'}, "a.toml 中 extends：无法读取基础格式文件"),
    ({"a.toml": 'extends = "shanghai-unit"\n[[tables]]\nkey = "sh10"\ntitle = "x"'},
     "a.toml 中 tables[0]（sh10）.key：基础格式没有键为“sh10”的表可覆盖"),
    ({"a.toml": 'extends = "shanghai-unit"\n[remove]\ntables = ["sh10"]'}, "a.toml 中 remove.tables：没有表“sh10”"),
    ({"a.toml": 'extends = "shanghai-unit"\n[remove]\nfigures = ["capitol"]'}, "a.toml 中 remove.figures：没有数字“capitol”"),
    ({"a.toml": 'extends = "shanghai-unit"\n[remove]\ntables = ["sh07"]'}, "a.toml 中 figures.cells.capital_table.table：没有键为“sh07”的表"),
    ({"a.toml": 'extends = "shanghai-unit"\n[[tables]]\nkey = "x"\nafter = "sh99"\nbuilder = "one_row"'},
     "a.toml 中 tables[0]（x）.after：没有键为“sh99”的表"),
    ({"a.toml": 'extends = "shanghai-unit"\n[wording.unit]\norg_lable = "x"'}, "a.toml 中 wording.unit.org_lable：未知的键"),
])
def test_inheritance_mistakes_are_xb002_naming_the_file_and_key(tmp_path: Path, files: dict[str, str],
                                                                  expected: str) -> None:
    for name, text in files.items():
        write(tmp_path, name, text + "\n")
    with pytest.raises(ProfileError) as caught:
        load_profile(str(tmp_path / "a.toml"))
    assert expected in str(caught.value)
    code, output = compile_with(tmp_path / "a.toml", tmp_path / "公开表.xlsx")
    assert code == 2 and "XB002" in output and expected in output
    assert not (tmp_path / "公开表.xlsx").exists()


def test_the_shanghai_pair_share_one_base() -> None:
    department = (ROOT / "xlbudget" / "profiles" / "shanghai-department.toml").read_text(encoding="utf-8")
    assert 'extends = "shanghai-unit"' in department
    assert len(department.splitlines()) < 60  # only what differs
    unit, dept = load_profile("shanghai-unit"), load_profile("shanghai-department")
    assert [t.key for t in unit.tables] == [t.key for t in dept.tables]
    assert all(t.name.startswith("{subject}") for t in unit.tables)
