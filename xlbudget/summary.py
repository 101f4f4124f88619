"""汇总.xlsx of a batch: per department its status and main figures, then department ×
功能分类 类 and department × 资金来源 with totals — written with the disclosure renderer.

One section of these three sheets per document family (部门预算, 部门决算), so a folder mixing budgets
and 决算 gives each its own columns. Only departments compiled without errors are counted in 合计;
every sheet says which. What is read from each department's tables is the profile's ``[summary]``
(figures by name, the table of spending by 类, the table of income by source)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from xlbudget.batch_results import JobResult
from xlbudget.figures import named_cells
from xlbudget.layout import column_of, find_table, row_of
from xlbudget.money import Fen
from xlbudget.profile import Profile
from xlbudget.tables.base import COUNT, DETAIL, MONEY, TEXT, TOTAL, Column, Row, Table

COUNTED = "计入合计"
ALL_DEPARTMENTS = "全部部门"


def summarise(tables: Sequence[Table], profile: Profile
              ) -> tuple[dict[str, Fen], dict[str, Fen], dict[str, Fen]]:
    """The bureau's view of one department: its main figures (the cells its 预算说明 reads),
    spending by 功能分类 类 (detail rows of the profile's table) and income by source (the
    income table's 合计 row); nothing when the profile declares no ``[summary]``."""
    layout = profile.summary
    if layout is None:
        return {}, {}, {}
    cells = named_cells(list(tables), profile)
    values = {label: cells[name] for label, name in layout.figures}
    spending = find_table(tables, layout.by_class.table)
    amount_column = column_of(spending, layout.by_class.column)
    class_column = column_of(spending, layout.class_column)
    by_class: dict[str, Fen] = {}
    for row in spending.rows_of(DETAIL):
        code, amount = row.cells[class_column], row.cells[amount_column]
        if code and isinstance(amount, int):
            by_class[str(code)] = by_class.get(str(code), 0) + amount
    income = find_table(tables, layout.by_source)
    total, skip = income.rows[row_of(income)], column_of(income, layout.source_total)
    by_source = {income.columns[i].label: _fen(total.cells[i]) for i in income.money_indexes() if i != skip}
    return values, by_class, by_source


def _fen(value: object) -> Fen:
    return value if isinstance(value, int) else 0


def counted_note(results: Sequence[JobResult]) -> str:
    """Which departments 合计 holds, and which it leaves out and why."""
    counted = [r.name for r in results if r.counted]
    left = [f"{r.name}（{r.status}）" for r in results if not r.counted]
    note = f"合计含 {len(counted)} 个部门：{'、'.join(counted) or '无'}。"
    return note + (f"未计入合计 {len(left)} 个：{'、'.join(left)}。" if left else "")


def _table(profile: Profile, key: str, name: str, columns: list[Column], rows: list[Row], note: str) -> Table:
    """A sheet of the family's section: 汇总 … for budgets (their names since the first batch), 决算汇总 …
    for 部门决算; titled 部门预算批量编制汇总, 部门决算批量编制汇总 …"""
    sheet = name if profile.family == "预算" else f"{profile.family}{name}"
    return Table(key, sheet, f"部门{profile.family}批量编制{name}", ALL_DEPARTMENTS, tuple(columns), tuple(rows),
                 note=note, org_label=profile.wording.unit.org_label)


def _total_row(profile: Profile, label_cells: int, width: int, values: list[list[Fen]]) -> Row:
    sums = [sum(column) for column in zip(*values, strict=True)] if values else [0] * width
    return Row((profile.total_label,) + (None,) * (label_cells - 1) + tuple(sums), TOTAL)


def _mark(result: JobResult) -> str:
    return "是" if result.counted else "否"


def figure_labels(results: Sequence[JobResult], profile: Profile) -> list[str]:
    """The figure columns: the format's ``[summary]`` figures, then those of any other format a
    department of the section was compiled in (a figure its format does not read stays blank)."""
    own = [label for label, _ in profile.summary.figures] if profile.summary else []
    return list(dict.fromkeys([*own, *(label for r in results for label in r.figures)]))


def status_table(results: Sequence[JobResult], profile: Profile, key: str = "s01") -> Table:
    labels = figure_labels(results, profile)
    columns = [Column(("部门",), TEXT, 24), Column(("部门名称",), TEXT, 30), Column(("状态",), TEXT, 12),
               Column((COUNTED,), TEXT, 9), Column(("错误数",), COUNT, 8), Column(("警告数",), COUNT, 8)]
    columns += [Column((label,), MONEY, 13) for label in labels]
    columns += [Column(("输出文件 / 说明",), TEXT, 50)]
    rows, values = [], []
    for r in results:
        figures = [r.figures.get(label, 0) for label in labels]
        if r.counted:
            values.append(figures)
        rows.append(Row((r.name, r.dept_name, r.status, _mark(r), r.errors, r.warnings, *figures,
                         Path(r.output).name if r.output else r.message)))  # beside 汇总.xlsx: no folder
    total = _total_row(profile, 6, len(labels), values)
    return _table(profile, key, "汇总", columns, [Row(total.cells + (None,), TOTAL), *rows], counted_note(results))


def _cross_table(profile: Profile, key: str, name: str, results: Sequence[JobResult],
                 keys: list[tuple[str, str]], pick: str) -> Table:
    columns = [Column(("部门",), TEXT, 24), Column((COUNTED,), TEXT, 9), Column((profile.total_label,), MONEY, 14)]
    columns += [Column((label,), MONEY, 13) for _, label in keys]
    rows, values = [], []
    for r in results:
        data: dict[str, Fen] = getattr(r, pick)
        row = [data.get(k, 0) for k, _ in keys]
        if r.counted:
            values.append([sum(row), *row])
        rows.append(Row((r.name, _mark(r), sum(row), *row)))
    return _table(profile, key, name, columns, [_total_row(profile, 2, len(keys) + 1, values), *rows],
                  counted_note(results))


def class_keys(results: Sequence[JobResult], profile: Profile) -> list[tuple[str, str]]:
    """功能分类 类 present in any department, labelled as the profile lists them."""
    labels = dict(zip(profile.function_classes.codes, profile.function_classes.labels, strict=True))
    names = {code: name for r in sorted(results, key=lambda r: r.name) for code, name in r.class_names.items()}
    codes = sorted({code for r in results for code in r.by_class})
    return [(code, f"{code} {labels.get(code) or names.get(code, '')}".strip()) for code in codes]


def section(results: Sequence[JobResult], profile: Profile, index: int = 0) -> list[Table]:
    """The three sheets of one document family, laid out in ``profile`` (the family's main format)."""
    sources = list(dict.fromkeys(s for r in results for s in r.by_source))
    return [
        status_table(results, profile, f"s{index}1"),
        _cross_table(profile, f"s{index}2", "按功能分类", results, class_keys(results, profile), "by_class"),
        _cross_table(profile, f"s{index}3", "按资金来源", results, [(s, s) for s in sources], "by_source"),
    ]


def write_summary(sections: Sequence[tuple[Profile, Sequence[JobResult]]], path: Path) -> None:
    """汇总.xlsx: a section per (format, departments) of ``sections``, in that order."""
    from xlbudget.render import write_disclosure

    write_disclosure([t for i, (profile, results) in enumerate(sections) for t in section(results, profile, i)], path)
