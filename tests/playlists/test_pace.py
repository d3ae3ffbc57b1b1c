"""Pure progress rules: units, choice boards, pace status and the next unfinished item."""

import datetime as dt

import pytest

from playlists.pace import Pace, Placement, first_unfinished, pace_status, playlist_units

START, TARGET = dt.date(2026, 9, 1), dt.date(2026, 9, 11)  # ten days


@pytest.mark.parametrize(
    ("done", "today", "expected"),
    [
        (5, dt.date(2026, 9, 6), Pace.ON_TRACK),  # half the work, half the time
        (9, dt.date(2026, 9, 6), Pace.AHEAD),
        (1, dt.date(2026, 9, 6), Pace.BEHIND),
        (0, dt.date(2026, 9, 1), Pace.ON_TRACK),  # day one, nothing done yet
        (9, dt.date(2026, 9, 12), Pace.BEHIND),  # past the target, not finished
        (10, dt.date(2026, 9, 30), Pace.COMPLETE),
        (0, dt.date(2026, 8, 20), Pace.ON_TRACK),  # before the start
    ],
)
def test_pace_compares_work_done_with_time_elapsed(done, today, expected):
    assert pace_status(done=done, needed=10, start=START, target=TARGET, today=today) is expected


def test_a_playlist_with_nothing_needed_is_complete():
    assert pace_status(done=0, needed=0, start=START, target=TARGET, today=START) is Pace.COMPLETE


RULES = [
    Placement(1, True),
    Placement(2, False),  # optional: not counted
    Placement(3, True),
    Placement(10, True, board_id=7),
    Placement(11, True, board_id=7),
    Placement(12, True, board_id=7),
    Placement(13, True, board_id=7),
]


def test_a_choice_board_counts_k_units_and_extra_choices_do_not_count_twice():
    assert playlist_units(RULES, {7: 2}, set()) == (0, 4)
    assert playlist_units(RULES, {7: 2}, {1, 2, 10}) == (2, 4)
    assert playlist_units(RULES, {7: 2}, {1, 3, 10, 11, 12}) == (4, 4)


def test_a_board_asking_more_than_it_holds_asks_for_all_of_them():
    assert playlist_units([Placement(1, True, 5)], {5: 3}, set()) == (0, 1)


def test_next_item_is_the_first_unfinished_required_then_the_unfinished_board():
    assert first_unfinished(RULES, {7: 2}, set()) == 1
    assert first_unfinished(RULES, {7: 2}, {1}) == 3
    assert first_unfinished(RULES, {7: 2}, {1, 3}) == 10
    assert first_unfinished(RULES, {7: 2}, {1, 3, 11}) == 10
    assert first_unfinished(RULES, {7: 2}, {1, 3, 11, 13}) is None
