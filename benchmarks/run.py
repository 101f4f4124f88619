"""Benchmark xlbudget against the I/O floor (issues #12, #20).

First the bundled examples (examples/*/input.xlsx, each with the profile in its profile.txt), as
a clerk runs them: ``xlbudget compile`` as a fresh process, paired run by run with a floor process
(``benchmarks/floor.py``: python-calamine reading the same input, xlsxwriter writing the same
output cells); then the same pair inside one process, as a first call (imports included, what a
command pays) and warm (the same input again in that process).

Then generated budgets — typical (300 lines, 1 unit, 20 projects), large (20,000 lines over 50 units,
500 projects), stress (50,000 projects) and a batch of several hundred typical workbooks — and
measures, paired in the same run (medians):

- floor: python-calamine reading every cell of the input + xlsxwriter (in memory, or through
  temporary files past render.IN_MEMORY_CELLS, as the compile) writing exactly the cells the
  compile writes, every sheet including 校验结果: once as plain values, once with the same
  formats (the formatted floor);
- the in-process compile (read, check, derive, render, narrative), its ratio to both floors, and
  where the time goes (the render stage includes the findings sheet);
- whole processes: ``xlbudget compile`` against a floor process doing the same reads and writes,
  with bytecode caches allowed as an installed package runs (a warm-up run writes them; CI
  machines may set PYTHONDONTWRITEBYTECODE, which adds the compile of every module to each run);
- peak memory of a fresh child process (its own VmHWM, not a counter inherited from this one);
- the stress case as a whole process (time, peak memory, progress lines on stderr);
- batch rates with 1 and 2 processes (the speed-up as the median of paired runs) and a province
  estimate (10,000 typical + 100 large);
- 舍位平衡 (``--rounding balanced``) against the exact compile, from ``benchmarks/rounding.py``
  when it is present (its ``report(quick)`` gives the Markdown lines).

The machine's load average is recorded before and after each part: on a shared machine the
ratios of paired runs are the figures to trust, not the absolute seconds.

The harness's own objects are collected and frozen before every timed run, so the garbage
collector times only the compile's objects. ``--profile NAME`` compiles every case with that
table profile (the hook for a Shanghai case once its profile exists).

Run from the repository root:
    python benchmarks/run.py [--quick] [--examples-only] [--profile NAME] [--out FILE]
"""

from __future__ import annotations

import argparse
import gc
import marshal
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the budget generator lives with the tests

from benchmarks.floor import Sheet, floor  # noqa: E402
from tests.strategies import generate_budget  # noqa: E402
from xlbudget.batch import OK, SUMMARY_NAME, compile_batch, discover  # noqa: E402
from xlbudget.model import Budget  # noqa: E402
from xlbudget.pipeline import compile_workbook  # noqa: E402
from xlbudget.profile import DEFAULT_PROFILE  # noqa: E402
from xlbudget.render import IN_MEMORY_CELLS  # noqa: E402
from xlbudget.safety import MAX_ROWS  # noqa: E402
from xlbudget.template import write_budget_workbook  # noqa: E402

PROVINCE_TYPICAL, PROVINCE_LARGE = 10_000, 100
EXAMPLES = ROOT / "examples"
GOAL = 2.5  # whole process ÷ floor process on every bundled example (issue #20)
# (label, units, lines, projects); the stress case runs as a whole process only
SIZES = {"typical": ("typical (300 lines, 1 unit)", 1, 300, 20),
         "large": ("large (20,000 lines, 50 units, 500 projects)", 50, 20_000, 500),
         "stress": ("stress (50,000 projects, 50 units)", 50, 50_000, 50_000)}

# A child's own peak memory (KiB) and the end of its run, printed on stderr.
PEAK = ("def _peak():\n"
        " import sys\n"
        " for line in open('/proc/self/status'):\n"
        "  if line.startswith('VmHWM:'): print('PEAK', line.split()[1], file=sys.stderr)\n")
