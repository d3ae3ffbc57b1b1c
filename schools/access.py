"""Who may see whom in the active school: every relation rule, once.

A person reaches students and sections through their roles and their relations: membership (the school's
admins see everyone), teaching enrolments (a teacher sees the students of the sections they teach), mentor
assignments (a mentor sees their mentees) and their own enrolments (a student sees themselves). Each rule
below is written once; pages, APIs, selectors and tasks call these functions instead of filtering
``Enrollment`` or ``MentorAssignment`` themselves (``tests/schools/test_access.py`` states them).

Every function returns a queryset or a value, never ``None`` for "everyone": the whole school is the
queryset of the whole school, so callers filter the same way for every role and a missing case fails
closed (an empty queryset). Lookups of one object raise 404 (no existence oracle across schools or
relations). Everything reads through the school-scoped managers: another school's rows never appear.

Mentor assignments are a relation of the school's people like enrolments (``schools.models``).
"""

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404

from accounts.models import User
from audit.recorder import student_seen
from plp.ids import is_id
from schools.models import Enrollment, Membership, MentorAssignment, Section
from schools.roles import SCHOOL_WIDE_ROLES, Role

TEACHING = Q(role=Enrollment.SectionRole.TEACHER, is_active=True)
LEARNING = Q(role=Enrollment.SectionRole.STUDENT, is_active=True)


def is_school_wide(roles: frozenset[str]) -> bool:
    """School and district admins: every section and every student of the school."""
    return not roles.isdisjoint(SCHOOL_WIDE_ROLES)


# Sections.


def sections_taught(*, user) -> QuerySet[Section]:
    """The sections ``user`` teaches (an active teaching enrolment), whatever else they may see: the
    sections they assign work to and run workshops for."""
    return Section.objects.filter(pk__in=Enrollment.objects.filter(TEACHING, user=user).values("section_id"))


def sections_overseen_by(*, user, roles: frozenset[str]) -> QuerySet[Section]:
    """Sections whose class data (dashboard, progress, what-ifs) the caller may see: every section for
    school-wide roles, the ones they teach for teachers, none for anyone else (students attend sections,
    they do not see their classmates; mentors see their mentees, not classes)."""
    sections = Section.objects.select_related("term").order_by("name", "pk")
    if is_school_wide(roles):
        return sections
    if Role.TEACHER not in roles:
        return sections.none()
    return sections.filter(pk__in=Enrollment.objects.filter(TEACHING, user=user).values("section_id"))


def section_overseen_get(*, user, roles: frozenset[str], section_id: int) -> Section:
    """One section whose class data the caller may see (:func:`sections_overseen_by`), or 404 (another
    teacher's, another school's, an id no row could have)."""
    section = (
        sections_overseen_by(user=user, roles=roles).filter(pk=section_id).first()
        if is_id(section_id)
        else None
    )
    if section is None:
        raise Http404("No such section.")
    return section


def sections_visible_to(*, user, roles: frozenset[str]) -> QuerySet[Section]:
    """Sections the caller may see listed: every section for school-wide roles, else the ones they teach
    or attend. Mentors see none here (their view is their mentees)."""
    sections = Section.objects.select_related("term")
    if is_school_wide(roles):
        return sections
    return sections.filter(pk__in=Enrollment.objects.filter(user=user, is_active=True).values("section_id"))


def student_section_ids(*, student) -> QuerySet:
    """Ids of the sections ``student`` learns in (an active student enrolment)."""
    return Enrollment.objects.filter(LEARNING, user=student).values("section_id")


# Students.


def _school_students() -> QuerySet[User]:
    return User.objects.filter(
        pk__in=Membership.objects.filter(role=Role.STUDENT, is_active=True).values("user_id")
    )


def _student_ids_of(sections: QuerySet[Section]) -> QuerySet:
    return Enrollment.objects.filter(LEARNING, section__in=sections).values("user_id")


def mentee_ids(*, mentor) -> QuerySet:
    """Ids of ``mentor``'s students (active assignments, primary or not)."""
    return MentorAssignment.objects.filter(mentor=mentor, is_active=True).values("student_id")


def students_taught_by(*, user) -> QuerySet[User]:
    """The active students of the sections ``user`` teaches, by name."""
    return (
        _school_students()
        .filter(pk__in=_student_ids_of(sections_taught(user=user)))
        .order_by("family_name", "given_name", "pk")
    )


