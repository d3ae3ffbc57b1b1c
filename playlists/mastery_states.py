"""Mastery states seen from the playlists app: asked by playlists, answered by mastery.

Mastery sits above playlists in the app layers (README, "App layers"), and its states are mastery's rows.
Three reads of the playlists app need them: which items count as done because their competencies are all
mastered (``selectors.mastery_credit``), an item's lock (which of its competencies' prerequisites the
student has mastered: ``selectors.unmet_prerequisites``) and who an authoring change may unlock items for
(the students holding a state on some competencies: ``selectors.students_working_on``). Mastery
registers its selectors here from its ``ready``; each answer is a queryset, so the callers keep their
query counts (a union stays one query). A call before it registered raises instead of seeing no state.
"""

from collections.abc import Callable
from typing import NamedTuple

from django.db.models import QuerySet

from plp.ports import Port


class MasteryStates(NamedTuple):
    mastered: Callable[..., QuerySet]
    holders: Callable[..., QuerySet]
    mastered_by: Callable[..., QuerySet]


_port: Port[MasteryStates] = Port("No mastery states: is the mastery app installed?")


def register(
    *,
    mastered: Callable[..., QuerySet],
    holders: Callable[..., QuerySet],
    mastered_by: Callable[..., QuerySet],
) -> None:
    """The mastery app's ``ready``: ``mastered(student, competency_ids)`` gives the ids of the competencies
    among them the student has mastered, ``holders(competency_ids)`` the ids of the students holding a
    state on one of them, ``mastered_by(student_ids, competency_ids)`` (student id, competency id, mastered
    at) of the states among them these students have mastered."""
    _port.register(MasteryStates(mastered, holders, mastered_by))


def mastered_competency_ids(*, student, competency_ids) -> QuerySet:
    """The ids among ``competency_ids`` that ``student`` has mastered (one query when evaluated)."""
    return _port.handler.mastered(student=student, competency_ids=competency_ids)


def students_with_states(*, competency_ids) -> QuerySet:
    """The ids of the students holding a mastery state on one of ``competency_ids`` (a values queryset,
    unordered, for a union)."""
    return _port.handler.holders(competency_ids=competency_ids)


def mastered_by_students(*, student_ids, competency_ids) -> QuerySet:
    """(student id, competency id, mastered at) of the states among ``competency_ids`` that these students
    have mastered (a values queryset, unordered, for a union)."""
    return _port.handler.mastered_by(student_ids=student_ids, competency_ids=competency_ids)
