"""Fuzzing (issue #6, item 6): mutated workbooks never crash the pipeline, never
pass with a silent error and never leave a partial output; a messy round trip loses nothing.

The default run makes ``FUZZ_EXAMPLES`` (100) mutations; ``pytest -m slow`` makes
``FUZZ_SLOW_EXAMPLES`` (2,000). Both counts can be set in the environment.
"""

from __future__ import annotations

import copy
import os
import random
import tempfile
import zipfile
from dataclasses import fields, replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from tests.strategies import budgets, generate_budget
from tests.workbooks import BASE
from tests.workbooks_hostile import Grid, column_letters, write_xlsx
from xlbudget import contract
from xlbudget.findings import ERROR
from xlbudget.model import Budget
from xlbudget.money import to_exact
from xlbudget.pipeline import EXIT_OK, compile_workbook
from xlbudget.reader import read_budget
from xlbudget.template import amount_cell, sheet_rows

FUZZ_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "100"))
FUZZ_SLOW_EXAMPLES = int(os.environ.get("FUZZ_SLOW_EXAMPLES", "2000"))
OLD = b"the previous, complete output"


def budget_grids(budget: Budget, amount_unit: str | None = None) -> dict[str, Grid]:
    """A budget as the template's sheets: header row, then one row per item (amounts exact)."""
    unit = amount_unit or budget.amount_unit
    grids: dict[str, Grid] = {}
    for sheet in contract.SHEETS:
        headers = [c.header for c in sheet.columns]
        amounts = {c.header for c in sheet.columns if c.kind == "amount"}
        rows = sheet_rows(budget.year, unit, budget)[sheet.name]
        grids[sheet.name] = [headers] + [
            [amount_cell(v, unit) if h in amounts and isinstance(v, int) else v for h, v in
             ((h, row.get(h)) for h in headers)] for row in rows]
    return grids


SEEDS: list[dict[str, Grid]] = [BASE, budget_grids(generate_budget(7, 2, 12, 3)),
                                budget_grids(generate_budget(8, 1, 6, 2), "元")]

# -- mutations -----------------------------------------------------------------------------------
VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(-10**20, 10**20),
    st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=30),
    st.sampled_from(["=1+1", "=HYPERLINK(\"http://x\",\"y\")", "+1", "-", "—", "（100）", "1,23", "３８４６．２９",
                     "1,234.5元", "5万元", " ", "\u00a0", "\x07", "2010301.0", "一般公共预算", "行政单位",
                     "成本指标", "万元", "元", "2022", "x" * 40_000]),
)


def _mutate_cells(data: st.DataObject, grids: dict[str, Grid]) -> None:
    """One structural or cell mutation of the grids, in place."""
    names = list(grids)
    if not names:
        return
    name = data.draw(st.sampled_from(names))
    grid = grids[name]
    kind = data.draw(st.sampled_from(["cell", "cell", "cell", "delete_row", "delete_column", "delete_sheet",
                                      "shuffle", "duplicate_row", "rename_sheet", "insert_rows", "header"]))
    row = data.draw(st.integers(0, max(len(grid) - 1, 0)))
    if kind == "cell":
        if not grid:
            grid.append([])
        width = max((len(r) for r in grid), default=1)
        column = data.draw(st.integers(0, width))
        target = grid[row]
        target.extend([None] * (column + 1 - len(target)))
        target[column] = data.draw(VALUES)
    elif kind == "delete_row" and grid:
        del grid[row]
    elif kind == "delete_column":
        column = data.draw(st.integers(0, 8))
        for cells in grid:
            if column < len(cells):
                del cells[column]
    elif kind == "delete_sheet":
        del grids[name]
    elif kind == "shuffle":
        body = grid[1:]
        random.Random(data.draw(st.integers(0, 10**6))).shuffle(body)
        grid[1:] = body
    elif kind == "duplicate_row" and grid:
        grid.insert(row, list(grid[row]))
    elif kind == "rename_sheet":
        grids[data.draw(st.text(min_size=1, max_size=31).filter(_sheet_name_ok))] = grids.pop(name)
    elif kind == "insert_rows":
        grid[row:row] = [[None]] * data.draw(st.integers(1, 3))
    elif kind == "header" and grid:
        grid[0] = data.draw(st.lists(VALUES, max_size=8))


