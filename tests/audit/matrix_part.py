"""The audit app's entries in the cross-tenant matrix (tests/test_cross_tenant_matrix.py)."""

from audit.models import AuditEntry
from tests.conftest import SchoolWorld
from tests.support import SchoolRoute

SCHOOL_ROUTES = {
    "audit:log": SchoolRoute(),
    "audit:export": SchoolRoute(),
}


def snapshot(world: SchoolWorld):
    return sorted(AuditEntry.objects.values_list("pk", "kind", "student_id", "actor_id"))
