"""Question banks as authors see them (with their question count and the check they supply), a bank and
a question by id, and the practice pack a student's page keeps for going on offline.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, FloatField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from mastery.models import (
    MasteryPolicy,
    PracticeAnswer,
    Question,
    QuestionBank,
)
from mastery.rules import CheckPlan, check_plan
from mastery.selectors.state import policy_for
from schools.roles import STAFF_ROLES, Role


@dataclass(frozen=True)
class BankSupply:
    """What a bank can supply for its competency's checks, for the teacher: the plan of a student who has
    not practised, and how many students' checks are shorter, or cannot open, because of recent practice."""

    plan: CheckPlan
    students_short: int
    students_blocked: int


def bank_supply(*, bank: QuestionBank, policy: MasteryPolicy | None = None) -> BankSupply:
    """Three queries whatever the number of students."""
    policy = policy or policy_for(competency=bank.competency)
    active = Question.objects.filter(bank=bank, is_active=True)
    size = active.count()
    plan = check_plan(
        check_size=policy.check_size,
        pass_threshold=policy.pass_threshold,
        active_questions=size,
        exclusion_days=bank.practice_exclusion_days,
    )
    short = blocked = 0
    if bank.practice_exclusion_days and size:
        seen = (
            PracticeAnswer.objects.filter(
                question__in=active,
                answered_at__gte=timezone.now() - dt.timedelta(days=bank.practice_exclusion_days),
            )
            .values("student_id")
            .annotate(seen=Count("question_id", distinct=True))
            .values_list("seen", flat=True)
        )
        for count in seen:
            fresh = size - count
            short += plan.minimum <= fresh < plan.questions
            blocked += fresh < plan.minimum <= size
    return BankSupply(plan=plan, students_short=short, students_blocked=blocked)


def banks_visible_to(*, roles: frozenset[str]) -> QuerySet[QuestionBank]:
    """Question banks for authoring: teachers and admins see the school's banks; nobody else does."""
    if roles.isdisjoint(STAFF_ROLES - {Role.MENTOR}):
        return QuestionBank.objects.none()
    policy = MasteryPolicy.objects.filter(competency=OuterRef("competency"))
    return (
        QuestionBank.objects.select_related("competency", "competency__subject")
        .annotate(
            question_count=Count("questions", filter=Q(questions__is_active=True)),
            check_size=Coalesce(
                Subquery(policy.values("check_size")[:1]), MasteryPolicy._meta.get_field("check_size").default
            ),
            pass_threshold=Coalesce(
                Subquery(policy.values("pass_threshold")[:1]),
                Value(MasteryPolicy._meta.get_field("pass_threshold").default, output_field=FloatField()),
            ),
        )
        .order_by("competency__code", "pk")
    )


def bank_plan(bank: QuestionBank) -> CheckPlan:
    """The check a bank of ``banks_visible_to`` supplies to a student who has not practised (for lists)."""
    return check_plan(
        check_size=bank.check_size, pass_threshold=bank.pass_threshold, active_questions=bank.question_count
    )


def bank_get(*, roles: frozenset[str], bank_id: int) -> QuestionBank:
    bank = banks_visible_to(roles=roles).filter(pk=bank_id).first()
    if bank is None:
        raise Http404("No such question bank.")
    return bank


def question_get(*, bank: QuestionBank, question_id: int) -> Question:
    question = Question.objects.filter(bank=bank, pk=question_id).first()
    if question is None:
        raise Http404("No such question.")
    return question


PACK_SIZE = 5


def practice_pack(*, competency, exclude_id: int | None = None, size: int = PACK_SIZE) -> list[dict]:
    """A few more of the competency's active questions, as a student may see them before answering (id,
    kind, prompt, choices: never the key nor the explanation), for the practice page to go on with when the
    connection drops. Answers are graded when they reach the server. One query."""
    import random

    rows = list(
        Question.objects.filter(bank__competency=competency, is_active=True)
        .exclude(pk=exclude_id)
        .values("pk", "kind", "prompt", "choices")[:200]
    )
    picked = random.sample(rows, min(size, len(rows)))
    return [
        {"id": r["pk"], "kind": r["kind"], "prompt": r["prompt"], "choices": r["choices"] or []}
        for r in picked
    ]
