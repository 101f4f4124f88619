"""部门决算 everywhere the budget goes (issue 17 item 7), run as a clerk or a finance bureau runs it:
``xlbudget check`` on 决算 workbooks (recorded format or --profile), and ``compile --batch`` on a
folder of 决算 workbooks or one mixing budgets and 决算 — each compiled in its own recorded format, the
汇总.xlsx with a section of 决算 columns beside the budgets' own."""

from __future__ import annotations

import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import openpyxl

from tests import workbooks as budgets
from tests.accounts_workbooks import BASE, BUDGETS, PROFILE, UNIT, workbook
from tests.conftest import ROOT
from tests.workbooks import Rows

EXAMPLE = ROOT / "examples" / "shanghai-2024-caizhengju-juesuan" / "input.xlsx"
STAMP = [["公开格式", PROFILE], ["模板版本", "1"]]  # as `xlbudget template --profile juesuan-2024` records it
# 年末结转和结余 6.00 where 年初 0 + 收入 5 − 支出 0 leave 5.00 of 其他收入: totals differ (XB702 at the amount)
UNBALANCED = [*BASE["结转结余"][:3], [UNIT, "年末结转和结余", "其他收入", "", "6.00"]]


def accounts(folder: Path, name: str = "决算.xlsx", code: str = "001", **sheets: Rows) -> Path:
    """The balanced 决算 workbook of tests/accounts_workbooks.py, recording its format as a template does."""
    folder.mkdir(parents=True, exist_ok=True)
    info = [row if row[0] != "部门编码" else ["部门编码", code] for row in BASE["基本信息"]]
    return workbook(folder, name, 基本信息=[*info, *STAMP], **sheets)


def xlbudget(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "xlbudget", *map(str, args)], capture_output=True, text=True,
                          timeout=300)


def sheet(path: Path, name: str) -> list[tuple[object, ...]]:
    return [row for row in openpyxl.load_workbook(path)[name].iter_rows(values_only=True) if any(row)]


def row_of(rows: list[tuple[object, ...]], first: str) -> dict[str, object]:
    """The row whose first cell is ``first``, by the header row's labels (the row starting 部门)."""
    header = next(r for r in rows if r[0] == "部门")
    return dict(zip(header, next(r for r in rows if r[0] == first), strict=True))


def exact(value: object) -> Decimal:
    """A 万元 cell as written: a number, read back exactly as its shortest decimal form."""
    assert isinstance(value, int | float), value
    return Decimal(repr(value))


# -- check ----------------------------------------------------------------------------------------
def test_check_reads_a_recorded_accounts_workbook_without_naming_its_format(tmp_path: Path) -> None:
    clean = xlbudget("check", accounts(tmp_path))
    assert (clean.returncode, clean.stdout.strip()) == (0, "错误 0 个，警告 0 个，提示 0 个"), clean.stderr
    broken = xlbudget("check", accounts(tmp_path, "有错.xlsx", 结转结余=UNBALANCED), "--format", "json")
    assert broken.returncode == 1, broken.stderr
    assert '"location": "结转结余!E3"' in broken.stdout and '"rule": "XB702"' in broken.stdout


def test_check_with_the_accounts_profile_named(tmp_path: Path) -> None:
    recorded = xlbudget("check", accounts(tmp_path, 结转结余=UNBALANCED), "--profile", PROFILE)
    unrecorded = xlbudget("check", workbook(tmp_path, "未记载.xlsx", 结转结余=UNBALANCED), "--profile", PROFILE)
    for done in (recorded, unrecorded):
        assert done.returncode == 1 and "结转结余!E3  [错误 XB702]" in done.stdout, done.stdout + done.stderr


def test_check_exit_codes_of_accounts_workbooks(tmp_path: Path) -> None:
    """2: another format named (XB150), or an unrecorded 决算 workbook read as a budget (XB152); 1 with
    --strict on a warning (a 决算 of 150.00 against its 年初预算 of 100.00 without a reason, XB706)."""
    other = xlbudget("check", accounts(tmp_path), "--profile", "henan-2022")
    assert other.returncode == 2 and "XB150" in other.stdout and PROFILE in other.stdout
    unrecorded = xlbudget("check", workbook(tmp_path, "未记载.xlsx"))
    assert unrecorded.returncode == 2 and "XB152" in unrecorded.stdout and PROFILE in unrecorded.stdout
    warned = accounts(tmp_path, "提醒.xlsx", 年初预算=[BUDGETS, ["2010301", "150.00", "", ""], ["2010302", "10.00", "", ""]])
    assert xlbudget("check", warned).returncode == 0
    strict = xlbudget("check", warned, "--strict")
    assert strict.returncode == 1 and "年初预算!D2  [警告 XB706]" in strict.stdout, strict.stdout


