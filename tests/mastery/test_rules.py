"""The pure mastery rules: thresholds, readiness, cooldown and respawn, status and replay."""

import datetime as dt

import pytest

from mastery import rules
from mastery.bkt import DEFAULT_PARAMS

NOW = dt.datetime(2026, 11, 23, 12, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("correct", "total", "threshold", "passed"),
    [
        (8, 10, 0.8, True),
        (7, 10, 0.8, False),
        (4, 5, 0.8, True),
        (3, 5, 0.8, False),
        (3, 3, 0.8, True),
        (2, 3, 0.8, False),
        (7, 10, 0.7, True),
        (0, 0, 0.8, False),
        (1, 1, 1.0, True),
    ],
)
def test_a_check_passes_when_the_share_correct_reaches_the_threshold(correct, total, threshold, passed):
    assert rules.passes(correct, total, threshold) is passed


def test_the_estimate_rule_opens_at_the_threshold():
    policy = rules.PolicyValues(readiness_threshold=0.7)
    assert not rules.readiness(policy, rules.StateValues(p_mastered=0.69)).ready
    assert rules.readiness(policy, rules.StateValues(p_mastered=0.7)).ready


def test_a_teacher_unlock_waives_readiness_and_retake_rules():
    policy = rules.PolicyValues(readiness_rule=rules.TEACHER_UNLOCK)
    state = rules.StateValues(check_unlocked=True, last_failed_check_at=NOW, practice_since_failed_check=0)
    assert rules.eligibility(policy, state, NOW).allowed


def test_the_verdict_says_when_a_teacher_unlocked_the_check():
    """The engine's Next up reads it: a teacher who unlocks a check means "take it now"."""
    by_estimate = rules.PolicyValues(readiness_threshold=0.5)
    assert rules.eligibility(by_estimate, rules.StateValues(check_unlocked=True), NOW).unlocked
    ready = rules.eligibility(by_estimate, rules.StateValues(p_mastered=0.9), NOW)
    assert ready.allowed and not ready.unlocked


def test_respawn_states_the_practice_needed_and_when_the_retry_opens():
    policy = rules.PolicyValues(readiness_threshold=0.0, cooldown_minutes=60, practice_before_retake=5)
    state = rules.StateValues(status="practicing", last_failed_check_at=NOW, practice_since_failed_check=3)
    verdict = rules.eligibility(policy, state, NOW + dt.timedelta(minutes=10))
    assert not verdict.allowed
    assert verdict.practice_needed == 2
    assert verdict.retry_opens_at == NOW + dt.timedelta(minutes=60)
    # The rule is pure: the cooldown is a datetime for the pages to word in school time, not UTC text.
    assert verdict.reasons == ["Answer 2 more practice questions first."]
    apart_from_the_clock = rules.eligibility(
        policy,
        rules.StateValues(status="practicing", last_failed_check_at=NOW, practice_since_failed_check=5),
        NOW,
        ignore_cooldown=True,
    )
    assert apart_from_the_clock.allowed and apart_from_the_clock.retry_opens_at is None
    later = rules.StateValues(status="practicing", last_failed_check_at=NOW, practice_since_failed_check=5)
    assert rules.eligibility(policy, later, NOW + dt.timedelta(minutes=60)).allowed


def test_items_done_without_a_plugged_rule_is_not_available_and_closed():
    verdict = rules.readiness(rules.PolicyValues(readiness_rule=rules.ITEMS_DONE), rules.StateValues())
    assert (verdict.ready, verdict.available) == (False, False)


def test_a_mastered_competency_is_not_checked_again():
    assert not rules.eligibility(rules.PolicyValues(), rules.StateValues(status="mastered"), NOW).allowed


def test_status_for():
    assert rules.status_for(mastered=True, has_evidence=True, eligible=True) == "mastered"
    assert rules.status_for(mastered=False, has_evidence=True, eligible=True) == "ready"
    assert rules.status_for(mastered=False, has_evidence=True, eligible=False) == "practicing"
    assert rules.status_for(mastered=False, has_evidence=False, eligible=False) == "not_started"


