"""Flag rules: which students need an adult today, why (the evidence), and what to do about it.

Each rule returns findings keyed by (kind, subject): the same key found again is the same flag (raised once);
a key no longer found means its condition cleared.
"""

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace

from engine.policy.pace import (
    Pace,
    PaceReading,
    credit_mastery,
    pace_of,
    required_work,
    school_days_between,
    slowest,
)
from engine.policy.snapshot import (
    DEFAULTS,
    CheckInView,
    ItemView,
    MasteryLevel,
    PlaylistView,
    Progress,
    StudentSnapshot,
    Thresholds,
)


class Severity:
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


@dataclass(frozen=True, slots=True)
class FlagFinding:
    kind: str
    subject: str  # what it is about: "" (the student), "section:4", "competency:12", "playlist:3", "goal:9"
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
            f"{failed} failed mastery check{'' if failed == 1 else 's'} in a row on {view.code}",
            f"Review the last check on {view.code} with the student before the next attempt; consider "
            "unlocking a retake only after a 1:1.",
            {"competency": view.code, "failed_in_a_row": failed},
        )


def inactivity(snapshot: StudentSnapshot, thresholds: Thresholds) -> Iterable[FlagFinding]:
    playlists = (credit_mastery(p, snapshot.competencies) for p in snapshot.playlists)
    if not any(item.progress is not Progress.DONE for p in playlists for item in p.items):
        return  # nothing left to do (done, or on competencies all mastered) is not inactivity
    since = snapshot.last_active_on or snapshot.started_on
    if since is None:
        return
    idle = school_days_between(since, snapshot.today)
    if idle < thresholds.inactive_school_days:
        return
    severity = Severity.HIGH if idle >= 2 * thresholds.inactive_school_days else Severity.MEDIUM
    days = f"{idle} school day{'' if idle == 1 else 's'}"  # one day is possible: the school sets the days
    what = f"no activity for {days}" if snapshot.last_active_on else f"no activity yet ({days})"
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


def _units_done_lately(playlist: PlaylistView, snapshot: StudentSnapshot, window: int) -> int:
    """Required work (``required_work``'s units) done on the playlist in the last ``window`` school days:
    the units done now less those done before the window began (an item without a known day counts as
    done before it). An item counted done by mastery (``credit_mastery``) and not marked done counts from
    the day its last competency was mastered."""
    marked = {item.item_id for item in playlist.items if item.progress is Progress.DONE}
    playlist = credit_mastery(playlist, snapshot.competencies)
    done_now, _ = required_work(playlist.items)

    def done_day(item: ItemView) -> dt.date | None:
        if item.item_id in marked:
            return snapshot.done_on.get(item.item_id)
        days = [snapshot.competencies[c].mastered_on for c in item.competency_ids]
        return None if None in days else max(days)

    def lately(item: ItemView) -> bool:
        on = done_day(item)
        return on is not None and school_days_between(on, snapshot.today) < window

    earlier = tuple(
        replace(item, progress=Progress.NOT_STARTED)
        if item.progress is Progress.DONE and lately(item)
        else item
        for item in playlist.items
    )
    done_before, _ = required_work(earlier)
    return done_now - done_before


def catching_up(
    behind: list[tuple[PlaylistView, PaceReading]], snapshot: StudentSnapshot, thresholds: Thresholds
) -> tuple[bool, dict]:
    """Whether a student behind pace is catching up, and the numbers it was judged on.

    Their recent rate is the required work they did on these playlists over the last
    ``thresholds.pace_recent_school_days`` school days (fewer if the work began more recently), per school
    day. They are catching up when, at that rate, they would finish every playlist they are behind on by
    its target date, taken earliest target first (the remaining work due by each target date fits in the
    school days left until it). A target date that has passed cannot be caught up with.
    """
    today = snapshot.today
    began = min((p.assigned_on for p, _ in behind if p.assigned_on is not None), default=today)
    window = max(min(thresholds.pace_recent_school_days, school_days_between(began, today)), 1)
    lately = sum(_units_done_lately(p, snapshot, window) for p, _ in behind)
    rate = lately / window
    remaining = 0
    verdict = True
    for _, reading in sorted(behind, key=lambda pr: (pr[1].target or today, pr[0].playlist_id)):
        remaining += reading.needed - reading.done
        days_left = school_days_between(today, reading.target) if reading.target else 0
        if remaining > rate * days_left:
            verdict = False
            break
    return verdict, {"done_lately": lately, "school_days": window, "rate": round(rate, 2)}


