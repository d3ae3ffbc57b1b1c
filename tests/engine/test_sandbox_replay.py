"""The sandbox's pure replay on hand-built ledgers: a lower "needs attention" threshold flags more of the
students whose answers show trouble and none of the one who learns; a change to nothing changes nothing; the
day-by-day snapshot is the ledger as it stood that day (check-ins and mentoring too); the rule flags are
compared day by day, with the first day and the flags before → after in words."""

import dataclasses
import datetime as dt

from engine.policy.snapshot import MasteryLevel, Progress, Thresholds
from engine.sandbox.rebuild import (
    Answer,
    CheckInHeld,
    CheckResult,
    Mentoring,
    StudentLedger,
    check_in_on,
    snapshot_on,
)
from engine.sandbox.replay import (
    NEXT_FIRST,
    NEXT_ITEMS,
    NEXT_ORDER,
    NEXT_REASON,
    next_up_difference,
    replay,
)
from tests.engine.builders import competency, item, playlist, snapshot

START = dt.date(2026, 11, 2)  # a Monday
DAYS = [START + dt.timedelta(days=n) for n in range(21) if (START + dt.timedelta(days=n)).weekday() < 5]
LEARNS, SLOW, STUCK = 1, 2, 3


def _ledger(student_id, right, competencies=None, **snapshot_fields) -> StudentLedger:
    """Five answers on C7 each school day; ``right(day_number, k)`` says which are right."""
    shape = snapshot(
        playlist(
            1,
            item(1, competency_ids=(7,)),
            item(2, competency_ids=(7,)),
            assigned_on=START,
            target_date=START + dt.timedelta(days=60),
        ),
        competencies=competencies or [competency(7)],
        started_on=START,
        today=DAYS[-1],
        **snapshot_fields,
    )
    answers, pk = [], student_id * 1000
    for n, day in enumerate(DAYS):
        for k in range(5):
            pk += 1
            answers.append(Answer(dt.datetime.combine(day, dt.time(10, k)), 0, pk, 7, right(n, k)))
    return StudentLedger(snapshot=dataclasses.replace(shape, student_id=student_id), answers=tuple(answers))


def _class():
    return [
        _ledger(LEARNS, lambda n, k: n > 2 or k % 2 == 0),  # learns C7 in three days
        _ledger(SLOW, lambda n, k: k == 0 or (n > 8 and k < 3)),  # mostly wrong, slowly better
        _ledger(STUCK, lambda n, k: False),  # never right
    ]


DEFAULTS = Thresholds()


def _replay(after: Thresholds, before: Thresholds = DEFAULTS):
    results = replay(_class(), days=DAYS, school_days=DAYS, usual=5.0, params={}, before=before, after=after)
    return {r.student_id: r for r in results}


def test_a_lower_entry_threshold_flags_more_of_the_struggling_students_and_not_the_learner():
    higher = dataclasses.replace(Thresholds(), attention_enter_score=0.6, attention_exit_score=0.6)
    before = _replay(higher, before=higher)  # the same thresholds twice: a baseline
    assert before[STUCK].flagged_days_before > 0 and before[SLOW].flagged_days_before == 0
    lower = dataclasses.replace(Thresholds(), attention_enter_score=0.36, attention_exit_score=0.36)
    results = _replay(lower, before=higher)
    assert not results[LEARNS].changed
    assert results[LEARNS].flagged_days_after == 0
    slow = results[SLOW]
    assert slow.changed and slow.flagged_days_before == 0 and slow.flagged_days_after > 5
    # One competency learnt slowly is not a slow student (attention.one_competency_score): not learning
    # it for days on end is being blocked on it.
    assert (slow.attention_before, slow.attention_after) == ("Not flagged", "Blocked on C7")
    assert slow.on in DAYS
    stuck = results[STUCK]
    assert stuck.flagged_days_after > stuck.flagged_days_before  # flagged earlier, and so for longer


