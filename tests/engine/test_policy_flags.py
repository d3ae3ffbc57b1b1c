import dataclasses
import datetime as dt

from engine.policy.flags import evaluate_flags
from engine.policy.snapshot import DEFAULTS, CheckInView, GoalView, MasteryLevel, Progress, Thresholds
from tests.engine.builders import TODAY, competency, item, playlist, snapshot


def kinds(state, thresholds=DEFAULTS):
    return {(f.kind, f.subject): f for f in evaluate_flags(state, thresholds)}


def active(**fields):
    fields.setdefault("last_active_on", TODAY)
    return fields


def test_a_calm_student_raises_no_flag():
    assert kinds(snapshot(playlist(1, item(1)), **active())) == {}


def test_wheel_spinning_after_ten_answers_without_mastery_with_its_evidence():
    state = snapshot(
        competencies=[
            competency(4, code="6.RP.3", practice_answers_unmastered=10, practice_correct_unmastered=4)
        ],
        **active(),
    )
    flag = kinds(state)[("wheel_spinning", "competency:4")]
    assert flag.severity == "medium"
    assert flag.evidence == {"competency": "6.RP.3", "answers": 10, "correct": 4, "estimate": 0.0}
    assert "6.RP.3" in flag.suggested_action


def test_nine_answers_or_mastery_is_not_wheel_spinning():
    state = snapshot(
        competencies=[
            competency(1, practice_answers_unmastered=9),
            competency(2, MasteryLevel.MASTERED, practice_answers_unmastered=30),
        ],
        **active(),
    )
    assert kinds(state) == {}


def test_a_slow_learner_who_is_getting_there_is_not_wheel_spinning():
    ready = competency(1, practice_answers_unmastered=14, p_mastered=0.9)
    mostly_right = competency(2, practice_answers_unmastered=10, practice_correct_unmastered=7)
    assert kinds(snapshot(competencies=[ready, mostly_right], **active())) == {}


def test_twenty_answers_without_mastery_is_serious():
    state = snapshot(competencies=[competency(1, practice_answers_unmastered=20)], **active())
    assert kinds(state)[("wheel_spinning", "competency:1")].severity == "high"


def test_repeated_failed_checks_clear_once_mastered():
    failing = snapshot(competencies=[competency(1, failed_checks_in_a_row=2)], **active())
    assert ("failed_checks", "competency:1") in kinds(failing)
    passed = snapshot(
        competencies=[competency(1, MasteryLevel.MASTERED, failed_checks_in_a_row=2)], **active()
    )
    assert kinds(passed) == {}


def test_inactivity_counts_school_days_not_calendar_days():
    friday = dt.date(2026, 11, 13)
    work = playlist(1, item(1))
    assert kinds(snapshot(work, today=dt.date(2026, 11, 17), last_active_on=friday)) == {}  # Tuesday: 2
    flag = kinds(snapshot(work, today=dt.date(2026, 11, 18), last_active_on=friday))[("inactive", "")]
    assert flag.evidence["school_days"] == 3
    assert flag.severity == "medium"


def test_a_student_who_never_started_is_inactive_from_their_start_date():
    state = snapshot(playlist(1, item(1)), started_on=TODAY - dt.timedelta(days=14))
    flag = kinds(state)[("inactive", "")]
    assert flag.summary.startswith("No activity yet")
    assert flag.severity == "high"


def test_a_student_with_nothing_assigned_is_not_inactive():
    assert kinds(snapshot(started_on=TODAY - dt.timedelta(days=30))) == {}


def test_behind_pace_explains_itself_and_is_serious_after_the_target_date():
    start = TODAY - dt.timedelta(days=20)
    late = playlist(
        7, item(1), item(2), title="Ratios", assigned_on=start, target_date=TODAY - dt.timedelta(days=1)
    )
    flag = kinds(snapshot(late, **active()))[("behind_pace", "playlist:7")]
    assert flag.severity == "high"
    assert flag.summary == (
        "Ratios: 0 of 2 required items done, and the target date has come. "
        "Not catching up: 0 required items done in the last 10 school days."
    )
    on_time = playlist(
        8, item(1, progress=Progress.DONE), item(2), assigned_on=start, target_date=TODAY + dt.timedelta(20)
    )
    assert kinds(snapshot(on_time, **active())) == {}


