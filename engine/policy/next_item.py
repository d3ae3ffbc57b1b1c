"""Next-item ranking: what should this student do next, and why.

The rules, in the order they weigh:
1. A teacher's pin comes first and a teacher's veto removes an item; the reason travels with it.
2. Never a locked item (:func:`_unmet_prerequisites`, the one lock rule; the page says what unlocks it).
3. A mastery check is suggested first when the student can ask for it now (mastery's verdict, carried in the
   snapshot); after a failed check, the way back to it (what to practise, when it reopens) comes later.
   While that check would count fewer right practice answers as its first questions than it may
   (``check_carry_short``), practice on its competency comes just before it — unless a teacher unlocked it
   (``check_unlocked``): a teacher who unlocks a check means "take it now", so it comes right after their
   pins, before the day's review, with no practice first.
4. An item whose competencies the student has all mastered counts as done (``pace.done_with_mastery``:
   progress by mastery, not seat time) and is never suggested. Among open items: the playlist most behind
   its pacing plan, and the student's chosen focus, come first; then required work before optional; then
   the unmastered competency with the highest expected gain (P(not mastered) × P(learn), from the BKT
   estimate); then interest matches; then playlist order.
5. A spaced review of a mastered competency that is due comes first, one a day (:func:`spaced_reviews`:
   prerequisites of unmastered competencies first, then by predicted forgetting, :func:`forgetting`); any
   other due review waits behind the first open item.
"""

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice

from engine.policy.pace import Pace, credit_mastery, pace_of
from engine.policy.snapshot import (
    DEFAULTS,
    CompetencyView,
    ItemView,
    MasteryLevel,
    PlaylistView,
    Progress,
    StudentSnapshot,
    Thresholds,
)

OPEN_CHECK = "The mastery check is open now."
UNLOCKED_CHECK = "A teacher unlocked the mastery check: take it now."
FOCUS_BONUS = 0.25  # a chosen focus counts as much as being a quarter of the plan behind
EXERCISE = "exercise"  # an item whose questions are its competency's practice (``ItemView.kind``)


@dataclass(frozen=True, slots=True)
class Recommendation:
    kind: str  # "item", "check" (take a mastery check) or "review" (spaced review of a mastered competency)
    reason: str
    item_id: int | None = None
    playlist_id: int | None = None
    competency_id: int | None = None
    pinned: bool = False


@dataclass(frozen=True, slots=True)
class LockedItem:
    """An item the student cannot start yet, and what unlocks it."""

    item_id: int
    missing_codes: tuple[str, ...]


def is_mastered(competencies: dict[int, CompetencyView], competency_id: int) -> bool:
    view = competencies.get(competency_id)
    return view is not None and view.level is MasteryLevel.MASTERED


def _unmet_prerequisites(item: ItemView, competencies: dict[int, CompetencyView]) -> Iterator[str]:
    """THE lock rule, read by the engine and by every page that shows "Needs first" (through
    :func:`missing_prerequisites` and :func:`is_locked`): the codes, one per unmet edge, that keep the item
    closed. An item is locked by a prerequisite of one of its competencies when

    - the student has not mastered that competency (a mastered competency needs nothing first: its check
      or a teacher's override proved it, so its items stay open whatever became of its prerequisites), and
    - the student has not mastered the prerequisite (an unknown one counts as unmastered), and
    - the item does not itself work on the prerequisite (practising it is how it gets mastered).
    """
    own = item.competency_ids
    for competency_id in own:
        view = competencies.get(competency_id)
        if view is None or view.level is MasteryLevel.MASTERED:
            continue
        for prerequisite_id in view.prerequisite_ids:
            if prerequisite_id in own:
                continue
            prerequisite = competencies.get(prerequisite_id)
            if prerequisite is None or prerequisite.level is not MasteryLevel.MASTERED:
                yield prerequisite.code if prerequisite else f"#{prerequisite_id}"


def missing_prerequisites(item: ItemView, competencies: dict[int, CompetencyView]) -> tuple[str, ...]:
    """What unlocks the item: the codes of the prerequisites :func:`_unmet_prerequisites` names, sorted."""
    return tuple(sorted(set(_unmet_prerequisites(item, competencies))))


def is_locked(item: ItemView, competencies: dict[int, CompetencyView]) -> bool:
    """Whether :func:`missing_prerequisites` would name anything (stops at the first: the ranking's hot
    path)."""
    return next(_unmet_prerequisites(item, competencies), None) is not None


