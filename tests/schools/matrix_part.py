"""The schools app's entries in the cross-tenant matrix (tests/test_cross_tenant_matrix.py)."""

from schools.models import Enrollment, Membership, Section, Term
from tests.conftest import SchoolWorld
from tests.support import SchoolRoute

SCHOOL_B_OBJECT = {
    "section_id": lambda b: b.section.pk,
    "term_id": lambda b: b.term.pk,
}

SCHOOL_ROUTES = {
    "schools:home": SchoolRoute(),
    "schools:section_list": SchoolRoute(),
    "schools:section_detail": SchoolRoute(),
    "api:school": SchoolRoute(api=True),
    "api:term_list": SchoolRoute(api=True),
    "api:term_detail": SchoolRoute(api=True),
    "api:section_list": SchoolRoute(api=True),
    "api:section_detail": SchoolRoute(api=True),
}

GLOBAL_ROUTES = {
    "schools:picker": "lists only the requesting user's own schools",
    "accounts:login": "a login form",
    "accounts:logout": "ends the session",
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
}


def snapshot(world: SchoolWorld):
    """Called inside the world's school scope."""
    return (
        sorted(Section.objects.values_list("pk", "name", "code", "term_id")),
        sorted(Term.objects.values_list("pk", "name", "start_date", "end_date")),
        sorted(Enrollment.objects.values_list("pk", "section_id", "user_id", "role", "is_active")),
        sorted(Membership.objects.values_list("pk", "user_id", "role", "is_active")),
    )