def test_no_behind_pace_flag_for_a_student_who_mastered_the_competencies_of_the_playlist():
    """Nothing marked done on a playlist past its target date, but every competency its items work on
    mastered: the work counts as done (``pace.done_with_mastery``), so no flag, and nothing is left to do
    that inactivity could be about."""
    late = playlist(
        7, item(1, competency_ids=(4,)), item(2, competency_ids=(4, 5)), title="Ratios",
        assigned_on=TODAY - dt.timedelta(days=20), target_date=TODAY - dt.timedelta(days=1),
    )  # fmt: skip
    mastered = [
        competency(c, MasteryLevel.MASTERED, mastered_on=TODAY - dt.timedelta(days=30)) for c in (4, 5)
    ]
    assert kinds(snapshot(late, competencies=mastered, started_on=TODAY - dt.timedelta(days=30))) == {}
    # One competency not mastered: item 2 is still to do, the playlist behind.
    partly = [mastered[0], competency(5)]
    assert ("behind_pace", "playlist:7") in kinds(snapshot(late, competencies=partly, **active()))


def test_work_counted_done_by_a_mastery_lately_counts_as_catching_up():
    """15 of 24 required items counted done, 9 of them by competencies mastered two days ago: at 1.5 a day
    the 9 left fit in the 7 school days to the target date."""
    ratios = behind_third(1, done=6, of=24, started=30, left=10)
    ratios = dataclasses.replace(
        ratios,
        items=tuple(
            dataclasses.replace(i, competency_ids=(9,)) if 6 <= n < 15 else i
            for n, i in enumerate(ratios.items)
        ),
    )
    mastered = competency(9, MasteryLevel.MASTERED, mastered_on=TODAY - dt.timedelta(days=2))
    state = snapshot(ratios, competencies=[mastered], done_on=done_days_ago(2, ratios), **active())
    assert ("behind_pace", "section:3") not in kinds(state)


def behind_third(playlist_id, *, section_id=3, done=10, of=30, started=20, left=20):
    """``started`` days ago, target in ``left`` days (by default half the time has passed) and ``done`` of
    ``of`` items done (by default a third): behind."""
    items = [item(playlist_id * 100 + n, progress=Progress.DONE) for n in range(done)]
    items += [item(playlist_id * 100 + n) for n in range(done, of)]
    return playlist(
        playlist_id,
        *items,
        assigned_on=TODAY - dt.timedelta(days=started),
        target_date=TODAY + dt.timedelta(days=left),
        section_id=section_id,
    )


def done_days_ago(days, *playlists):
    return {
        i.item_id: TODAY - dt.timedelta(days=days)
        for p in playlists
        for i in p.items
        if i.progress is Progress.DONE
    }


def test_behind_pace_is_one_flag_per_section_not_one_per_playlist():
    ratios, equations, essays = behind_third(1), behind_third(2), behind_third(3, section_id=4)
    state = snapshot(
        ratios, equations, essays, done_on=done_days_ago(30, ratios, equations, essays), **active()
    )
    found = kinds(state)
    assert sorted(k for k in found if k[0] == "behind_pace") == [
        ("behind_pace", "section:3"),
        ("behind_pace", "section:4"),
    ]
    evidence = found[("behind_pace", "section:3")].evidence
    assert [p["playlist"] for p in evidence["playlists"]] == ["Playlist 1", "Playlist 2"]


def test_a_student_behind_pace_but_catching_up_is_not_flagged():
    """Three quarters of the time gone and 15 of 24 items done (12 points behind), all 15 in the last ten
    school days: at 1.5 a day the 9 left fit in the 7 school days to the target date."""
    ratios = behind_third(1, done=15, of=24, started=30, left=10)
    assert ("behind_pace", "section:3") not in kinds(
        snapshot(ratios, done_on=done_days_ago(2, ratios), **active())
    )
    # The same work done a month ago: nothing lately, so not catching up.
    flag = kinds(snapshot(ratios, done_on=done_days_ago(30, ratios), **active()))[
        ("behind_pace", "section:3")
    ]
    assert flag.evidence["done_lately"] == 0
    assert flag.evidence["school_days"] == 10
    assert flag.severity == "medium"


def test_catching_up_too_slowly_is_still_behind_pace():
    ratios = behind_third(1, done=10, of=30)  # 20 left in 14 school days needs more than one a day
    flag = kinds(snapshot(ratios, done_on=done_days_ago(2, ratios), **active()))[("behind_pace", "section:3")]
    assert flag.evidence["done_lately"] == 10
    assert flag.evidence["rate"] == 1.0


