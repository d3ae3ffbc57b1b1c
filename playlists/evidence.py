"""What a content event counts for in mastery: asked by the playlists app, answered by mastery.

Mastery sits above playlists in the app layers (README, "App layers": banks, evidence and states hang on
the competencies of the framework, which is content). Two events of content are mastery's business: an
item done may make a check ready (the ``items_done`` readiness rule), and a milestone's rubric score is
evidence. The playlists services call these functions inside their own transaction; mastery registers its
writes (``mastery.services``) here from its ``ready``. A dependency inversion, not a signal: exactly one
handler, and a call before it registered raises instead of losing the evidence.
"""

from collections.abc import Callable
from typing import Protocol

from plp.ports import Port


class Evidence(Protocol):
    readiness_refresh: Callable[..., list]
    evidence_record_rubric_score: Callable[..., object]


_port: Port[Evidence] = Port("No evidence handler: is the mastery app installed?")


def register(handler: Evidence) -> None:
    """The mastery app's ``ready``: ``handler`` re-derives readiness and records rubric evidence."""
    _port.register(handler)


def items_done(*, student, competencies: list) -> None:
    """The student finished items aligned to ``competencies``: under mastery's "items done" rule, a
    check may be ready now (its stored status is re-derived in the caller's transaction)."""
    _port.handler.readiness_refresh(student=student, competencies=competencies)


def rubric_scored(*, student, competency, level: float, max_level: float, scored_by, source_id: str) -> None:
    """A milestone's rubric level on ``competency`` counts as evidence (idempotent on ``source_id``)."""
    _port.handler.evidence_record_rubric_score(
        student=student,
        competency=competency,
        level=level,
        max_level=max_level,
        scored_by=scored_by,
        source_id=source_id,
    )