def _board_is_complete(item: ItemView, playlist: PlaylistView) -> bool:
    if not item.choice_group:
        return False
    board = [other for other in playlist.items if other.choice_group == item.choice_group]
    done = sum(other.progress is Progress.DONE for other in board)
    return done >= min(max(item.choice_needed, 1), len(board))


def _expected_gain(item: ItemView, competencies: dict[int, CompetencyView]) -> float:
    gains = [
        (1.0 - view.p_mastered) * view.p_learn
        for view in (competencies.get(c) for c in item.competency_ids)
        if view is not None and view.level is not MasteryLevel.MASTERED
    ]
    return max(gains, default=0.0)


def _reason(
    item: ItemView, playlist: PlaylistView, pace: Pace, snapshot: StudentSnapshot, gain: float
) -> str:
    # Worded for both readers: the student on My work and the teacher on the drill-down (no "your").
    parts = []
    if playlist.is_focus:
        parts.append(f"focus this week: {playlist.title}")
    if pace is Pace.BEHIND:
        due = f", due {playlist.due_label}" if playlist.due_label else ""
        parts.append(f"{playlist.title} is behind its plan{due}")
    elif playlist.due_label and not playlist.is_focus:
        parts.append(f"next in {playlist.title}, due {playlist.due_label}")
    elif not playlist.is_focus:
        parts.append(f"next in {playlist.title}")
    parts.append("required" if item.required and not item.choice_group else "a choice")
    if gain > 0:
        codes = [
            snapshot.competencies[c].code
            for c in item.competency_ids
            if c in snapshot.competencies and not is_mastered(snapshot.competencies, c)
        ]
        if codes:
            parts.append(f"builds {', '.join(codes[:2])}")
    shared = sorted(item.interest_tags & snapshot.interests)
    if shared:
        parts.append(f"matches the interest in {', '.join(shared[:2])}")
    text = "; ".join(parts)
    return text[:1].upper() + text[1:] + "."  # not str.capitalize(): it would lower-case titles and codes