CLI_CHILD = PEAK + ("import runpy, sys\nsys.argv = ['xlbudget', *sys.argv[1:]]\n"
                    "try:\n runpy.run_module('xlbudget', run_name='__main__')\n"
                    "except SystemExit: pass\n_peak()\n")
FLOOR_CHILD = PEAK + ("import marshal, sys\nfrom pathlib import Path\nsys.path.insert(0, sys.argv[4])\n"
                      "from benchmarks.floor import floor\n"
                      "floor(Path(sys.argv[1]), marshal.loads(Path(sys.argv[2]).read_bytes()), Path(sys.argv[3]),"
                      " formatted=False, in_memory=sys.argv[5] == 'memory')\n_peak()\n")
RAW_CHILD = PEAK + ("import marshal, sys\nfrom pathlib import Path\nsys.path.insert(0, sys.argv[4])\n"
                    "from benchmarks.rawxml import raw\n"
                    "raw(Path(sys.argv[1]), marshal.loads(Path(sys.argv[2]).read_bytes()), Path(sys.argv[3]))\n_peak()\n")

# In a fresh process: seconds of the first call, imports included, then of warm calls (stderr).
COMPILE_CALLS = ("import sys, time\nstart = time.perf_counter()\nfrom pathlib import Path\n"
                 "from xlbudget.pipeline import compile_workbook\ntimes = []\n"
                 "for _ in range(int(sys.argv[4]) + 1):\n"
                 " compile_workbook([Path(sys.argv[1])], Path(sys.argv[2]), profile=sys.argv[3])\n"
                 " times.append(time.perf_counter() - start)\n start = time.perf_counter()\n"
                 "print('PEAK 0\\nTIMES', *times, file=sys.stderr)\n")
FLOOR_CALLS = ("import marshal, sys, time\nfrom pathlib import Path\n"
               "cells = marshal.loads(Path(sys.argv[2]).read_bytes())\nsys.path.insert(0, sys.argv[4])\n"
               "start = time.perf_counter()\nfrom benchmarks.floor import floor\ntimes = []\n"
               "for _ in range(int(sys.argv[5]) + 1):\n"
               " floor(Path(sys.argv[1]), cells, Path(sys.argv[3]), formatted=True)\n"
               " times.append(time.perf_counter() - start)\n start = time.perf_counter()\n"
               "print('PEAK 0\\nTIMES', *times, file=sys.stderr)\n")


def load() -> float:
    """The machine's one-minute load average."""
    return os.getloadavg()[0]


def timed(action: Callable[[], object]) -> float:
    """Seconds of one run, with the harness's objects collected and frozen beforehand."""
    gc.collect()
    gc.freeze()
    start = time.perf_counter()
    action()
    elapsed = time.perf_counter() - start
    gc.unfreeze()
    return elapsed


def median_time(action: Callable[[], object], repeats: int) -> float:
    return statistics.median(timed(action) for _ in range(repeats))


# -- the compile's cells, for the floor ----------------------------------------------------------


def output_cells(inputs: Path, target: Path, profile: str) -> list[Sheet]:
    """Every cell a compile writes (value and format), taken from its worksheets as it closes
    (without the 预算说明, the compile writes no other workbook)."""
    import xlsxwriter

    from xlbudget.render import STYLES

    captured: list[Sheet] = []
    close = xlsxwriter.Workbook.close

    def capture(workbook: Any) -> Any:
        captured.extend(_sheet_cells(workbook, STYLES))
        return close(workbook)

    with mock.patch.object(xlsxwriter.Workbook, "close", capture):
        compile_workbook([inputs], target, profile=profile, narrative=())
    return captured


