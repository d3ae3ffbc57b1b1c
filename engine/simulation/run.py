"""One term of a simulated student under a way of teaching, and the day records the flag measures read."""

from dataclasses import dataclass, field

from engine.policy import (
    Thresholds,
    evaluate_flags,
)
from engine.policy.attention import (
    AttentionInput,
    AttentionSettings,
    needs_attention,
)
from engine.simulation.learner import (
    Learner,
)
from engine.simulation.teaching import (
    Teaching,
)
from engine.simulation.world import (
    CHECK_POLICY,
    OLD_STRUGGLE_KINDS,
    TERM_DAYS,
    Kind,
    Profile,
    SimCompetency,
)


@dataclass
class DayRecord:
    """One student-day under our policy, for the flag measures."""

    student_id: int
    kind: Kind
    day: int
    truth: bool
    old_kinds: frozenset[str]
    score: float
    attention_kind: str
    cause: str | None = None  # which clause of the ground truth holds (Learner.struggle_cause)
    answers: int = 0  # answers the student gave that school day (0: absent, or nothing left to do)
    # what the detector read that day: the tuning rescores it under other parameters of the detector
    attention_input: AttentionInput | None = field(default=None, repr=False, compare=False)


def run_term(
    profile: Profile,
    framework: list[SimCompetency],
    teaching: Teaching,
    *,
    record: list[DayRecord] | None = None,
    settings: AttentionSettings | None = None,
    thresholds: Thresholds | None = None,
) -> Learner:
    """One term of school days; with ``record``, the flags and the detector are read after each day."""
    carry = getattr(teaching, "carry_practice", False)
    learner = Learner(
        profile,
        framework,
        getattr(teaching, "check_policy", CHECK_POLICY),
        reads_carry_short=carry and getattr(teaching, "practice_before_short_checks", False),
    )
    flag_thresholds = thresholds or Thresholds(max_recommendations=1)
    settings = settings or AttentionSettings()
    flagged = False
    stop_early = getattr(teaching, "stop_checks_when_decided", False)
    for day in range(TERM_DAYS):
        had_work = not learner.done()
        if profile.present[day]:
            slots = profile.slots[day]
            worked = False
            while slots > 0:
                action = teaching(learner, day, slots)
                if action is None:
                    break
                what, competency_id = action
                if what == "check":
                    slots -= learner.take_check(
                        competency_id, day, stop_when_decided=stop_early, carry_practice=carry
                    )
                else:
                    learner.practise(competency_id, day)
                    slots -= 1
                worked = True
            if worked:
                learner.last_active_day = day
        learner.end_day(day, had_work=had_work)
        if record is not None and had_work:
            old = {f.kind for f in evaluate_flags(learner.snapshot(day), flag_thresholds)}
            data = learner.attention_input(previously_flagged=flagged)
            finding = needs_attention(data, settings)
            flagged = finding.needs_attention
            cause = learner.struggle_cause(day)
            record.append(
                DayRecord(
                    profile.student_id, profile.kind, day, cause is not None,
                    frozenset(old) & frozenset(OLD_STRUGGLE_KINDS), finding.score, finding.kind,
                    cause, len(learner.days[-1].answers), data,
                )
            )  # fmt: skip
    return learner
