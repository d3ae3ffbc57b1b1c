"""Reads about learners: profiles, plans and careers. Who may see which student (and how much) is
``schools.access``: every student is reached through it.
"""

import datetime as dt

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from accounts.models import User
from learners.models import Career, LearningPlan, PlanFocus, ProfileChange, StudentProfile
from playlists.models import Competency
from plp.tenancy.context import current_school_id
from schools.access import students_visible_to
from schools.models import Term

# Prefetches land in lists (``to_attr``): a prefetched *queryset* of a school-scoped model is fetched again
# on access (the scoped queryset cannot tell which school filled its cache), so lists keep them one query.
ASPIRATIONS = Prefetch(
    "aspiration_careers", queryset=Career.objects.order_by("name"), to_attr="aspiration_list"
)
CAREER_COMPETENCIES = Prefetch(
    "competencies", queryset=Competency.objects.order_by("code"), to_attr="competency_list"
)
PLAN_FOCUSES = Prefetch(
    "focuses",
    queryset=PlanFocus.objects.select_related("competency").order_by("target_date", "pk"),
    to_attr="focus_list",
)


def student_list(*, user, roles: frozenset[str], search: str = "") -> QuerySet[User]:
    students = students_visible_to(user=user, roles=roles)
    if search:
        students = students.filter(
            Q(given_name__icontains=search) | Q(family_name__icontains=search) | Q(email__icontains=search)
        )
    return students.order_by("family_name", "given_name", "pk")


def profile_for(*, student: User) -> StudentProfile:
    """The student's profile in the active school (an unsaved empty one if none was written yet)."""
    profile = StudentProfile.objects.filter(student=student).prefetch_related(ASPIRATIONS).first()
    if profile is None:
        profile = StudentProfile(student=student, school_id=current_school_id())
        profile.aspiration_list = []
    return profile


def profile_changes(*, profile: StudentProfile, include_staff_only: bool) -> QuerySet[ProfileChange]:
    changes = ProfileChange.objects.filter(profile_id=profile.pk).select_related("changed_by")
    if not include_staff_only:
        changes = changes.exclude(field__in=["accommodations"])
    return changes


def current_term(*, today: dt.date | None = None) -> Term | None:
    """The term running today, else the next one to start, else the latest."""
    today = today or timezone.localdate()
    terms = Term.objects.all()
    return (
        terms.filter(start_date__lte=today, end_date__gte=today).order_by("start_date").first()
        or terms.filter(start_date__gt=today).order_by("start_date").first()
        or terms.order_by("-end_date").first()
    )


def plan_for(*, student: User, term: Term) -> LearningPlan | None:
    return (
        LearningPlan.objects.filter(student=student, term=term)
        .select_related("term")
        .prefetch_related(PLAN_FOCUSES)
        .first()
    )


def careers_for(*, interests: list[str]) -> list[Career]:
    """The catalogue, careers matching the student's interests first (by how many tags match)."""
    wanted = {tag.lower() for tag in interests}
    careers = list(Career.objects.prefetch_related(CAREER_COMPETENCIES).order_by("name"))
    for career in careers:
        career.matched_tags = [tag for tag in career.interest_tags if tag.lower() in wanted]
    careers.sort(key=lambda c: -len(c.matched_tags))
    return careers


def career_get(*, career_id: int) -> Career:
    career = Career.objects.prefetch_related(CAREER_COMPETENCIES).filter(pk=career_id).first()
    if career is None:
        raise Http404("No such career.")
    return career


def plan_gaps(*, career: Career, plan: LearningPlan | None) -> dict[str, list]:
    """What the plan must still include to reach ``career``: its courses and competencies not yet in it."""
    courses = {c.lower() for c in (plan.courses_to_take if plan else [])}
    focus_ids = {f.competency_id for f in plan.focus_list} if plan else set()
    return {
        "courses": [c for c in career.needed_courses if c.lower() not in courses],
        "competencies": [c for c in career.competency_list if c.pk not in focus_ids],
    }
