"""Flag rules: which students need an adult today, why (the evidence), and what to do about it.

Each rule returns findings keyed by (kind, subject): the same key found again is the same flag (raised once);
a key no longer found means its condition cleared.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from engine.policy.pace import Pace, pace_of, school_days_between
from engine.policy.snapshot import DEFAULTS, MasteryLevel, Progress, StudentSnapshot, Thresholds


class Severity:
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


@dataclass(frozen=True, slots=True)
class FlagFinding:
    kind: str
    subject: str  # what it is about inside the student: "" or "competency:12", "playlist:3", "goal:9"
    severity: str
    summary: str
    suggested_action: str
    evidence: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def key(self) -> tuple[str, str]:
        return (self.kind, self.subject)


def wheel_spinning(snapshot: StudentSnapshot, thresholds: Thresholds) -> Iterable[FlagFinding]:
    for view in snapshot.competencies.values():
        answers = view.practice_answers_unmastered
        if view.level is MasteryLevel.MASTERED or answers < thresholds.wheel_spin_answers:
            continue
        if view.p_mastered >= thresholds.learning_p_mastered:
            continue  # slow but getting there: a high estimate is learning, not spinning
        if view.practice_correct_unmastered > thresholds.wheel_spin_accuracy * answers:
            continue  # mostly right answers: learning, not spinning
        severity = Severity.HIGH if answers >= 2 * thresholds.wheel_spin_answers else Severity.MEDIUM
        yield FlagFinding(
            "wheel_spinning",
            f"competency:{view.competency_id}",
            severity,
            f"{answers} practice answers on {view.code} without mastering it",
            f"Sit with the student on {view.code}: look at their wrong answers together, or try another "
            "kind of item; more of the same practice is not working.",
            {
                "competency": view.code,
                "answers": answers,
                "correct": view.practice_correct_unmastered,
                "estimate": round(view.p_mastered, 3),
            },
        )


def repeated_failed_checks(snapshot: StudentSnapshot, thresholds: Thresholds) -> Iterable[FlagFinding]:
    for view in snapshot.competencies.values():
        failed = view.failed_checks_in_a_row
        if view.level is MasteryLevel.MASTERED or failed < thresholds.failed_checks:
            continue
        yield FlagFinding(
            "failed_checks",
            f"competency:{view.competency_id}",
            Severity.HIGH,
            f"{failed} failed mastery checks in a row on {view.code}",
            f"Review the last check on {view.code} with the student before the next attempt; consider "
            "unlocking a retake only after a 1:1.",
            {"competency": view.code, "failed_in_a_row": failed},
        )


def inactivity(snapshot: StudentSnapshot, thresholds: Thresholds) -> Iterable[FlagFinding]:
    if not any(item.progress is not Progress.DONE for p in snapshot.playlists for item in p.items):
        return  # nothing left to do is not inactivity
    since = snapshot.last_active_on or snapshot.started_on
    if since is None:
        return
    idle = school_days_between(since, snapshot.today)
    if idle < thresholds.inactive_school_days:
        return
    severity = Severity.HIGH if idle >= 2 * thresholds.inactive_school_days else Severity.MEDIUM
    what = (
        f"no activity for {idle} school days"
        if snapshot.last_active_on
        else f"no activity yet ({idle} school days)"
    )
    yield FlagFinding(
        "inactive",
        "",
        severity,
        what.capitalize(),
        "Check in with the student today: are they present, stuck, or lost in the playlist?",
        {
            "last_active_on": snapshot.last_active_on.isoformat() if snapshot.last_active_on else None,
            "school_days": idle,
        },
    )


def behind_pace(snapshot: StudentSnapshot, thresholds: Thresholds) -> Iterable[FlagFinding]:
    for playlist in snapshot.playlists:
        reading = pace_of(playlist, today=snapshot.today, margin=thresholds.pace_margin)
        if reading.pace is not Pace.BEHIND:
            continue
        overdue = playlist.target_date is not None and snapshot.today > playlist.target_date
        yield FlagFinding(
            "behind_pace",
            f"playlist:{playlist.playlist_id}",
            Severity.HIGH if overdue else Severity.MEDIUM,
            f"{playlist.title}: {reading.done_share:.0%} done, {reading.expected_share:.0%} expected by now",
            "Agree on a catch-up plan with the student: which items this week, and whether the target "
            "date should move.",
            {
                "playlist": playlist.title,
                "done_share": round(reading.done_share, 3),
                "expected_share": round(reading.expected_share, 3),
                "target_date": playlist.target_date.isoformat() if playlist.target_date else None,
            },
        )


def overdue_goals(snapshot: StudentSnapshot, thresholds: Thresholds) -> Iterable[FlagFinding]:
    overdue = sorted(
        (g for g in snapshot.goals if g.is_open and g.due_on < snapshot.today), key=lambda g: g.due_on
    )
    if not overdue:
        return
    yield FlagFinding(
        "overdue_goals",
        "",
        Severity.MEDIUM if len(overdue) > 1 else Severity.LOW,
        f"{len(overdue)} weekly goal{'s' if len(overdue) > 1 else ''} past due without a reflection",
        "Ask the student to reflect on last week's goals and set this week's.",
        {"goals": [{"title": g.title, "due_on": g.due_on.isoformat()} for g in overdue[:5]]},
    )


def missed_check_in(snapshot: StudentSnapshot, thresholds: Thresholds) -> Iterable[FlagFinding]:
    check_in = snapshot.check_in
    if not check_in.has_mentor:
        return
    today = snapshot.today
    if check_in.follow_up_on is not None and check_in.follow_up_on < today:
        days = (today - check_in.follow_up_on).days
        summary = f"Follow-up check-in was due {days} day{'s' if days != 1 else ''} ago"
    elif check_in.last_on is None:
        summary = "No mentor check-in yet"
    elif (today - check_in.last_on).days > thresholds.check_in_days:
        summary = f"Last mentor check-in {(today - check_in.last_on).days} days ago"
    else:
        return
    yield FlagFinding(
        "missed_check_in",
        "",
        Severity.MEDIUM,
        summary,
        "Schedule a 1:1 check-in with the student this week.",
        {
            "last_check_in": check_in.last_on.isoformat() if check_in.last_on else None,
            "follow_up_on": check_in.follow_up_on.isoformat() if check_in.follow_up_on else None,
        },
    )


def falling_trend(snapshot: StudentSnapshot, thresholds: Thresholds) -> Iterable[FlagFinding]:
    window = thresholds.falling_window
    results = snapshot.recent_results
    if len(results) < 2 * window:
        return
    before = sum(results[-2 * window : -window]) / window
    lately = sum(results[-window:]) / window
    if before - lately < thresholds.falling_drop:
        return
    yield FlagFinding(
        "falling_trend",
        "",
        Severity.LOW if before - lately < 2 * thresholds.falling_drop else Severity.MEDIUM,
        f"Correct answers fell from {before:.0%} to {lately:.0%} over the last {2 * window} answers",
        "Ask how things are going: a sudden drop often has a cause outside the playlist.",
        {"before": round(before, 3), "lately": round(lately, 3), "window": window},
    )


RULES: tuple[Callable[[StudentSnapshot, Thresholds], Iterable[FlagFinding]], ...] = (
    wheel_spinning,
    repeated_failed_checks,
    inactivity,
    behind_pace,
    overdue_goals,
    missed_check_in,
    falling_trend,
)


def evaluate_flags(snapshot: StudentSnapshot, thresholds: Thresholds = DEFAULTS) -> list[FlagFinding]:
    """Every flag whose condition holds now, one per key."""
    found: dict[tuple[str, str], FlagFinding] = {}
    for rule in RULES:
        for finding in rule(snapshot, thresholds):
            found.setdefault(finding.key, finding)
    return list(found.values())
