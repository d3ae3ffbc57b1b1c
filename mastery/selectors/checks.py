"""Mastery checks as a student would get them: the real check now (questions left after the practice
exclusion, the practice answers it would carry), the same for many pairs at once, and a student's check
attempts looked up by the student or by staff who assess them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import F, Max, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from audit.recorder import student_seen
from mastery import rules
from mastery.models import (
    CheckAttempt,
    MasteryPolicy,
    PracticeAnswer,
    Question,
    QuestionBank,
)
from mastery.rules import CheckPlan, PolicyValues, check_plan
from mastery.selectors.state import policy_for
from playlists.models import Competency
from schools.access import students_assessed_by

DEFAULT_EXCLUSION_DAYS = QuestionBank._meta.get_field("practice_exclusion_days").default


@dataclass(frozen=True)
class CheckSupply:
    """A student's check as the bank can supply it now, and the questions it may draw from."""

    plan: CheckPlan
    fresh_ids: list[int]


def check_supply(*, student, competency: Competency, policy: MasteryPolicy | None = None) -> CheckSupply:
    """The real check for ``student`` now (``rules.check_plan``): the active questions of the competency's
    bank minus those the student answered in practice within the bank's exclusion window. Four queries."""
    policy = policy or policy_for(competency=competency)
    bank = QuestionBank.objects.filter(competency=competency).only("practice_exclusion_days").first()
    days = bank.practice_exclusion_days if bank else DEFAULT_EXCLUSION_DAYS
    active = list(
        Question.objects.filter(bank__competency=competency, is_active=True).values_list("pk", flat=True)
    )
    practised: dict[int, dt.datetime] = {}
    if days and active:
        practised = dict(
            PracticeAnswer.objects.filter(
                student=student,
                question_id__in=active,
                answered_at__gte=timezone.now() - dt.timedelta(days=days),
            )
            .values("question_id")
            .annotate(last=Max("answered_at"))
            .values_list("question_id", "last")
        )
    plan = check_plan(
        check_size=policy.check_size,
        pass_threshold=policy.pass_threshold,
        active_questions=len(active),
        practised_at=practised.values(),
        exclusion_days=days,
    )
    return CheckSupply(plan=plan, fresh_ids=[pk for pk in active if pk not in practised])


def carried_practice_for(
    *, student, competency: Competency, plan: CheckPlan, attempt: CheckAttempt | None = None
) -> tuple[CheckPlan, tuple[int, ...]]:
    """The check of ``plan`` (:func:`check_supply`'s) for ``student`` starting now, with the ids of the
    practice answers it counts as its first questions (``rules.carry_into``, the one rule). ``attempt``:
    the check being started, left out of "the previous check". One query (none when the plan carries
    nothing): the latest answers after the end of the previous check (its start if it never ended)."""
    if not plan.carry_limit:
        return plan, ()
    previous = CheckAttempt.objects.filter(student=student, competency=competency, started_at__isnull=False)
    if attempt is not None:
        previous = previous.exclude(pk=attempt.pk)
    previous_end = (
        previous.annotate(ended=Coalesce("submitted_at", "started_at")).order_by("-ended").values("ended")[:1]
    )
    rows = list(
        PracticeAnswer.objects.filter(student=student, competency=competency)
        .annotate(previous_end=Subquery(previous_end))
        .filter(Q(previous_end__isnull=True) | Q(answered_at__gt=F("previous_end")))
        .order_by("-answered_at", "-pk")
        .values_list("pk", "is_correct", "answered_at", "carried_into_id", "previous_end")[
            : rules.CARRIED_PRACTICE_MAX
        ]
    )
    rows.reverse()
    return rules.carry_into(
        plan,
        [rules.PracticeMark(pk, correct, at) for pk, correct, at, _, _ in rows],
        now=timezone.now(),
        since=rows[0][4] if rows else None,
        already_carried={pk for pk, _, _, into, _ in rows if into is not None},
    )


def check_plans(
    *, pairs: set[tuple[int, int]], policies: dict[int, PolicyValues], default: PolicyValues
) -> dict[tuple[int, int], CheckPlan]:
    """:func:`check_supply`'s plan for many (student id, competency id) pairs at once, for the engine: the
    same ``rules.check_plan`` on the same facts. Three queries whatever the number of pairs."""
    if not pairs:
        return {}
    competency_ids = {competency_id for _, competency_id in pairs}
    days_of = dict(
        QuestionBank.objects.filter(competency_id__in=competency_ids).values_list(
            "competency_id", "practice_exclusion_days"
        )
    )
    questions_of: dict[int, set[int]] = {}
    for pk, competency_id in Question.objects.filter(
        bank__competency_id__in=competency_ids, is_active=True
    ).values_list("pk", "bank__competency_id"):
        questions_of.setdefault(competency_id, set()).add(pk)
    longest = max((days_of.get(c, DEFAULT_EXCLUSION_DAYS) for c in competency_ids), default=0)
    last_answered: dict[tuple[int, int], dt.datetime] = {}
    if longest and questions_of:
        last_answered = {
            (student_id, question_id): last
            for student_id, question_id, last in PracticeAnswer.objects.filter(
                student_id__in={student_id for student_id, _ in pairs},
                question_id__in=set().union(*questions_of.values()),
                answered_at__gte=timezone.now() - dt.timedelta(days=longest),
            )
            .values("student_id", "question_id")
            .annotate(last=Max("answered_at"))
            .values_list("student_id", "question_id", "last")
        }
    plans = {}
    for student_id, competency_id in pairs:
        days = days_of.get(competency_id, DEFAULT_EXCLUSION_DAYS)
        since = timezone.now() - dt.timedelta(days=days)
        active = questions_of.get(competency_id, set())
        practised = [
            at
            for question_id in active
            if (at := last_answered.get((student_id, question_id))) is not None and days and at >= since
        ]
        policy = policies.get(competency_id, default)
        plans[(student_id, competency_id)] = check_plan(
            check_size=policy.check_size,
            pass_threshold=policy.pass_threshold,
            active_questions=len(active),
            practised_at=practised,
            exclusion_days=days,
        )
    return plans


def attempts_of(*, student) -> QuerySet[CheckAttempt]:
    return (
        CheckAttempt.objects.filter(student=student)
        .select_related("competency")
        .order_by("-requested_at", "-pk")
    )


def attempt_for_student(*, student, attempt_id: int) -> CheckAttempt:
    attempt = attempts_of(student=student).filter(pk=attempt_id).first()
    if attempt is None:
        raise Http404("No such check.")
    return attempt


def attempt_for_staff(*, user, roles: frozenset[str], attempt_id: int) -> CheckAttempt:
    attempt = (
        CheckAttempt.objects.filter(student__in=students_assessed_by(user=user, roles=roles), pk=attempt_id)
        .select_related("competency", "student")
        .first()
    )
    if attempt is None:
        raise Http404("No such check.")
    student_seen(student_id=attempt.student_id, object_type="check_attempt", object_id=attempt.pk)
    return attempt