def students_visible_to(*, user, roles: frozenset[str]) -> QuerySet[User]:
    """Students of the active school the caller may see: all for school-wide roles; mentees for mentors;
    the students of their sections for teachers; themselves for students."""
    students = _school_students()
    if is_school_wide(roles):
        return students
    visible = Q(pk__in=[])
    if Role.MENTOR in roles:
        visible |= Q(pk__in=mentee_ids(mentor=user))
    if Role.TEACHER in roles:
        visible |= Q(pk__in=_student_ids_of(sections_taught(user=user)))
    if Role.STUDENT in roles:
        visible |= Q(pk=user.pk)
    return students.filter(visible)


def students_in_care_of(*, user, roles: frozenset[str]) -> QuerySet[User]:
    """Students an adult looks after (flags, the drill-down): :func:`students_visible_to` as an adult, so a
    student looks after nobody, themselves included."""
    adult_roles = frozenset(roles) - {Role.STUDENT}
    if not adult_roles:
        return User.objects.none()
    return students_visible_to(user=user, roles=adult_roles)


def students_assessed_by(*, user, roles: frozenset[str]) -> QuerySet[User]:
    """Students whose mastery the caller may see and act on (evidence, overrides, check attempts): the
    whole school for school-wide roles, the students of their sections for teachers, nobody else. Mentors
    follow their mentees' mastery through the mentee pages, not these."""
    if is_school_wide(roles):
        return _school_students()
    if Role.TEACHER not in roles:
        return User.objects.none()
    return _school_students().filter(pk__in=_student_ids_of(sections_taught(user=user)))


def students_sharing_private_notes_with(*, user, roles: frozenset[str]) -> QuerySet[User]:
    """Students whose private check-in notes the caller may read: their mentors' and the school-wide
    roles' (:attr:`StudentAccess.sees_private_notes` for one student)."""
    if is_school_wide(roles):
        return _school_students()
    if Role.MENTOR not in roles:
        return User.objects.none()
    return _school_students().filter(pk__in=mentee_ids(mentor=user))


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


def student_access_get(
    *, user, roles: frozenset[str], student_id: int, audit_object: tuple[str, int] | None = None
) -> StudentAccess:
    """The student ``student_id`` of the active school as the caller may see them, or 404.

    An adult's access is recorded in the read-access audit log (``audit.recorder.student_seen``: buffered,
    written once per request), as the student or as ``audit_object`` (type, id) when the caller loaded a
    record of theirs (a goal, a check-in)."""
    if not is_id(student_id):
        raise Http404("No such student.")
    student = _school_students().filter(pk=student_id).first()
    if student is None:
        raise Http404("No such student.")
    access = StudentAccess(
        student=student,
        is_self=Role.STUDENT in roles and student.pk == user.pk,
        is_mentor=Role.MENTOR in roles and mentee_ids(mentor=user).filter(student_id=student.pk).exists(),
        is_teacher=Role.TEACHER in roles
        and _student_ids_of(sections_taught(user=user)).filter(user_id=student.pk).exists(),
        is_school_wide=is_school_wide(roles),
    )
    if not (access.is_self or access.is_staff):
        raise Http404("No such student.")
    object_type, object_id = audit_object or ("", "")
    student_seen(student_id=student.pk, access=access, object_type=object_type, object_id=object_id)
    return access


def student_in_care_get(*, user, roles: frozenset[str], student_id: int) -> StudentAccess:
    """A student the caller looks after as an adult (:func:`students_in_care_of`), or 404: the same
    relation as :func:`student_access_get` without the student's own view of themselves."""
    access = student_access_get(user=user, roles=frozenset(roles) - {Role.STUDENT}, student_id=student_id)
    if not access.is_staff:
        raise Http404("No such student.")
    return access


def is_mentor_of(*, user, roles: frozenset[str], student_id: int) -> bool:
    return Role.MENTOR in roles and mentee_ids(mentor=user).filter(student_id=student_id).exists()


def teaches_section(*, user, roles: frozenset[str], section_id: int) -> bool:
    return Role.TEACHER in roles and sections_taught(user=user).filter(pk=section_id).exists()
