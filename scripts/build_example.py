"""Type each example's transcription into the template: examples/<name>/source/*.csv →
input.xlsx, then compile it with the example's profile (examples/<name>/profile.txt, else the
default) into examples/<name>/output/ (the disclosure workbook and 预算说明).

The CSVs are the transcription (see source/NOTES.md); this script only fills the template, so
the example input is exactly what a clerk would have typed. Run from the repository root:
    python scripts/build_example.py [name …]
It also refreshes the Luoyang copy shipped in the package for ``xlbudget example``.
"""

from __future__ import annotations

import csv
import shutil
import sys
from functools import partial
from pathlib import Path

from xlbudget.accounts_reader import project_key, projects_of
from xlbudget.catalog import load_catalog
from xlbudget.contract import (
    BUDGET_FLOWS,
    INCOME_FLOW,
    STATEMENT_SECTIONS,
    THREE_PUBLIC_BUDGET_FLOWS,
    THREE_PUBLIC_ITEMS,
)
from xlbudget.model import Budget, Income, Indicator, Line, Project, Statement, Unit
from xlbudget.money import to_fen
from xlbudget.pipeline import compile_workbook
from xlbudget.profile import DEFAULT_PROFILE, load_profile
from xlbudget.template import write_template

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SHIPPED = {"luoyang-2022": ROOT / "xlbudget" / "data" / "examples" / "luoyang-2022.xlsx"}
OUTPUT = "公开表.xlsx"  # the compiled disclosure under output/, with its 预算说明 beside it


def example_profile(example: Path) -> str:
    """The profile an example is published in: its profile.txt, else the default."""
    named = example / "profile.txt"
    return named.read_text(encoding="utf-8").strip() if named.exists() else DEFAULT_PROFILE


def build(example: Path) -> Budget:
    rows = partial(_rows, example)
    info = {r["项目"]: r["内容"] for r in rows("基本信息")}
    unit = info["金额单位"]
    year = int(info["预算年度"])
    units = tuple(Unit(r["单位编码"], r["单位名称"], r["单位类型"]) for r in rows("单位"))
    projects = tuple(Project(r["项目编码"], r["项目名称"], r["项目类型"], units[0].code,
                             targets_set=r.get("已设绩效目标") == "是") for r in rows("projects"))
    basic = tuple(Line(r["单位编码"], r["功能分类编码"], r["经济分类编码"], r["资金来源"],
                       to_fen(r["金额"], unit)) for r in rows("基本支出"))
    owner = {p.code: p.unit for p in projects}
    project_lines = tuple(Line(owner[r["项目编码"]], r["功能分类编码"], r["经济分类编码"], r["资金来源"],
                               to_fen(r["金额"], unit), r["项目编码"]) for r in rows("项目支出"))
    return Budget(
        year=year, dept_code=info["部门编码"], dept_name=info["部门名称"], amount_unit=unit,
        units=units,
        incomes=tuple(Income(r["单位编码"], r["资金来源"], to_fen(r["金额"], unit)) for r in rows("收入")),
        lines=basic + project_lines, projects=projects,
        indicators=tuple(Indicator(r["项目编码"], r["一级指标"], r["二级指标"], r["三级指标"], r["指标值"])
                         for r in rows("绩效目标")),
        prior={r["项目"]: to_fen(r["金额"], unit) for r in rows("上年数")},
        notes={r["项目"]: r["内容"] for r in rows("说明事项") if r["内容"]},
        purposes={r["功能分类编码"]: r["主要用途"] for r in rows("功能科目用途")},
        statements=tuple(Statement(r["项目编码"], tuple((s, r[s]) for s in STATEMENT_SECTIONS))
                         for r in rows("项目经费情况说明")),
        catalog=load_catalog(year),
    )


def build_accounts(example: Path) -> Budget:
    """A 部门决算 example: each source/<sheet>.csv holds the rows of that 决算 template sheet."""
    rows = partial(_rows, example)
    info = {r["项目"]: r["内容"] for r in rows("基本信息")}
    unit, year = info["金额单位"], int(info["预算年度"])
    owner = rows("单位")[0]["单位编码"]

    def money(text: str) -> int:
        return to_fen(text, unit)

    lines = [Line(r["单位编码"], r["功能分类编码"], "", r["资金来源"], money(r["金额"]), flow=INCOME_FLOW)
             for r in rows("本年收入")]
    lines += [Line(r["单位编码"], r["功能分类编码"], r["经济分类编码"], r["资金来源"], money(r["金额"]),
                   project_key(r["单位编码"], r.get("项目名称", "")), flow=r["支出类型"]) for r in rows("本年支出")]
    lines += [Line(r["单位编码"], r["功能分类编码"], "", r["资金来源"], money(r["金额"]), flow=r["类别"])
              for r in rows("结转结余")]
    for sheet, key, flows in (("年初预算", "功能分类编码", BUDGET_FLOWS), ("三公经费", "项目", THREE_PUBLIC_BUDGET_FLOWS)):
        for r in rows(sheet):
            function = r[key] if sheet == "年初预算" else ""
            econ = "" if sheet == "年初预算" else THREE_PUBLIC_ITEMS[r[key]][0]
            lines += [Line(owner, function, econ, "一般公共预算", money(r[column]), flow=flow)
                      for column, flow in zip(("年初预算数", "调整预算数"), flows, strict=True) if r[column]]
    return Budget(
        year=year, dept_code=info["部门编码"], dept_name=info["部门名称"], amount_unit=unit,
        units=tuple(Unit(r["单位编码"], r["单位名称"], r["单位类型"]) for r in rows("单位")),
        incomes=(), lines=tuple(lines), projects=projects_of(lines),
        prior={r["项目"]: money(r["金额"]) for r in rows("上年数")},
        notes={r["项目"]: r["内容"] for r in rows("说明事项") if r["内容"]},
        reasons={r[key]: r["差异原因"] for sheet, key in (("年初预算", "功能分类编码"), ("三公经费", "项目"))
                 for r in rows(sheet) if r["差异原因"]},
        catalog=load_catalog(year),
    )


def _rows(example: Path, name: str) -> list[dict[str, str]]:
    """The rows of source/<name>.csv; none when the example has no such file."""
    path = example / "source" / f"{name}.csv"
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def build_example(example: Path) -> None:
    target = example / "input.xlsx"
    profile = example_profile(example)
    layout = load_profile(profile)
    budget = build_accounts(example) if layout.family == "决算" else build(example)
    # Stamped with its format, as `template --profile` would (the default format needs no stamp).
    stamp = "" if profile == DEFAULT_PROFILE else profile
    write_template(target, budget.year, budget.catalog, budget, budget.amount_unit, layout.input_contract, stamp)
    written = [target]
    if example.name in SHIPPED:
        shipped = SHIPPED[example.name]
        shipped.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(target, shipped)
        written.append(shipped)
    outcome = compile_workbook([target], example / "output" / OUTPUT, profile=profile)
    if outcome.exit_code:
        raise SystemExit(f"{example.name} does not compile: {outcome.findings}")
    print("wrote", ", ".join(str(p.relative_to(ROOT)) for p in (*written, *outcome.outputs)))


def main() -> None:
    names = sys.argv[1:] or sorted(p.name for p in EXAMPLES.iterdir() if (p / "source").is_dir())
    for name in names:
        build_example(EXAMPLES / name)


if __name__ == "__main__":
    main()
