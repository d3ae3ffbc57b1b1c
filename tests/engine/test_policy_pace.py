import datetime as dt

import pytest

from engine.policy.pace import Pace, done_with_mastery, pace_of, required_work, school_days_between
from engine.policy.snapshot import MasteryLevel, Progress
from tests.engine.builders import TODAY, competency, item, playlist

DONE = Progress.DONE


def test_required_work_counts_required_items_and_k_of_each_choice_board():
    items = (
        item(1, progress=DONE),
        item(2),
        item(3, required=False, progress=DONE),  # optional: not counted
        item(4, choice_group="b", choice_needed=2, progress=DONE),
        item(5, choice_group="b", choice_needed=2, progress=DONE),
        item(6, choice_group="b", choice_needed=2, progress=DONE),  # a third done counts no more
    )
    assert required_work(items) == (3, 4)


@pytest.mark.parametrize(
    ("done", "expected_pace"),
    [(0, Pace.BEHIND), (1, Pace.BEHIND), (2, Pace.ON_TRACK), (3, Pace.AHEAD), (4, Pace.COMPLETE)],
)
def test_pace_compares_the_share_done_with_the_share_of_time_elapsed(done, expected_pace):
    # 10 of 20 days gone: half the work is expected.
    items = tuple(item(n, progress=DONE if n <= done else Progress.NOT_STARTED) for n in range(1, 5))
    plan = playlist(
        1, *items, assigned_on=TODAY - dt.timedelta(days=10), target_date=TODAY + dt.timedelta(days=10)
    )
    reading = pace_of(plan, competencies={}, today=TODAY, margin=0.10)
    assert reading.expected_share == pytest.approx(0.5)
    assert reading.pace is expected_pace


def test_a_playlist_without_a_target_date_has_no_pace():
    assert pace_of(playlist(1, item(1)), competencies={}, today=TODAY, margin=0.1).pace is Pace.UNPLANNED


def test_a_finished_playlist_is_complete_even_after_its_target_date():
    plan = playlist(1, item(1, progress=DONE), assigned_on=TODAY - dt.timedelta(days=30), target_date=TODAY)
    assert (
        pace_of(plan, competencies={}, today=TODAY + dt.timedelta(days=5), margin=0.1).pace is Pace.COMPLETE
    )


def test_an_unfinished_playlist_is_behind_once_its_target_date_has_come():
    plan = playlist(
        1, *(item(n, progress=Progress.DONE) for n in range(1, 20)), item(20),
        assigned_on=TODAY - dt.timedelta(days=30), target_date=TODAY,
    )  # fmt: skip
    assert pace_of(plan, competencies={}, today=TODAY, margin=0.1).pace is Pace.BEHIND


def test_an_item_on_competencies_all_mastered_counts_as_done():
    """Progress by demonstrated mastery, not seat time: 2 works on mastered 5 alone; 3 also on 6, not
    mastered; 4 works on no competency, so only marking it done counts."""
    competencies_of = {1: (5,), 2: (5,), 3: (5, 6), 4: ()}
    assert done_with_mastery({1}, competencies_of, {5}) == {1, 2}
    assert done_with_mastery(set(), competencies_of, {5, 6}) == {1, 2, 3}
    assert done_with_mastery({4}, competencies_of, set()) == {4}


def test_pace_counts_the_items_on_mastered_competencies_as_done():
    """Half the time gone, nothing marked done, but the competencies of three of four items mastered
    (their checks passed): ahead, not behind; an item with one unmastered competency stays to do."""
    plan = playlist(
        1, item(1, competency_ids=(5,)), item(2, competency_ids=(5, 6)), item(3, competency_ids=(6,)),
        item(4, competency_ids=(6, 7)),
        assigned_on=TODAY - dt.timedelta(days=10), target_date=TODAY + dt.timedelta(days=10),
    )  # fmt: skip
    mastered = {c: competency(c, MasteryLevel.MASTERED) for c in (5, 6)}
    reading = pace_of(plan, competencies={**mastered, 7: competency(7)}, today=TODAY, margin=0.10)
    assert (reading.done, reading.needed, reading.pace) == (3, 4, Pace.AHEAD)
    assert pace_of(plan, competencies={}, today=TODAY, margin=0.10).pace is Pace.BEHIND


def test_school_days_skip_weekends():
    friday = dt.date(2026, 11, 13)
    assert school_days_between(friday, dt.date(2026, 11, 16)) == 1  # Monday
    assert school_days_between(friday, dt.date(2026, 11, 20)) == 5
    assert school_days_between(friday, friday) == 0
    assert school_days_between(friday, friday - dt.timedelta(days=3)) == 0
    monday = dt.date(2026, 11, 16)
    assert school_days_between(monday, monday + dt.timedelta(days=14)) == 10


def _reading(done, needed, *, days_gone=10, days_left=10, title="Ratios"):
    from engine.policy.pace import read_pace

    return read_pace(
        done=done, needed=needed, start=TODAY - dt.timedelta(days=days_gone),
        target=TODAY + dt.timedelta(days=days_left), today=TODAY, title=title,
    )  # fmt: skip


def test_a_pace_reading_explains_itself_with_the_numbers_it_was_judged_on():
    behind = _reading(1, 21)
    assert behind.pace is Pace.BEHIND and behind.short == "1/21"
    assert behind.explanation == (
        "Ratios: 1 of 21 required items done; about 11 expected by now "
        "(50% of the time to the target date has passed)."
    )
    assert _reading(21, 21).explanation == "Ratios: all 21 required items done."
    overdue = _reading(3, 4, days_gone=20, days_left=0)
    assert overdue.pace is Pace.BEHIND
    assert overdue.explanation == "Ratios: 3 of 4 required items done, and the target date has come."


def test_a_students_pace_over_several_playlists_is_the_slowest_one():
    from engine.policy.pace import NO_PACE, slowest

    ahead, a_bit_behind, far_behind = (
        _reading(9, 10, title="A"),
        _reading(3, 10, title="B"),
        _reading(0, 10, title="C"),
    )
    assert slowest([ahead, a_bit_behind, far_behind]) is far_behind
    assert slowest([ahead, _reading(10, 10, title="D")]) is ahead
    assert slowest([]) is NO_PACE and NO_PACE.pace is Pace.NONE
    assert "No playlist is assigned" in NO_PACE.explanation


def test_the_units_rule_is_one_for_the_engine_and_the_pages():
    from engine.policy.pace import work_units
    from playlists.pace import Placement, playlist_units

    placements = [Placement(1, True), Placement(2, False), Placement(3, True, 7), Placement(4, True, 7)]
    assert (
        playlist_units(placements, {7: 1}, {2, 4})
        == work_units(
            [(True, None, 1, False), (False, None, 1, True), (True, 7, 1, False), (True, 7, 1, True)]
        )
        == (1, 2)
    )


def test_the_definition_names_the_schools_tolerance():
    from engine.policy.pace import pace_definition

    assert "within 25% is on track" in pace_definition(0.25)
    assert "within the school's tolerance is on track" in pace_definition(None)
