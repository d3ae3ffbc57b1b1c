"""Reads about learners: who may see which student (and how much), profiles, plans and careers.

Every student is looked up *inside* the active school and through the caller's relation to them: a student
of another school, or one the caller has no business with, is a 404 (no existence oracle).
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from accounts.models import User
from audit.recorder import student_seen
from learners.models import Career, LearningPlan, PlanFocus, ProfileChange, StudentProfile
from mentoring.models import MentorAssignment
from playlists.models import Competency
from plp.tenancy.context import current_school_id
from schools.models import Enrollment, Membership, Term
from schools.roles import SCHOOL_WIDE_ROLES, Role

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


@dataclass(frozen=True)
class StudentAccess:
    """A student as seen by the caller, and what the caller may do with them."""

    student: User
    is_self: bool = False
    is_mentor: bool = False
    is_teacher: bool = False
    is_school_wide: bool = False

    @property
    def is_staff(self) -> bool:
        return self.is_mentor or self.is_teacher or self.is_school_wide

    @property
    def sees_private_notes(self) -> bool:
        """Private check-in notes: the student's mentors and school (or district) admins only."""
        return self.is_mentor or self.is_school_wide

    @property
    def sees_staff_fields(self) -> bool:
        """Accommodations and other staff-only profile details."""
        return self.is_staff

    @property
    def edits_staff_fields(self) -> bool:
        """Strengths, challenges, passions, accommodations: the student's mentors and teachers."""
        return self.is_mentor or self.is_teacher

    @property
    def edits_student_fields(self) -> bool:
        """The student's own voice (interests, aspirations, preferences), their plan and goals."""
        return self.is_self

    @property
    def manages_goals(self) -> bool:
        return self.is_self or self.is_mentor

    @property
    def records_check_ins(self) -> bool:
        return self.is_mentor


def _mentee_ids(user) -> QuerySet:
    return MentorAssignment.objects.filter(mentor=user, is_active=True).values("student_id")


def _taught_student_ids(user) -> QuerySet:
    taught_sections = Enrollment.objects.filter(
        user=user, role=Enrollment.SectionRole.TEACHER, is_active=True
    ).values("section_id")
    return Enrollment.objects.filter(
        section_id__in=taught_sections, role=Enrollment.SectionRole.STUDENT, is_active=True
    ).values("user_id")


def _school_students() -> QuerySet[User]:
    return User.objects.filter(
        pk__in=Membership.objects.filter(role=Role.STUDENT, is_active=True).values("user_id")
    )


def students_visible_to(*, user, roles: frozenset[str]) -> QuerySet[User]:
    """Students of the active school the caller may see: all for admins; mentees for mentors; students of
    their sections for teachers; themselves for students."""
    students = _school_students()
    if not roles.isdisjoint(SCHOOL_WIDE_ROLES):
        return students
    visible = Q(pk__in=[])
    if Role.MENTOR in roles:
        visible |= Q(pk__in=_mentee_ids(user))
    if Role.TEACHER in roles:
        visible |= Q(pk__in=_taught_student_ids(user))
    if Role.STUDENT in roles:
        visible |= Q(pk=user.pk)
    return students.filter(visible)


def student_access_get(
    *, user, roles: frozenset[str], student_id: int, audit_object: tuple[str, int] | None = None
) -> StudentAccess:
    """The student ``student_id`` of the active school as the caller may see them, or 404.

    An adult's access is recorded in the read-access audit log (``audit.recorder.student_seen``: buffered,
    written once per request), as the student or as ``audit_object`` (type, id) when the caller loaded a
    record of theirs (a goal, a check-in)."""
    student = _school_students().filter(pk=student_id).first()
    if student is None:
        raise Http404("No such student.")
    access = StudentAccess(
        student=student,
        is_self=Role.STUDENT in roles and student.pk == user.pk,
        is_mentor=Role.MENTOR in roles and _mentee_ids(user).filter(student_id=student.pk).exists(),
        is_teacher=Role.TEACHER in roles and _taught_student_ids(user).filter(user_id=student.pk).exists(),
        is_school_wide=not roles.isdisjoint(SCHOOL_WIDE_ROLES),
    )
    if not (access.is_self or access.is_staff):
        raise Http404("No such student.")
    object_type, object_id = audit_object or ("", "")
    student_seen(student_id=student.pk, access=access, object_type=object_type, object_id=object_id)
    return access


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