def recommend(snapshot: StudentSnapshot, thresholds: Thresholds = DEFAULTS) -> list[Recommendation]:
    """The student's Next up, in order (the module docstring gives the order of the rules). One function on
    purpose: each step narrows what the next may offer (pins, the due review, the check, the ranked open
    items), and read top to bottom it is that order; split, the order would live in the calls."""
    competencies = snapshot.competencies
    limit = thresholds.max_recommendations
    vetoed = {d.item_id for d in snapshot.directives if not d.pinned}
    pins = {d.item_id: d for d in snapshot.directives if d.pinned and d.item_id not in vetoed}

    # Rank first, word later: only the items that make the list get a reason.
    ranked: list[tuple[tuple, Recommendation | tuple]] = []
    for playlist in snapshot.playlists:
        # An item on competencies all mastered counts as done (pace.done_with_mastery): never suggested.
        playlist = credit_mastery(playlist, competencies)
        reading = pace_of(
            playlist, competencies=competencies, today=snapshot.today, margin=thresholds.pace_margin
        )
        urgency = max(reading.gap, 0.0) + (FOCUS_BONUS if playlist.is_focus else 0.0)
        for item in playlist.items:
            if item.progress is Progress.DONE or item.item_id in vetoed:
                continue
            if is_locked(item, competencies):
                continue
            # A pin on a locked or done item is never reached: such pins are refused when made, and one
            # that became locked since shows as "not in effect" (engine.selectors.pin_blockers) until then.
            pin = pins.get(item.item_id)
            if pin is not None:
                reason = f"Pinned by {pin.by or 'a teacher'}: {pin.reason}"
                recommendation = Recommendation(
                    "item", reason, item.item_id, playlist.playlist_id, pinned=True
                )
                ranked.append(((0, 0.0, 0, 0.0, 0, item.position), recommendation))
                continue
            optional = not item.required or bool(item.choice_group)
            if optional and _board_is_complete(item, playlist):
                continue  # the board's k are done: nothing more is needed here
            gain = _expected_gain(item, competencies)
            interest = len(item.interest_tags & snapshot.interests)
            key = (1, -round(urgency, 3), int(optional), -round(gain, 4), -interest, item.position)
            ranked.append((key, (item, playlist, reading.pace, gain)))
    ranked.sort(key=lambda pair: pair[0])
    pinned = [entry for _, entry in ranked if isinstance(entry, Recommendation)]
    unpinned = [
        Recommendation(
            "item",
            _reason(item, playlist, pace, snapshot, gain),
            item.item_id,
            playlist.playlist_id,
            item.competency_ids[0] if item.competency_ids else None,
        )
        for item, playlist, pace, gain in islice(
            (entry for _, entry in ranked if not isinstance(entry, Recommendation)),
            limit if limit >= 0 else None,  # more could never make the list
        )
    ]

    unmastered = sorted(
        (view for view in competencies.values() if view.level is not MasteryLevel.MASTERED),
        key=lambda v: (-v.p_mastered, v.code),
    )
    # A check a teacher unlocked first, then by the estimate (the sort is stable).
    open_checks = sorted((view for view in unmastered if view.check_open), key=lambda v: not v.check_unlocked)
    checks = [
        Recommendation(
            "check", UNLOCKED_CHECK if view.check_unlocked else OPEN_CHECK, competency_id=view.competency_id
        )
        for view in open_checks
    ]
    # A teacher's unlock says "now": that check comes right after the teacher's pins.
    unlocked = checks[:1] if open_checks and open_checks[0].check_unlocked else []
    # The first open check would count fewer right practice answers as its first questions than it may: one
    # more practice answer on it first (it teaches if the competency is not yet known, where a check question
    # does not, and a right one is a question of the check done), then the check.
    warm_up = _warm_up(checks[:1], ranked, competencies)
    if warm_up is not None:
        unpinned = [r for r in unpinned if r.item_id != warm_up.item_id]
    # After a failed check: the way back, when and why, as the competency page says it.
    retries = [
        Recommendation(
            "check",
            " ".join(view.check_reasons),
            competency_id=view.competency_id,
        )
        for view in unmastered
        if not view.check_open and view.failed_checks_in_a_row and view.check_reasons
    ]
    reviews = spaced_reviews(snapshot, thresholds)
    # One due review a day comes first (a review ranked behind every open item is never reached: 0 of
    # 29,371 top recommendations in a 60-student run were reviews); once one is done today, the rest wait.
    # A review that went wrong today goes on (relearning it) until the estimate recovers.
    slipping = bool(reviews) and _slipped(snapshot.competencies[reviews[0].competency_id], thresholds)
    first_review = reviews[:1] if reviews and (slipping or not _reviewed_today(snapshot)) else []

    back = prerequisite_reviews(snapshot, thresholds)
    later_reviews = reviews[len(first_review) : len(first_review) + 1]
    ordered = (
        pinned
        + unlocked
        + first_review
        + ([warm_up] if warm_up is not None else [])
        + checks[len(unlocked) : 1]
        + back[:1]
        + unpinned[:1]
        + retries[:1]
        + later_reviews
        + unpinned[1:]
        + checks[1:]
    )
    return ordered[:limit]


def _warm_up(
    first_check: list[Recommendation], ranked: list, competencies: dict[int, CompetencyView]
) -> Recommendation | None:
    """Practice before the first open check, while that check is short of the practice answers it may count
    as its first questions (``CompetencyView.check_carry_short``): the best-ranked open exercise on its
    competency (its questions are the competency's practice), or None (none short, a teacher unlocked the
    check — they mean "take it now" —, or no open exercise works on it: then the check comes first)."""
    if not first_check:
        return None
    view = competencies[first_check[0].competency_id]
    short = view.check_carry_short
    if short <= 0 or view.check_unlocked:
        return None
    if short == 1:
        answers = "one more right practice answer and the check counts it among its first questions"
    else:
        answers = f"{short} right practice answers in a row and the check counts them as its first questions"
    for _, entry in ranked:
        if isinstance(entry, Recommendation):
            continue
        item, playlist, _, _ = entry
        if item.kind == EXERCISE and view.competency_id in item.competency_ids:
            return Recommendation(
                "item",
                f"Practise {view.code} before its check: {answers}.",
                item.item_id,
                playlist.playlist_id,
                view.competency_id,
            )
    return None


