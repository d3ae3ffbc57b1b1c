"""The privacy app's entries in the cross-tenant matrix (tests/test_cross_tenant_matrix.py). The student_id
kwarg is school B's student (tests/learners/matrix_part.py makes it)."""

from accounts.models import User
from privacy.models import Departure, Erasure, ParentalConsent, PrivacySettings
from schools.models import Membership
from schools.roles import Role
from tests.conftest import SchoolWorld
from tests.support import SchoolRoute

SCHOOL_ROUTES = {
    "privacy:index": SchoolRoute(),
    "privacy:student": SchoolRoute(),
    "privacy:export": SchoolRoute(),
    "privacy:erase": SchoolRoute(),
}


def snapshot(world: SchoolWorld):
    student = User.objects.get(pk=world.user(Role.STUDENT).pk)
    return (
        (student.email, student.given_name, student.is_active),
        sorted(Membership.objects.filter(user=student).values_list("pk", "role", "is_active")),
        sorted(ParentalConsent.objects.values_list("pk", "status")),
        sorted(PrivacySettings.objects.values_list("pk", "audit_retention_days", "evidence_on_erasure")),
        sorted(Erasure.objects.values_list("pk", "student_id")),
        sorted(Departure.objects.values_list("pk", "student_id")),
    )
