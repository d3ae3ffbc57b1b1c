"""The CASE JSON and CSV parsers (pure: no database)."""

import json
from pathlib import Path

import pytest
from django.conf import settings

from playlists.frameworks.case_json import parse_case_json
from playlists.frameworks.competency_csv import parse_competency_csv
from playlists.frameworks.parsed import grade_band
from playlists.prerequisite_graph import find_cycle

REAL_CASE = Path(settings.BASE_DIR).parent / "shared" / "fixtures" / "case" / "opensalt-ccss-6rp-7rp.json"

DOC = {"identifier": "doc-1", "uri": "https://case.example/doc-1", "title": "Ratios"}


def _item(identifier, code, **extra):
    return {
        "identifier": identifier,
        "humanCodingScheme": code,
        "fullStatement": f"Statement {code}",
        **extra,
    }


def _assoc(kind, origin, destination, n=0):
    return {
        "identifier": f"a-{kind}-{origin}-{destination}-{n}",
        "associationType": kind,
        "originNodeURI": {"identifier": origin, "uri": f"https://case.example/{origin}"},
        "destinationNodeURI": {"identifier": destination, "uri": f"https://case.example/{destination}"},
    }


def _package(items, associations):
    return json.dumps({"CFDocument": DOC, "CFItems": items, "CFAssociations": associations})


def test_the_real_opensalt_package_parses_with_its_tree_and_prerequisites():
    parsed = parse_case_json(REAL_CASE.read_bytes())

    assert parsed.ok, parsed.errors
    assert parsed.title == "What Standards Could Be"
    assert len(parsed.competencies) == 16
    by_code = {c.code: c for c in parsed.competencies}
    cluster = by_code["CCSS.Math.Content.6.RP.A"]
    assert cluster.parent_key is None and cluster.item_type == "Cluster" and cluster.grade_band == "6"
    assert by_code["CCSS.Math.Content.6.RP.A.3a"].parent_key == by_code["CCSS.Math.Content.6.RP.A.3"].key
    codes = {(by_code_key, prereq) for by_code_key, prereq in parsed.prerequisites}
    key = {c.key: c.code for c in parsed.competencies}
    named = {(key[a], key[b]) for a, b in codes}
    # 6.RP.A.1 precedes 6.RP.A.2: 6.RP.A.2 requires 6.RP.A.1.
    assert ("CCSS.Math.Content.6.RP.A.2", "CCSS.Math.Content.6.RP.A.1") in named
    # The package points at a node it does not contain: reported, not fatal.
    assert any("not in this package" in str(w) for w in parsed.warnings)


def test_case_1_0_and_1_1_conventions_are_both_read():
    items = [
        _item("i1", "A.1", CFItemType="Standard", educationalLevel=["06", "07", "08"]),
        _item("i2", "A.2", CFItemTypeURI={"title": "Component", "identifier": "t"}, educationalLevel="KG"),
    ]
    associations = [
        {
            "identifier": "x",
            "associationType": "isChildOf",
            "originNodeURI": "https://case.example/i2",  # a bare URI (older exports)
            "destinationNodeURI": {"uri": "https://case.example/i1"},
        }
    ]
    items[0]["uri"], items[1]["uri"] = "https://case.example/i1", "https://case.example/i2"
    parsed = parse_case_json(_package(items, associations))

    assert parsed.ok, parsed.errors
    first, second = parsed.competencies
    assert (first.item_type, first.grade_band) == ("Standard", "6-8")
    assert (second.item_type, second.grade_band, second.parent_key) == ("Component", "K", "i1")


def test_unknown_keys_are_ignored_and_other_association_types_skipped():
    items = [_item("i1", "A.1", futureField={"x": 1}), _item("i2", "A.2")]
    parsed = parse_case_json(_package(items, [_assoc("exactMatchOf", "i1", "elsewhere")]))
    assert parsed.ok and not parsed.warnings and not parsed.prerequisites


def test_missing_and_mistyped_fields_are_reported_row_by_row():
    items = [
        {"identifier": "i1", "humanCodingScheme": "A.1"},  # no fullStatement
        {"humanCodingScheme": "A.2", "fullStatement": "x"},  # no identifier
        {"identifier": "i3", "humanCodingScheme": 7, "fullStatement": "x"},  # code is a number
        _item("i4", "A.4", educationalLevel=6),
    ]
    parsed = parse_case_json(_package(items, [{"identifier": "a", "associationType": "precedes"}]))

    messages = [str(problem) for problem in parsed.errors]
    assert "CFItems[0] A.1, fullStatement: is required" in messages
    assert "CFItems[1] A.2, identifier: is required" in messages
    assert "CFItems[2] i3, humanCodingScheme: must be text, not int" in messages
    assert "CFItems[3] A.4, educationalLevel: must be a list or text" in messages
    assert any(m.startswith("CFAssociations[0], originNodeURI") for m in messages)
    assert not parsed.ok