def test_a_higher_entry_threshold_flags_fewer():
    higher = dataclasses.replace(Thresholds(), attention_enter_score=0.99, attention_exit_score=0.99)
    results = _replay(higher)
    assert results[STUCK].flagged_days_after < results[STUCK].flagged_days_before
    assert results[STUCK].attention_after == "Not flagged"


def test_a_change_to_nothing_changes_nothing():
    same = dataclasses.replace(Thresholds(), pace_margin=Thresholds().pace_margin)
    results = _replay(same)
    assert not any(r.changed for r in results.values())
    assert all(r.flagged_days_before == r.flagged_days_after for r in results.values())


def test_the_snapshot_of_a_past_day_is_the_ledger_as_it_stood_then():
    mastered_on, done_on = DAYS[5], DAYS[3]
    ledger = _ledger(
        LEARNS,
        lambda n, k: n > 2 or k % 2 == 0,
        done_on={1: done_on},
        competencies=[
            competency(7, level=MasteryLevel.MASTERED, mastered_on=mastered_on, p_mastered=0.99),
        ],
    )
    shape = ledger.snapshot
    items = tuple(
        dataclasses.replace(i, progress=Progress.DONE) if i.item_id == 1 else i
        for i in shape.playlists[0].items
    )
    ledger = dataclasses.replace(
        ledger,
        snapshot=dataclasses.replace(
            shape, playlists=(dataclasses.replace(shape.playlists[0], items=items),)
        ),
        checks=(CheckResult(7, DAYS[1], passed=False), CheckResult(7, mastered_on, passed=True)),
    )
    early = snapshot_on(ledger, DAYS[2], {})
    assert early.today == DAYS[2]
    assert early.playlists[0].items[0].progress is Progress.NOT_STARTED  # done on DAYS[3]
    c7 = early.competencies[7]
    assert c7.level is MasteryLevel.PRACTICING and c7.mastered_on is None
    assert c7.practice_answers_unmastered == 15 and c7.practice_correct_unmastered == 9  # 3 of 5 a day
    assert c7.failed_checks_in_a_row == 1
    assert early.last_active_on == DAYS[2]
    late = snapshot_on(ledger, DAYS[6], {})
    assert late.playlists[0].items[0].progress is Progress.DONE
    assert late.competencies[7].level is MasteryLevel.MASTERED
    before_start = snapshot_on(ledger, START - dt.timedelta(days=1), {})
    assert before_start.playlists == ()  # not assigned yet


def test_next_up_lists_are_compared_whole_and_in_order():
    a, b, c = ("item", 1, 7), ("item", 2, 7), ("review", None, 8)
    assert next_up_difference((a, b), (a, b)) == ""
    assert next_up_difference((a, b), (b, a)) == NEXT_FIRST
    assert next_up_difference((a, b, c), (a, c, b)) == NEXT_ORDER
    assert next_up_difference((a, b), (a, b, c)) == NEXT_ITEMS
    assert next_up_difference((a, b), (a, c)) == NEXT_ITEMS
    assert next_up_difference((), (a,)) == NEXT_FIRST
    assert next_up_difference((a, b), (a, b), ("Behind.", "Next."), ("Next.", "Next.")) == NEXT_REASON
    assert next_up_difference((a, b), (a, b), ("Next.", "Next."), ("Next.", "Next.")) == ""


