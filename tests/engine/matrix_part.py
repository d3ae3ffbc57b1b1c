"""The engine's entries in the cross-tenant matrix (tests/test_cross_tenant_matrix.py)."""

from engine.models import Flag, FlagEvent, SchoolThresholds


def snapshot(world):
    """Called inside the world's school scope."""
    return (
        sorted(Flag.objects.values_list("pk", "student_id", "kind", "subject", "status", "note")),
        FlagEvent.objects.count(),
        sorted(SchoolThresholds.objects.values_list("pk", "wheel_spin_answers")),
    )