def test_a_precedes_cycle_is_refused_with_the_cycle_named():
    items = [_item("i1", "6.RP.1"), _item("i2", "6.RP.2")]
    parsed = parse_case_json(
        _package(items, [_assoc("precedes", "i1", "i2"), _assoc("precedes", "i2", "i1")])
    )

    assert not parsed.ok
    assert [str(e) for e in parsed.errors] == [
        "CFAssociations, precedes: prerequisites form a cycle: 6.RP.1 → 6.RP.2 → 6.RP.1"
    ]


def test_dangling_references_are_warnings_and_the_rest_imports():
    items = [_item("i1", "A.1"), _item("i2", "A.2")]
    associations = [
        _assoc("isChildOf", "i1", "somewhere-else"),
        _assoc("precedes", "ghost", "i2"),
        _assoc("precedes", "i1", "i2"),
        _assoc("isChildOf", "i2", "doc-1"),
    ]
    parsed = parse_case_json(_package(items, associations))

    assert parsed.ok
    assert len(parsed.warnings) == 2
    assert parsed.prerequisites == [("i2", "i1")]
    assert all(c.parent_key is None for c in parsed.competencies)


@pytest.mark.parametrize(
    "raw", [b"not json", b"[1, 2]", json.dumps({"CFItems": "nope"}).encode(), b"\xff\xfe\x00"]
)
def test_broken_files_are_errors_not_crashes(raw):
    assert not parse_case_json(raw).ok


def test_a_duplicate_identifier_is_an_error_and_a_reused_code_is_kept_apart_with_a_warning():
    parsed = parse_case_json(
        _package([_item("i1", "A.1"), _item("i1", "A.2"), _item("i3abcdefgh", "A.1")], [])
    )
    assert [str(e) for e in parsed.errors] == ["CFItems[1] A.2, identifier: i1 appears twice"]
    assert [c.code for c in parsed.competencies] == ["A.1", "A.1 (i3abcdef)"]
    assert "kept as A.1 (i3abcdef)" in str(parsed.warnings[0])


def test_a_package_wrapped_in_cfpackage_is_read():
    wrapped = json.dumps({"CFPackage": json.loads(_package([_item("i1", "A.1")], []))})
    assert parse_case_json(wrapped).ok


def test_find_cycle_returns_none_for_a_dag_and_the_loop_otherwise():
    assert find_cycle([("a", "b"), ("b", "c"), ("a", "c")]) is None
    assert find_cycle([("a", "b"), ("b", "c"), ("c", "a")]) == ["a", "b", "c", "a"]


def test_grade_bands():
    assert grade_band(["06"]) == "6"
    assert grade_band("06,07") == "6-7"
    assert grade_band(["KG", "01", "02"]) == "K-2"
    assert grade_band(None) == ""


CSV = """code,title,description,grade_band,subject,prerequisites,extra
M.1,Ratios,Understand ratios,6,,,ignored
M.2,Rates,Unit rates,6,,M.1,
M.3,Proportions,,7,,M.1; M.2,
"""


def test_a_valid_csv_parses_with_prerequisites():
    parsed = parse_competency_csv(CSV.encode(), title="Math 6")
    assert parsed.ok, parsed.errors
    assert [c.code for c in parsed.competencies] == ["M.1", "M.2", "M.3"]
    assert sorted(parsed.prerequisites) == [("M.2", "M.1"), ("M.3", "M.1"), ("M.3", "M.2")]


def test_csv_errors_name_the_row_and_column():
    raw = "code,title,prerequisites\nM.1,Ratios,M.9\n,No code,\nM.1,Again,\n"
    messages = [str(e) for e in parse_competency_csv(raw, title="Math").errors]
    assert messages == [
        "row 3, code: is required",
        "row 4, code: M.1 appears twice",
        "row 2, prerequisites: M.9 is not a code in this file",
    ]


def test_a_csv_cycle_is_named():
    raw = "code,title,prerequisites\nA,a,C\nB,b,A\nC,c,B\n"
    errors = parse_competency_csv(raw, title="Loop").errors
    assert [str(e) for e in errors] == ["file, prerequisites: prerequisites form a cycle: A → B → C → A"]


def test_a_csv_without_the_required_columns_is_refused():
    errors = parse_competency_csv("name,desc\nx,y\n", title="Bad").errors
    assert [str(e) for e in errors] == ["row 1, code, title: required column missing from the header"]


def test_a_semicolon_separated_csv_is_read():
    parsed = parse_competency_csv("code;title;prerequisites\nA;a;\nB;b;A\n", title="Semi")
    assert parsed.ok and parsed.prerequisites == [("B", "A")]
