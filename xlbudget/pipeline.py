"""What the commands do, as library calls: read → check → derive → write."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from xlbudget.catalog import CatalogError, load_catalog
from xlbudget.checks import run_checks
from xlbudget.contract import CURRENT, Contract
from xlbudget.derive import derive_tables
from xlbudget.display import Display, RoundingError, check_rounding, display_tables
from xlbudget.findings import ERROR, WARNING, Finding, Location, UnusableInput
from xlbudget.model import Budget
from xlbudget.money import Fen
from xlbudget.outputs import OutputError, OutputSet, atomic_write, ensure_not_input
from xlbudget.profile import DEFAULT_PROFILE, Profile, ProfileError, load_profile
from xlbudget.reading.rules import CANNOT_OPEN, UNUSABLE_SETTINGS
from xlbudget.reading.stamp import FormatError
from xlbudget.reading.workbook import RawBook
from xlbudget.report import render_report, sort_findings
from xlbudget.tables.base import Table

if TYPE_CHECKING:
    from xlbudget.reading.workbook import RawBook

EXAMPLE_NAME = "luoyang-2022.xlsx"
EXIT_OK, EXIT_ERRORS, EXIT_UNUSABLE = 0, 1, 2


@dataclass
class Outcome:
    """What a command produced: findings, written files and the exit code."""

    findings: list[Finding] = field(default_factory=list)
    outputs: list[Path] = field(default_factory=list)
    exit_code: int = EXIT_OK
    budget: Budget | None = None
    tables: list[Table] = field(default_factory=list)
    layout: Profile | None = None  # the profile the tables were derived with
    display: Display | None = None  # the tables' figures as displayed (render, narrative, checks)
    report: str = ""  # the check report (text, JSON or HTML)
    notices: list[str] = field(default_factory=list)  # what was not written and why, for the clerk


def _failure(message: str, where: Location | None = None, hint: str = "") -> Outcome:
    rule = UNUSABLE_SETTINGS  # the message says it all where no hint is given: not the rule's general one
    return Outcome([Finding(rule.id, rule.severity, message, where or Location(), hint)], exit_code=EXIT_UNUSABLE)


def read_inputs(inputs: Sequence[Path], catalog_files: Sequence[Path] = (), profile: str | None = None
                ) -> tuple[Budget, list[Finding], Profile]:
    """Read the input workbook(s) in the format ``profile`` names, else the one they record
    (``choose_layout``); returns the budget, the findings and the format. Raises UnusableInput /
    CatalogError for unusable files, FormatError when the format cannot be chosen."""
    from xlbudget.reader import open_workbook
    from xlbudget.reading.plausible import implausible_notes, implausible_unit

    books = [(Path(path), open_workbook(Path(path))) for path in inputs]
    layout = choose_layout([(path.name, book) for path, book in books], profile)
    budgets, findings = [], []
    for path, book in books:
        budget, found = read_workbook(path, catalog_files, layout.input_contract, book)
        budgets.append(budget)
        findings += found + implausible_unit(budget) + implausible_notes(budget)
    if len(budgets) == 1:
        return budgets[0], findings, layout
    from xlbudget.consolidate import merge_budgets  # only a department of several unit workbooks

    merged, conflicts = merge_budgets(budgets)
    return merged, findings + conflicts, layout


def choose_layout(books: Sequence[tuple[str, RawBook]], profile: str | None = None) -> Profile:
    """The format of the workbooks ``books`` (file name, workbook): ``profile`` when given, else
    the one they record (基本信息 公开格式), else the default. Raises FormatError when a workbook
    records another format (naming both) or an unknown one, when, recording none, it fills
    inputs that only another built-in format reads, or when it is the other family's workbook (a
    budget for a 决算 format: XB154)."""
    from xlbudget import profiles
    from xlbudget.reading.cells import canonical
    from xlbudget.reading.stamp import FormatError, format_differs, read_stamp, unknown_format

    stamps = [read_stamp(book, file) for file, book in books]
    stamped = [s for s in stamps if s.format]
    first = stamped[0] if profile is None and stamped else None
    if first is not None:
        profile = canonical(first.format, profiles.names())
        if not profile:
            raise FormatError([unknown_format(first, profiles.names())])
    layout = load_profile(profile or DEFAULT_PROFILE)
    differ = [format_differs(s, layout.name, first) for s in stamped if not _reads_alike(s.format, layout)]
    if differ:
        raise FormatError(differ)
    if profile is None:
        _refuse_other_formats(books, layout)  # XB152 names the format such a workbook is for
    others = [f for file, book in books if (f := _other_family(book, file, layout))]
    if others:
        raise FormatError(others)
    return layout


def _other_family(book: RawBook, file: str, layout: Profile) -> Finding | None:
    """XB154 when ``book`` is the other document family's workbook (a budget for a 决算 format)."""
    from xlbudget.accounts_contract import ACCOUNTS
    from xlbudget.reading.stamp import other_family

    other = CURRENT if layout.family == "决算" else ACCOUNTS
    return other_family(book, file, layout.name, layout.input_contract, other)


