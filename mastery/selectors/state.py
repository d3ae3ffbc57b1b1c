"""A competency and where a student stands on it: the competency by id, its mastery policy and BKT
parameters (unsaved defaults when it has none), the student's stored state (or a fresh one), and the
pure rules' value objects made from them; and the two reads of states the playlists app asks through
``playlists.mastery_states`` (an item's lock, who an authoring change may unlock items for).
"""

from __future__ import annotations

from dataclasses import fields

from django.db.models import QuerySet
from django.http import Http404

from mastery.models import (
    CompetencyModelParams,
    MasteryPolicy,
    MasteryState,
    MasteryStatus,
)
from mastery.rules import PolicyValues, StateValues
from playlists.models import Competency


def competency_get(*, competency_id: int) -> Competency:
    competency = Competency.objects.select_related("subject").filter(pk=competency_id).first()
    if competency is None:
        raise Http404("No such competency.")
    return competency


def policy_for(*, competency: Competency) -> MasteryPolicy:
    """The competency's policy, or the defaults (unsaved) when it has none."""
    policy = MasteryPolicy.objects.filter(competency=competency).first()
    return policy or MasteryPolicy(school_id=competency.school_id, competency=competency)


def policy_values(policy: MasteryPolicy) -> PolicyValues:
    return _values(PolicyValues, policy)


def state_values(state: MasteryState) -> StateValues:
    return _values(StateValues, state)


def _values(value_class, row):
    """The pure rules' value object of a row: each of its fields read off the model's column of that name
    (one list of fields, the value class's, so the two cannot drift)."""
    return value_class(**{field.name: getattr(row, field.name) for field in fields(value_class)})


def model_params_for(*, competency: Competency) -> CompetencyModelParams:
    params = CompetencyModelParams.objects.filter(competency=competency).first()
    return params or CompetencyModelParams(school_id=competency.school_id, competency=competency)


def state_for(*, student, competency: Competency) -> MasteryState:
    """The stored state, or a fresh unsaved one (not started, the competency's prior)."""
    state = MasteryState.objects.filter(student=student, competency=competency).first()
    if state is None:
        state = MasteryState(
            school_id=competency.school_id,
            student=student,
            competency=competency,
            p_mastered=model_params_for(competency=competency).p_init,
        )
    return state


def mastered_competency_ids(*, student, competency_ids) -> QuerySet:
    """The ids among ``competency_ids`` that ``student`` has mastered (an item's lock reads them)."""
    return MasteryState.objects.filter(
        student=student, status=MasteryStatus.MASTERED, competency_id__in=competency_ids
    ).values_list("competency_id", flat=True)


def mastered_by_students(*, student_ids, competency_ids) -> QuerySet:
    """(student id, competency id, mastered at) of the states among ``competency_ids`` that these students
    have mastered, unordered (for a union: an item counts as done when its competencies are all mastered,
    ``engine.policy.pace.done_with_mastery``)."""
    return (
        MasteryState.objects.filter(
            student_id__in=student_ids, status=MasteryStatus.MASTERED, competency_id__in=competency_ids
        )
        .order_by()
        .values_list("student_id", "competency_id", "mastered_at")
    )


def students_with_states(*, competency_ids) -> QuerySet:
    """The ids of the students holding a state on one of ``competency_ids``, unordered (for a union)."""
    return (
        MasteryState.objects.filter(competency_id__in=competency_ids)
        .order_by()
        .values_list("student_id", flat=True)
    )