def test_check_speaks_of_the_jue_suan_and_its_shuo_ming(tmp_path: Path) -> None:
    """The HTML report of a 决算 workbook is a 决算填报校验报告, and a missing 主要职能 is one the 决算说明 needs."""
    path = accounts(tmp_path, 说明事项=[["项目", "内容"]])
    done = xlbudget("check", path)
    assert "说明事项  [警告 XB504] 决算说明需要“说明事项”中的“主要职能”，未填写" in done.stdout, done.stdout
    assert "决算说明才能写出这句话" in done.stdout and "XB504 预算说明或决算说明所需的说明事项未填写：1 个" in done.stdout
    page = xlbudget("check", path, "--format", "html", "-o", tmp_path / "报告.html")
    assert page.returncode == 0, page.stderr
    html = (tmp_path / "报告.html").read_text(encoding="utf-8")
    assert "<title>决算填报校验报告</title>" in html and "<h1>决算填报校验报告</h1>" in html


def test_last_year_s_accounts_as_prior(tmp_path: Path) -> None:
    """--prior 上年决算.xlsx gives the 上年数 as last year's 决算 published them (it stopped with KeyError '项目',
    read as a budget). 2023: 收入 105.00 (一般公共预算 100.00) + 年初结转 3.00; 2024 (BASE): 收入 115.00
    (110.00) + 3.00 — so 总计 108.00 → 118.00 (+9.26%), 财政拨款 103.00 → 113.00 (+9.71%), 一般公共预算 +10.00%."""
    from tests.accounts_workbooks import INCOME, SPENDING

    this_year = accounts(tmp_path, "2024决算.xlsx", 上年数=[["项目", "金额"]])
    last = [r if r[0] != "预算年度" else ["预算年度", "2023"] for r in BASE["基本信息"]]
    last_year = workbook(tmp_path, "2023决算.xlsx", 基本信息=[*last, *STAMP],
                         本年收入=[INCOME, [UNIT, "2010301", "一般公共预算", "90.00"], *BASE["本年收入"][2:]],
                         本年支出=[SPENDING, [UNIT, "2010301", "30101", "一般公共预算", "基本支出", "70.00"],
                               *BASE["本年支出"][2:]],
                         年初预算=[BUDGETS, ["2010301", "90.00", "", ""], ["2010302", "10.00", "", ""]])
    assert xlbudget("check", last_year).returncode == 0
    checked = xlbudget("check", this_year, "--prior", last_year)
    assert checked.returncode == 0 and "XB501" not in checked.stdout, checked.stdout + checked.stderr
    done = xlbudget("compile", this_year, "--prior", last_year, "-o", tmp_path / "公开表.xlsx", "--narrative", "md")
    assert done.returncode == 0, done.stdout + done.stderr
    text = (tmp_path / "公开表_决算说明.md").read_text(encoding="utf-8")
    assert "与2023年度相比，收入、支出决算总计增加10.00万元，增长9.26%。" in text
    assert "与2023年度相比，财政拨款收入支出决算总计增加10.00万元，增长9.71%。" in text
    assert "与2023年度相比，一般公共预算财政拨款支出增加10.00万元，增长10.00%。" in text


