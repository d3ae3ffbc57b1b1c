"""What xAPI statements name, read from the apps that own it.

The outbox (``xapi/outbox.py``) is written in the learning event's transaction by the apps that record
events, so xapi sits below them (README, "App layers"). Building a statement needs names they own: an
item's kind and title, a competency's code and title (playlists), a question's prompt and the ledger event
a "mastery withdrawn" takes back (mastery). Each registers its readers here from its ``ready``; xapi passes
ids and gets plain data back. A batch built before they registered raises: a statement never leaves with
its names missing.
"""

from collections.abc import Callable, Iterable

from django.core.exceptions import ImproperlyConfigured

_readers: dict[str, Callable] = {}


def register(**readers: Callable) -> None:
    """From an app's ``ready``: ``items``, ``competencies`` (playlists); ``questions``, ``mastered_by``
    (mastery)."""
    _readers.update(readers)


def _reader(name: str) -> Callable:
    if name not in _readers:
        raise ImproperlyConfigured(
            f"No xAPI reader for {name}: are the playlists and mastery apps installed?"
        )
    return _readers[name]


def items(ids: Iterable[int]) -> dict[int, tuple[str, str]]:
    """Content items by id: (kind, title). One query."""
    return _reader("items")(ids=set(ids))


def competencies(ids: Iterable[int]) -> dict[int, tuple[str, str]]:
    """Competencies by id: (code, title). One query."""
    return _reader("competencies")(ids=set(ids))


def questions(ids: Iterable[int]) -> dict[int, str]:
    """Questions by id: their prompt. One query."""
    return _reader("questions")(ids=set(ids))


def mastered_by(*, student_id: int, competency_id: int, before_evidence_id: int) -> int | None:
    """The id of the last ledger event before ``before_evidence_id`` that made the competency mastered for
    the student, or None. One query."""
    return _reader("mastered_by")(
        student_id=student_id, competency_id=competency_id, before_evidence_id=before_evidence_id
    )