def behind_pace(snapshot: StudentSnapshot, thresholds: Thresholds) -> Iterable[FlagFinding]:
    """One finding per section (and per playlist assigned to the student alone): behind the plan by more
    than the school's margin on one of its playlists (``pace_of``, the one pace rule) and not
    ``catching_up``."""
    groups: dict[str, list[tuple[PlaylistView, PaceReading]]] = {}
    for playlist in snapshot.playlists:
        reading = pace_of(
            playlist, competencies=snapshot.competencies, today=snapshot.today, margin=thresholds.pace_margin
        )
        if reading.pace is not Pace.BEHIND:
            continue
        subject = (
            f"section:{playlist.section_id}"
            if playlist.section_id is not None
            else f"playlist:{playlist.playlist_id}"
        )
        groups.setdefault(subject, []).append((playlist, reading))
    for subject, behind in groups.items():
        recovering, pace_evidence = catching_up(behind, snapshot, thresholds)
        if recovering:
            continue
        worst = slowest(reading for _, reading in behind)
        overdue = worst.target is not None and snapshot.today >= worst.target
        done, days = pace_evidence["done_lately"], pace_evidence["school_days"]
        yield FlagFinding(
            "behind_pace",
            subject,
            Severity.HIGH if overdue else Severity.MEDIUM,
            f"{worst.explanation} Not catching up: {done} required item{'' if done == 1 else 's'} done "
            f"in the last {days} school day{'' if days == 1 else 's'}."[:300],
            "Agree on a catch-up plan with the student: which items this week, and whether the target "
            "date should move.",
            {
                "playlists": [
                    {
                        "playlist": reading.title,
                        "done": reading.done,
                        "needed": reading.needed,
                        "expected_share": round(reading.expected_share, 3),
                        "target_date": reading.target.isoformat() if reading.target else None,
                    }
                    for _, reading in behind
                ],
                **pace_evidence,
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


def check_in_due_on(check_in: CheckInView, thresholds: Thresholds) -> dt.date | None:
    """The day the student's next mentor check-in is due: the follow-up date the mentor set at the last
    one, or else the school's cadence (``check_in_days``) after the last one, or after their mentoring
    began when there has been none; ``None`` without a mentor, or when nothing says when it began."""
    if not check_in.has_mentor:
        return None
    if check_in.follow_up_on is not None:
        return check_in.follow_up_on
    since = check_in.last_on or check_in.mentored_since
    return None if since is None else since + dt.timedelta(days=thresholds.check_in_days)


def check_in_missed(check_in: CheckInView, *, today: dt.date, thresholds: Thresholds) -> bool:
    """The one missed check-in rule (the flag and the overviews' "check-ins overdue"): its due day
    (``check_in_due_on``) is more than ``check_in_grace_days`` past; before that it is simply coming up."""
    due = check_in_due_on(check_in, thresholds)
    return due is not None and (today - due).days > thresholds.check_in_grace_days


def missed_check_in(snapshot: StudentSnapshot, thresholds: Thresholds) -> Iterable[FlagFinding]:
    check_in = snapshot.check_in
    if not check_in_missed(check_in, today=snapshot.today, thresholds=thresholds):
        return
    due = check_in_due_on(check_in, thresholds)
    late = (snapshot.today - due).days
    if check_in.follow_up_on is not None:
        summary = f"Follow-up check-in was due {late} days ago"
    elif check_in.last_on is None:
        summary = f"No mentor check-in yet; the first was due {late} days ago"
    else:
        summary = f"Last mentor check-in {(snapshot.today - check_in.last_on).days} days ago"
    yield FlagFinding(
        "missed_check_in",
        "",
        Severity.MEDIUM,
        summary,
        "Schedule a 1:1 check-in with the student this week.",
        {
            "last_check_in": check_in.last_on.isoformat() if check_in.last_on else None,
            "follow_up_on": check_in.follow_up_on.isoformat() if check_in.follow_up_on else None,
            "due_on": due.isoformat(),
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
