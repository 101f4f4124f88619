"""Type the seed's budget into the template: examples/luoyang-2022/source/*.csv → input.xlsx,
then compile it into examples/luoyang-2022/output/ (the disclosure workbook and 预算说明).

The CSVs are the transcription (see source/NOTES.md); this script only fills the template, so
the example input is exactly what a clerk would have typed. Run from the repository root:
    python scripts/build_example.py
It also refreshes the copy shipped in the package for ``xlbudget example``.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

from xlbudget.catalog import load_catalog
from xlbudget.model import Budget, Income, Indicator, Line, Project, Unit
from xlbudget.money import to_fen
from xlbudget.pipeline import compile_workbook
from xlbudget.template import write_budget_workbook

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "luoyang-2022"
SHIPPED = ROOT / "xlbudget" / "data" / "examples" / "luoyang-2022.xlsx"
OUTPUT = EXAMPLE / "output" / "公开表.xlsx"  # the compiled disclosure, with its 预算说明 beside it


def rows(name: str) -> list[dict[str, str]]:
    with (EXAMPLE / "source" / f"{name}.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def build() -> Budget:
    info = {r["项目"]: r["内容"] for r in rows("基本信息")}
    unit = info["金额单位"]
    year = int(info["预算年度"])
    units = tuple(Unit(r["单位编码"], r["单位名称"], r["单位类型"]) for r in rows("单位"))
    projects = tuple(Project(r["项目编码"], r["项目名称"], r["项目类型"], units[0].code)
                     for r in rows("projects"))
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
        catalog=load_catalog(year),
    )


def main() -> None:
    target = EXAMPLE / "input.xlsx"
    write_budget_workbook(build(), target)
    SHIPPED.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(target, SHIPPED)
    outcome = compile_workbook([target], OUTPUT)
    if outcome.exit_code:
        raise SystemExit(f"the example does not compile: {outcome.findings}")
    print("wrote", ", ".join(str(p.relative_to(ROOT)) for p in (target, SHIPPED, *outcome.outputs)))


if __name__ == "__main__":
    main()
