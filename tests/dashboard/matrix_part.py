"""The dashboard app's entries in the cross-tenant matrix (tests/test_cross_tenant_matrix.py)."""

from tests.conftest import SchoolWorld
from tests.support import SchoolRoute


def _flag(b: SchoolWorld) -> int:
    from engine.models import Flag
    from plp.tenancy.context import school_scope
    from schools.roles import Role

    with school_scope(b.school):
        return Flag.objects.create(
            school=b.school, student=b.user(Role.STUDENT), kind="inactive", subject="", severity="high",
            summary="bravo inactive", suggested_action="bravo call", raised_at="2026-11-20T10:00:00Z",
            updated_at="2026-11-20T10:00:00Z",
        ).pk  # fmt: skip


SCHOOL_B_OBJECT = {
    "flag_id": lambda b: b.once("dashboard_flag", _flag),
    "student_id": lambda b: b.user("student").pk,
}

SCHOOL_ROUTES = {
    "dashboard:index": SchoolRoute(),
    "dashboard:section": SchoolRoute(),
    "dashboard:section_grid": SchoolRoute(),
    "dashboard:section_csv": SchoolRoute(),
    "dashboard:section_flags": SchoolRoute(),
    "dashboard:flag_acknowledge": SchoolRoute(),
    "dashboard:flag_resolve": SchoolRoute(),
    "dashboard:student": SchoolRoute(),
    "dashboard:school_overview": SchoolRoute(),
    "dashboard:district_overview": SchoolRoute(),
    "api:dashboard_section_summary": SchoolRoute(api=True),
    "api:dashboard_student_summary": SchoolRoute(api=True),
}

GLOBAL_ROUTES: dict[str, str] = {}
ADMIN_OBJECT: dict = {}
