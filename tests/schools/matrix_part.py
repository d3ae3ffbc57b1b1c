"""The schools app's entries in the cross-tenant matrix (tests/test_cross_tenant_matrix.py)."""

from schools.models import Enrollment, Membership, MentorAssignment, School, Section, Term
from schools.rostering.models import ImportRun, Invitation, RosterPerson
from tests.conftest import SchoolWorld
from tests.support import SchoolRoute


def _import_run(b: SchoolWorld) -> int:
    from plp.tenancy.context import school_scope

    with school_scope(b.school):
        return ImportRun.objects.create(school=b.school, archive=b"", report=[], counts={}).pk


def _assignment(b: SchoolWorld) -> int:
    from schools.roles import Role
    from tests.factories import MentorAssignmentFactory

    return MentorAssignmentFactory(
        school=b.school, mentor=b.user(Role.MENTOR), student=b.user(Role.STUDENT)
    ).pk


def _membership(b: SchoolWorld) -> int:
    from plp.tenancy.context import school_scope
    from schools.roles import Role

    with school_scope(b.school):
        return Membership.objects.get(user=b.user(Role.STUDENT), role=Role.STUDENT).pk


SCHOOL_B_OBJECT = {
    "section_id": lambda b: b.section.pk,
    "term_id": lambda b: b.term.pk,
    "import_run_id": lambda b: b.once("import_run", _import_run),
    "membership_id": lambda b: b.once("membership", _membership),
    "assignment_id": lambda b: b.once("assignment", _assignment),
}

SCHOOL_ROUTES = {
    "schools:home": SchoolRoute(),
    "schools:section_list": SchoolRoute(),
    "schools:section_detail": SchoolRoute(),
    "schools:section_edit": SchoolRoute(),
    "schools:onboarding": SchoolRoute(),
    "schools:roster_upload": SchoolRoute(),
    "schools:school_create": SchoolRoute(),
    "schools:import_detail": SchoolRoute(),
    "schools:import_progress": SchoolRoute(),
    "schools:import_report_csv": SchoolRoute(),
    "schools:people": SchoolRoute(),
    "schools:invite_pending": SchoolRoute(),
    "schools:person_active": SchoolRoute(),
    "schools:person_invite": SchoolRoute(),
    "schools:person_reset": SchoolRoute(),
    "schools:person_unlock": SchoolRoute(),
    "schools:person_sign_out": SchoolRoute(),
    "schools:person_email": SchoolRoute(),
    "schools:person_password": SchoolRoute(),
    "schools:mentor_assign": SchoolRoute(),
    "schools:mentor_csv": SchoolRoute(),
    "schools:mentor_end": SchoolRoute(),
    "api:school": SchoolRoute(api=True),
    "api:term_list": SchoolRoute(api=True),
    "api:term_detail": SchoolRoute(api=True),
    "api:section_list": SchoolRoute(api=True),
    "api:section_detail": SchoolRoute(api=True),
    "api:district_school_list": SchoolRoute(api=True),
    "api:people_list": SchoolRoute(api=True),
    "api:enrollment_list": SchoolRoute(api=True),
    "api:mentor_assignment_list": SchoolRoute(api=True),
    "api:mentor_assignment_detail": SchoolRoute(api=True),
    "api:import_run_list": SchoolRoute(api=True),
    "api:import_run_detail": SchoolRoute(api=True),
    "api:import_run_confirm": SchoolRoute(api=True),
    "api:import_run_report": SchoolRoute(api=True),
}

GLOBAL_ROUTES = {
    "schools:picker": "lists only the requesting user's own schools",
    "accounts:login": "a login form",
    "accounts:logout": "ends the session",
    "accounts:invitation": "sets the password of the account named by a signed token; nothing without one",
    "api:token": "exchanges the caller's own credentials for a token",
    "api:my_schools": "the requesting user's own schools",
    "api_schema": "the OpenAPI document: no data",
    "api_docs": "Swagger UI: no data",
    "healthz": "database liveness: no data",
}

# Django admin changelist/change pages: admin/<app>/<model>/… → school B's object of that model.
ADMIN_OBJECT = {
    "section": lambda b: b.section.pk,
    "term": lambda b: b.term.pk,
    "school": lambda b: b.school.pk,
    "organization": lambda b: b.school.organization_id,
    "user": lambda b: b.user("teacher").pk,
    "importrun": lambda b: b.once("import_run", _import_run),
}


def snapshot(world: SchoolWorld):
    """Called inside the world's school scope."""
    return (
        sorted(Section.objects.values_list("pk", "name", "code", "term_id", "sourced_id")),
        sorted(Term.objects.values_list("pk", "name", "start_date", "end_date", "sourced_id")),
        sorted(Enrollment.objects.values_list("pk", "section_id", "user_id", "role", "is_active")),
        sorted(Membership.objects.values_list("pk", "user_id", "user__email", "role", "is_active")),
        sorted(RosterPerson.objects.values_list("pk", "sourced_id", "is_active")),
        sorted(ImportRun.objects.values_list("pk", "status", "skip_problem_rows", "progress")),
        sorted(Invitation.objects.values_list("pk", "times_sent")),
        sorted(
            MentorAssignment.objects.values_list("pk", "mentor_id", "student_id", "is_primary", "is_active")
        ),
        School.objects.filter(pk=world.school.pk).values_list("name", "timezone", "grade_levels").get(),
    )