def _reads_alike(recorded: str, layout: Profile) -> bool:
    """A workbook recording ``recorded`` can be compiled in ``layout``: the same format, or a
    built-in one of the same family declaring the same optional inputs (shanghai-unit's unit
    workbooks make a shanghai-department 部门; a clerk's profile extending the recorded format reads
    its workbooks)."""
    from xlbudget import profiles
    from xlbudget.reading.cells import canonical

    if canonical(recorded, [layout.name]):
        return True
    name = canonical(recorded, profiles.names())
    if not name:
        return False
    other = load_profile(name)
    return other.family == layout.family and set(other.inputs) == set(layout.inputs)


def _refuse_other_formats(books: Sequence[tuple[str, RawBook]], layout: Profile) -> None:
    """Raise FormatError when a workbook read in the default ``layout`` (it records no format)
    fills inputs that only other built-in formats read, naming those formats."""
    from xlbudget import profiles
    from xlbudget.reading.stamp import FormatError, likely_format, unread_inputs

    found = []
    for file, book in books:
        unread = unread_inputs(book, file, layout.input_contract)
        if unread:
            wanted = {(u.sheet, h) for u in unread for h in u.headers}
            formats = [name for name in profiles.names() if name != layout.name
                       and wanted & {(s.name, c.header) for s in load_profile(name).input_contract.sheets for c in s.columns}]
            found += [likely_format(unread, layout.name, formats)] if formats else []
    if found:
        raise FormatError(found)


def read_workbook(path: Path, catalog_files: Sequence[Path] = (), version: Contract | None = None,
                  book: RawBook | None = None) -> tuple[Budget, list[Finding]]:
    """One input workbook of contract ``version`` (``book``: already opened): a budget, or a 部门决算
    (family 决算)."""
    if version is not None and version.family == "决算":
        from xlbudget.accounts_reader import read_accounts

        return read_accounts(path, catalog_files=catalog_files, book=book)
    from xlbudget.reader import read_budget

    return read_budget(path, catalog_files=catalog_files, version=version or CURRENT, book=book)


def read_last_year(path: Path, layout: Profile, catalog_files: Sequence[Path] = (),
                   rounding: str | None = None) -> tuple[Budget, dict[str, Fen], list[Finding]]:
    """Last year's filled workbook, compiled in memory: its budget, its figures as published
    (displayed with ``rounding``, the profile's by default) as 上年数, and its errors as warnings
    (they may make the 上年数 wrong; they do not block this year)."""
    from xlbudget.figures import FiguresError, named_figures, prior_of

    budget, findings = read_workbook(Path(path), catalog_files, layout.input_contract)  # last year's 决算 too
    try:
        display = display_tables(budget, layout, derive_tables(budget, layout), rounding or layout.rounding)
        prior = prior_of(layout, named_figures(budget, list(display.shown), layout))
    except FiguresError as exc:
        raise ProfileError(str(exc)) from None
    warnings = [replace(f, severity=WARNING, message=f"上年工作簿：{f.message}")
                for f in findings if f.severity == ERROR]
    return budget, prior, warnings


def read_year_budget(paths: Sequence[Path], catalog_files: Sequence[Path] = ()) -> tuple[Budget, list[Finding]]:
    """The year's budget a 部门决算 takes its 年初预算 from (``--budget``, ``template --from``): its workbook,
    or its units' workbooks merged, read like any budget in the format they record; its errors (which may
    make the 年初预算 wrong) as errors of this compile. Raises UnusableInput for an unusable file,
    FormatError when the format cannot be chosen or is a 决算 format."""
    from xlbudget.reading.rules import NOT_A_BUDGET

    budget, findings, layout = read_inputs(paths, catalog_files)
    if layout.family != "预算":
        raise FormatError([NOT_A_BUDGET.finding(
            f"给出的预算工作簿记载的是部门决算格式 {layout.name}，不是预算工作簿", Location(file=Path(paths[0]).name))])
    return budget, [replace(f, message=f"预算工作簿：{f.message}") for f in findings if f.severity == ERROR]


