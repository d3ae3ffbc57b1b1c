"""Grading of every question kind (pure functions)."""

import pytest

from mastery.grading import grade, normalize_text, parse_number

SINGLE = {"kind": "single", "correct_choices": [2]}
MULTIPLE = {"kind": "multiple", "correct_choices": [0, 3]}
NUMERIC = {"kind": "numeric", "numeric_answer": 0.75, "tolerance": 0.01}
EXACT = {"kind": "numeric", "numeric_answer": 12, "tolerance": 0}
TEXT = {"kind": "short_text", "accepted_answers": ["Photosynthesis", "photo synthesis"]}


@pytest.mark.parametrize(
    ("key", "response", "correct"),
    [
        (SINGLE, 2, True),
        (SINGLE, "2", True),
        (SINGLE, 1, False),
        (SINGLE, [2, 1], False),
        (SINGLE, "two", False),
        (MULTIPLE, [3, 0], True),
        (MULTIPLE, ["0", "3"], True),
        (MULTIPLE, [0], False),
        (MULTIPLE, [0, 3, 1], False),
        (MULTIPLE, [], False),
        (NUMERIC, "0.75", True),
        (NUMERIC, "0.759", True),
        (NUMERIC, "0,745", True),
        (NUMERIC, "3/4", True),
        (NUMERIC, "0.77", False),
        (NUMERIC, "abc", False),
        (NUMERIC, "1/0", False),
        (NUMERIC, "nan", False),
        (NUMERIC, "inf", False),
        (EXACT, "12", True),
        (EXACT, "12.0", True),
        (EXACT, "12.01", False),
        (TEXT, "  PHOTOSYNTHESIS. ", True),
        (TEXT, "Photo   Synthesis", True),
        (TEXT, "photosynthèsis", True),
        (TEXT, "respiration", False),
        (TEXT, "", False),
        (TEXT, None, False),
    ],
)
def test_grade_each_kind(key, response, correct):
    assert grade(key, response) is correct


def test_an_unknown_kind_is_a_programming_error():
    with pytest.raises(ValueError, match="Unknown"):
        grade({"kind": "essay"}, "x")


def test_normalize_and_parse_helpers():
    assert normalize_text("  Hello,   World! ") == "hello, world"
    assert parse_number("1 000") == 1000
    assert parse_number("1,000.5") == 1000.5
    assert parse_number("") is None
    assert parse_number("9" * 50) is None