def _sheet_cells(workbook: Any, styles: dict[str, dict[str, Any]]) -> list[Sheet]:
    """The cells of ``workbook``'s sheets with their formats as style dicts (render.STYLES)."""
    scratch = __import__("xlsxwriter").Workbook(os.devnull, {"in_memory": True})
    candidates = [s for style in styles.values() for s in (style, {**style, "bold": True})]
    by_key = {scratch.add_format(s)._get_format_key(): s for s in candidates}
    by_key[scratch.add_format()._get_format_key()] = {}
    strings = {index: text for text, index in workbook.str_table.string_table.items()}
    sheets: list[Sheet] = []
    for ws in workbook.worksheets():
        used: dict[str, int] = {}
        cells = []
        for row, columns in sorted(ws.table.items()):
            for col, cell in sorted(columns.items()):
                key = cell.format._get_format_key() if cell.format is not None else ""
                style = used.setdefault(key, len(used))
                kind = type(cell).__name__
                value = (strings[cell.string] if kind == "String" else float(cell.number) if kind == "Number"
                         else getattr(cell, "string", None))  # a link's text
                cells.append((row, col, value, style))
        formats = [by_key.get(key, {}) for key in used]
        sheets.append((ws.name, cells, formats))
    return sheets


# -- processes ---------------------------------------------------------------------------------------


def process_run(code: str, args: list[str]) -> tuple[float, int, str, float]:
    """Wall seconds, peak memory (KiB), stderr and CPU seconds (user + system) of one fresh
    Python process. On a busy machine the CPU seconds are the steadier figure: waiting for a
    core counts in the wall time only."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                          check=False, env=env)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    peaks = [line for line in done.stderr.splitlines() if line.startswith("PEAK ")]
    if not peaks:
        raise RuntimeError(f"child failed: {done.stderr[-2000:]}")
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return elapsed, int(peaks[-1].split()[1]), done.stderr, cpu


def cli_run(inputs: Path, output: Path, profile: str) -> tuple[float, int, str, float]:
    return process_run(CLI_CHILD, ["compile", str(inputs), "-o", str(output), "--profile", profile])


def stages(inputs: Path, work: Path, profile: str, repeats: int) -> dict[str, float]:
    """Median seconds of each step of a compile, to say where the time goes."""
    from xlbudget.checks import run_checks
    from xlbudget.derive import derive_tables
    from xlbudget.narrative import build_narrative
    from xlbudget.profile import load_profile
    from xlbudget.reader import read_budget
    from xlbudget.render import write_disclosure

    layout = load_profile(profile)
    budget, reading = read_budget(inputs)
    tables = derive_tables(budget, layout)
    findings = [*reading, *run_checks(budget, tables)]
    return {
        "read": median_time(lambda: read_budget(inputs), repeats),
        "derive": median_time(lambda: derive_tables(budget, layout), repeats),
        "checks": median_time(lambda: run_checks(budget, tables), repeats),
        "render": median_time(lambda: write_disclosure(tables, work / "stage.xlsx", findings=findings), repeats),
        "narrative": median_time(
            lambda: build_narrative(budget, tables, layout).write(work / "stage", ("docx", "md")), repeats),
    }


def measure_size(label: str, inputs: Path, work: Path, profile: str, repeats: int) -> dict[str, Any]:
    cells = output_cells(inputs, work / "capture.xlsx", profile)
    cell_file = work / f"{inputs.stem}.cells"
    cell_file.write_bytes(marshal.dumps(cells))
    out = work / "out.xlsx"
    memory = sum(len(c) for _, c, _ in cells) < IN_MEMORY_CELLS  # as the compile writes it
    plain = median_time(lambda: floor(inputs, cells, work / "floor.xlsx", formatted=False, in_memory=memory),
                        repeats)
    formatted = median_time(lambda: floor(inputs, cells, work / "floor.xlsx", formatted=True, in_memory=memory),
                            repeats)
    inproc = median_time(lambda: compile_workbook([inputs], out, profile=profile), repeats)
    bare = median_time(lambda: compile_workbook([inputs], out, profile=profile, narrative=()), repeats)
    floor_args = [str(inputs), str(cell_file), str(work / "floorp.xlsx"), str(ROOT), "memory" if memory else "files"]
    cli_run(inputs, work / "cli.xlsx", profile)  # warm-up: bytecode caches written as on install
    done = paired({"compile": lambda: cli_run(inputs, work / "cli.xlsx", profile),
                   "floor": lambda: process_run(FLOOR_CHILD, floor_args),
                   "raw": lambda: process_run(RAW_CHILD, [*floor_args[:2], str(work / "raw.xlsx"), str(ROOT)])}, repeats)
    runs = done["compile"]
    return {"size": label, "floor": plain, "floor_fmt": formatted, "compile": inproc, "bare": bare,
            "process": statistics.median(r[0] for r in runs), "floor_process": median_of(done["floor"]),
            "process_ratio": ratio(runs, done["floor"]), "raw_process": median_of(done["raw"]),
            "raw_ratio": ratio(runs, done["raw"]), "peak_mb": max(r[1] for r in runs) / 1024,
            "cells": sum(len(c) for _, c, _ in cells), "stages": stages(inputs, work, profile, repeats)}


def paired(runs: dict[str, Callable[[], Any]], rounds: int) -> dict[str, list[Any]]:
    """Each of ``runs`` (fresh processes) ``rounds`` times, run by run, the order rotating each
    round so that none always starts on a machine the previous one warmed."""
    names, done = list(runs), {name: [] for name in runs}
    for index in range(rounds):
        for name in names[index % len(names):] + names[:index % len(names)]:
            done[name].append(runs[name]())
    return done


def median_of(runs: list[tuple[Any, ...]]) -> float:
    return statistics.median(r[0] for r in runs)


def ratio(runs: list[tuple[Any, ...]], others: list[tuple[Any, ...]]) -> float:
    """The median of the runs' wall-time ratios, round by round."""
    return statistics.median(a[0] / b[0] for a, b in zip(runs, others, strict=True))


