"""The agency app's entries in the cross-tenant matrix (tests/test_cross_tenant_matrix.py)."""

from agency.models import LadderSettings, LevelDecision, StudentLevel
from tests.support import SchoolRoute

SCHOOL_ROUTES = {
    "agency:my_work": SchoolRoute(),
    "agency:my_level": SchoolRoute(),
    "agency:ladder": SchoolRoute(),
    "agency:section_levels": SchoolRoute(),
    "agency:student_level": SchoolRoute(),
    "agency:level_change": SchoolRoute(),
    "agency:suggestion_decline": SchoolRoute(),
}


def snapshot(world):
    return (
        sorted(StudentLevel.objects.values_list("pk", "student_id", "rank", "pace_target")),
        sorted(LevelDecision.objects.values_list("pk", "student_id", "kind", "to_rank", "reason")),
        sorted(LadderSettings.objects.values_list("pk", "start_rank", "weeks")),
    )