def test_replay_masters_on_a_pass_and_withdraws_it_on_invalidation():
    events = [
        rules.Event("answer", 1.0),
        rules.Event("check", 1.0, {"check_id": 7, "passed": True}),
    ]
    mastered, p, has_evidence = rules.replay(events, DEFAULT_PARAMS)
    assert (mastered, has_evidence) == (True, True)
    assert p == pytest.approx(0.6)
    assert (
        rules.replay([*events, rules.Event("invalidation", None, {"check_id": 7})], DEFAULT_PARAMS)[0]
        is False
    )
    overridden = [*events, rules.Event("override", None, {"mastered": False})]
    assert rules.replay(overridden, DEFAULT_PARAMS)[0] is False


def test_replay_counts_only_the_latest_of_a_revised_rubric_score():
    def score(level, key="rubric-score:1"):
        return rules.Event("rubric_score", level / 4, {"correct_at": 0.8, "score_key": key})

    revised = rules.replay([score(4), score(1)], DEFAULT_PARAMS)[1]
    assert revised == pytest.approx(rules.replay([score(1)], DEFAULT_PARAMS)[1])
    two_scores = rules.replay([score(4), score(1, key="rubric-score:2")], DEFAULT_PARAMS)[1]
    assert two_scores != pytest.approx(revised)  # different scores both count
    unkeyed = rules.Event("rubric_score", 1.0, {"correct_at": 0.8})  # rows from before score keys
    assert rules.replay([unkeyed, unkeyed], DEFAULT_PARAMS)[1] > rules.replay([unkeyed], DEFAULT_PARAMS)[1]


def test_an_external_tools_score_counts_as_a_graded_score_and_its_latest_supersedes():
    def score(share, key="lti-item:1"):
        return rules.Event("tool_score", share, {"correct_at": 0.8, "score_key": key})

    rubric = rules.Event("rubric_score", 0.9, {"correct_at": 0.8, "score_key": "rubric-score:9"})
    assert (
        rules.replay([score(0.9, key="x")], DEFAULT_PARAMS)[1:] == rules.replay([rubric], DEFAULT_PARAMS)[1:]
    )
    revised = rules.replay([score(0.9), score(0.3)], DEFAULT_PARAMS)[1]
    assert revised == pytest.approx(rules.replay([score(0.3)], DEFAULT_PARAMS)[1])
    assert rules.replay([score(1.0)], DEFAULT_PARAMS)[0] is False  # never mastery by itself


# --- the real size of a check -----------------------------------------------------------------------------


def test_a_check_never_has_more_questions_than_the_bank_and_the_pass_mark_follows_the_real_number():
    plan = rules.check_plan(check_size=5, pass_threshold=0.8, active_questions=4)
    assert (plan.questions, plan.to_pass, plan.shortfall, plan.short, plan.can_run) == (4, 4, 1, True, True)
    assert rules.passes(plan.to_pass, plan.questions, 0.8)
    assert not rules.passes(plan.to_pass - 1, plan.questions, 0.8)  # 3 of 4 fails: the page says 4 of 4


def test_questions_practised_recently_are_not_supplied_to_a_check():
    practised = [NOW - dt.timedelta(days=1), NOW - dt.timedelta(days=3)]
    plan = rules.check_plan(
        check_size=5, pass_threshold=0.8, active_questions=9, practised_at=practised, exclusion_days=7
    )
    assert (plan.available, plan.questions, plan.to_pass, plan.short) == (7, 5, 4, False)
    plan = rules.check_plan(
        check_size=5, pass_threshold=0.8, active_questions=6, practised_at=practised, exclusion_days=7
    )
    assert (plan.available, plan.questions, plan.to_pass, plan.shortfall) == (4, 4, 4, 0)


def test_below_the_minimum_the_check_does_not_open_and_says_when_it_will():
    practised = [NOW - dt.timedelta(days=1), NOW - dt.timedelta(days=5), NOW - dt.timedelta(days=2)]
    plan = rules.check_plan(
        check_size=5, pass_threshold=0.8, active_questions=4, practised_at=practised, exclusion_days=7
    )
    assert (plan.available, plan.minimum, plan.can_run) == (1, rules.MIN_CHECK_QUESTIONS, False)
    assert "only 1 question you have not practised in the last 7 days" in plan.reason
    assert "needs at least 3" in plan.reason
    # Two more questions must age out: the oldest two, five and two days ago.
    assert plan.fresh_again_at == NOW - dt.timedelta(days=2) + dt.timedelta(days=7)


