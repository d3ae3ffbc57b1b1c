"""The pure cycle rules of the prerequisite graph: edges read "a comes before b"."""

import ast
from pathlib import Path

import playlists.prerequisite_graph
from playlists.prerequisite_graph import cycle_closed_by, describe_cycle, find_cycle

RP = [("RP.1", "RP.2"), ("RP.2", "RP.3")]  # RP.1 before RP.2 before RP.3
DIAMOND = [("A", "B"), ("A", "C"), ("B", "D"), ("C", "D")]


def test_an_edge_back_to_the_start_of_a_chain_closes_the_cycle_named_from_the_new_edge():
    assert cycle_closed_by(RP, before="RP.3", after="RP.1") == ["RP.3", "RP.1", "RP.2", "RP.3"]


def test_an_edge_against_a_single_edge_closes_a_two_step_cycle():
    assert cycle_closed_by([("A", "B")], before="B", after="A") == ["B", "A", "B"]


def test_a_competency_before_itself_is_a_self_loop():
    assert cycle_closed_by([], before="A", after="A") == ["A", "A"]
    assert cycle_closed_by(RP, before="RP.2", after="RP.2") == ["RP.2", "RP.2"]


def test_a_long_chain_closed_at_its_ends_is_named_whole():
    chain = [(n, n + 1) for n in range(300)]
    assert cycle_closed_by(chain, before=300, after=0) == [300, *range(301)]


def test_the_shortest_way_back_is_named():
    edges = [("A", "B"), ("B", "C"), ("C", "D"), ("A", "D")]  # A → D directly and through B, C
    assert cycle_closed_by(edges, before="D", after="A") == ["D", "A", "D"]


def test_a_diamond_is_not_a_cycle_and_new_edges_along_it_close_none():
    assert cycle_closed_by(DIAMOND[:-1], before="C", after="D") is None  # completes the diamond
    assert cycle_closed_by(DIAMOND, before="A", after="D") is None  # a shortcut the same way round
    assert cycle_closed_by(DIAMOND, before="B", after="C") is None  # across, not back
    assert cycle_closed_by(DIAMOND, before="D", after="A") == ["D", "A", "B", "D"]


def test_edges_elsewhere_in_the_graph_do_not_matter():
    assert cycle_closed_by([*RP, ("X", "Y"), ("Y", "X")], before="RP.1", after="RP.3") is None
    assert cycle_closed_by(RP, before="NEW", after="RP.1") is None


def test_find_cycle_sees_self_loops_and_long_cycles_but_not_diamonds():
    assert find_cycle(DIAMOND) is None
    assert find_cycle([("A", "A")]) == ["A", "A"]
    names = [f"N{n:03}" for n in range(120)]
    ring = list(zip(names, names[1:] + names[:1], strict=True))
    assert find_cycle([*DIAMOND, *ring]) == [*names, "N000"]


def test_a_cycle_is_described_by_codes_in_order():
    code_of = {1: "RP.1", 2: "RP.2", 3: "RP.3"}
    assert describe_cycle([3, 1, 2, 3], code_of) == "RP.3 → RP.1 → RP.2 → RP.3"


def test_the_graph_module_imports_only_the_standard_library():
    tree = ast.parse(Path(playlists.prerequisite_graph.__file__).read_text())
    imported = {
        (node.module if isinstance(node, ast.ImportFrom) else alias.name).split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    assert imported <= {"collections"}
