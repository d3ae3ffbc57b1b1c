"""The pure gradual-release rule (agency/policy.py) on hand-built histories."""

import ast
import datetime as dt
from pathlib import Path

from agency.policy import (
    DEFAULT_CRITERIA,
    DEFAULT_LADDER,
    Criteria,
    Direction,
    WeekEvidence,
    findings,
    suggest,
)

MON = dt.date(2026, 11, 2)


def week(k: int, **kw) -> WeekEvidence:
    return WeekEvidence(week_of=MON + dt.timedelta(weeks=k), **kw)


def strong_month() -> list[WeekEvidence]:
    return [
        week(0, check_ins=1, habit_ratings=(3, 3, 4, 3), goals_met=2, goals_partly=1, on_pace=True),
        week(1, goals_met=3, on_pace=True, first_checks_passed=1),
        week(2, check_ins=1, habit_ratings=(4, 3, 3, 3), goals_met=2, on_pace=True),
        week(3, goals_met=1, goals_not_met=1, on_pace=False, first_checks_passed=1),
    ]


def weak_month() -> list[WeekEvidence]:
    return [
        week(0, check_ins=1, habit_ratings=(1, 2, 2, 1), goals_not_met=2, on_pace=False),
        week(1, goals_partly=1, goals_not_met=1, on_pace=False, first_checks_failed=1),
        week(2, check_ins=1, habit_ratings=(2, 1, 2, 2), goals_met=1, goals_not_met=2, on_pace=True),
        week(3, goals_not_met=1, on_pace=False),
    ]


NAMES = {r.rank: r.name for r in DEFAULT_LADDER}


def test_the_policy_module_imports_no_django():
    tree = ast.parse(Path("agency/policy.py").read_text())
    modules = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)} | {
        a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names
    }
    assert not {
        m for m in modules if m and (m.startswith("django") or m.split(".")[0] in {"agency", "plp"})
    } - {"agency.policy"}


def test_a_strong_month_suggests_promotion_from_guided_to_choosing():
    s = suggest(rank=1, top_rank=3, history=strong_month(), ladder_names=NAMES)
    assert s.direction is Direction.PROMOTE and s.to_rank == 2
    assert "Choosing" in s.summary
    by = {f.key: f for f in s.findings}
    assert by["habits"].value == (3 + 3 + 4 + 3 + 4 + 3 + 3 + 3) / 8
    assert by["goals"].value == (2 + 0.5 + 3 + 2 + 1) / 10  # partly met counts half; not met counts
    assert by["pace"].value == 0.75
    assert by["checks"].value == 1.0
    assert all(f.meets_bar for f in s.findings)


def test_the_top_rung_is_never_promoted():
    s = suggest(rank=3, top_rank=3, history=strong_month(), ladder_names=NAMES)
    assert s.direction is Direction.STAY and s.to_rank == 3
    assert "top" in s.summary


def test_one_criterion_short_of_its_bar_keeps_the_student_and_says_which():
    history = strong_month()
    history[3] = week(3, goals_met=0, goals_not_met=4, on_pace=False)  # goals fall to 7.5 of 14
    s = suggest(rank=1, top_rank=3, history=history, ladder_names=NAMES)
    assert s.direction is Direction.STAY
    assert "goals met" in s.summary and "not yet" in s.summary


def test_a_weak_month_suggests_stepping_back_with_the_criteria_under_the_floor():
    s = suggest(rank=2, top_rank=3, history=weak_month(), ladder_names=NAMES)
    assert s.direction is Direction.STEP_BACK and s.to_rank == 1
    assert "Guided" in s.summary
    under = {f.key for f in s.findings if f.under_floor}
    assert {"habits", "goals", "pace", "checks"} == under


def test_the_first_rung_never_steps_back():
    s = suggest(rank=1, top_rank=3, history=weak_month(), ladder_names=NAMES)
    assert s.direction is Direction.STAY


def test_one_criterion_under_its_floor_is_not_enough_to_step_back():
    history = strong_month()
    history = [
        WeekEvidence(w.week_of, w.check_ins, (1, 1, 2, 1) if w.check_ins else (), w.goals_met, w.goals_partly,
                     w.goals_not_met, w.on_pace, w.first_checks_passed, w.first_checks_failed)
        for w in history
    ]  # fmt: skip
    s = suggest(rank=2, top_rank=3, history=history, ladder_names=NAMES)
    assert [f.key for f in s.findings if f.under_floor] == ["habits"]
    assert s.direction is Direction.STAY