@pytest.mark.parametrize(
    ("active", "reason"),
    [(0, "no questions yet"), (2, "the question bank has only 2 questions and a check needs at least 3")],
)
def test_a_bank_too_small_for_a_minimal_check_says_so(active, reason):
    plan = rules.check_plan(check_size=5, pass_threshold=0.8, active_questions=active, exclusion_days=7)
    assert not plan.can_run
    assert reason in plan.reason
    assert plan.fresh_again_at is None


def test_a_policy_asking_for_fewer_than_the_minimum_gets_what_it_asks():
    plan = rules.check_plan(check_size=2, pass_threshold=0.8, active_questions=2)
    assert (plan.minimum, plan.questions, plan.to_pass, plan.can_run) == (2, 2, 2, True)


@pytest.mark.parametrize(
    ("right", "wrong", "questions", "decided"),
    [
        (4, 0, 5, True),  # 4 right of 5 at 0.8: passed, the fifth is not asked
        (0, 2, 5, False),  # 2 wrong of 5: 4 right is out of reach
        (3, 1, 5, None),
        (3, 0, 5, None),
        (2, 0, 3, None),
        (3, 0, 3, True),
        (0, 1, 3, False),  # a 3-question check at 0.8 needs all three
        (8, 2, 10, True),
        (7, 2, 10, None),
        (5, 3, 10, False),
    ],
)
def test_a_check_is_decided_as_soon_as_the_pass_mark_is_reached_or_out_of_reach(
    right, wrong, questions, decided
):
    assert rules.check_decision(right, wrong, questions, 0.8) is decided


@pytest.mark.parametrize("questions", [1, 2, 3, 5, 8, 10])
@pytest.mark.parametrize("threshold", [0.5, 0.6, 0.8, 1.0])
def test_stopping_when_decided_never_changes_the_result_of_grading_every_question(questions, threshold):
    """Every sequence of answers: the result where the check stops is the result of grading them all."""
    for pattern in range(2**questions):
        answers = [bool(pattern >> n & 1) for n in range(questions)]
        right = wrong = 0
        stopped = None
        for correct in answers:
            right, wrong = right + correct, wrong + (not correct)
            stopped = rules.check_decision(right, wrong, questions, threshold)
            if stopped is not None:
                break
        assert stopped is rules.passes(sum(answers), questions, threshold)


def test_the_end_line_says_why_the_check_ended():
    assert rules.check_end_line(4, 0, 5, 0.8, "MA.1") == (
        "4 of 4 right: passed. The check stopped there: the pass mark was reached."
    )
    assert rules.check_end_line(1, 2, 5, 0.8, "MA.1") == (
        "2 wrong: not yet, practise MA.1. The check stopped there: 4 of 5 right could no longer be reached."
    )
    assert rules.check_end_line(4, 1, 5, 0.8, "MA.1") == "4 of 5 right: passed."
    assert rules.check_end_line(3, 2, 5, 0.8, "MA.1") == "2 wrong: not yet, practise MA.1."


# --- right practice answers just before a check count as its first questions -------------------------------


def _marks(pattern: str, *, start: dt.datetime = NOW - dt.timedelta(hours=1)) -> list[rules.PracticeMark]:
    """ "RRW": right, right, wrong, one minute apart, ids 1, 2, 3."""
    return [
        rules.PracticeMark(n, mark == "R", start + dt.timedelta(minutes=n))
        for n, mark in enumerate(pattern, 1)
    ]


def test_a_wrong_last_practice_answer_carries_nothing():
    assert rules.carried_practice(_marks("RRRW"), to_pass=4, now=NOW) == ()


def test_three_right_in_a_row_carry_two_the_latest():
    assert rules.carried_practice(_marks("WRRR"), to_pass=4, now=NOW) == (3, 4)


def test_only_the_run_at_the_end_carries():
    assert rules.carried_practice(_marks("RRWR"), to_pass=4, now=NOW) == (4,)
    assert rules.carried_practice([], to_pass=4, now=NOW) == ()


def test_answers_before_the_previous_check_do_not_carry():
    marks = _marks("RRR")
    previous_check_ended = marks[1].at  # after the second answer
    assert rules.carried_practice(marks, to_pass=4, now=NOW, since=previous_check_ended) == (3,)
    assert rules.carried_practice(marks, to_pass=4, now=NOW, since=marks[2].at) == ()


