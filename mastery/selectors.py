"""Reads of the mastery app, all inside the active school. Objects are looked up role-aware: an id the
caller may not see is a 404, whether it exists elsewhere or not."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, F, FloatField, Max, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from accounts.models import User
from audit.recorder import student_seen
from learners.models import PlanFocus
from mastery import rules
from mastery.models import (
    CheckAttempt,
    CompetencyModelParams,
    MasteryPolicy,
    MasteryState,
    MasteryStatus,
    PracticeAnswer,
    Question,
    QuestionBank,
)
from mastery.rules import CheckPlan, PolicyValues, StateValues, check_plan
from playlists.models import Competency, ContentItem, Subject
from playlists.selectors import student_assignments
from schools.access import students_assessed_by
from schools.models import Membership
from schools.roles import SCHOOL_WIDE_ROLES, STAFF_ROLES, Role

AUTHOR_ROLES = frozenset({Role.TEACHER, Role.SCHOOL_ADMIN})
TEACHING_ROLES = frozenset({Role.TEACHER, *SCHOOL_WIDE_ROLES})


def student_competencies(*, student, today: dt.date) -> QuerySet[Competency]:
    """The competencies that belong to ``student``: the one answer to "which competencies are theirs",
    read by their mastery page, the goal forms, the mentor's view and the APIs. One query (a lazy
    queryset: usable as a form field's choices, countable, filterable further).

    A competency is theirs when it is
    - aligned to an item of a playlist assigned to them (through an active section enrolment, or to them
      alone: :func:`student_assignments`), or
    - a focus of their learning plan for a term that has not ended (a plan names what they commit to), or
    - one they already have mastery evidence on (practising, ready or mastered: what they earned stays
      theirs after a section or a plan changes; a not-started row is no evidence).

    Prerequisites of their competencies are not added (a locked item names what it needs first), so
    another section's framework never swells their counts."""
    assigned = student_assignments(student=student).values("playlist_id")
    aligned = ContentItem.competencies.through.objects.filter(
        contentitem__placements__playlist_id__in=assigned
    ).values("competency_id")
    planned = PlanFocus.objects.filter(
        plan__student=student, plan__term__end_date__gte=today, competency__isnull=False
    ).values("competency_id")
    evidence = (
        MasteryState.objects.filter(student=student)
        .exclude(status=MasteryStatus.NOT_STARTED)
        .values("competency_id")
    )
    return Competency.objects.filter(Q(pk__in=aligned) | Q(pk__in=planned) | Q(pk__in=evidence))


def student_get(*, user, roles: frozenset[str], student_id: int) -> User:
    student = students_assessed_by(user=user, roles=roles).filter(pk=student_id).first()
    if student is None:
        raise Http404("No such student.")
    student_seen(student_id=student.pk)  # the read-access audit log (buffered: no query here)
    return student


def is_student(*, user) -> bool:
    return Membership.objects.filter(user=user, role=Role.STUDENT, is_active=True).exists()


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
    return PolicyValues(
        check_size=policy.check_size,
        pass_threshold=policy.pass_threshold,
        cooldown_minutes=policy.cooldown_minutes,
        practice_before_retake=policy.practice_before_retake,
        readiness_rule=policy.readiness_rule,
        readiness_threshold=policy.readiness_threshold,
    )


def state_values(state: MasteryState) -> StateValues:
    return StateValues(
        status=state.status,
        p_mastered=state.p_mastered,
        practice_since_failed_check=state.practice_since_failed_check,
        last_failed_check_at=state.last_failed_check_at,
        check_unlocked=state.check_unlocked,
    )


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


@dataclass(frozen=True)
class SubjectLevels:
    subject: Subject
    level: int
    total: int
    rows: list  # (competency, state or None)
    next_competency: Competency | None


def levels_for(*, student, today: dt.date) -> list[SubjectLevels]:
    """Levels per subject over the student's own competencies (:func:`student_competencies`: not every
    competency of the school): one level per mastered one; the next level is the first (in framework
    order) not mastered yet. Two queries whatever the number of competencies."""
    mine = student_competencies(student=student, today=today)
    competencies = list(
        mine.select_related("subject").order_by("subject__name", "framework_id", "position", "code")
    )
    states = {
        s.competency_id: s
        for s in MasteryState.objects.filter(student=student, competency_id__in=[c.pk for c in competencies])
    }
    by_subject: dict[int, list] = {}
    subjects: dict[int, Subject] = {}
    for competency in competencies:
        subjects[competency.subject_id] = competency.subject
        by_subject.setdefault(competency.subject_id, []).append((competency, states.get(competency.pk)))
    levels = []
    for subject_id, rows in by_subject.items():
        mastered = [c for c, s in rows if s is not None and s.status == MasteryStatus.MASTERED]
        upcoming = [c for c, s in rows if s is None or s.status != MasteryStatus.MASTERED]
        levels.append(
            SubjectLevels(
                subject=subjects[subject_id],
                level=len(mastered),
                total=len(rows),
                rows=rows,
                next_competency=upcoming[0] if upcoming else None,
            )
        )
    return levels


def mastery_totals(*, student, today: dt.date) -> tuple[int, int]:
    """(mastered, of): "N of M competencies mastered" over the student's own competencies, summed from
    :func:`levels_for` so the total and the per-subject levels can never disagree. Two queries."""
    levels = levels_for(student=student, today=today)
    return sum(subject.level for subject in levels), sum(subject.total for subject in levels)


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