# -- batch ----------------------------------------------------------------------------------------
def test_a_batch_of_accounts_gets_a_summary_of_accounts(tmp_path: Path) -> None:
    """The 普陀区财政局 2024 决算 (figures as its 收入支出决算总表 prints them: 总计 2,995.39, 本年收入合计 2,946.25,
    本年支出合计 2,940.05, 财政拨款 2,940.05, no “三公” spending, 年末结转和结余 55.34) and a small 决算 (总计 118.00,
    年末结转和结余 8.00: 3.00 财政拨款 + 5.00 其他收入) with an error, left out of 合计."""
    folder = tmp_path / "各部门决算"
    folder.mkdir()
    shutil.copy(EXAMPLE, folder / "财政局.xlsx")
    accounts(folder, "测试.xlsx", code="002")
    accounts(folder, "有错.xlsx", code="003", 结转结余=UNBALANCED)
    done = xlbudget("compile", "--batch", folder, "--out-dir", tmp_path / "out", "--jobs", "1", "--narrative", "md")
    assert done.returncode == 1, done.stdout + done.stderr
    lines = done.stderr.splitlines()
    assert "[1/3] 有错（部门决算，juesuan-2024）：有错误（错误 1 个，警告 0 个）" in lines
    assert "[2/3] 测试（部门决算，juesuan-2024）：成功（错误 0 个，警告 0 个）" in lines
    assert sorted(p.name for p in (tmp_path / "out").glob("*_决算说明.md")) == ["测试_公开表_决算说明.md",
                                                                             "财政局_公开表_决算说明.md"]
    summary = tmp_path / "out" / "汇总.xlsx"
    assert openpyxl.load_workbook(summary).sheetnames == ["目录", "决算汇总", "决算按功能分类", "决算按资金来源"]
    rows = sheet(summary, "决算汇总")
    assert rows[0][0] == "部门决算批量编制汇总"
    money = ["收入支出总计", "本年收入合计", "本年支出合计", "财政拨款收入", "财政拨款支出", "三公经费决算数", "年末结转和结余"]
    bureau, small = row_of(rows, "财政局"), row_of(rows, "测试")
    assert [exact(bureau[k] or 0) for k in money] == [Decimal(x) for x in
                                                       ("2995.39", "2946.25", "2940.05", "2940.05", "2940.05", "0", "55.34")]
    assert [exact(small[k] or 0) for k in money] == [Decimal(x) for x in ("118", "115", "110", "110", "110", "0", "8")]
    assert (bureau["错误数"], bureau["警告数"], small["错误数"]) == (0, 1, 0)
    assert (row_of(rows, "有错")["状态"], row_of(rows, "有错")["计入合计"], row_of(rows, "有错")["错误数"]) == ("有错误", "否", 1)
    total = row_of(rows, "合计")
    assert exact(total["收入支出总计"]) == Decimal("3113.39") and exact(total["年末结转和结余"]) == Decimal("63.34")
    sources = sheet(summary, "决算按资金来源")
    assert next(r for r in sources if r[0] == "部门")[2:] == ("合计", "财政拨款收入", "上级补助收入", "事业收入", "经营收入",
                                                           "附属单位上缴收入", "其他收入")
    assert exact(row_of(sources, "财政局")["其他收入"]) == Decimal("6.2")


def test_a_folder_mixing_budgets_and_accounts(tmp_path: Path) -> None:
    """Each workbook in its own recorded format; the same 部门编码's budget and 决算 are two documents,
    not a copy; 汇总.xlsx has the budgets' sheets and the 决算's, and neither total holds the other."""
    folder = tmp_path / "全部"
    folder.mkdir()
    budgets.workbook(folder, "预算.xlsx")  # 部门 001, henan-2022 (unrecorded)
    accounts(folder, "决算.xlsx")  # 部门 001 too
    done = xlbudget("compile", "--batch", folder, "--out-dir", tmp_path / "out", "--jobs", "1")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "[1/2] 决算（部门决算，juesuan-2024）：成功（错误 0 个，警告 0 个）" in done.stderr
    assert "[2/2] 预算（部门预算，henan-2022）：成功（错误 0 个，警告 0 个）" in done.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "决算_公开表.xlsx", "决算_公开表_决算说明.docx", "决算_公开表_决算说明.md", "汇总.xlsx",
        "预算_公开表.xlsx", "预算_公开表_预算说明.docx", "预算_公开表_预算说明.md"]
    summary = tmp_path / "out" / "汇总.xlsx"
    assert openpyxl.load_workbook(summary).sheetnames == ["目录", "汇总", "按功能分类", "按资金来源",
                                                          "决算汇总", "决算按功能分类", "决算按资金来源"]
    budget_rows, accounts_rows = sheet(summary, "汇总"), sheet(summary, "决算汇总")
    assert [r[0] for r in budget_rows[3:-1]] == ["合计", "预算"] and [r[0] for r in accounts_rows[3:-1]] == ["合计", "决算"]
    assert budget_rows[0][0] == "部门预算批量编制汇总" and "收入总计" in budget_rows[2] and "年末结转和结余" not in budget_rows[2]
    assert exact(row_of(budget_rows, "合计")["收入总计"]) == Decimal("110")
    assert exact(row_of(accounts_rows, "合计")["收入支出总计"]) == Decimal("118")
    assert exact(row_of(sheet(summary, "决算按功能分类"), "合计")["合计"]) == Decimal("110")


def test_an_unreadable_workbook_is_listed_with_the_batch_s_family(tmp_path: Path) -> None:
    """A workbook whose format cannot be known (not a workbook at all) goes with the family most
    departments belong to: here the 决算's."""
    folder = tmp_path / "各部门决算"
    accounts(folder, "甲.xlsx", code="002")
    accounts(folder, "乙.xlsx", code="003")
    (folder / "坏文件.xlsx").write_text("不是工作簿", encoding="utf-8")
    done = xlbudget("compile", "--batch", folder, "--out-dir", tmp_path / "out", "--jobs", "1", "--narrative", "none")
    assert done.returncode == 1
    summary = tmp_path / "out" / "汇总.xlsx"
    assert openpyxl.load_workbook(summary).sheetnames == ["目录", "决算汇总", "决算按功能分类", "决算按资金来源"]
    bad = row_of(sheet(summary, "决算汇总"), "坏文件")
    assert (bad["状态"], bad["计入合计"]) == ("无法读取", "否")