def example_profile(example: Path) -> str:
    """The profile an example is published in (scripts/build_example.py: its profile.txt)."""
    named = example / "profile.txt"
    return named.read_text(encoding="utf-8").strip() if named.exists() else DEFAULT_PROFILE


def call_times(code: str, args: list[str]) -> list[float]:
    """A fresh process's first call (imports included) and warm calls, in seconds."""
    stderr = process_run(code, args)[2]
    return [float(t) for t in stderr.split("TIMES", 1)[1].split()]


def measure_example(example: Path, work: Path, pairs: int) -> dict[str, Any]:
    """One bundled example as a clerk runs it: ``xlbudget compile`` (workbook and 预算说明) against
    the floor process, ``pairs`` times, alternating which of the two starts; then in process."""
    profile, inputs = example_profile(example), example / "input.xlsx"
    cells = output_cells(inputs, work / "capture.xlsx", profile)
    cell_file = work / f"{example.name}.cells"
    cell_file.write_bytes(marshal.dumps(cells))
    floor_args = [str(inputs), str(cell_file), str(work / "floorp.xlsx"), str(ROOT), "memory"]
    before = load()
    cli_run(inputs, work / "cli.xlsx", profile)  # warm-up: bytecode caches written as on install
    done = paired({"compile": lambda: cli_run(inputs, work / "cli.xlsx", profile),
                   "floor": lambda: process_run(FLOOR_CHILD, floor_args),
                   "raw": lambda: process_run(RAW_CHILD, [*floor_args[:2], str(work / "raw.xlsx"), str(ROOT)])}, pairs)
    runs, floors = done["compile"], done["floor"]
    ratios = sorted(r[0] / f[0] for r, f in zip(runs, floors, strict=True))
    cpu_ratios = sorted(r[3] / f[3] for r, f in zip(runs, floors, strict=True))
    compiled = call_times(COMPILE_CALLS, [str(inputs), str(work / "inproc.xlsx"), profile, "5"])
    floored = call_times(FLOOR_CALLS, [str(inputs), str(cell_file), str(work / "floorc.xlsx"), str(ROOT), "5"])
    return {"name": example.name, "profile": profile, "cells": sum(len(c) for _, c, _ in cells),
            "process": statistics.median(r[0] for r in runs), "floor_process": statistics.median(f[0] for f in floors),
            "ratio": statistics.median(ratios), "low": ratios[0], "high": ratios[-1],
            "within": sum(r <= GOAL for r in ratios), "pairs": pairs,
            "cpu": statistics.median(r[3] for r in runs), "floor_cpu": statistics.median(f[3] for f in floors),
            "cpu_ratio": statistics.median(cpu_ratios), "cpu_low": cpu_ratios[0], "cpu_high": cpu_ratios[-1],
            "raw_process": median_of(done["raw"]), "raw_ratio": ratio(runs, done["raw"]),
            "first": compiled[0], "warm": statistics.median(compiled[1:]),
            "floor_first": floored[0], "floor_warm": statistics.median(floored[1:]),
            "load": (before, load())}