def take_year_budget(accounts: Budget, layout: Profile, paths: Sequence[Path], catalog_files: Sequence[Path] = ()
                     ) -> tuple[Budget, list[Finding]]:
    """The 部门决算 ``accounts`` (format ``layout``) with the 年初预算 of the budget workbook(s) at ``paths``
    (xlbudget.initial_budget), and the findings of both."""
    from xlbudget.initial_budget import with_budget
    from xlbudget.reading.rules import NOT_A_BUDGET

    if layout.family != "决算":
        raise FormatError([NOT_A_BUDGET.finding(
            f"--budget 只用于部门决算；格式 {layout.name} 编制的是部门预算", Location(file=Path(paths[0]).name),
            hint="编制部门预算时去掉 --budget（上年的预算工作簿用 --prior）。")])
    budget, errors = read_year_budget(paths, catalog_files)
    filled, findings = with_budget(accounts, budget, layout.amount_unit, layout.decimals,
                                   projects=prints_project_budgets(layout))
    return filled, errors + findings


def prints_project_budgets(layout: Profile) -> bool:
    """Whether a table of the format takes the 项目年初预算 (a 项目支出决算表 with a 年初预算数 column)."""
    from xlbudget.contract import PROJECT_BUDGET_FLOWS

    return any(spec.filter.flow and PROJECT_BUDGET_FLOWS[0] in spec.filter.flow for spec in layout.tables)


Progress = Callable[[str], None]  # told each stage as it starts: READING, DERIVING, CHECKING, WRITING
READING, DERIVING, CHECKING, WRITING = "读取", "编制", "校验", "写出"


def _quiet(stage: str) -> None:
    return None


def derive(inputs: Sequence[Path], *, profile: str | None = None,
           catalog_files: Sequence[Path] = (), prior: Path | None = None,
           rounding: str | None = None, progress: Progress = _quiet,
           year_budget: Sequence[Path] = ()) -> Outcome:
    """Read and derive every table and its displayed figures, without writing anything. ``prior``:
    last year's workbook, whose figures replace the 上年数 sheet's. ``year_budget``: a 部门决算's
    year's budget workbook (or its units' workbooks), which gives its 年初预算 (``take_year_budget``).
    ``rounding``: "exact" or
    "balanced" (舍位平衡); None for the profile's (exact unless the format prescribes balanced).
    ``profile``: None for the format the workbooks record (the default when they record none)."""
    progress(READING)
    try:
        if profile is not None:
            load_profile(profile)  # an unusable --profile is refused before any workbook is read
        if rounding is not None:
            check_rounding(rounding)
        budget, findings, layout = read_inputs(inputs, catalog_files, profile)
        mode = check_rounding(rounding or layout.rounding)
        if prior is not None:
            _, last, found = read_last_year(prior, layout, catalog_files, mode)
            budget, findings = replace(budget, prior=budget.prior | last), findings + found
        if year_budget:
            budget, found = take_year_budget(budget, layout, year_budget, catalog_files)
            findings += found
    except UnusableInput as exc:
        return Outcome([exc.finding], exit_code=EXIT_UNUSABLE)
    except FormatError as exc:
        return Outcome(exc.findings, exit_code=EXIT_UNUSABLE)
    except (CatalogError, ProfileError, RoundingError) as exc:
        return _failure(str(exc))
    outcome = Outcome(findings, budget=budget, layout=layout, notices=_undeclared_roles(layout))
    progress(DERIVING)
    outcome.tables = derive_tables(budget, layout)
    outcome.display = display_tables(budget, layout, outcome.tables, mode)
    progress(CHECKING)
    outcome.findings = sort_findings(findings + run_checks(budget, outcome.tables, findings, layout,
                                                           outcome.display))
    if any(f.severity == ERROR for f in outcome.findings):
        outcome.exit_code = EXIT_ERRORS
    return outcome