def _mutate_shape(data: st.DataObject, grids: dict[str, Grid], shape: dict[str, dict[str, list[Any]]]) -> None:
    """A merged range (one per sheet, so none overlap), a hidden row or a hidden sheet."""
    names = list(grids)
    if not names:
        return
    name = data.draw(st.sampled_from(names))
    kind = data.draw(st.sampled_from(["merges", "hidden_rows", "hidden_sheets"]))
    if kind == "merges":
        row, column = data.draw(st.integers(0, len(grids[name]) + 2)), data.draw(st.integers(0, 8))
        down, across = data.draw(st.integers(0, 3)), data.draw(st.integers(0, 1))
        last = f"{column_letters(column + across + 1)}{row + down + 1 + (down == across == 0)}"
        shape["merges"][name] = [f"{column_letters(column + 1)}{row + 1}:{last}"]
    elif kind == "hidden_rows":
        shape["hidden_rows"].setdefault(name, []).append(data.draw(st.integers(1, len(grids[name]) + 1)))
    elif name != names[0]:  # the first sheet stays visible (a workbook needs one)
        shape["hidden_sheets"][name] = []


def _sheet_name_ok(name: str) -> bool:
    """A name Excel (and xlsxwriter) accept: at most 31 UTF-16 units, no reserved characters."""
    return len(name.encode("utf-16-le")) <= 62 and name.strip() == name and not any(c in name for c in "[]:*?/\\'") and name.lower() != "history"


def _mutate_bytes(data: st.DataObject, path: Path) -> None:
    """Random bytes in the zip: flipped, inserted, zeroed or cut off."""
    content = bytearray(path.read_bytes())
    kind = data.draw(st.sampled_from(["flip", "insert", "zero", "truncate"]))
    at = data.draw(st.integers(0, 999_999)) * len(content) // 1_000_000  # a relative offset
    if kind == "flip":
        content[at] ^= data.draw(st.integers(1, 255))
    elif kind == "insert":
        content[at:at] = data.draw(st.binary(min_size=1, max_size=64))
    elif kind == "zero":
        content[at:at + data.draw(st.integers(1, 4096))] = b""
    else:
        del content[at:]
    path.write_bytes(bytes(content))


def _check_invariants(source: Path, folder: Path) -> None:
    out = folder / "公开表.xlsx"
    out.write_bytes(OLD)
    outcome = compile_workbook([source], out)  # must not raise
    errors = [f for f in outcome.findings if f.severity == ERROR]
    event(f"exit {outcome.exit_code}")  # shown by --hypothesis-show-statistics
    assert outcome.exit_code in (0, 1, 2)
    if outcome.exit_code != EXIT_OK:
        assert errors, outcome.findings
        assert outcome.outputs == [] and out.read_bytes() == OLD
        assert sorted(p.name for p in folder.iterdir()) == ["公开表.xlsx"]  # no temporary file left
        return
    assert not errors and out in outcome.outputs
    for path in outcome.outputs:  # every output complete
        if path.suffix in (".xlsx", ".docx"):
            with zipfile.ZipFile(path) as archive:
                assert archive.testzip() is None
        else:
            path.read_text(encoding="utf-8")


def _fuzz_once(data: st.DataObject) -> None:
    grids = copy.deepcopy(data.draw(st.sampled_from(SEEDS)))
    for _ in range(data.draw(st.integers(1, 4))):
        _mutate_cells(data, grids)
    shape: dict[str, dict[str, list[Any]]] = {"merges": {}, "hidden_rows": {}, "hidden_sheets": {}}
    for _ in range(data.draw(st.integers(0, 2))):
        _mutate_shape(data, grids, shape)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        source = write_xlsx(folder / "填报.xlsx", grids or {"空": [[]]}, merges=shape["merges"],
                            hidden_rows=shape["hidden_rows"], hidden_sheets=shape["hidden_sheets"])
        if data.draw(st.booleans()):
            _mutate_bytes(data, source)
        out_folder = folder / "out"
        out_folder.mkdir()
        _check_invariants(source, out_folder)


