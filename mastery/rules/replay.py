"""The ledger replayed: (mastered, P(mastered), has evidence) recomputed from a student's evidence alone, in
order, so a state can always be rebuilt and checked."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from mastery.bkt import BKTParams, taught, update


@dataclass(frozen=True)
class Event:
    """One ledger row, as the replay needs it."""

    source: str
    outcome: float | None = None
    detail: dict = field(default_factory=dict)


def replay(events: Iterable[Event], params: BKTParams) -> tuple[bool, float, bool]:
    """Recompute (mastered, P(mastered), has_evidence) from the ledger alone, in order.

    Answers, rubric scores and external tools' scores update the estimate (a graded score counts as a
    correct observation when at or above the pass share); a workshop attended is a lesson (the learning
    step only, no observation); a passed check masters, an invalidation withdraws that check, an override
    sets mastery until later evidence says otherwise. A revised graded score (or workshop attendance)
    supersedes the earlier one.
    """
    events = list(events)
    # A re-scored rubric replaces its earlier score (same ``score_key``): only the latest one is evidence.
    latest_score = {e.detail["score_key"]: i for i, e in enumerate(events) if e.detail.get("score_key")}
    p, has_evidence, valid_passes, overridden = params.p_init, False, set(), None
    for index, event in enumerate(events):
        key = event.detail.get("score_key")
        if event.source in ("rubric_score", "tool_score", "workshop") and key and latest_score[key] != index:
            continue
        if event.source in ("answer", "rubric_score", "tool_score"):
            has_evidence = True
            p = update(p, (event.outcome or 0.0) >= event.detail.get("correct_at", 1.0), params)
        elif event.source == "workshop":
            if event.detail.get("present"):
                has_evidence = True
                p = taught(p, params)
        elif event.source == "check":
            has_evidence = True
            if event.detail.get("passed"):
                valid_passes.add(event.detail.get("check_id"))
                overridden = None
        elif event.source == "invalidation":
            valid_passes.discard(event.detail.get("check_id"))
        elif event.source == "override":
            has_evidence = True
            overridden = bool(event.detail.get("mastered"))
    mastered = overridden if overridden is not None else bool(valid_passes)
    return mastered, p, has_evidence