def measure_stress(inputs: Path, work: Path, profile: str) -> dict[str, Any]:
    before = load()
    elapsed, peak, stderr, cpu = cli_run(inputs, work / "stress-out.xlsx", profile)
    progress = [line for line in stderr.splitlines() if "（已用" in line]  # the CLI's stage lines
    return {"seconds": elapsed, "cpu": cpu, "peak_mb": peak / 1024, "progress_lines": len(progress),
            "load": (before, load())}


def measure_batch(folder: Path, out: Path, count: int, profile: str, pairs: int) -> dict[str, Any]:
    """Seconds of the batch with 1 and 2 processes, ``pairs`` times each, paired run by run (the
    order alternates); the speed-up is the median of the pairs' ratios."""
    from xlbudget.batch import Options

    jobs = discover(folder, out)
    assert len(jobs) == count
    options = Options(profile=profile)

    def once(workers: int) -> float:  # compile_batch = every department + 汇总.xlsx
        results: list[Any] = []
        elapsed = timed(lambda: results.extend(compile_batch(jobs, out, workers, lambda *_: None, options)))
        assert len(results) == count and all(r.status == OK for r in results)
        assert (out / SUMMARY_NAME).stat().st_size > 0
        return elapsed

    before = load()
    ones, twos = [], []
    for index in range(pairs):
        order = (2, 1) if index % 2 else (1, 2)
        times = {workers: once(workers) for workers in order}
        ones.append(times[1])
        twos.append(times[2])
    speedups = sorted(a / b for a, b in zip(ones, twos, strict=True))
    return {"jobs1": statistics.median(ones), "jobs2": statistics.median(twos),
            "speedup": statistics.median(speedups), "speedups": speedups, "load": (before, load())}


