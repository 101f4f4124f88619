"""Benchmark xlbudget against the I/O floor (DESIGN §9, issue #5).

Generates budgets of three sizes — typical (≈300 lines, 1 unit), large (20,000 lines over 50
units, 500 projects), batch (200 typical workbooks) — and measures in the same run:

- floor: python-calamine reading every cell of the input + xlsxwriter writing the same output
  cells (values only) — the least any tool must do;
- xlbudget in-process compile (read, check, derive, render, narrative) and its ratio to the floor;
- the whole ``xlbudget compile`` process (interpreter and imports included) and ``xlbudget --help``;
- peak memory (max RSS) of the compile process;
- batch throughput with 1 and 2 processes.

Run from the repository root:  python benchmarks/run.py [--quick] [--out benchmarks/results.md]
"""

from __future__ import annotations

import argparse
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the budget generator lives with the tests

from tests.strategies import generate_budget  # noqa: E402
from xlbudget.batch import OK, SUMMARY_NAME, compile_batch, discover  # noqa: E402
from xlbudget.pipeline import compile_workbook, derive  # noqa: E402
from xlbudget.template import write_budget_workbook  # noqa: E402


def median_time(action: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def floor_read(path: Path) -> None:
    from python_calamine import CalamineWorkbook

    workbook = CalamineWorkbook.from_path(str(path))
    for name in workbook.sheet_names:
        workbook.get_sheet_by_name(name).to_python()


def output_cells(path: Path) -> list[list[list[object]]]:
    """The compiled tables' cells (as written), to write again at the floor."""
    outcome = derive([path])
    return [[list(row.cells) for row in table.rows] for table in outcome.tables]


def floor_write(cells: list[list[list[object]]], target: Path) -> None:
    import xlsxwriter

    workbook = xlsxwriter.Workbook(str(target))
    for index, rows in enumerate(cells):
        sheet = workbook.add_worksheet(f"t{index}")
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if isinstance(value, int):
                    sheet.write_number(r, c, value / 1_000_000)
                elif value is not None:
                    sheet.write_string(r, c, value)
    workbook.close()


def process_run(args: list[str]) -> tuple[float, int]:
    """Wall seconds and peak RSS (KiB) of one ``xlbudget`` process."""
    code = ("import resource, runpy, sys; sys.argv = ['xlbudget', *sys.argv[1:]];\n"
            "try:\n runpy.run_module('xlbudget', run_name='__main__')\n"
            "except SystemExit: pass\n"
            "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)")
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    return elapsed, int(done.stderr.strip().splitlines()[-1])


def stages(inputs: Path, work: Path, repeats: int) -> dict[str, float]:
    """Median seconds of each step of a compile, to say where the time goes."""
    from xlbudget.checks import run_checks
    from xlbudget.narrative import build_narrative
    from xlbudget.profile import load_profile
    from xlbudget.reader import read_budget
    from xlbudget.render import write_disclosure
    from xlbudget.tables import derive_tables

    layout = load_profile()
    budget, _ = read_budget(inputs)
    tables = derive_tables(budget, layout)
    return {
        "read": median_time(lambda: read_budget(inputs), repeats),
        "derive": median_time(lambda: derive_tables(budget, layout), repeats),
        "checks": median_time(lambda: run_checks(budget, tables), repeats),
        "render": median_time(lambda: write_disclosure(tables, work / "stage.xlsx"), repeats),
        "narrative": median_time(lambda: build_narrative(budget, tables, layout).write(work / "stage",
                                                                                      ("docx", "md")), repeats),
    }


def measure_size(label: str, inputs: Path, work: Path, repeats: int) -> dict[str, object]:
    cells = output_cells(inputs)
    floor = median_time(lambda: (floor_read(inputs), floor_write(cells, work / "floor.xlsx")), repeats)
    inproc = median_time(lambda: compile_workbook([inputs], work / "out.xlsx"), repeats)
    bare = median_time(lambda: compile_workbook([inputs], work / "out.xlsx", narrative=()), repeats)
    runs = [process_run(["compile", str(inputs), "-o", str(work / "cli.xlsx")]) for _ in range(repeats)]
    return {"size": label, "floor": floor, "compile": inproc, "ratio": inproc / floor, "bare": bare,
            "process": statistics.median(r[0] for r in runs), "rss_mb": max(r[1] for r in runs) / 1024,
            "stages": stages(inputs, work, repeats)}


def measure_batch(folder: Path, out: Path, count: int) -> dict[str, float]:
    jobs = discover(folder, out)
    assert len(jobs) == count
    result = {}
    for workers in (1, 2):  # compile_batch = every department + 汇总.xlsx with the consolidated view
        start = time.perf_counter()
        results = compile_batch(jobs, out, workers, lambda *_: None)
        result[f"jobs{workers}"] = time.perf_counter() - start
        assert len(results) == count and all(r.status == OK for r in results)
        assert (out / SUMMARY_NAME).stat().st_size > 0
    inputs = [job.inputs[0] for job in jobs]
    cells = output_cells(inputs[0])
    start = time.perf_counter()
    for path in inputs:
        floor_read(path)
        floor_write(cells, out / "floor.xlsx")
    result["floor1"] = time.perf_counter() - start
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats, batch of 20")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results.md")
    args = parser.parse_args()
    repeats, batch_count = (3, 20) if args.quick else (7, 200)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        typical = work / "typical.xlsx"
        large = work / "large.xlsx"
        write_budget_workbook(generate_budget(seed=1, units=1, lines=300, projects=20, clean=True), typical)
        write_budget_workbook(generate_budget(seed=2, units=50, lines=20_000, projects=500, clean=True), large)
        rows = [measure_size("typical (300 lines, 1 unit)", typical, work, repeats),
                measure_size("large (20,000 lines, 50 units, 500 projects)", large, work, max(1, repeats // 2))]
        help_runs = sorted(process_run(["--help"])[0] for _ in range(repeats))
        batch_in = work / "batch"
        batch_in.mkdir()
        for index in range(batch_count):
            write_budget_workbook(generate_budget(seed=100 + index, units=1, lines=300, projects=20, clean=True),
                                  batch_in / f"dept{index:03d}.xlsx")
        batch = measure_batch(batch_in, work / "batch-out", batch_count)
    report = render(rows, statistics.median(help_runs), batch, batch_count)
    args.out.write_text(report, encoding="utf-8")
    print(report)


def render(rows: list[dict[str, object]], help_time: float, batch: dict[str, float], count: int) -> str:
    lines = [f"# Benchmark results ({date.today()}, {platform.machine()}, "
             f"{len(__import__('os').sched_getaffinity(0))} cores, Python {platform.python_version()})", "",
             "| size | floor (s) | in-process compile (s) | ratio | without narrative (s) | ratio "
             "| whole `xlbudget compile` (s) | peak RSS (MB) |",
             "| --- | --- | --- | --- | --- | --- | --- | --- |"]
    for r in rows:
        lines.append(f"| {r['size']} | {r['floor']:.3f} | {r['compile']:.3f} | {r['ratio']:.2f} | "
                     f"{r['bare']:.3f} | {r['bare'] / r['floor']:.2f} | {r['process']:.3f} | {r['rss_mb']:.0f} |")
    lines += ["", "Where the in-process time goes (median s): " + "; ".join(
        f"{r['size'].split(' (')[0]}: " + ", ".join(f"{k} {v:.3f}" for k, v in r["stages"].items())
        for r in rows)]
    speedup = batch["jobs1"] / batch["jobs2"]
    lines += ["", f"`xlbudget --help`: {help_time:.3f} s", "",
              f"Batch of {count} typical workbooks: 1 process {batch['jobs1']:.1f} s "
              f"({count / batch['jobs1']:.1f} departments/s), 2 processes {batch['jobs2']:.1f} s "
              f"({count / batch['jobs2']:.1f}/s), speed-up {speedup:.2f}×; floor (1 process) {batch['floor1']:.1f} s.",
              ""]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