def test_a_change_below_the_first_next_up_entry_is_reported_with_the_whole_list():
    """Two mastered competencies: C8 long ago, C9 a fortnight before the window. Reviews after 7 days make
    both due (C8's first, C9's further down); after 30 days only C8's is. The first entry is the same
    either way: comparing only it missed the change."""
    ledger = _ledger(
        LEARNS,
        lambda n, k: n > 2 or k % 2 == 0,
        competencies=[
            competency(7),
            competency(8, level=MasteryLevel.MASTERED, mastered_on=START - dt.timedelta(days=120)),
            competency(9, level=MasteryLevel.MASTERED, mastered_on=START - dt.timedelta(days=14)),
        ],
    )
    weekly = dataclasses.replace(Thresholds(), review_after_days=7)
    monthly = dataclasses.replace(Thresholds(), review_after_days=30)
    [result] = replay(
        [ledger], days=DAYS, school_days=DAYS, usual=5.0, params={}, before=weekly, after=monthly
    )
    assert result.changed and result.next_up_days >= 10  # until C9 is due a monthly review too
    assert result.next_how == {NEXT_ITEMS: result.next_up_days}
    assert result.next_before == result.next_after  # the same first entry
    assert result.next_list_before[0] == result.next_list_after[0]
    assert result.next_list_before[0].startswith("Time to review C8")
    assert any(r.startswith("Time to review C9") for r in result.next_list_before)
    assert not any(r.startswith("Time to review C9") for r in result.next_list_after)


# --- each setting a what-if offers reaches the replayed Next up (a what-if on the demo changed nobody's) ---


def _one(ledger, before: Thresholds, after: Thresholds):
    [result] = replay([ledger], days=DAYS, school_days=DAYS, usual=5.0, params={}, before=before, after=after)
    return result


def test_a_lower_estimate_that_counts_as_learning_ends_the_way_back_to_a_prerequisite():
    """Two of five right on C7 every day: after ten answers the estimate sits near 0.19, below 0.85, so the
    student is wheel-spinning and Next up sends them back to C6, mastered before it. Counting 0.15 as
    learning (``learning_p_mastered``) calls it learning: no way back."""
    ledger = _ledger(
        LEARNS,
        lambda n, k: k < 2,
        competencies=[
            competency(6, level=MasteryLevel.MASTERED, mastered_on=START - dt.timedelta(days=1)),
            competency(7, prerequisite_ids=frozenset({6})),
        ],
    )
    lower = dataclasses.replace(Thresholds(), learning_p_mastered=0.15)
    result = _one(ledger, DEFAULTS, lower)
    assert result.changed and result.next_up_days >= len(DAYS) - 2  # from the tenth answer on
    back = "Many misses on C7: go back over C6, which comes before it."
    assert back in result.next_list_before and back not in result.next_list_after
    assert result.attention_days == 0  # the detector does not read it


def test_a_smaller_pace_margin_says_a_playlist_is_behind_its_plan_in_the_same_list():
    """Two required items and nothing done three weeks into a twelve-week plan: 25 points behind. At the
    default margin (0.10) Next up says the playlist is behind its plan; at 0.30 it does not. The items and
    their order are the same (the ranking weighs how far behind, not the margin): the reason is what the
    student reads differently, and the what-if reports it."""
    ledger = _ledger(LEARNS, lambda n, k: n > 2 or k % 2 == 0)
    ledger = dataclasses.replace(
        ledger,
        snapshot=dataclasses.replace(
            ledger.snapshot,
            playlists=(
                dataclasses.replace(
                    ledger.snapshot.playlists[0],
                    assigned_on=START - dt.timedelta(days=14),
                    target_date=START + dt.timedelta(days=70),
                    due_label="Jan 11",
                ),
            ),
        ),
    )
    wider = dataclasses.replace(Thresholds(), pace_margin=0.30)
    result = _one(ledger, DEFAULTS, wider)
    assert result.changed and set(result.next_how) == {NEXT_REASON}
    assert result.next_before.startswith("Playlist 1 is behind its plan, due Jan 11")
    assert result.next_after.startswith("Next in Playlist 1, due Jan 11")
    assert result.attention_days == 0


