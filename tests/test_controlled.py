"""Controlled rounding of two nested families (xlbudget.controlled): the guarantee, for any amounts
and any two trees, that every node's rounded sum is its exact sum rounded down or up."""

from __future__ import annotations

from collections.abc import Sequence

from hypothesis import given, settings
from hypothesis import strategies as st

from xlbudget.controlled import round_two_trees

Path = list[tuple[int, ...]]


def paths(keys: Sequence[int]) -> Path:
    """An item's path: the prefixes of its keys (so the paths of all items form a tree)."""
    return [tuple(keys[:k]) for k in range(1, len(keys) + 1)]


@st.composite
def problems(draw: st.DrawFn) -> tuple[list[int], int, list[Path], list[Path]]:
    step = draw(st.sampled_from((10_000, 7, 100)))
    count = draw(st.integers(1, 60))
    keys = st.lists(st.integers(0, 3), max_size=4)
    amounts = draw(st.lists(st.integers(-10**7, 10**9), min_size=count, max_size=count))
    return (amounts, step, [paths(draw(keys)) for _ in range(count)],
            [paths(draw(keys)) for _ in range(count)])


def node_sums(values: Sequence[int], tree: Sequence[Path]) -> dict[tuple[int, ...], int]:
    sums: dict[tuple[int, ...], int] = {(): sum(values)}  # the root: every item
    for value, path in zip(values, tree, strict=True):
        for node in path:
            sums[node] = sums.get(node, 0) + value
    return sums


@settings(max_examples=300, deadline=None)
@given(problems())
def test_every_node_of_both_trees_is_within_a_step(problem: tuple[list[int], int, list[Path], list[Path]]) -> None:
    amounts, step, tree_a, tree_b = problem
    rounded = round_two_trees(amounts, step, tree_a, tree_b)
    assert all(r % step == 0 and a - step < r < a + step for r, a in zip(rounded, amounts, strict=True))
    for tree in (tree_a, tree_b):
        exact, shown = node_sums(amounts, tree), node_sums(rounded, tree)
        assert {node: abs(shown[node] - exact[node]) < step for node in exact} == dict.fromkeys(exact, True)


def test_a_two_way_table_with_subtotals() -> None:
    """Three rows of two cells each 0.5 step (a row's path: its 类, then itself; a column's: the
    column): rounded alone every cell goes up, 3 × 1.0 against 1.5 per column; here each row, each
    column and the 类 subtotal stays within a step."""
    amounts = [5_000] * 6
    rows = [[("类1",), ("类1", r)] if r < 2 else [("类2",), ("类2", r)] for r in range(3) for _ in range(2)]
    columns = [[(c,)] for _ in range(3) for c in range(2)]
    rounded = round_two_trees(amounts, 10_000, rows, columns)
    assert sorted(rounded) == [0, 0, 0, 10_000, 10_000, 10_000]
    assert [rounded[2 * r] + rounded[2 * r + 1] for r in range(3)] == [10_000] * 3
    assert sum(rounded[:4]) == 20_000 and sum(rounded[0::2]) in (10_000, 20_000)