def test_too_little_evidence_never_promotes_and_says_so():
    history = [week(0, check_ins=1, habit_ratings=(4, 4, 4, 4), goals_met=2, on_pace=True)]
    s = suggest(rank=1, top_rank=3, history=history, ladder_names=NAMES)
    assert s.direction is Direction.STAY
    assert "not enough evidence" in s.summary
    by = {f.key: f for f in s.findings}
    assert by["habits"].value is None and "needs 2" in by["habits"].evidence
    assert by["goals"].value is None


def test_no_first_check_in_the_window_does_not_block_promotion():
    history = [
        WeekEvidence(w.week_of, w.check_ins, w.habit_ratings, w.goals_met, w.goals_partly, w.goals_not_met,
                     w.on_pace)
        for w in strong_month()
    ]  # fmt: skip
    s = suggest(rank=2, top_rank=3, history=history, ladder_names=NAMES)
    assert s.direction is Direction.PROMOTE and s.to_rank == 3
    assert {f.key: f for f in s.findings}["checks"].meets_bar is None


def test_only_the_last_n_weeks_count():
    old_bad = [
        week(-k, check_ins=1, habit_ratings=(1, 1, 1, 1), goals_not_met=3, on_pace=False) for k in (1, 2)
    ]
    s = suggest(rank=1, top_rank=3, history=old_bad + strong_month(), ladder_names=NAMES)
    assert s.direction is Direction.PROMOTE
    wider = suggest(rank=1, top_rank=3, history=old_bad + strong_month(), criteria=Criteria(weeks=6))
    assert wider.direction is Direction.STAY


def test_findings_count_weeks_with_nothing_to_pace_as_no_evidence():
    found = {f.key: f for f in findings([week(0, on_pace=None), week(1, on_pace=True)], DEFAULT_CRITERIA)}
    assert found["pace"].value == 1.0 and "1 of 1" in found["pace"].evidence


def test_the_weeks_that_earned_a_level_do_not_earn_the_next_one_too():
    """Promoted on the Wednesday of the last week: the same strong month would suggest the next level at
    once; only weeks begun since the change count, and there are none yet."""
    promoted_on = MON + dt.timedelta(weeks=3, days=2)
    s = suggest(rank=2, top_rank=3, history=strong_month(), ladder_names=NAMES, since=promoted_on)
    assert s.direction is Direction.STAY
    assert "not enough evidence" in s.summary and "Nov 25, 2026" in s.summary
    assert all(f.meets_bar is None for f in s.findings if f.key != "checks")
    assert suggest(rank=2, top_rank=3, history=strong_month(), ladder_names=NAMES).direction is (
        Direction.PROMOTE
    )  # the same month with no change in it


def test_after_a_change_only_the_weeks_begun_since_count_both_ways():
    later = [
        week(4, check_ins=1, habit_ratings=(3, 4, 3, 3), goals_met=3, on_pace=True),
        week(5, goals_met=2, goals_partly=1, on_pace=True),
    ]
    history = strong_month() + later  # the last four weeks: 2 to 5
    # Changed on the Monday of week 2: that week counts, and its check-in is the second one rated.
    s = suggest(rank=2, top_rank=3, history=history, since=MON + dt.timedelta(weeks=2))
    assert s.direction is Direction.PROMOTE and {f.key: f for f in s.findings}["pace"].value == 0.75
    # Changed on its Tuesday: week 2 was begun at the old level; one rated check-in is not enough.
    s = suggest(rank=2, top_rank=3, history=history, since=MON + dt.timedelta(weeks=2, days=1))
    assert s.direction is Direction.STAY and {f.key: f for f in s.findings}["habits"].value is None
    # A step back is not suggested again on the weeks that caused the last one.
    stepped_back_on = MON + dt.timedelta(weeks=4)
    assert suggest(rank=2, top_rank=3, history=weak_month(), since=stepped_back_on).direction is (
        Direction.STAY
    )
    assert suggest(rank=2, top_rank=3, history=weak_month()).direction is Direction.STEP_BACK