def test_an_answer_is_never_carried_into_two_checks():
    marks = _marks("RR")
    first = rules.carried_practice(marks, to_pass=4, now=NOW)
    assert first == (1, 2)
    # The next check (that one failed, say, and a teacher unlocked a retake at once): nothing new to carry.
    assert rules.carried_practice(marks, to_pass=4, now=NOW, already_carried=first) == ()
    assert (
        rules.carried_practice(marks, to_pass=4, now=NOW, since=marks[-1].at) == ()
    )  # the first check ended


def test_a_check_is_never_passed_on_practice_alone():
    """At most ``to_pass`` − 1 carry: at least one question is always asked, and must be right."""
    assert rules.carried_practice(_marks("RRRR"), to_pass=2, now=NOW) == (4,)  # a 2-question check
    assert rules.carried_practice(_marks("RRRR"), to_pass=1, now=NOW) == ()  # a 1-question check
    assert rules.carried_practice(_marks("RRRR"), to_pass=3, now=NOW) == (3, 4)
    for to_pass in range(1, 6):
        for pattern in ("R" * n for n in range(6)):
            carried = rules.carried_practice(_marks(pattern), to_pass=to_pass, now=NOW)
            assert len(carried) <= min(rules.CARRIED_PRACTICE_MAX, to_pass - 1)
            assert rules.check_decision(len(carried), 0, to_pass, 1.0) is None  # not decided by them


def test_practice_older_than_three_days_does_not_carry():
    friday = NOW - dt.timedelta(days=3)  # a Friday lesson, the check on Monday: within the window
    assert rules.carried_practice(_marks("RR", start=friday), to_pass=4, now=NOW) == (1, 2)
    a_week_ago = NOW - dt.timedelta(days=7)
    assert rules.carried_practice(_marks("RR", start=a_week_ago), to_pass=4, now=NOW) == ()
    mixed = [*_marks("R", start=a_week_ago), rules.PracticeMark(9, True, NOW - dt.timedelta(minutes=5))]
    assert rules.carried_practice(mixed, to_pass=4, now=NOW) == (9,)


def test_the_carried_answers_fill_the_checks_first_places_and_the_check_stops_as_before():
    """A 5-question check at 0.8 carrying 2: 2 more right pass it; 2 wrong still fail it."""
    carried = len(rules.carried_practice(_marks("RR"), to_pass=4, now=NOW))
    assert rules.check_decision(carried + 1, 0, 5, 0.8) is None
    assert rules.check_decision(carried + 2, 0, 5, 0.8) is True
    assert rules.check_decision(carried + 1, 2, 5, 0.8) is False


def test_the_student_reads_what_carries_before_and_after_the_check():
    assert rules.carried_line(2, 5, 4, "MA.1") == (
        "Your last 2 practice answers on MA.1 were right: they count as the check's first 2 questions; "
        "3 to go, and 2 more right pass it."
    )
    assert rules.carried_line(1, 5, 4, "MA.1") == (
        "Your last practice answer on MA.1 was right: it counts as the check's first question; "
        "4 to go, and 3 more right pass it."
    )
    assert rules.carried_line(0, 5, 4, "MA.1") == ""
    assert rules.check_end_line(4, 0, 5, 0.8, "MA.1", carried=2) == (
        "4 of 4 right, the first 2 from your practice: passed. The check stopped there: the pass mark was "
        "reached."
    )
    assert rules.check_end_line(2, 2, 5, 0.8, "MA.1", carried=2) == (
        "2 wrong: not yet, practise MA.1. The check stopped there: 4 of 5 right could no longer be reached. "
        "Your last 2 right practice answers counted as its first 2 questions."
    )


# --- a check carrying practice answers keeps its size where the bank can give it -----------------------


def _short_bank(
    *, active: int, practised: int, check_size: int = 5, threshold: float = 0.8
) -> rules.CheckPlan:
    """A bank of ``active`` questions, ``practised`` of them answered in practice yesterday (left out)."""
    return rules.check_plan(
        check_size=check_size,
        pass_threshold=threshold,
        active_questions=active,
        practised_at=[NOW - dt.timedelta(days=1)] * practised,
        exclusion_days=7,
    )


