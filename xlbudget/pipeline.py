"""What the commands do, as library calls: read → check → derive → write."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from xlbudget.catalog import CatalogError, load_catalog
from xlbudget.findings import ERROR, Finding, Location, UnusableInput
from xlbudget.model import Budget
from xlbudget.outputs import OutputError, atomic_write, ensure_not_input
from xlbudget.profile import DEFAULT_PROFILE, ProfileError, load_profile
from xlbudget.tables import derive_tables
from xlbudget.tables.base import Table

EXAMPLE_NAME = "luoyang-2022.xlsx"
EXIT_OK, EXIT_ERRORS, EXIT_UNUSABLE = 0, 1, 2
XB002 = "XB002"  # outputs, profiles and catalog files that cannot be used


@dataclass
class Outcome:
    """What a command produced: findings, written files and the exit code."""

    findings: list[Finding] = field(default_factory=list)
    outputs: list[Path] = field(default_factory=list)
    exit_code: int = EXIT_OK
    budget: Budget | None = None
    tables: list[Table] = field(default_factory=list)


def _failure(message: str, where: Location | None = None, hint: str = "") -> Outcome:
    return Outcome([Finding(XB002, ERROR, message, where or Location(), hint)], exit_code=EXIT_UNUSABLE)


def read_inputs(inputs: Sequence[Path], catalog_files: Sequence[Path] = ()
                ) -> tuple[Budget, list[Finding]]:
    """Read the input workbook(s); raises UnusableInput / CatalogError for unusable files."""
    from xlbudget.consolidate import merge_budgets
    from xlbudget.reader import read_budget

    budgets, findings = [], []
    for path in inputs:
        budget, found = read_budget(Path(path), catalog_files=catalog_files)
        budgets.append(budget)
        findings += found
    if len(budgets) == 1:
        return budgets[0], findings
    merged, conflicts = merge_budgets(budgets)
    return merged, findings + conflicts


def derive(inputs: Sequence[Path], *, profile: str = DEFAULT_PROFILE,
           catalog_files: Sequence[Path] = ()) -> Outcome:
    """Read and derive every table, without writing anything."""
    try:
        layout = load_profile(profile)
        budget, findings = read_inputs(inputs, catalog_files)
    except UnusableInput as exc:
        return Outcome([exc.finding], exit_code=EXIT_UNUSABLE)
    except (CatalogError, ProfileError) as exc:
        return _failure(str(exc))
    outcome = Outcome(findings, budget=budget)
    if any(f.severity == ERROR for f in findings):
        outcome.exit_code = EXIT_ERRORS
    outcome.tables = derive_tables(budget, layout)
    return outcome


def compile_workbook(inputs: Sequence[Path], output: Path, *, profile: str = DEFAULT_PROFILE,
                     catalog_files: Sequence[Path] = (), force: bool = False) -> Outcome:
    """Compile the disclosure workbook; on errors nothing is written unless ``force``."""
    from xlbudget.render import write_disclosure

    try:
        ensure_not_input(output, inputs)
    except OutputError as exc:
        return _failure(str(exc))
    outcome = derive(inputs, profile=profile, catalog_files=catalog_files)
    if outcome.exit_code == EXIT_UNUSABLE or (outcome.exit_code == EXIT_ERRORS and not force):
        return outcome
    try:
        write_disclosure(outcome.tables, output, findings=outcome.findings)
    except OutputError as exc:
        return _failure(str(exc))
    outcome.outputs.append(output)
    return outcome


def write_template_file(output: Path, year: int, catalog_files: Sequence[Path] = (),
                        amount_unit: str = "万元") -> Outcome:
    from xlbudget.template import write_template

    try:
        write_template(output, year, load_catalog(year, catalog_files), amount_unit=amount_unit)
    except (CatalogError, OutputError) as exc:
        return _failure(str(exc))
    return Outcome(outputs=[output])


def write_example(folder: Path) -> Outcome:
    """Copy the bundled example input (the seed's budget typed into the template) to ``folder``."""
    target = folder / EXAMPLE_NAME
    data = (resources.files("xlbudget") / "data" / "examples" / EXAMPLE_NAME).read_bytes()
    try:
        atomic_write(target, lambda tmp: tmp.write_bytes(data))
    except OutputError as exc:
        return _failure(str(exc))
    return Outcome(outputs=[target])
