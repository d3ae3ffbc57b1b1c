"""Reads about schools, memberships, sections and enrollments. Tenant reads run in the active school."""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Min, Prefetch, Q, QuerySet
from django.http import Http404

from plp.tenancy.context import all_schools
from schools.access import sections_visible_to
from schools.models import Enrollment, Membership, OrganizationAdmin, School, Section, Term
from schools.roles import DISTRICT_ADMIN, ROLE_LABELS, SCHOOL_WIDE_ROLES, STAFF_ROLES, Role
from schools.rostering.models import Invitation, RosterPerson


@dataclass(frozen=True)
class SchoolChoice:
    school: School
    roles: tuple[str, ...]

    @property
    def role_labels(self) -> list[str]:
        return [ROLE_LABELS[role] for role in self.roles]


def schools_for_user(*, user) -> list[SchoolChoice]:
    """Every active school ``user`` may enter, with their roles there, for the school picker (3 queries)."""
    if not user.is_authenticated:
        return []
    # The database shows every school while the person's own are read (one scope change for the page).
    with all_schools():
        return _schools_for_user(user=user)


def _schools_for_user(*, user) -> list[SchoolChoice]:
    roles_by_school: dict[int, set[str]] = defaultdict(set)
    # unscoped: the picker lists the user's own memberships across schools, before any school is chosen.
    for school_id, role in (
        Membership.objects.unscoped()
        .filter(user=user, is_active=True, school__is_active=True)
        .values_list("school_id", "role")
    ):
        roles_by_school[school_id].add(role)
    district_school_ids = School.objects.filter(
        is_active=True,
        organization__in=OrganizationAdmin.objects.filter(user=user).values("organization"),
    ).values_list("pk", flat=True)
    for school_id in district_school_ids:
        roles_by_school[school_id].add(DISTRICT_ADMIN)
    schools = School.objects.filter(pk__in=roles_by_school).select_related("organization")
    return [
        SchoolChoice(school=school, roles=tuple(sorted(roles_by_school[school.pk]))) for school in schools
    ]


# What the accounts app asks about a person's schools (accounts.person_schools), outside any school.


def person_school_names(*, user) -> list[str]:
    """Names of the person's active schools, two at most: whom an account email comes from."""
    # unscoped: a password reset happens outside any school; only this person's own memberships are read.
    with all_schools():
        return list(
            Membership.objects.unscoped()
            .filter(user=user, is_active=True)
            .values_list("school__name", flat=True)
            .distinct()
            .order_by()[:2]
        )


def person_idle_limits(*, user_id: int) -> tuple[list[tuple[bool, int, int]], int | None]:
    """(is a student, staff limit, student limit) per active membership of the person, and the strictest
    staff limit of the schools they are a district admin of: two queries (``accounts.idle``)."""
    with all_schools():  # the database shows every school for it (row-level security)
        # unscoped: the person's own memberships in every school, read outside any school (their session).
        limits = [
            (role == Role.STUDENT, staff, students)
            for role, staff, students in Membership.objects.unscoped()
            .filter(user_id=user_id, is_active=True, school__is_active=True)
            .values_list("role", "school__idle_minutes_staff", "school__idle_minutes_students")
        ]
    district = School.objects.filter(organization__admins=user_id, is_active=True).aggregate(
        minutes=Min("idle_minutes_staff")
    )["minutes"]
    return limits, district


def section_list(
    *, user, roles: frozenset[str], search: str = "", term_id: int | None = None
) -> QuerySet[Section]:
    """Sections for the list page, with their teachers and student counts, in a constant number of
    queries."""
    sections = sections_visible_to(user=user, roles=roles).annotate(
        student_count=Count(
            "enrollments",
            filter=Q(enrollments__role=Enrollment.SectionRole.STUDENT, enrollments__is_active=True),
        )
    )
    if search:
        sections = sections.filter(
            Q(name__icontains=search) | Q(code__icontains=search) | Q(subject__icontains=search)
        )
    if term_id is not None:
        sections = sections.filter(term_id=term_id)
    return sections.order_by("name", "pk").prefetch_related(
        Prefetch(
            "enrollments",
            queryset=Enrollment.objects.filter(
                role=Enrollment.SectionRole.TEACHER, is_active=True
            ).select_related("user"),
            to_attr="teacher_enrollments",
        )
    )


def section_get(*, user, roles: frozenset[str], section_id: int) -> Section:
    """One section the user may see, or 404 (also for ids of other schools: no existence oracle)."""
    section = sections_visible_to(user=user, roles=roles).filter(pk=section_id).first()
    if section is None:
        raise Http404("No such section.")
    return section