def test_a_mastered_competency_practised_later_was_not_yet_reviewed_on_the_days_before():
    """C8, mastered long ago, is practised again on the window's last day. On the days before, its review was
    due (weekly reviews: at once; monthly ones: not for C8's first 30 days after mastery, long past); the
    snapshot as it is now (reviewed on the last day) must not hide that from the earlier days."""
    last = DAYS[-1]
    ledger = _ledger(
        LEARNS,
        lambda n, k: n > 2 or k % 2 == 0,
        competencies=[
            competency(7),
            competency(
                8,
                level=MasteryLevel.MASTERED,
                mastered_on=START - dt.timedelta(days=20),
                last_reviewed_on=last,
                p_mastered=0.97,
            ),
        ],
    )
    ledger = dataclasses.replace(
        ledger, answers=(*ledger.answers, Answer(dt.datetime.combine(last, dt.time(15)), 0, 1, 8, True))
    )
    early = snapshot_on(ledger, DAYS[0], {})
    assert early.competencies[8].last_reviewed_on == START - dt.timedelta(days=20)
    assert snapshot_on(ledger, last, {}).competencies[8].last_reviewed_on == last
    weekly = dataclasses.replace(Thresholds(), review_after_days=7)
    monthly = dataclasses.replace(Thresholds(), review_after_days=30)
    result = _one(ledger, weekly, monthly)
    assert result.on == DAYS[0] and result.next_list_before[0].startswith("Time to review C8")
    assert not any(r.startswith("Time to review C8") for r in result.next_list_after)


# --- the rule flags: compared day by day, as production raises them (``evaluate_flags``) ---


def _idle(ledger: StudentLedger, *day_numbers: int) -> StudentLedger:
    """The ledger without its answers on those school days (``DAYS[n]``): the student did nothing then."""
    idle = {DAYS[n] for n in day_numbers}
    return dataclasses.replace(ledger, answers=tuple(a for a in ledger.answers if a.at.date() not in idle))


def test_a_lower_inactivity_threshold_raises_the_flag_on_the_idle_days_and_says_so_in_words():
    """Working every school day but two (Tuesday and Wednesday of the second week): idle 1 and 2 school
    days, never the default 3. Counting one school day without work as inactive raises the flag on both
    days; the first is reported, with the flags before → after; nothing else changes."""
    ledger = _idle(_ledger(LEARNS, lambda n, k: n > 2 or k % 2 == 0), 6, 7)
    result = _one(ledger, DEFAULTS, dataclasses.replace(Thresholds(), inactive_school_days=1))
    assert result.changed and (result.attention_days, result.next_up_days) == (0, 0)
    assert result.flag_days == 2 and result.flags_on == result.on == DAYS[6]
    assert "Inactive: No activity for 1 school day" in result.flags_after
    assert not any(words.startswith("Inactive") for words in result.flags_before)
    assert [w for w in result.flags_after if w not in result.flags_before] == [
        "Inactive: No activity for 1 school day"
    ]
    two = _one(ledger, DEFAULTS, dataclasses.replace(Thresholds(), inactive_school_days=2))
    assert two.flag_days == 1 and two.flags_on == DAYS[7]  # the second idle day only
    assert "Inactive: No activity for 2 school days" in two.flags_after


def test_the_failed_checks_threshold_moves_the_flag_to_the_failure_that_reaches_it_until_a_pass():
    """Checks on C7 failed on DAYS[3] and DAYS[5], passed on DAYS[9]. At the default (two in a row) the flag
    stands from DAYS[5] to DAYS[8]; at one, from DAYS[3] (two more days); at three, never (four fewer)."""
    ledger = dataclasses.replace(
        _ledger(LEARNS, lambda n, k: n > 2 or k % 2 == 0),
        checks=(
            CheckResult(7, DAYS[3], passed=False),
            CheckResult(7, DAYS[5], passed=False),
            CheckResult(7, DAYS[9], passed=True),
        ),
    )
    lower = _one(ledger, DEFAULTS, dataclasses.replace(Thresholds(), failed_checks=1))
    assert lower.flag_days == 2 and lower.flags_on == DAYS[3]
    assert lower.flags_after == (
        *lower.flags_before,
        "Repeated failed checks: 1 failed mastery check in a row on C7",
    )
    assert (lower.attention_days, lower.next_up_days) == (0, 0)
    higher = _one(ledger, DEFAULTS, dataclasses.replace(Thresholds(), failed_checks=3))
    assert higher.flag_days == 4 and higher.flags_on == DAYS[5]
    assert higher.flags_before == (
        "Repeated failed checks: 2 failed mastery checks in a row on C7",
        *higher.flags_after,
    )
    assert higher.rule_flagged_days_before >= higher.rule_flagged_days_after