def _undeclared_roles(layout: Profile) -> list[str]:
    """A notice when money columns of the profile declare no role (a profile written before roles
    were declared): they compile as before, but their column sums are not checked."""
    undeclared = layout.undeclared_roles()
    if not undeclared:
        return []
    return [f"格式配置 {layout.source or layout.name} 中 {len(undeclared)} 个金额列没有写 role（如 {undeclared[0]}），"
            "不参加列合计校验（XB302）；在顶层写 column_role = \"item\"，并给合计列写 role = \"total\"、"
            "“其中”列写 role = \"part\"（见 docs/profiles.md“结构”）"]


def compile_workbook(inputs: Sequence[Path], output: Path, *, profile: str | None = None,
                     catalog_files: Sequence[Path] = (), force: bool = False,
                     narrative: Sequence[str] = ("docx", "md"), template_dir: Path | None = None,
                     prior: Path | None = None, rounding: str | None = None,
                     progress: Progress = _quiet, year_budget: Sequence[Path] = ()) -> Outcome:
    """Compile the disclosure workbook and its 预算说明 (``narrative`` formats, beside the
    workbook) from the figures as displayed with ``rounding`` (see ``derive``); on errors nothing
    is written unless ``force``. ``progress`` is told each stage."""
    from xlbudget.narrative import NarrativeError, build_narrative, narrative_stem
    from xlbudget.render import write_disclosure

    output = Path(output)
    try:
        ensure_not_input(output, [*inputs, *year_budget, *([prior] if prior else [])])
    except OutputError as exc:
        return _failure(str(exc))
    if template_dir is not None and not Path(template_dir).is_dir():
        return Outcome([CANNOT_OPEN.finding(f"找不到预算说明模板文件夹：{template_dir}", Location(file=str(template_dir)),
                                            hint="--templates 后请给出存放预算说明模板的文件夹。")], exit_code=EXIT_UNUSABLE)
    outcome = derive(inputs, profile=profile, catalog_files=catalog_files, prior=prior, rounding=rounding,
                     progress=progress, year_budget=year_budget)
    if outcome.exit_code == EXIT_UNUSABLE or (outcome.exit_code == EXIT_ERRORS and not force):
        return outcome
    progress(WRITING)
    assert outcome.display is not None
    shown = list(outcome.display.shown)
    try:
        text = (build_narrative(outcome.budget, shown, outcome.layout, template_dir)
                if narrative and outcome.budget and outcome.layout else None)
        with OutputSet(output.parent, output.name) as staged:
            write_disclosure(shown, staged.path(output), findings=outcome.findings)
            written = [output.name]
            if text:
                stem = narrative_stem(output, outcome.layout.family if outcome.layout else "预算")
                written += [p.name for p in text.write(staged.path(stem), narrative)]
            elif narrative and outcome.layout and outcome.layout.narrative is None:
                outcome.notices.append(f"格式配置 {outcome.layout.name} 没有预算说明（[narrative]），未生成预算说明")
            outcome.outputs += staged.commit(written)
    except (OutputError, NarrativeError) as exc:
        return _failure(str(exc))
    return outcome


def check_workbooks(inputs: Sequence[Path], *, profile: str | None = None,
                    catalog_files: Sequence[Path] = (), prior: Path | None = None,
                    report_format: str = "text", report_path: Path | None = None,
                    strict: bool = False, colour: bool = False, rounding: str | None = None,
                    year_budget: Sequence[Path] = ()) -> Outcome:
    """Check the input workbook(s) without compiling; the report goes to ``outcome.report`` and,
    when ``report_path`` is given, to that file. ``strict``: warnings also give exit code 1.
    ``rounding``: as ``compile`` would display the figures (see ``derive``)."""
    outcome = derive(inputs, profile=profile, catalog_files=catalog_files, prior=prior, rounding=rounding,
                     year_budget=year_budget)
    if strict and outcome.exit_code == EXIT_OK and any(f.severity == WARNING for f in outcome.findings):
        outcome.exit_code = EXIT_ERRORS
    units = {u.code: u.name for u in outcome.budget.units} if outcome.budget else {}
    outcome.report = render_report(outcome.findings, report_format, [Path(p).name for p in inputs], units,
                                   colour=colour and report_path is None,
                                   family=outcome.layout.family if outcome.layout else "预算")
    if report_path is not None:
        try:
            ensure_not_input(report_path, inputs)
            atomic_write(report_path, lambda tmp: tmp.write_text(outcome.report, encoding="utf-8"))
        except OutputError as exc:
            return _failure(str(exc))
        outcome.outputs.append(report_path)
    return outcome


