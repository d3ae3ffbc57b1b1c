"""The "needs attention" detector on hand-built histories: who it flags, why, and when the entry clears."""

import datetime as dt

from engine.attention.evidence import answer_evidence
from engine.policy.attention import (
    AnswerEvidence,
    AttentionInput,
    AttentionSettings,
    FailedCheck,
    SchoolDay,
    needs_attention,
    one_competency_score,
)
from mastery.bkt import BKTParams

PARAMS = BKTParams(p_init=0.18, p_learn=0.25, p_guess=0.2, p_slip=0.08)
USUAL = 15
MONDAY = dt.date(2026, 9, 7)
R, W = True, False
KNEW_IT = [R, R, R, R, R, R]  # known before: proved, then the check
LEARNS_QUICKLY = [W, W, R, R, R, R]  # an ordinary competency: learnt within a few answers
LEARNS_HARD_ONE = [W, W, W, R, W, W, W, W, R, W, W, R, R, R, R]  # a hard one: slower, but learnt
LEARNS_SLOWLY = [W, W, R, W, W, W, W, R, W, W, W, W, W, R, W, W, R, R, R, R]  # a slow learner, every time
STUCK = [W, W, R, W, W, W, W, R, W, W, W, W, W, W, R, W, W, W, W, W, W, R, W, W, W, W, W, W, W, W]


def reviews(competency_id: int, outcomes: list[bool]) -> list[AnswerEvidence]:
    """Review answers on a competency mastered before (work done, and what it says of the prerequisite)."""
    return [AnswerEvidence(competency_id, correct, 0.9, 0.9, 0.9, review=True) for correct in outcomes]


def stuck_on(competency_id: int) -> list[AnswerEvidence]:
    """Three school days on one competency without progress, a failed check (1 of 5 right) among them."""
    outcomes = [*STUCK, W, R, W, W, W, W, W, R, W, W]
    checks = [False] * len(STUCK) + [True] * 5 + [False] * 5
    return answer_evidence(competency_id, outcomes, PARAMS, checks=checks)


def on(day: int) -> dt.date:
    weeks, rest = divmod(day, 5)
    return MONDAY + dt.timedelta(days=weeks * 7 + rest)


def school_days(plan: list[list[AnswerEvidence]]) -> tuple[SchoolDay, ...]:
    return tuple(SchoolDay(on(n), tuple(answers)) for n, answers in enumerate(plan))


def competencies_in_turn(patterns: list[list[bool]], *, first_id: int = 1) -> list[AnswerEvidence]:
    """Competency after competency, each practised with its pattern of answers (a check ends each)."""
    answers = []
    for n, pattern in enumerate(patterns):
        answers += answer_evidence(first_id + n, pattern, PARAMS)
    return answers


def per_day(answers: list[AnswerEvidence], per: int = USUAL) -> list[list[AnswerEvidence]]:
    return [answers[n : n + per] for n in range(0, len(answers), per)]


def history(plan, **kwargs) -> AttentionInput:
    return AttentionInput(
        student_id=1,
        days=school_days(plan),
        usual_answers_per_day=USUAL,
        codes={n: f"MA.{n}" for n in range(1, 40)},
        **kwargs,
    )


def each_day(plan, **kwargs):
    """The detector read at the end of every school day, as the engine would, carrying yesterday's entry."""
    findings, flagged = [], False
    for n in range(1, len(plan) + 1):
        finding = needs_attention(history(plan[:n], previously_flagged=flagged, **kwargs))
        flagged = finding.needs_attention
        findings.append(finding)
    return findings


def test_an_ordinary_student_with_one_hard_competency_is_never_flagged():
    answers = competencies_in_turn([LEARNS_QUICKLY] * 6 + [LEARNS_HARD_ONE] + [LEARNS_QUICKLY] * 6)
    plan = per_day(answers)
    plan.insert(3, [])  # and one ordinary absence
    findings = each_day(plan, mastered=frozenset(range(1, 14)))
    assert not any(f.needs_attention for f in findings), [f.score for f in findings]


def test_a_slow_student_is_flagged_within_a_few_school_days_as_slow():
    plan = per_day(competencies_in_turn([LEARNS_SLOWLY] * 8))
    findings = each_day(plan)
    assert findings[-1].needs_attention
    assert findings[-1].kind == "slow"
    assert "more slowly than the class" in " ".join(findings[-1].evidence)
    assert next(n for n, f in enumerate(findings) if f.needs_attention) <= 4


