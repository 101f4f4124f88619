"""舍位平衡 at scale: ``xlbudget compile --rounding balanced`` against ``--rounding exact``.

Budgets in 元 (every amount to the 分, so nearly every line is not a whole 0.01 万元) are written
directly with xlsxwriter, without any of xlbudget's code: codes come from the shipped catalog
files (功能分类 项 and 部门经济分类 款 valid for the year, with a 政府经济分类 mapping for both
unit types), the incomes of each unit and source equal its lines. Each size is compiled in fresh
processes, balanced and exact paired and interleaved, and the ratio is the median of the pairs'
ratios (the machine is shared: a pair sees the same load). ``check --rounding balanced`` counts
the XB305 findings (cells displayed a step or more from exact) and their cells.

    python benchmarks/rounding.py [--repeats 3] [--sizes 2000/10,20000/50] [--seed 1] [--root DIR]

``--root`` times another checkout of xlbudget (e.g. an older one) on the same workbooks.

Prints a markdown table, with the load average before and after.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import xlsxwriter

ROOT = Path(__file__).resolve().parents[1]
CATALOGS = ROOT / "xlbudget" / "data" / "catalogs"
YEAR = 2022
# 资金来源 a unit draws on, with rough weights: most money is 一般公共预算; a 事业单位 also has its own
# income. Each unit uses the first and a few others; each project one or two of its unit's.
SOURCES = {"一般公共预算": 60, "一般公共预算结转": 6, "政府性基金预算": 4, "国有资本经营预算": 1,
           "财政专户管理资金": 5, "事业收入": 8, "事业单位经营收入": 2, "上级补助收入": 2, "附属单位上缴收入": 1,
           "其他收入": 5, "政府性基金预算结转": 1, "其他资金结转": 4}
# The budget whose 功能分类 subjects a source's money must use (the catalog's "fund"; others: "").
FUNDS = {"政府性基金预算": "政府性基金", "政府性基金预算结转": "政府性基金", "国有资本经营预算": "国有资本经营"}
PUBLIC_UNIT_SOURCES = ("一般公共预算", "一般公共预算结转", "政府性基金预算", "国有资本经营预算", "政府性基金预算结转")
BASIC_CLASSES = ("301", "302", "303")
PROJECT_CLASSES = ("302", "303", "310", "309", "312", "399")
PROJECT_TYPES = ("其他运转类", "特定目标类")
INDICATORS = (("成本指标", "经济成本指标"), ("产出指标", "数量指标"), ("效益指标", "社会效益指标"),
              ("满意度指标", "服务对象满意度指标"))


def _valid(row: dict[str, str]) -> bool:
    start, end = row.get("valid_from") or "0", row.get("valid_to") or "9999"
    return int(start) <= YEAR <= int(end)


def _rows(name: str) -> list[dict[str, str]]:
    with (CATALOGS / name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def catalog_codes() -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """功能分类 项 codes by the budget they belong to ("" 一般公共预算, 政府性基金, 国有资本经营), and
    部门经济分类 款 codes by 类 that map for both 行政 and 事业 units."""
    functions: dict[str, list[str]] = {}
    for r in _rows("functional.csv"):
        if r["level"] == "项" and _valid(r):
            functions.setdefault(r.get("fund", ""), []).append(r["code"])
    mapped: dict[str, set[str]] = {}
    for r in _rows("econ_map.csv"):
        if _valid(r) and r["gov_code"]:
            mapped.setdefault(r["dept_code"], set()).add(r["unit_type"])
    econ: dict[str, list[str]] = {}
    for r in _rows("econ_dept.csv"):
        code = r["code"]
        types = mapped.get(code, set())
        if r["level"] == "款" and _valid(r) and ("通用" in types or {"行政", "事业"} <= types):
            econ.setdefault(code[:3], []).append(code)
    return functions, econ


def _fen_amount(rng: random.Random) -> int:
    """An amount in 分: mostly thousands to a few million 元, to the 分."""
    return int(10 ** rng.uniform(5, 9))


def _unit_sources(rng: random.Random, unit_type: str) -> list[str]:
    """一般公共预算 and two to five other sources (a 行政单位 only public money)."""
    pool = [s for s in SOURCES if s != "一般公共预算" and (unit_type == "事业单位" or s in PUBLIC_UNIT_SOURCES)]
    return ["一般公共预算", *rng.sample(pool, min(len(pool), rng.randint(2, 5)))]


def _weighted(rng: random.Random, sources: list[str]) -> str:
    return rng.choices(sources, [SOURCES[s] for s in sources])[0]


def budget_sheets(seed: int, lines: int, units: int) -> dict[str, list[list[Any]]]:
    """The sheets of a balanced 元 budget of ``lines`` expenditure lines over ``units`` units."""
    rng = random.Random(seed)
    functions, econ = catalog_codes()
    unit_rows = [[f"001{n:03d}", f"单位{n:03d}", "行政单位" if n == 1 or rng.random() < 0.4 else "事业单位"]
                 for n in range(1, units + 1)]
    unit_functions = {u[0]: {fund: rng.sample(codes, min(len(codes), rng.randint(6, 30) if fund == "" else 3))
                             for fund, codes in functions.items()} for u in unit_rows}
    for own in unit_functions.values():  # a catalog without budgets of subjects: every code is ""
        for fund in FUNDS.values():
            own.setdefault(fund, own[""])
    projects = [[f"41030022{n:012d}", f"项目{n}", rng.choice(PROJECT_TYPES), rng.choice(unit_rows)[0]]
                for n in range(1, max(1, lines // 20) + 1)]
    basic: dict[tuple[str, ...], int] = {}
    project_lines: dict[tuple[str, ...], int] = {}
    project_of = {p[0]: p[3] for p in projects}
    unit_sources = {u[0]: _unit_sources(rng, u[2]) for u in unit_rows}
    project_sources = {p[0]: rng.sample(unit_sources[p[3]], min(len(unit_sources[p[3]]), rng.randint(1, 2)))
                       for p in projects}
    while len(basic) + len(project_lines) < lines:
        if rng.random() < 0.45:
            unit = rng.choice(unit_rows)[0]
            source = _weighted(rng, unit_sources[unit])
            key = (unit, rng.choice(unit_functions[unit][FUNDS.get(source, "")][:4]),
                   rng.choice(econ[rng.choice(BASIC_CLASSES)]), source)
            basic.setdefault(key, _fen_amount(rng))
        else:
            project = rng.choice(projects)[0]
            source = _weighted(rng, project_sources[project])
            key = (project, rng.choice(unit_functions[project_of[project]][FUNDS.get(source, "")]),
                   rng.choice(econ[rng.choice(PROJECT_CLASSES)]), source)
            project_lines.setdefault(key, _fen_amount(rng))
    income: dict[tuple[str, str], int] = {}
    for (unit, _, _, source), fen in basic.items():
        income[(unit, source)] = income.get((unit, source), 0) + fen
    for (project, _, _, source), fen in project_lines.items():
        owner = (project_of[project], source)
        income[owner] = income.get(owner, 0) + fen

    def yuan(fen: int) -> float:
        return float(f"{fen / 100:.2f}")

    return {
        "基本信息": [["项目", "内容"], ["预算年度", str(YEAR)], ["部门编码", "001"], ["部门名称", "舍位平衡测试部门"],
                 ["金额单位", "元"]],
        "单位": [["单位编码", "单位名称", "单位类型"], *unit_rows],
        "收入": [["单位编码", "资金来源", "金额"], *([u, s, yuan(f)] for (u, s), f in income.items())],
        "基本支出": [["单位编码", "功能分类编码", "经济分类编码", "资金来源", "金额"],
                 *([*key, yuan(f)] for key, f in basic.items())],
        "项目": [["项目编码", "项目名称", "项目类型", "单位编码"], *projects],
        "项目支出": [["项目编码", "功能分类编码", "经济分类编码", "资金来源", "金额"],
                 *([*key, yuan(f)] for key, f in project_lines.items())],
        "绩效目标": [["项目编码", "一级指标", "二级指标", "三级指标", "指标值"],
                 *([p[0], first, second, f"{first}{k}", "≥90%"] for p in projects
                   for k, (first, second) in enumerate(INDICATORS))],
    }


def write_budget(path: Path, sheets: dict[str, list[list[Any]]]) -> Path:
    book = xlsxwriter.Workbook(str(path))
    for name, rows in sheets.items():
        sheet = book.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if isinstance(value, float):
                    sheet.write_number(r, c, value)
                else:
                    sheet.write_string(r, c, str(value))
    book.close()
    return path


CHECKOUT = [ROOT]  # the xlbudget that is timed (``--root``)


def run(args: list[str]) -> tuple[float, subprocess.CompletedProcess[str]]:
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "xlbudget", *args], capture_output=True, text=True,
                          cwd=CHECKOUT[0], env={**os.environ, "NO_COLOR": "1"}, check=False)
    return time.perf_counter() - start, done


def compile_time(path: Path, out: Path, rounding: str) -> float:
    seconds, done = run(["compile", str(path), "-o", str(out), "--rounding", rounding])
    if done.returncode != 0:
        raise SystemExit(f"compile --rounding {rounding} failed ({done.returncode}):\n{done.stdout}{done.stderr}")
    return seconds


def far_cells(path: Path) -> tuple[int, int]:
    """XB305 findings of ``check --rounding balanced`` and the cells they list."""
    _, done = run(["check", str(path), "--rounding", "balanced", "--format", "json"])
    found = [f for f in json.loads(done.stdout)["findings"] if f["rule"] == "XB305"]
    cells = sum(int(m.group(1)) for f in found if (m := re.search(r"有 (\d+) 处", f["message"])))
    return len(found), cells


def measure(lines: int, units: int, repeats: int, seed: int, folder: Path) -> dict[str, Any]:
    path = write_budget(folder / f"budget-{lines}.xlsx", budget_sheets(seed, lines, units))
    out = folder / "公开表.xlsx"
    compile_time(path, out, "exact")  # warm the file cache and bytecode
    exact, balanced = [], []
    for k in range(repeats):  # paired, interleaved; which goes first alternates
        order = ("exact", "balanced") if k % 2 == 0 else ("balanced", "exact")
        times = {rounding: compile_time(path, out, rounding) for rounding in order}
        exact.append(times["exact"])
        balanced.append(times["balanced"])
    findings, cells = far_cells(path)
    return {"lines": lines, "units": units, "exact": statistics.median(exact),
            "balanced": statistics.median(balanced),
            "ratio": statistics.median(b / e for b, e in zip(balanced, exact, strict=True)),
            "ratios": [round(b / e, 2) for b, e in zip(balanced, exact, strict=True)],
            "xb305": findings, "cells": cells}


def table(rows: list[dict[str, Any]], load: tuple[str, str]) -> str:
    head = ("| lines / units | exact | balanced | balanced ÷ exact (median of pairs; each pair) | "
            "XB305 findings (cells) |\n|---|---|---|---|---|\n")
    body = "".join(
        f"| {r['lines']:,} / {r['units']} | {r['exact']:.2f} s | {r['balanced']:.2f} s | "
        f"{r['ratio']:.2f}× ({', '.join(f'{x:.2f}' for x in r['ratios'])}) | {r['xb305']} ({r['cells']}) |\n"
        for r in rows)
    return head + body + f"\nLoad average (1, 5, 15 min): {load[0]} before, {load[1]} after.\n"


def measured_table(sizes: list[tuple[int, int]], repeats: int, seed: int) -> str:
    """Every size measured, as the markdown table with the load average before and after."""
    before = " ".join(f"{x:.2f}" for x in os.getloadavg())
    with tempfile.TemporaryDirectory() as folder:
        rows = [measure(lines, units, repeats, seed, Path(folder)) for lines, units in sizes]
    after = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return table(rows, (before, after))


def report(quick: bool) -> list[str]:
    """benchmarks/run.py's 舍位平衡 rows: both sizes, three pairs each (quick: 2,000 lines, one pair)."""
    sizes, repeats = ([(2000, 10)], 1) if quick else ([(2000, 10), (20000, 50)], 3)
    return measured_table(sizes, repeats, seed=1).splitlines()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--sizes", default="2000/10,20000/50", help="lines/units, comma-separated")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--root", type=Path, default=ROOT, help="the xlbudget checkout to time")
    args = parser.parse_args()
    CHECKOUT[0] = args.root.resolve()
    sizes = [(int(lines), int(units)) for lines, units in (size.split("/") for size in args.sizes.split(","))]
    print(measured_table(sizes, args.repeats, args.seed))


if __name__ == "__main__":
    main()