def write_template_file(output: Path, year: int, catalog_files: Sequence[Path] = (),
                        amount_unit: str | None = None, profile: str | None = None) -> Outcome:
    """The blank input template of the format ``profile`` reads (the default if None), stamped
    with it; amounts in ``amount_unit``, else in the profile's money unit."""
    from xlbudget.template import write_template

    try:
        layout = load_profile(profile or DEFAULT_PROFILE)
        write_template(output, year, load_catalog(year, catalog_files),
                       amount_unit=amount_unit or layout.amount_unit, version=layout.input_contract, format_name=layout.name)
    except (CatalogError, OutputError, ProfileError) as exc:
        return _failure(str(exc))
    return Outcome(outputs=[output])


def write_template_from(previous: Path, output: Path, year: int | None = None,
                        catalog_files: Sequence[Path] = (), profile: str | None = None) -> Outcome:
    """This year's template from last year's filled workbook: 单位, 项目 and 说明事项 texts carried
    over, 上年数 filled from last year's figures (year: last year's + 1 unless given); in the format
    ``profile`` names, else the one last year's workbook records, and stamped with it. With a 决算
    ``profile``, ``previous`` is the year's budget workbook (``accounts_template_from``)."""
    from xlbudget.reader import open_workbook
    from xlbudget.reading.rules import NOT_A_BUDGET
    from xlbudget.template import next_year_budget, write_template

    try:
        ensure_not_input(output, [Path(previous)])
        if profile is not None and load_profile(profile).family == "决算":
            return accounts_template_from(previous, output, year, catalog_files, load_profile(profile))
        layout = choose_layout([(Path(previous).name, open_workbook(Path(previous)))], profile)
        if layout.family != "预算":
            raise FormatError([NOT_A_BUDGET.finding(
                f"--from 给出的是部门决算工作簿（{layout.name}）：由上年决算生成模板尚不支持", Location(file=Path(previous).name),
                hint=f"生成部门决算模板：xlbudget template --profile {layout.name} --from 同一年度的预算工作簿。")])
        last, prior, findings = read_last_year(previous, layout, catalog_files)
        budget = next_year_budget(last, prior, year or last.year + 1, layout.input_contract)
        write_template(output, budget.year, load_catalog(budget.year, catalog_files), budget,
                       amount_unit=last.amount_unit, version=layout.input_contract, format_name=layout.name)
    except UnusableInput as exc:
        return Outcome([exc.finding], exit_code=EXIT_UNUSABLE)
    except FormatError as exc:
        return Outcome(exc.findings, exit_code=EXIT_UNUSABLE)
    except (CatalogError, OutputError, ProfileError) as exc:
        return _failure(str(exc))
    return Outcome(findings, outputs=[output])


def accounts_template_from(budget_path: Path, output: Path, year: int | None, catalog_files: Sequence[Path],
                           layout: Profile) -> Outcome:
    """The year's 决算 template (format ``layout``) from its budget workbook: 部门, 单位, 主要职能, 年初预算
    per 项 and per “三公” item (and per project, where the format prints it), and the projects' 本年支出 rows to fill (xlbudget.initial_budget), in the
    budget's 金额单位. The budget's errors are warnings: the template is written, ``compile --budget``
    reports them again. Raises what ``read_year_budget`` raises, CatalogError and OutputError."""
    from xlbudget.initial_budget import accounts_from_budget, project_rows
    from xlbudget.template import write_template

    budget, errors = read_year_budget([budget_path], catalog_files)
    if year is not None and year != budget.year:
        return _failure(f"部门决算模板的年度取自预算工作簿（{budget.year}年度），--year {year} 与之不同",
                        hint="去掉 --year，或给出该年度的预算工作簿。")
    write_template(output, budget.year, load_catalog(budget.year, catalog_files),
                   accounts_from_budget(budget, projects=prints_project_budgets(layout)),
                   amount_unit=budget.amount_unit, version=layout.input_contract, format_name=layout.name,
                   more={"本年支出": project_rows(budget)})
    return Outcome([replace(f, severity=WARNING) for f in errors], outputs=[output])


def write_example(folder: Path) -> Outcome:
    """Copy the bundled example input (the seed's budget typed into the template) to ``folder``."""
    target = folder / EXAMPLE_NAME
    data = (resources.files("xlbudget") / "data" / "examples" / EXAMPLE_NAME).read_bytes()
    try:
        atomic_write(target, lambda tmp: tmp.write_bytes(data))
    except OutputError as exc:
        return _failure(str(exc))
    return Outcome(outputs=[target])