def forgetting(view: CompetencyView, today: dt.date, thresholds: Thresholds) -> float:
    """Predicted forgetting of a mastered competency: the days since it was last practised, against the
    interval it is expected to hold. That interval starts at ``review_after_days`` and grows by every day
    the competency has already been kept since mastery (expanding intervals: a memory that survived a
    long gap decays more slowly — the spacing effect, Cepeda et al. 2006; Pimsleur's graduated intervals).
    1.0 or more: due. 0 for a competency not mastered.

    A review answered wrong is evidence of forgetting too: once practised since mastery, a competency whose
    estimate fell below ``learning_p_mastered`` is due at once, and more so the lower it fell (one wrong
    review answer does it; one right answer after it restores the estimate)."""
    if view.level is not MasteryLevel.MASTERED or view.mastered_on is None:
        return 0.0
    since = max(view.last_reviewed_on or view.mastered_on, view.mastered_on)
    interval = thresholds.review_after_days + (since - view.mastered_on).days
    score = (today - since).days / max(interval, 1)
    if _slipped(view, thresholds):
        score = max(score, 2.0 + thresholds.learning_p_mastered - view.p_mastered)
    return score


def _slipped(view: CompetencyView, thresholds: Thresholds) -> bool:
    """Practised since mastery, and the estimate fell below ``learning_p_mastered``: a review went wrong."""
    return (
        view.mastered_on is not None
        and view.last_reviewed_on is not None
        and view.last_reviewed_on > view.mastered_on
        and view.p_mastered < thresholds.learning_p_mastered
    )


def _reviewed_today(snapshot: StudentSnapshot) -> bool:
    return any(
        view.level is MasteryLevel.MASTERED
        and view.mastered_on is not None
        and view.mastered_on < snapshot.today
        and view.last_reviewed_on == snapshot.today
        for view in snapshot.competencies.values()
    )


def spaced_reviews(snapshot: StudentSnapshot, thresholds: Thresholds) -> list[Recommendation]:
    """Mastered competencies due a review, best first: prerequisites of what the student is still working
    towards first (forgetting one of those blocks new learning), then by predicted forgetting."""
    competencies = snapshot.competencies
    frontier_needs = {
        prerequisite_id
        for view in competencies.values()
        if view.level is not MasteryLevel.MASTERED
        for prerequisite_id in view.prerequisite_ids
    }
    due = []
    for view in competencies.values():
        score = forgetting(view, snapshot.today, thresholds)
        if score >= 1.0:
            due.append((view.competency_id not in frontier_needs, -score, view.code, view))
    due.sort(key=lambda entry: entry[:3])
    return [
        Recommendation(
            "review",
            f"Time to review {view.code}: last practised "
            f"{(snapshot.today - (view.last_reviewed_on or view.mastered_on)).days} days ago"
            + (", and what comes next builds on it." if not elsewhere else ", and a spaced review keeps it."),
            competency_id=view.competency_id,
        )
        for elsewhere, _, _, view in due
    ]


def _is_spinning(view: CompetencyView, thresholds: Thresholds) -> bool:
    answers = view.practice_answers_unmastered
    return not (
        view.level is MasteryLevel.MASTERED
        or answers < thresholds.wheel_spin_answers
        or view.p_mastered >= thresholds.learning_p_mastered
        or view.practice_correct_unmastered > thresholds.wheel_spin_accuracy * answers
    )


def prerequisite_reviews(snapshot: StudentSnapshot, thresholds: Thresholds) -> list[Recommendation]:
    """When a student is wheel-spinning on a competency, the likeliest cause is a prerequisite they passed
    without truly knowing it: send them back to it (once a day), before more of the same practice."""
    competencies = snapshot.competencies
    found: list[Recommendation] = []
    spinning = (view for view in competencies.values() if _is_spinning(view, thresholds))
    for view in sorted(spinning, key=lambda v: (-v.practice_answers_unmastered, v.code)):
        for prerequisite_id in sorted(view.prerequisite_ids):
            prerequisite = competencies.get(prerequisite_id)
            if prerequisite is None or prerequisite.level is not MasteryLevel.MASTERED:
                continue
            if prerequisite.last_reviewed_on is not None and prerequisite.last_reviewed_on >= snapshot.today:
                continue  # reviewed today already
            found.append(
                Recommendation(
                    "review",
                    f"Many misses on {view.code}: go back over {prerequisite.code}, which comes before it.",
                    competency_id=prerequisite_id,
                )
            )
    return found


def locked_items(snapshot: StudentSnapshot) -> list[LockedItem]:
    """Items the student cannot start yet, each with the codes that unlock it (a page shows why)."""
    locked = []
    for playlist in snapshot.playlists:
        for item in playlist.items:
            if item.progress is not Progress.DONE:
                missing = missing_prerequisites(item, snapshot.competencies)
                if missing:
                    locked.append(LockedItem(item.item_id, missing))
    return locked
