"""seed_demo's last step: run the engine once for every demo student, so Next up and flags are there."""

from engine import services
from plp.tenancy.context import school_scope
from schools.models import Membership
from schools.roles import Role

CHUNK = 500


def seed(*, result) -> None:
    for school in result.schools:
        with school_scope(school):
            ids = list(
                Membership.objects.filter(role=Role.STUDENT, is_active=True).values_list("user_id", flat=True)
            )
            for start in range(0, len(ids), CHUNK):
                services.students_recompute(student_ids=ids[start : start + CHUNK])
