"""The engine's entries in the cross-tenant matrix (tests/test_cross_tenant_matrix.py)."""

from engine.models import (
    Flag,
    FlagEvent,
    ItemDirective,
    SchoolThresholds,
    StudentEngineState,
    StudentRecommendation,
)


def snapshot(world):
    """Called inside the world's school scope."""
    return (
        sorted(Flag.objects.values_list("pk", "student_id", "kind", "subject", "status", "note")),
        FlagEvent.objects.count(),
        sorted(SchoolThresholds.objects.values_list("pk", "wheel_spin_answers")),
        sorted(StudentRecommendation.objects.values_list("pk", "student_id", "rank", "reason")),
        sorted(ItemDirective.objects.values_list("pk", "student_id", "item_id", "kind", "is_active")),
        sorted(StudentEngineState.objects.values_list("pk", "student_id", "dirty_since", "computed_at")),
    )