def within_sheet_limit(budget: Budget) -> Budget:
    """The 绩效目标 rows that fit the reader's sheet limit (XB008: 200,000 rows with the header):
    the stress case's 50,000 projects × 4 indicators lose their last one (one XB403 warning)."""
    return replace(budget, indicators=budget.indicators[: MAX_ROWS - 1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats, batch of 20, no stress case")
    parser.add_argument("--examples-only", action="store_true", help="only the bundled examples")
    parser.add_argument("--profile", default=DEFAULT_PROFILE, help="table profile of the generated cases")
    parser.add_argument("--batch", type=int, default=300, help="departments in the measured batch")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results.md")
    args = parser.parse_args()
    repeats, batch_count = (3, 20) if args.quick else (7, args.batch)
    started = load()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        examples = [measure_example(e, work, 3 * repeats) for e in sorted(EXAMPLES.iterdir())
                    if (e / "input.xlsx").exists()]
        parts = [render_examples(examples)]
        if not args.examples_only:
            parts.append(render_generated(*generated(work, args.profile, repeats, batch_count, args.quick),
                                          batch_count, args.profile))
            parts.append(render_rounding(args.quick))
    header = (f"# Benchmark results ({date.today()}, {platform.machine()}, {len(os.sched_getaffinity(0))} cores, "
              f"Python {platform.python_version()}; load average {started:.1f} at the start, {load():.1f} at the end)")
    report = "\n\n".join([header, *parts]) + "\n"
    args.out.write_text(report, encoding="utf-8")
    print(report)


def generated(work: Path, profile: str, repeats: int, batch_count: int, quick: bool
              ) -> tuple[list[dict[str, Any]], dict[str, Any] | None, float, dict[str, Any]]:
    """The generated sizes, the stress case (unless quick), ``--help`` and the batch."""
    inputs = {}
    for key, (_, units, lines, projects) in SIZES.items():
        if key == "stress" and quick:
            continue
        inputs[key] = work / f"{key}.xlsx"
        budget = generate_budget(seed=len(inputs), units=units, lines=lines, projects=projects, clean=True)
        write_budget_workbook(within_sheet_limit(budget), inputs[key])
    rows = [measure_size(SIZES["typical"][0], inputs["typical"], work, profile, repeats),
            measure_size(SIZES["large"][0], inputs["large"], work, profile, max(3, repeats // 2))]
    stress = measure_stress(inputs["stress"], work, profile) if "stress" in inputs else None
    help_time = statistics.median(process_run(CLI_CHILD, ["--help"])[0] for _ in range(repeats))
    batch_in = work / "batch"
    batch_in.mkdir()
    for index in range(batch_count):
        budget = generate_budget(seed=100 + index, units=1, lines=300, projects=20, clean=True)
        write_budget_workbook(replace(budget, dept_code=f"9{index:05d}"),  # one 部门编码 each, as 汇总 needs
                              batch_in / f"dept{index:03d}.xlsx")
    batch = measure_batch(batch_in, work / "batch-out", batch_count, profile, 3)
    return rows, stress, help_time, batch


def render_examples(rows: list[dict[str, Any]]) -> str:
    lines = ["## Bundled examples, as a clerk runs them",
             "",
             "Whole processes, paired run by run (median s; the compile writes the workbook and its 预算说明 "
             ".docx/.md, the floor process reads the same input with python-calamine and writes the same cells "
             "with xlsxwriter, the raw-XML writer (benchmarks/rawxml.py) writes their values as bare sheet XML); "
             f"goal ≤ {GOAL}× the floor on every example:",
             "",
             "| example (profile) | cells written | `xlbudget compile` | floor process | ÷ floor (median) "
             "| range | pairs ≤ goal | CPU s: compile / floor | ÷ floor, CPU (range) | raw-XML writer | ÷ raw "
             "| load before → after |",
             "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for r in rows:
        lines.append(f"| {r['name']} ({r['profile']}) | {r['cells']:,} | {r['process']:.3f} | "
                     f"{r['floor_process']:.3f} | **{r['ratio']:.2f}** | {r['low']:.2f}–{r['high']:.2f} | "
                     f"{r['within']}/{r['pairs']} | {r['cpu']:.3f} / {r['floor_cpu']:.3f} | {r['cpu_ratio']:.2f} "
                     f"({r['cpu_low']:.2f}–{r['cpu_high']:.2f}) | {r['raw_process']:.3f} | {r['raw_ratio']:.2f} "
                     f"| {r['load'][0]:.1f} → {r['load'][1]:.1f} |")
    lines += ["",
              "In process (s): the first call in a fresh process, imports included (what one command pays), and "
              "warm (median of 5 more calls in that process); the floor here writes the cells with their formats:",
              "",
              "| example | compile first call | floor first call | ÷ | compile warm | floor warm | ÷ |",
              "| --- | --- | --- | --- | --- | --- | --- |"]
    for r in rows:
        lines.append(f"| {r['name']} | {r['first']:.3f} | {r['floor_first']:.3f} | {r['first'] / r['floor_first']:.2f} "
                     f"| {r['warm']:.3f} | {r['floor_warm']:.3f} | {r['warm'] / r['floor_warm']:.2f} |")
    return "\n".join(lines)


def render_rounding(quick: bool) -> str:
    """舍位平衡's rows, from benchmarks/rounding.py (``report(quick)`` → Markdown lines)."""
    if not (ROOT / "benchmarks" / "rounding.py").exists():
        return "## 舍位平衡\n\nNot measured: benchmarks/rounding.py is not in this tree."
    import importlib

    rounding = importlib.import_module("benchmarks.rounding")
    return "\n".join(["## 舍位平衡 (`--rounding balanced` against `--rounding exact`)", "", *rounding.report(quick)])


def render_generated(rows: list[dict[str, Any]], stress: dict[str, Any] | None, help_time: float,
                     batch: dict[str, Any], count: int, profile: str) -> str:
    lines = [f"## Generated budgets (profile {profile})", "",
             "In process (median s, warm): floor = calamine read + xlsxwriter in memory writing the same cells.", "",
             "| size | cells written | floor | formatted floor | compile | ÷ formatted floor | without narrative "
             "| ÷ formatted floor |", "| --- | --- | --- | --- | --- | --- | --- | --- |"]
    for r in rows:
        lines.append(f"| {r['size']} | {r['cells']:,} | {r['floor']:.3f} | {r['floor_fmt']:.3f} | {r['compile']:.3f} "
                     f"| {r['compile'] / r['floor_fmt']:.2f} | {r['bare']:.3f} | {r['bare'] / r['floor_fmt']:.2f} |")
    lines += ["", "Whole processes (median s, paired run by run; bytecode caches allowed; peak = child's VmHWM):", "",
              "| size | `xlbudget compile` | floor process | ratio | raw-XML writer | ÷ raw | peak memory (MB) |",
              "| --- | --- | --- | --- | --- | --- | --- |"]
    for r in rows:
        lines.append(f"| {r['size']} | {r['process']:.3f} | {r['floor_process']:.3f} | {r['process_ratio']:.2f} "
                     f"| {r['raw_process']:.3f} | {r['raw_ratio']:.2f} | {r['peak_mb']:.0f} |")
    lines += ["", "Where the in-process time goes (median s; render includes the findings sheet): " + "; ".join(
        f"{r['size'].split(' (')[0]}: " + ", ".join(f"{k} {v:.3f}" for k, v in r["stages"].items()) for r in rows)]
    if stress:
        lines += ["", f"Stress, {SIZES['stress'][0]}: whole `xlbudget compile` {stress['seconds']:.1f} s "
                      f"({stress['cpu']:.1f} CPU s), peak {stress['peak_mb']:.0f} MB, {stress['progress_lines']} "
                      f"progress lines on stderr (load {stress['load'][0]:.1f} → {stress['load'][1]:.1f})."]
    rate1, rate2 = count / batch["jobs1"], count / batch["jobs2"]
    large = rows[1]["process"]
    province2 = PROVINCE_TYPICAL / rate2 + PROVINCE_LARGE * large / 2
    province1 = PROVINCE_TYPICAL / rate1 + PROVINCE_LARGE * large
    lines += ["", f"`xlbudget --help`: {help_time:.3f} s", "",
              f"Batch of {count} typical workbooks (with 汇总.xlsx), {len(batch['speedups'])} pairs: 1 process "
              f"{batch['jobs1']:.1f} s ({rate1:.1f} departments/s), 2 processes {batch['jobs2']:.1f} s ({rate2:.1f}/s), "
              f"speed-up (median of the pairs) **{batch['speedup']:.2f}×** "
              f"({', '.join(f'{x:.2f}' for x in batch['speedups'])}; load {batch['load'][0]:.1f} → {batch['load'][1]:.1f}).",
              "",
              f"Province estimate ({PROVINCE_TYPICAL:,} typical + {PROVINCE_LARGE} large departments, from the "
              f"batch rates and the large whole process): 1 core {province1 / 60:.0f} min, "
              f"2 cores {province2 / 60:.0f} min."]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
