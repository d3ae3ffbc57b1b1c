"""Mastery states seen from the playlists app: asked by playlists, answered by mastery.

Mastery sits above playlists in the app layers (README, "App layers"), and its states are mastery's rows.
Two reads of the playlists app need them: an item's lock (which of its competencies' prerequisites the
student has mastered: ``selectors.unmet_prerequisites``) and who an authoring change may unlock items for
(the students holding a state on some competencies: ``selectors.students_working_on``). Mastery
registers its selectors here from its ``ready``; each answer is a queryset, so the callers keep their
query counts (a union stays one query). A call before it registered raises instead of seeing no state.
"""

from collections.abc import Callable

from django.core.exceptions import ImproperlyConfigured
from django.db.models import QuerySet

_mastered: Callable[..., QuerySet] | None = None
_holders: Callable[..., QuerySet] | None = None


def register(*, mastered: Callable[..., QuerySet], holders: Callable[..., QuerySet]) -> None:
    """The mastery app's ``ready``: ``mastered(student, competency_ids)`` gives the ids of the competencies
    among them the student has mastered, ``holders(competency_ids)`` the ids of the students holding a
    state on one of them."""
    global _mastered, _holders
    _mastered, _holders = mastered, holders


def _registered() -> tuple[Callable[..., QuerySet], Callable[..., QuerySet]]:
    if _mastered is None or _holders is None:
        raise ImproperlyConfigured("No mastery states: is the mastery app installed?")
    return _mastered, _holders


def mastered_competency_ids(*, student, competency_ids) -> QuerySet:
    """The ids among ``competency_ids`` that ``student`` has mastered (one query when evaluated)."""
    return _registered()[0](student=student, competency_ids=competency_ids)


def students_with_states(*, competency_ids) -> QuerySet:
    """The ids of the students holding a mastery state on one of ``competency_ids`` (a values queryset,
    unordered, for a union)."""
    return _registered()[1](competency_ids=competency_ids)