def test_a_setting_no_student_reaches_changes_no_rule_flag():
    """Nobody failed a check: one failed check in a row or three, no flag either way."""
    results = _replay(dataclasses.replace(Thresholds(), failed_checks=1))
    assert not any(r.flag_days for r in results.values())
    assert all(r.flags_before == r.flags_after == () for r in results.values())


def test_the_check_in_of_a_past_day_is_the_last_one_held_by_then():
    mentoring = Mentoring(mentor_id=5, began_on=START - dt.timedelta(days=30))
    ledger = dataclasses.replace(
        _ledger(LEARNS, lambda n, k: True),
        check_ins=(
            CheckInHeld(START - dt.timedelta(days=3), None, 5),
            CheckInHeld(DAYS[9], DAYS[9] + dt.timedelta(days=10), 5),
        ),
        mentorings=(mentoring,),
    )
    early = check_in_on(ledger, DAYS[8])
    assert (early.last_on, early.follow_up_on) == (START - dt.timedelta(days=3), None)
    assert early.has_mentor and early.mentored_since == START - dt.timedelta(days=30)
    late = snapshot_on(ledger, DAYS[9], {}).check_in
    assert (late.last_on, late.follow_up_on) == (DAYS[9], DAYS[9] + dt.timedelta(days=10))
    assert check_in_on(ledger, START - dt.timedelta(days=31)).has_mentor is False  # not mentored yet


def test_a_mentoring_runs_from_the_first_check_in_with_that_mentor_to_its_end():
    """The assignment was recorded after the mentor's first check-in with the student (as a roster import
    does): the check-in shows the mentoring under way. The day an assignment ends, the student has none."""
    ledger = dataclasses.replace(
        _ledger(LEARNS, lambda n, k: True),
        check_ins=(CheckInHeld(DAYS[1], None, 5),),
        mentorings=(Mentoring(mentor_id=5, began_on=DAYS[4], ended_on=DAYS[8]),),
    )
    assert not check_in_on(ledger, DAYS[0]).has_mentor
    assert check_in_on(ledger, DAYS[1]).mentored_since == DAYS[1]
    assert check_in_on(ledger, DAYS[7]).has_mentor
    assert not check_in_on(ledger, DAYS[8]).has_mentor


def test_a_shorter_check_in_cadence_flags_the_days_before_the_next_check_in_was_held():
    """Check-ins three days before the window and on its tenth school day (Nov 13). Every 14 days, the
    first is due Nov 13, held that day: never missed. Every 7 days it is due Nov 6, missed after three days
    of grace: Nov 10, 11 and 12, until the next one. The check-in as it is now (Nov 13) would hide it."""
    ledger = dataclasses.replace(
        _ledger(LEARNS, lambda n, k: True),
        check_ins=(CheckInHeld(START - dt.timedelta(days=3), None, 5), CheckInHeld(DAYS[9], None, 5)),
        mentorings=(Mentoring(mentor_id=5, began_on=START - dt.timedelta(days=60)),),
    )
    weekly = dataclasses.replace(Thresholds(), check_in_days=7)
    result = _one(ledger, DEFAULTS, weekly)
    assert result.flag_days == 3 and result.flags_on == DAYS[6] == dt.date(2026, 11, 10)
    assert [w for w in result.flags_after if w not in result.flags_before] == [
        "Missed check-in: Last mentor check-in 11 days ago"
    ]
    assert (result.attention_days, result.next_up_days) == (0, 0)
