"""Batch compilation for a finance bureau: every department under a folder, in parallel
processes, one failure never stopping the others, and a 汇总.xlsx over all of them.

A department is a workbook directly under the folder, or a sub-folder of unit workbooks.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from xlbudget.batch_results import CRASHED, DUPLICATE, HAS_ERRORS, OK, UNUSABLE, JobResult
from xlbudget.findings import ERROR, WARNING, Location, UnusableInput
from xlbudget.profile import DEFAULT_PROFILE, Profile, ProfileError, load_profile
from xlbudget.reading.rules import CANNOT_OPEN, UNUSABLE_SETTINGS
from xlbudget.summary import summarise, write_summary

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
SUMMARY_NAME = "汇总.xlsx"
FAMILIES = ("预算", "决算")  # the documents (Profile.family): 汇总.xlsx's sections, in this order


@dataclass(frozen=True)
class Options:
    """How every department of a batch is compiled (the compile command's options)."""

    profile: str | None = None  # a built-in profile's name or a profile file; None: each workbook's own
    catalogs: tuple[Path, ...] = ()
    force: bool = False
    narrative: tuple[str, ...] = ("docx", "md")
    template_dir: Path | None = None
    rounding: str | None = None  # exact | balanced; None: the profile's


@dataclass(frozen=True)
class Job:
    name: str
    inputs: tuple[Path, ...]
    output: Path
    source: str = ""  # what the clerk calls it: the workbook's name, or the folder's name and "/"


def _workbooks(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in WORKBOOK_SUFFIXES
                  and not p.name.startswith(("~$", ".")))


def _unusable(folder: Path, message: str, hint: str) -> UnusableInput:
    return UnusableInput(CANNOT_OPEN.finding(message, Location(file=str(folder)), hint=hint))


def discover(folder: Path, out_dir: Path) -> list[Job]:
    """Departments under ``folder``: each workbook, and each sub-folder holding workbooks.
    Raises UnusableInput (XB001) when ``folder`` is not a folder or holds no workbook."""
    if not folder.is_dir():
        what = "不是文件夹" if folder.exists() else "不存在"
        raise _unusable(folder, f"批量编制的文件夹“{folder}”{what}", "--batch 后请给出存放各部门工作簿的文件夹。")
    try:
        jobs = [Job(p.stem, (p,), out_dir / f"{p.stem}_公开表.xlsx", p.name) for p in _workbooks(folder)]
        for sub in sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")):
            books = _workbooks(sub)
            if books:
                jobs.append(Job(sub.name, tuple(books), out_dir / f"{sub.name}_公开表.xlsx", f"{sub.name}/"))
    except OSError as exc:
        raise _unusable(folder, f"无法读取文件夹“{folder}”：{exc.strerror or exc}", "请检查文件夹的权限。") from None
    if not jobs:
        raise _unusable(folder, f"文件夹“{folder}”中没有填报工作簿（{'、'.join(WORKBOOK_SUFFIXES)}）",
                        "请把各部门的工作簿（或各部门一个子文件夹的单位工作簿）放在该文件夹中。")
    return jobs


def check_options(options: Options) -> None:
    """Raise UnusableInput when --profile names no usable format: the batch stops before any
    department (as compile does), instead of failing each one and then the 汇总."""
    if options.profile is not None:
        try:
            load_profile(options.profile)
        except ProfileError as exc:
            raise UnusableInput(UNUSABLE_SETTINGS.finding(str(exc))) from None


def run_job(job: Job, options: Options) -> JobResult:
    """Compile one department; never raises (a crash becomes a result)."""
    from xlbudget.pipeline import EXIT_UNUSABLE, compile_workbook

    try:
        outcome = compile_workbook(job.inputs, job.output, profile=options.profile,
                                   catalog_files=options.catalogs, force=options.force,
                                   narrative=options.narrative, template_dir=options.template_dir,
                                   rounding=options.rounding)
        errors = sum(f.severity == ERROR for f in outcome.findings)
        result = JobResult(job.name, OK if not errors else HAS_ERRORS, errors,
                           sum(f.severity == WARNING for f in outcome.findings), source=job.source)
        if outcome.exit_code == EXIT_UNUSABLE:
            result.status = UNUSABLE
            result.message = outcome.findings[0].message if outcome.findings else ""
        if outcome.layout:
            result.profile, result.family = outcome.layout.name, outcome.layout.family
        if outcome.display and outcome.layout:  # the department's figures as it publishes them
            result.figures, result.by_class, result.by_source = summarise(list(outcome.display.shown),
                                                                          outcome.layout)
        if outcome.budget:
            result.dept_code, result.dept_name = outcome.budget.dept_code, outcome.budget.dept_name
            result.class_names = {code: outcome.budget.function_name(code) for code in result.by_class}
        result.outputs = tuple(str(p) for p in outcome.outputs)
        return result
    except Exception as exc:  # one department's crash must not stop the batch
        return JobResult(job.name, CRASHED, 1, source=job.source, message=f"{type(exc).__name__}: {exc}")


def refuse_duplicates(results: Sequence[JobResult]) -> None:
    """A 部门编码 already compiled (in name order: ``洛阳.xlsx`` before ``洛阳 - 副本.xlsx``) is the
    same department twice: the later one is refused, its files removed, and it stays out of 合计.
    A department's 部门预算 and its 部门决算 are two documents, not a copy."""
    first: dict[tuple[str, str], JobResult] = {}
    for result in sorted(results, key=lambda r: r.name):
        kept = first.setdefault((result.family, result.dept_code), result) if result.dept_code else result
        if kept is result:
            continue
        for path in result.outputs:
            Path(path).unlink(missing_ok=True)
        result.status, result.errors, result.outputs = DUPLICATE, result.errors + 1, ()
        result.message = (f"“{result.source}”与“{kept.source}”的部门编码同为 {result.dept_code}，"
                          f"是同一部门：不予编制，未计入合计")


def run_batch(jobs: Sequence[Job], workers: int, options: Options = Options()) -> Iterator[JobResult]:
    """Results as departments finish (in parallel processes when ``workers`` > 1)."""
    if workers <= 1:
        for job in jobs:
            yield run_job(job, options)
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(run_job, job, options) for job in jobs]
        for future in as_completed(futures):
            yield future.result()