def test_budgets_of_two_formats_keep_each_format_s_figures(tmp_path: Path) -> None:
    """Luoyang (henan-2022) and 区府办 (shanghai-unit) in one batch: the 汇总 is laid out in one format, and
    the other's own figures get their own columns instead of being dropped (区府办's 机关运行经费 213.28,
    洛阳's 基本支出 328.30, as their published tables print them)."""
    folder = tmp_path / "预算"
    folder.mkdir()
    shutil.copy(ROOT / "examples" / "luoyang-2022" / "input.xlsx", folder / "洛阳.xlsx")
    shutil.copy(ROOT / "examples" / "shanghai-2025-qufuban" / "input.xlsx", folder / "区府办.xlsx")
    done = xlbudget("compile", "--batch", folder, "--out-dir", tmp_path / "out", "--jobs", "1", "--narrative", "none")
    assert done.returncode == 0, done.stdout + done.stderr
    rows = sheet(tmp_path / "out" / "汇总.xlsx", "汇总")
    assert exact(row_of(rows, "区府办")["机关运行经费"]) == Decimal("213.28")
    assert exact(row_of(rows, "洛阳")["基本支出"]) == Decimal("328.3")


def test_a_department_of_several_accounts_workbooks(tmp_path: Path) -> None:
    """A sub-folder is one 部门 of unit 决算 workbooks, merged: 本级 (总计 118.00, 年末 8.00) and a 下属单位
    of 50.00 一般公共预算 spent on 2010301 make 总计 168.00, 本年收入 165.00, 本年支出 160.00, 年末 8.00."""
    from tests.accounts_workbooks import INCOME, SPENDING

    folder = tmp_path / "各部门决算" / "部门甲"
    accounts(folder, "本级.xlsx")
    accounts(folder, "下属.xlsx", 单位=[["单位编码", "单位名称", "单位类型"], ["002", "下属单位", "事业单位"]],
             本年收入=[INCOME, ["002", "2010301", "一般公共预算", "50.00"]],
             本年支出=[SPENDING, ["002", "2010301", "30101", "一般公共预算", "基本支出", "50.00"]],
             结转结余=[BASE["结转结余"][0]], 年初预算=[BUDGETS, ["2010301", "50.00", "", ""]])
    done = xlbudget("compile", "--batch", folder.parent, "--out-dir", tmp_path / "out", "--jobs", "1", "--narrative", "md")
    assert done.returncode == 0 and "[1/1] 部门甲（部门决算，juesuan-2024）：成功（错误 0 个，警告 0 个）" in done.stderr, done.stderr
    row = row_of(sheet(tmp_path / "out" / "汇总.xlsx", "决算汇总"), "部门甲")
    assert [exact(row[k]) for k in ("收入支出总计", "本年收入合计", "本年支出合计", "年末结转和结余")] == [
        Decimal("168"), Decimal("165"), Decimal("160"), Decimal("8")]
    text = (tmp_path / "out" / "部门甲_公开表_决算说明.md").read_text(encoding="utf-8")
    assert "行政运行（项）。年初预算为150.00万元，支出决算为150.00万元，完成年初预算的100.00%。" in text


def test_a_batch_with_an_unknown_format_stops_before_any_department(tmp_path: Path) -> None:
    """A mistyped --profile is one clear refusal (exit 2), as for compile: no department compiled, no
    汇总.xlsx, no 内部错误 (it stopped at writing 汇总.xlsx after failing every department)."""
    folder = tmp_path / "各部门决算"
    accounts(folder)
    done = xlbudget("compile", "--batch", folder, "--out-dir", tmp_path / "out", "--profile", "juesuan-2042")
    assert done.returncode == 2, done.stdout + done.stderr
    assert "未知的格式配置“juesuan-2042”" in done.stdout + done.stderr and "内部错误" not in done.stdout + done.stderr
    assert not (tmp_path / "out").exists()


def test_accounts_in_balanced_rounding(tmp_path: Path) -> None:
    """舍位平衡 (--rounding balanced, also the page's 舍入方式) on the 财政局 决算: it stopped with 内部错误 (the
    决算 总表 added its lines through int()); now every total equals its displayed parts, so the 尾差 XB303
    that exact rounding reports (本年支出合计 2,940.05 against its 类 2,940.06) is gone."""
    exact, balanced = xlbudget("check", EXAMPLE), xlbudget("check", EXAMPLE, "--rounding", "balanced")
    assert "XB303" in exact.stdout
    assert balanced.returncode == 0 and "内部错误" not in balanced.stderr, balanced.stdout + balanced.stderr
    assert "XB303" not in balanced.stdout and "错误 0 个" in balanced.stdout