def test_behind_by_less_than_the_school_margin_is_not_behind_pace():
    ratios = behind_third(1, done=13, of=30)  # 43% done at 50% of the time: within ten points
    state = snapshot(ratios, done_on=done_days_ago(30, ratios), **active())
    assert kinds(state) == {}
    assert ("behind_pace", "section:3") in kinds(state, Thresholds(pace_margin=0.05))


def test_overdue_weekly_goals_only_while_open():
    goals = (
        GoalView(1, "Finish 3 ratio items", TODAY - dt.timedelta(days=2), is_open=True),
        GoalView(2, "Read chapter 4", TODAY - dt.timedelta(days=2), is_open=False),
        GoalView(3, "Ask for help", TODAY + dt.timedelta(days=2), is_open=True),
    )
    flag = kinds(snapshot(goals=goals, **active()))[("overdue_goals", "")]
    assert flag.evidence["goals"] == [{"title": "Finish 3 ratio items", "due_on": "2026-11-16"}]
    assert flag.severity == "low"


def test_missed_check_in_by_follow_up_date_or_cadence_past_a_grace_margin():
    days = dt.timedelta
    recent = CheckInView(last_on=TODAY - days(5), has_mentor=True)
    assert kinds(snapshot(check_in=recent, **active())) == {}
    within_grace = CheckInView(last_on=TODAY - days(17), has_mentor=True)  # due 3 days ago
    assert kinds(snapshot(check_in=within_grace, **active())) == {}
    stale = CheckInView(last_on=TODAY - days(18), has_mentor=True)
    assert kinds(snapshot(check_in=stale, **active()))[("missed_check_in", "")].summary.endswith(
        "18 days ago"
    )
    follow_up = CheckInView(last_on=TODAY - days(9), follow_up_on=TODAY - days(2), has_mentor=True)
    assert kinds(snapshot(check_in=follow_up, **active())) == {}  # two days late: within the grace
    late_follow_up = CheckInView(last_on=TODAY - days(11), follow_up_on=TODAY - days(4), has_mentor=True)
    flag = kinds(snapshot(check_in=late_follow_up, **active()))[("missed_check_in", "")]
    assert "was due 4 days ago" in flag.summary
    assert flag.evidence["due_on"] == "2026-11-14"
    planned = CheckInView(last_on=TODAY - days(20), follow_up_on=TODAY + days(1), has_mentor=True)
    assert kinds(snapshot(check_in=planned, **active())) == {}  # the mentor's date beats the cadence
    no_mentor = CheckInView(last_on=TODAY - days(60))
    assert kinds(snapshot(check_in=no_mentor, **active())) == {}


def test_a_first_check_in_is_due_a_cadence_after_mentoring_began():
    days = dt.timedelta
    new_mentee = CheckInView(has_mentor=True, mentored_since=TODAY - days(3))
    assert kinds(snapshot(check_in=new_mentee, **active())) == {}
    forgotten = CheckInView(has_mentor=True, mentored_since=TODAY - days(20))
    flag = kinds(snapshot(check_in=forgotten, **active()))[("missed_check_in", "")]
    assert flag.summary == "No mentor check-in yet; the first was due 6 days ago"
    assert kinds(snapshot(check_in=CheckInView(has_mentor=True), **active())) == {}


def test_a_falling_trend_compares_the_last_window_with_the_one_before():
    ten = Thresholds(falling_window=10, falling_drop=0.25)
    steady = (True, False) * 10
    assert kinds(snapshot(recent_results=steady, **active()), ten) == {}
    falling = (True,) * 8 + (False,) * 2 + (True,) * 4 + (False,) * 6  # 80% → 40%
    flag = kinds(snapshot(recent_results=falling, **active()), ten)[("falling_trend", "")]
    assert (flag.evidence["before"], flag.evidence["lately"]) == (0.8, 0.4)
    assert kinds(snapshot(recent_results=falling[:15], **active()), ten) == {}  # too few answers to say
    assert kinds(snapshot(recent_results=falling, **active())) == {}  # the default window is 15


def test_thresholds_are_per_school():
    state = snapshot(competencies=[competency(1, practice_answers_unmastered=6)], **active())
    assert kinds(state) == {}
    assert ("wheel_spinning", "competency:1") in kinds(state, Thresholds(wheel_spin_answers=6))


def test_findings_are_unique_by_key():
    state = snapshot(
        competencies=[competency(1, practice_answers_unmastered=12, failed_checks_in_a_row=3)], **active()
    )
    keys = [f.key for f in evaluate_flags(state)]
    assert sorted(keys) == [("failed_checks", "competency:1"), ("wheel_spinning", "competency:1")]
