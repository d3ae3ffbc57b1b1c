"""Cycles in a directed graph, for the competency tree and the prerequisite DAG.

Pure Python (no Django): the CASE/CSV import checks whole files with :func:`find_cycle`, and a single new
prerequisite is checked with :func:`cycle_closed_by`. Edges are pairs ``(a, b)`` read "a comes before b"
(a prerequisite precedes what it unlocks), so a cycle reads in the order students would meet it.
"""

from collections import deque
from collections.abc import Hashable, Iterable


def find_cycle(edges: Iterable[tuple[str, str]]) -> list[str] | None:
    """A cycle in the directed graph ``edges`` (pairs a → b), as [a, b, …, a], or None."""
    graph: dict[str, list[str]] = {}
    for a, b in edges:
        graph.setdefault(a, []).append(b)
        graph.setdefault(b, [])
    state: dict[str, int] = {}  # 1 = on the current path, 2 = finished
    for start in sorted(graph):
        if state.get(start):
            continue
        path, stack = [start], [iter(sorted(graph[start]))]
        state[start] = 1
        while stack:
            nxt = next(stack[-1], None)
            if nxt is None:
                state[path.pop()] = 2
                stack.pop()
            elif state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            elif not state.get(nxt):
                state[nxt] = 1
                path.append(nxt)
                stack.append(iter(sorted(graph[nxt])))
    return None


def cycle_closed_by(
    edges: Iterable[tuple[Hashable, Hashable]], *, before: Hashable, after: Hashable
) -> list | None:
    """The cycle that adding ``before → after`` to the acyclic ``edges`` would close, or None.

    It closes one exactly when ``after`` already leads back to ``before``; the shortest such way back is
    returned, starting with the new edge: [before, after, …, before]. A self loop is [before, before]."""
    if before == after:
        return [before, before]
    graph: dict = {}
    for a, b in edges:
        graph.setdefault(a, []).append(b)
    came_from: dict = {after: after}
    queue = deque([after])
    while queue:
        node = queue.popleft()
        for nxt in graph.get(node, ()):
            if nxt in came_from:
                continue
            came_from[nxt] = node
            if nxt == before:
                way_back = [before]
                while way_back[-1] != after:
                    way_back.append(came_from[way_back[-1]])
                return [before, *reversed(way_back)]
            queue.append(nxt)
    return None


def describe_cycle(cycle: list, code_of: dict) -> str:
    """A cycle by its codes, e.g. "RP.3 → RP.1 → RP.2 → RP.3" (nodes without a code by their key)."""
    return " → ".join(str(code_of.get(key, key)) for key in cycle)
