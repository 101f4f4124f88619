"""汇总.xlsx of a batch: per department its status and main figures, then department ×
功能分类 类 and department × 资金来源 with totals — written with the disclosure renderer.

Only departments compiled without errors are counted in 合计; every sheet says which."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from xlbudget.batch_results import FIGURES, JobResult
from xlbudget.money import Fen
from xlbudget.profile import load_profile
from xlbudget.tables.base import MONEY, TEXT, TOTAL, Column, Row, Table

TITLE_PREFIX = "部门预算批量编制"
COUNTED = "计入合计"


def counted_note(results: Sequence[JobResult]) -> str:
    """Which departments 合计 holds, and which it leaves out and why."""
    counted = [r.name for r in results if r.counted]
    left = [f"{r.name}（{r.status}）" for r in results if not r.counted]
    note = f"合计含 {len(counted)} 个部门：{'、'.join(counted) or '无'}。"
    return note + (f"未计入合计 {len(left)} 个：{'、'.join(left)}。" if left else "")


def _table(key: str, name: str, columns: list[Column], rows: list[Row], note: str) -> Table:
    return Table(key, name, f"{TITLE_PREFIX}{name}", "全部部门", tuple(columns), tuple(rows), note=note)


def _total_row(label_cells: int, width: int, values: list[list[Fen]]) -> Row:
    sums = [sum(column) for column in zip(*values, strict=True)] if values else [0] * width
    return Row(("合计",) + (None,) * (label_cells - 1) + tuple(sums), TOTAL)


def _mark(result: JobResult) -> str:
    return "是" if result.counted else "否"


def status_table(results: Sequence[JobResult]) -> Table:
    columns = [Column(("部门",), TEXT, 24), Column(("部门名称",), TEXT, 30), Column(("状态",), TEXT, 12),
               Column((COUNTED,), TEXT, 9), Column(("错误数",), TEXT, 8), Column(("警告数",), TEXT, 8)]
    columns += [Column((name,), MONEY, 13) for name in FIGURES]
    columns += [Column(("输出文件 / 说明",), TEXT, 50)]
    rows, values = [], []
    for r in results:
        figures = [r.figures.get(name, 0) for name in FIGURES]
        if r.counted:
            values.append(figures)
        rows.append(Row((r.name, r.dept_name, r.status, _mark(r), str(r.errors), str(r.warnings), *figures,
                         r.output or r.message)))
    total = _total_row(6, len(FIGURES), values)
    return _table("s01", "汇总", columns, [Row(total.cells + (None,), TOTAL), *rows], counted_note(results))


def _cross_table(key: str, name: str, results: Sequence[JobResult], keys: list[tuple[str, str]],
                 pick: str) -> Table:
    columns = [Column(("部门",), TEXT, 24), Column((COUNTED,), TEXT, 9), Column(("合计",), MONEY, 14)]
    columns += [Column((label,), MONEY, 13) for _, label in keys]
    rows, values = [], []
    for r in results:
        data: dict[str, Fen] = getattr(r, pick)
        row = [data.get(k, 0) for k, _ in keys]
        if r.counted:
            values.append([sum(row), *row])
        rows.append(Row((r.name, _mark(r), sum(row), *row)))
    return _table(key, name, columns, [_total_row(2, len(keys) + 1, values), *rows], counted_note(results))


def class_keys(results: Sequence[JobResult]) -> list[tuple[str, str]]:
    """功能分类 类 present in any department, labelled as in the 收支总表."""
    labels = dict(load_profile().tables[0].function_classes)
    codes = sorted({code for r in results for code in r.by_class})
    return [(code, f"{code} {labels.get(code, '')}".strip()) for code in codes]


def write_summary(results: Sequence[JobResult], path: Path) -> None:
    from xlbudget.render import write_disclosure

    sources = list(dict.fromkeys(s for r in results for s in r.by_source))
    tables = [
        status_table(results),
        _cross_table("s02", "按功能分类", results, class_keys(results), "by_class"),
        _cross_table("s03", "按资金来源", results, [(s, s) for s in sources], "by_source"),
    ]
    write_disclosure(tables, path)