def test_a_slow_student_is_flagged_as_slow_as_soon_as_a_second_competency_shows_it():
    """The slow prior (0.10), the caps (1.0 for the slowest competency, 2.0 for the others) and the entry
    score (0.26), tuned on the simulated class: one competency learnt slowly does not make a slow student (a
    hard one) — on the first day the entry names it as the competency that is not moving, as "blocked" —
    and the second one does, on the second school day (20 answers a competency, 15 a day)."""
    findings = each_day(per_day(competencies_in_turn([LEARNS_SLOWLY] * 8)))
    assert not (findings[0].needs_attention and findings[0].kind == "slow")
    assert findings[0].subject_competency_id == 1 or not findings[0].needs_attention
    assert findings[1].needs_attention and findings[1].kind == "slow"
    assert "answers on MA.1" in " ".join(findings[1].evidence)


def test_one_competency_not_moving_on_the_first_day_opens_an_entry_as_blocked_not_as_slow():
    """Sixteen answers on one competency, three right, and nothing else known: it may be hard or not learnt at
    all; the entry's score is the posterior that the student struggles either way (slow, prior 0.10, or
    stuck on it), so it opens naming that competency, and says nothing of slowness elsewhere."""
    finding = needs_attention(history([answer_evidence(9, STUCK[:16], PARAMS)]))
    assert finding.p_slow < AttentionSettings().enter_score
    assert finding.p_blocked < AttentionSettings().enter_score
    assert finding.needs_attention and finding.kind == "blocked" and finding.subject_competency_id == 9
    assert any("answers on MA.9" in line for line in finding.evidence)
    assert not any("more slowly than the class" in line for line in finding.evidence)


def test_an_absence_on_the_first_school_day_alone_does_not_open_an_entry():
    """Students start a term engaged (the disengagement prior 0.02): one absence on the first day is not a
    disengaged student; two absences then are."""
    work = per_day(competencies_in_turn([LEARNS_QUICKLY] * 6))
    assert not needs_attention(history([[], work[0]])).needs_attention
    assert not needs_attention(history([[]])).needs_attention
    assert needs_attention(history([[], []])).kind == "disengaged"


def test_one_competencys_evidence_alone_can_neither_open_nor_keep_an_entry():
    """Whatever one competency shows, an ordinary student who has proved everything else (nothing else to
    learn from) is not "slow" by it: the defaults stay above what it can score."""
    settings = AttentionSettings()
    assert one_competency_score() < min(settings.enter_score, settings.exit_score)
    answers = competencies_in_turn([KNEW_IT] * 12) + answer_evidence(13, LEARNS_SLOWLY * 3, PARAMS)
    findings = each_day(per_day(answers), mastered=frozenset(range(1, 13)))
    assert not any(f.needs_attention and f.kind == "slow" for f in findings), [f.p_slow for f in findings]


def test_a_slow_student_who_knew_half_the_framework_is_flagged_once_they_learn_something_new():
    """Competencies answered right every time say nothing of how fast a student learns: a slow learner who
    first proves twelve they already knew is flagged on the second school day of new ones (the detector
    before, which counted the twelve, needed four)."""
    known = competencies_in_turn([KNEW_IT] * 12)
    plan = per_day(known + competencies_in_turn([LEARNS_SLOWLY] * 4, first_id=13))
    first_new = len(known) // USUAL  # the school day the first new competency begins
    findings = each_day(plan, mastered=frozenset(range(1, 13)))
    assert not any(f.needs_attention for f in findings[:first_new])
    flagged_on = next(n for n, f in enumerate(findings) if f.needs_attention)
    assert flagged_on - first_new <= 2
    assert findings[flagged_on].kind == "slow"


def test_an_ordinary_student_who_knew_half_the_framework_and_finds_one_competency_hard_is_never_flagged():
    """Their proved competencies no longer count for them either, so what is left must still clear them."""
    patterns = [KNEW_IT] * 12 + [LEARNS_QUICKLY] * 3 + [LEARNS_HARD_ONE] + [LEARNS_QUICKLY] * 4
    findings = each_day(per_day(competencies_in_turn(patterns)), mastered=frozenset(range(1, 21)))
    assert not any(f.needs_attention for f in findings), [f.score for f in findings]