FUZZ = settings(max_examples=FUZZ_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))


@FUZZ
@given(st.data())
def test_mutated_workbooks_never_crash_or_pass_silently(data: st.DataObject) -> None:
    _fuzz_once(data)


@pytest.mark.slow
@settings(FUZZ, max_examples=FUZZ_SLOW_EXAMPLES)
@given(st.data())
def test_mutated_workbooks_large_run(data: st.DataObject) -> None:
    _fuzz_once(data)


# -- the messy round trip ------------------------------------------------------------------------
FULL_WIDTH = str.maketrans("0123456789.,", "０１２３４５６７８９．，")


def messy_amount(fen: int, unit: str, style: int) -> object:
    """An amount as clerks type it: a number, text with separators, full-width, with its unit."""
    exact = to_exact(fen, unit)
    text = format(exact, ",f")
    return [amount_cell(fen, unit), text, text.translate(FULL_WIDTH), f" {text}{unit}\u00a0", f"{exact:f}"][style % 5]


def messy_grids(budget: Budget, rng: random.Random) -> dict[str, Grid]:
    """``budget`` in its template, written messily: a title row above the header, columns in
    reverse order, an extra column, blank rows between the data, codes with spaces or as
    numbers, amounts as text (full-width, thousands separators, a trailing unit)."""
    unit = budget.amount_unit
    grids: dict[str, Grid] = {}
    for sheet in contract.SHEETS:
        headers = [c.header for c in sheet.columns][::-1] + ["我的备注"]
        kinds = {c.header: c.kind for c in sheet.columns}
        grid: Grid = [[f"{budget.year}年{sheet.name}"], headers]
        for row in sheet_rows(budget.year, unit, budget)[sheet.name]:
            cells = [_messy(row.get(h), kinds.get(h, "text"), unit, rng) for h in headers[:-1]] + ["备注"]
            grid.append(cells)
            if rng.random() < 0.2:
                grid.append([None] * len(cells))
        grids[sheet.name] = grid
    return grids


def _messy(value: object, kind: str, unit: str, rng: random.Random) -> object:
    if isinstance(value, int) and kind == "amount":
        return messy_amount(value, unit, rng.randrange(5))
    if kind == "code" and isinstance(value, str) and value.isdigit():
        if len(value) <= 15 and not value.startswith("0") and rng.random() < 0.5:
            return float(value)
        return f" {value[:3]} {value[3:]} " if rng.random() < 0.5 else value
    return value


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(budget=budgets(max_units=3, max_lines=15, max_projects=4), seed=st.integers(0, 2**32))
def test_a_messy_round_trip_gives_back_the_budget(budget: Budget, seed: int) -> None:
    """The plain round trip (template writer → reader) is in test_properties.py."""
    with tempfile.TemporaryDirectory() as tmp:
        path = write_xlsx(Path(tmp) / "填报.xlsx", messy_grids(budget, random.Random(seed)))
        read, findings = read_budget(path, catalog=budget.catalog)
    assert [(f.code, str(f.where), f.message) for f in findings if f.severity != "info"] == []
    assert replace(read, lines=(), incomes=()) == replace(budget, lines=(), incomes=())
    for kind in ("lines", "incomes"):  # the template writes basic lines apart from project lines
        assert sorted(getattr(read, kind), key=_compared) == sorted(getattr(budget, kind), key=_compared)


def _compared(item: Any) -> tuple[Any, ...]:
    """The fields equality compares (not the source cell)."""
    return tuple(getattr(item, f.name) for f in fields(item) if f.compare)