def _common_format(results: Sequence[JobResult]) -> str:
    """The format most departments were compiled in (each its workbook's own), for 汇总.xlsx."""
    used = Counter(r.profile for r in sorted(results, key=lambda r: r.name) if r.profile)
    return used.most_common(1)[0][0] if used else DEFAULT_PROFILE


def summary_sections(results: Sequence[JobResult], chosen: str | None = None) -> list[tuple[Profile, list[JobResult]]]:
    """汇总.xlsx's sections: per document family (部门预算, then 部门决算) its departments, laid out in
    the format ``chosen`` (--profile) or else the one most of them were compiled in. A department
    whose format is not known (its workbook could not be read) is listed with the batch's main family."""
    main = load_profile(chosen or _common_format(results)).family
    groups: dict[str, list[JobResult]] = {}
    for result in results:
        groups.setdefault(result.family or main, []).append(result)
    return [(load_profile(chosen or _common_format(groups[family])), groups[family])
            for family in FAMILIES if family in groups]


def default_workers() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


def compile_batch(jobs: Sequence[Job], out_dir: Path, workers: int,
                  on_result: Callable[[JobResult, int, int], None], options: Options = Options()
                  ) -> list[JobResult]:
    """Compile every department, report each as it finishes, then write 汇总.xlsx."""
    results: list[JobResult] = []
    for result in run_batch(jobs, workers, options):
        results.append(result)
        on_result(result, len(results), len(jobs))
    results.sort(key=lambda r: r.name)
    refuse_duplicates(results)
    write_summary(summary_sections(results, options.profile), out_dir / SUMMARY_NAME)
    return results