def test_a_student_who_disengages_is_flagged_within_two_school_days_of_a_run_of_absences():
    engaged = per_day(competencies_in_turn([LEARNS_QUICKLY] * 20))[:8]
    late = per_day(competencies_in_turn([LEARNS_QUICKLY] * 2, first_id=30), per=3)
    plan = [*engaged, [], late[0], [], [], late[1]]
    findings = each_day(plan)
    assert not any(f.needs_attention for f in findings[:8])
    flagged_on = next(n for n, f in enumerate(findings) if f.needs_attention)
    assert flagged_on - 8 <= 2
    assert findings[-1].kind == "disengaged"
    assert "Worked on 2 of the last 5 school days" in findings[-1].evidence[0]


def test_a_student_blocked_by_one_competency_is_flagged_with_it_as_the_subject_and_the_failed_check():
    before = competencies_in_turn([LEARNS_QUICKLY] * 5)
    plan = per_day(before + stuck_on(9))
    finding = needs_attention(
        history(plan, mastered=frozenset(range(1, 6)), failed_checks=(FailedCheck(9, on(3)),))
    )
    assert finding.needs_attention
    assert finding.kind == "blocked"
    assert finding.subject_competency_id == 9
    assert "MA.9" in finding.suggested_action
    assert any("Failed the MA.9 mastery check" in line for line in finding.evidence)


def test_the_entry_clears_when_the_blocking_competency_is_mastered_and_work_goes_on():
    before = competencies_in_turn([LEARNS_QUICKLY] * 5)
    plan = per_day(before + stuck_on(9))
    assert needs_attention(history(plan, mastered=frozenset(range(1, 6)))).needs_attention
    after = per_day(competencies_in_turn([LEARNS_QUICKLY] * 10, first_id=10))
    finding = needs_attention(
        history(plan + after, mastered=frozenset([*range(1, 6), 9, *range(10, 20)]), previously_flagged=True)
    )
    assert not finding.needs_attention


def test_the_entry_clears_when_a_disengaged_student_comes_back():
    engaged = per_day(competencies_in_turn([LEARNS_QUICKLY] * 30))
    plan = [*engaged[:6], [], [], engaged[6][:3], [], *engaged[7:17]]
    findings = each_day(plan)
    assert any(f.needs_attention for f in findings[6:10])
    assert not findings[-1].needs_attention


def test_every_open_entry_says_why_and_what_to_do():
    engaged = per_day(competencies_in_turn([LEARNS_QUICKLY] * 30))
    slow = per_day(competencies_in_turn([LEARNS_SLOWLY] * 6, first_id=20))
    plan = [*engaged[:6], [], [], engaged[6][:3], [], *engaged[7:12], *slow]
    findings = [f for f in each_day(plan) if f.needs_attention]
    assert findings
    assert all(f.evidence and f.suggested_action for f in findings)


def test_a_student_who_cannot_learn_a_competency_for_a_forgotten_prerequisite_is_flagged_on_the_first_day():
    """Twelve answers on MA.9, two right: on the first day that is a hard competency as much as a blocked
    one. Two wrong reviews of its prerequisite MA.3 tell them apart (engine.policy.attention's
    PREREQUISITE_LLR): the same answers with right reviews, or without the prerequisite known, are not
    flagged."""
    before = per_day(competencies_in_turn([LEARNS_QUICKLY] * 5))
    first_day = answer_evidence(9, STUCK[:12], PARAMS)
    known = {"mastered": frozenset(range(1, 6)), "prerequisites": {9: (3,)}}
    finding = needs_attention(history([*before, reviews(3, [W, W]) + first_day], **known))
    assert finding.needs_attention and finding.kind == "blocked" and finding.subject_competency_id == 9
    assert any("what comes before it (MA.3)" in line for line in finding.evidence)
    for day in (reviews(3, [R, R]) + first_day, first_day):
        assert not needs_attention(history([*before, day], **known)).needs_attention
    unrelated = {"mastered": known["mastered"], "prerequisites": {9: (4,)}}
    assert not needs_attention(
        history([*before, reviews(3, [W, W]) + first_day], **unrelated)
    ).needs_attention


def test_an_ordinary_student_with_one_hard_competency_and_a_slip_on_its_prerequisite_is_not_flagged():
    """One wrong review of a prerequisite, then a right one, is a slip: a hard competency learnt over two
    days stays an ordinary student's."""
    before = per_day(competencies_in_turn([LEARNS_QUICKLY] * 5))
    hard = answer_evidence(9, LEARNS_HARD_ONE, PARAMS)
    plan = [*before, reviews(3, [W, R]) + hard[:10], hard[10:]]
    findings = each_day(plan, mastered=frozenset(range(1, 6)), prerequisites={9: (3,)})
    assert not any(f.needs_attention for f in findings), [f.score for f in findings]