def section_roster(*, section: Section, roles: frozenset[str]) -> dict[str, list[Enrollment]]:
    """Teachers of a section for everyone who may see it; its students only for adults."""
    enrollments = Enrollment.objects.filter(section=section, is_active=True)
    if roles.isdisjoint(STAFF_ROLES):
        enrollments = enrollments.filter(role=Enrollment.SectionRole.TEACHER)
    roster: dict[str, list[Enrollment]] = {"teachers": [], "students": []}
    for enrollment in enrollments.select_related("user").order_by("user__family_name", "user__given_name"):
        key = "teachers" if enrollment.role == Enrollment.SectionRole.TEACHER else "students"
        roster[key].append(enrollment)
    return roster


def school_student_enrollments(*, school_ids: list[int] | None = None) -> QuerySet[Enrollment]:
    """What makes someone one of a school's students wherever students are counted (the home page, the
    section dashboards, the school and district overviews): an active student enrolment in one of its
    sections. A student in two sections is one student; one with a student role but no section is not
    counted (the home page says how many such people there are).

    ``school_ids``: several schools at once (the district overview), already authorized by the caller."""
    if school_ids is None:
        enrollments = Enrollment.objects.all()
    else:
        # unscoped: the caller's district's schools, authorized by the caller and filtered by their ids
        enrollments = Enrollment.objects.unscoped().filter(school_id__in=school_ids)
    return enrollments.filter(role=Enrollment.SectionRole.STUDENT, is_active=True)


def school_census() -> dict[str, int]:
    """Active people per role, sections, terms and enrollments of the active school."""
    counts = dict(
        Membership.objects.filter(is_active=True)
        .order_by()
        .values("role")
        .annotate(n=Count("pk"))
        .values_list("role", "n")
    )
    enrolled = school_student_enrollments().values("user_id")
    students = enrolled.order_by().distinct().count()
    without_section = (
        Membership.objects.filter(is_active=True, role=Role.STUDENT).exclude(user_id__in=enrolled).count()
    )
    return {
        **{f"{role}s": counts.get(role, 0) for role in Role.values},
        # Students as every page counts them (enrolled in a section); the rest of the role, apart.
        "students": students,
        "students_without_section": without_section,
        "sections": Section.objects.count(),
        "terms": Term.objects.count(),
        "enrollments": Enrollment.objects.filter(is_active=True).count(),
    }


def district_schools(*, school: School, roles: frozenset[str]) -> QuerySet[School]:
    """The schools of ``school``'s organization, for its district admins; nothing for anyone else."""
    if DISTRICT_ADMIN not in roles:
        return School.objects.none()
    return School.objects.filter(organization_id=school.organization_id, is_active=True)


def people_list(
    *, roles: frozenset[str], search: str = "", role: str = "", grade: str = "", section_id: int | None = None
) -> QuerySet[Membership]:
    """The school's people (one row per role held), for school-wide roles; filtered by name or email, role,
    grade (from the roster) and section. Inactive memberships are listed too, so they can be reactivated."""
    if roles.isdisjoint(SCHOOL_WIDE_ROLES):
        return Membership.objects.none()
    people = Membership.objects.select_related("user")
    if search:
        people = people.filter(
            Q(user__given_name__icontains=search)
            | Q(user__family_name__icontains=search)
            | Q(user__email__icontains=search)
            | Q(user__username__icontains=search)
        )
    if role in Role.values:
        people = people.filter(role=role)
    if grade:
        people = people.filter(
            user_id__in=RosterPerson.objects.filter(grades__icontains=f'"{grade}"').values("user_id")
        )
    if section_id is not None:
        people = people.filter(
            user_id__in=Enrollment.objects.filter(section_id=section_id, is_active=True).values("user_id")
        )
    return people.order_by("user__family_name", "user__given_name", "user__email", "role", "pk")


def people_extras(*, user_ids: list[int]) -> dict[int, dict]:
    """Roster identity and invitation state of the people on one page (two queries, whatever the page)."""
    extras: dict[int, dict] = {user_id: {} for user_id in user_ids}
    for person in RosterPerson.objects.filter(user_id__in=user_ids).only("user_id", "sourced_id", "grades"):
        extras[person.user_id].update(sourced_id=person.sourced_id, grades=person.grades)
    for invitation in Invitation.objects.filter(user_id__in=user_ids):
        extras[invitation.user_id]["invitation"] = invitation
    return extras


def membership_get(*, roles: frozenset[str], membership_id: int) -> Membership:
    """One membership of the active school, for school-wide roles; 404 otherwise."""
    membership = people_list(roles=roles).filter(pk=membership_id).first()
    if membership is None:
        raise Http404("No such person.")
    return membership