def test_two_carried_answers_and_a_bank_of_three_fresh_make_a_check_of_five_at_four_right():
    """Without growing back, the bank's 3 fresh questions made a 3-question check at 3 right, and with the 2
    carried answers in its first places a single fresh right answer passed it."""
    plan = _short_bank(active=5, practised=2)
    assert (plan.available, plan.questions, plan.to_pass, plan.short, plan.carry_limit) == (3, 3, 3, True, 2)
    grown = plan.carrying(2)
    assert (grown.carried, grown.drawn, grown.questions, grown.to_pass, grown.short) == (2, 3, 5, 4, False)
    assert rules.check_decision(2 + 1, 0, grown.questions, 0.8) is None  # one fresh right is not a pass
    assert rules.check_decision(2 + 2, 0, grown.questions, 0.8) is True


@pytest.mark.parametrize(
    ("active", "practised", "carried", "drawn", "questions", "to_pass"),
    [
        (9, 2, 2, 3, 5, 4),  # a full bank: the policy's size, as before
        (9, 2, 1, 4, 5, 4),
        (6, 2, 2, 3, 5, 4),  # 4 fresh: room for 3 after the 2 carried
        (4, 1, 2, 3, 5, 4),  # 3 fresh: 2 + 3, full size again
        (4, 1, 1, 3, 4, 4),  # 3 fresh, 1 carried: 1 + 3 (the bank has no fourth)
        (3, 0, 2, 3, 5, 4),  # a bank of 3 questions never practised
    ],
)
def test_a_carrying_check_is_the_carried_answers_and_the_fresh_questions_up_to_its_size(
    active, practised, carried, drawn, questions, to_pass
):
    plan = _short_bank(active=active, practised=practised).carrying(carried)
    assert (plan.drawn, plan.questions, plan.to_pass) == (drawn, questions, to_pass)
    assert plan.questions == carried + min(plan.available, plan.asked - carried)


def test_carrying_nothing_is_the_bank_plan_itself():
    for active, practised in ((9, 0), (5, 2), (4, 1), (3, 0)):
        plan = _short_bank(active=active, practised=practised)
        assert plan.carrying(0) == plan


def test_a_check_that_cannot_open_carries_nothing_and_carried_answers_do_not_open_it():
    """Whether a check opens is the bank's alone: 2 fresh questions are below the minimum of 3, with or
    without practice answers to carry."""
    plan = _short_bank(active=4, practised=2)
    assert (plan.available, plan.can_run, plan.carry_limit) == (2, False, 0)
    marks = _marks("RR")
    assert rules.carry_into(plan, marks, now=NOW) == (plan, ())
    with pytest.raises(ValueError, match="at most 0 practice answers"):
        plan.carrying(1)


@pytest.mark.parametrize("threshold", [0.3, 0.5, 0.6, 0.8, 1.0])
@pytest.mark.parametrize("check_size", [1, 2, 3, 4, 5, 8])
@pytest.mark.parametrize("fresh", [1, 2, 3, 4, 6, 10])
def test_a_carrying_check_is_never_passed_on_practice_alone(threshold, check_size, fresh):
    plan = rules.check_plan(check_size=check_size, pass_threshold=threshold, active_questions=fresh)
    if not plan.can_run:
        assert plan.carry_limit == 0
        return
    for carried in range(plan.carry_limit + 1):
        grown = plan.carrying(carried)
        assert grown.drawn >= 1 and grown.drawn == min(fresh, check_size - carried)
        assert carried < grown.to_pass  # at least one fresh question must be right
        assert rules.check_decision(carried, 0, grown.questions, threshold) is None
        assert grown.questions <= check_size
    assert plan.carry_limit <= rules.CARRIED_PRACTICE_MAX


def test_carry_into_takes_the_latest_right_run_the_plan_allows():
    plan = _short_bank(active=5, practised=2)
    grown, carried = rules.carry_into(plan, _marks("WRRR"), now=NOW)
    assert carried == (3, 4) and (grown.carried, grown.questions, grown.to_pass) == (2, 5, 4)
    grown, carried = rules.carry_into(plan, _marks("RRW"), now=NOW)
    assert carried == () and grown == plan
    small = rules.check_plan(check_size=2, pass_threshold=0.8, active_questions=5)  # a 2-question check
    grown, carried = rules.carry_into(small, _marks("RRR"), now=NOW)
    assert carried == (3,) and (grown.carried, grown.drawn, grown.to_pass) == (1, 1, 2)
