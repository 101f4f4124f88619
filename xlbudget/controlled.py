"""Controlled rounding of two nested families of sums, as a flow (Cox 1987; docs/rounding.md).

Items (the lines of a budget) have amounts; two families of sets of items are given as each
item's path in two trees (a set is a tree node: the items whose path passes through it).
``round_two_trees`` rounds every item to its floor or ceiling step so that the sum of every set
of either family is its exact sum rounded down or up, i.e. less than one step from exact.

Why such a rounding always exists: put the trees head to tail in a network, source → tree A
(root down to the leaves) → one edge per item → tree B (leaves up to the roots) → sink, and
carry each amount's remainder (amount minus its floor step) along its item's path. Every edge
then carries the remainder sum of a set; each node conserves flow. Edges whose flow is not a
whole step form cycles (a node conserving a whole-step balance cannot have just one), and
pushing flow around such a cycle until one of its edges reaches a whole step keeps every edge
between its floor and ceiling step and every node balanced. When no fractional edge is left,
every edge, so every set, carries a whole number of steps within one of its exact sum.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence

Path = Sequence[Hashable]  # an item's nodes in one tree, root first, each a key unique in its tree


def round_two_trees(amounts: Sequence[int], step: int, paths_a: Sequence[Path],
                    paths_b: Sequence[Path]) -> list[int]:
    """``amounts`` rounded to multiples of ``step``, each to its floor or ceiling, so that every
    node of both trees sums to its exact sum's floor or ceiling (docstring of the module)."""
    floors = [a - a % step for a in amounts]
    graph = _Network()
    total = 0
    items: list[tuple[int, int]] = []  # (item, edge)
    for i, amount in enumerate(amounts):
        rest = amount % step
        if not rest:
            continue
        total += rest
        top = graph.chain(("a",), [("a", key) for key in paths_a[i]], rest, down=True)
        bottom = graph.chain(("b",), [("b", key) for key in paths_b[i]], rest, down=False)
        items.append((i, graph.edge(top, bottom, rest)))
    if not items:
        return floors
    graph.edge(("b",), ("a",), total)  # the return edge: the sink's flow back to the source
    graph.settle(step)
    for i, edge in items:
        floors[i] += graph.flow[edge]
    return floors


class _Network:
    """Nodes (hashable keys) and directed edges with integer flows; ``settle`` moves every flow
    to a multiple of the step without leaving its floor and ceiling or unbalancing a node."""

    def __init__(self) -> None:
        self.ends: list[tuple[Hashable, Hashable]] = []
        self.flow: list[int] = []
        self.tree_edges: dict[tuple[Hashable, Hashable], int] = {}

    def edge(self, tail: Hashable, head: Hashable, flow: int) -> int:
        self.ends.append((tail, head))
        self.flow.append(flow)
        return len(self.flow) - 1

    def chain(self, root: Hashable, nodes: list[Hashable], flow: int, down: bool) -> Hashable:
        """Add ``flow`` along root → nodes (``down``) or nodes → root, creating the tree's edges
        as needed; the last node (the root when there is none)."""
        parent = root
        for node in nodes:
            ends = (parent, node) if down else (node, parent)
            index = self.tree_edges.get(ends)
            if index is None:
                self.tree_edges[ends] = self.edge(*ends, flow)
            else:
                self.flow[index] += flow
            parent = node
        return parent

    def settle(self, step: int) -> None:
        flow, ends = self.flow, self.ends
        incident: dict[Hashable, dict[int, None]] = {}  # node → its fractional edges, in order
        for e, (tail, head) in enumerate(ends):
            if flow[e] % step:
                incident.setdefault(tail, {})[e] = None
                incident.setdefault(head, {})[e] = None

        def other(e: int, node: Hashable) -> Hashable:
            tail, head = ends[e]
            return head if node == tail else tail

        def drop(e: int) -> None:
            for node in ends[e]:
                del incident[node][e]
                if not incident[node]:
                    del incident[node]

        while incident:
            start = next(iter(incident))
            path: list[Hashable] = [start]  # the walk's nodes; path_edges[k] joins path[k], path[k+1]
            path_edges: list[int] = []
            where = {start: 0}
            while path:
                node = path[-1]
                if node not in incident:  # the start, once its edges are whole
                    break
                came = path_edges[-1] if path_edges else -1
                e = next(f for f in incident[node] if f != came)  # a node has none or two at least
                nxt = other(e, node)
                if nxt not in where:
                    where[nxt] = len(path)
                    path.append(nxt)
                    path_edges.append(e)
                    continue
                k = where[nxt]
                cycle = [*zip(path[k:], path_edges[k:], strict=False), (node, e)]
                self._push(cycle, step)
                for _, f in cycle:
                    if flow[f] % step == 0:
                        drop(f)
                cut = next(j for j, (_, f) in enumerate(cycle) if flow[f] % step == 0)  # one at least
                for n in path[k + cut + 1:]:
                    del where[n]
                del path[k + cut + 1:]
                del path_edges[k + cut:]

    def _push(self, cycle: list[tuple[Hashable, int]], step: int) -> None:
        """Push flow around ``cycle`` (each edge with the node it is walked from) in the direction
        that moves less, until one of its edges is a whole number of steps."""
        flow, ends = self.flow, self.ends
        forward = [ends[e][0] == node for node, e in cycle]
        up = min((step - flow[e] % step) if fw else flow[e] % step for (_, e), fw in zip(cycle, forward, strict=True))
        down = min(flow[e] % step if fw else (step - flow[e] % step) for (_, e), fw in zip(cycle, forward, strict=True))
        delta = up if up <= down else -down
        for (_, e), fw in zip(cycle, forward, strict=True):
            flow[e] += delta if fw else -delta
