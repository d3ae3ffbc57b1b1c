"""The engine's entries in the cross-tenant matrix (tests/test_cross_tenant_matrix.py)."""

from engine.models import (
    Flag,
    FlagEvent,
    ItemDirective,
    SandboxChange,
    SandboxRun,
    SchoolThresholds,
    StudentEngineState,
    StudentRecommendation,
)
from plp.tenancy.context import school_scope
from schools.roles import Role
from tests.factories import ContentItemFactory
from tests.support import SchoolRoute


def _b_directive(b) -> int:
    def make(b):
        item = ContentItemFactory(school=b.school, title="BRAVO pinned item")
        with school_scope(b.school):
            return ItemDirective.objects.create(
                school=b.school, student=b.user(Role.STUDENT), item=item, kind="pin", reason="bravo reason"
            )

    return b.once("directive", make).pk


def _b_sandbox_run(b) -> int:
    def make(b):
        with school_scope(b.school):
            run = SandboxRun.objects.create(
                school=b.school, created_by=b.user(Role.SCHOOL_ADMIN), field="pace_margin",
                value_before=0.1, value_after=0.2, weeks=4, status=SandboxRun.Status.DONE,
                students_total=1, students_done=1,
            )  # fmt: skip
            SandboxChange.objects.create(
                school=b.school, run=run, student=b.user(Role.STUDENT), attention_days=1, next_up_days=0,
                flagged_days_before=0, flagged_days_after=1, attention_before="Not flagged",
                attention_after="BRAVO blocked", next_before="bravo", next_after="bravo",
            )  # fmt: skip
            return run

    return b.once("sandbox_run", make).pk


SCHOOL_B_OBJECT = {
    "student_id": lambda b: b.user(Role.STUDENT).pk,
    "directive_id": _b_directive,
    "run_id": _b_sandbox_run,
}

SCHOOL_ROUTES = {
    "engine:student_next_up": SchoolRoute(),
    "engine:directive_end": SchoolRoute(),
    "engine:sandbox": SchoolRoute(),
    "engine:sandbox_run": SchoolRoute(),
    "engine:sandbox_progress": SchoolRoute(),
    "api:engine_student_next_up": SchoolRoute(api=True),
    "api:engine_directive_create": SchoolRoute(api=True),
    "api:engine_directive_end": SchoolRoute(api=True),
}


def snapshot(world):
    """Called inside the world's school scope."""
    return (
        sorted(Flag.objects.values_list("pk", "student_id", "kind", "subject", "status", "note")),
        FlagEvent.objects.count(),
        sorted(SchoolThresholds.objects.values_list("pk", "wheel_spin_answers")),
        sorted(StudentRecommendation.objects.values_list("pk", "student_id", "rank", "reason")),
        sorted(ItemDirective.objects.values_list("pk", "student_id", "item_id", "kind", "is_active")),
        sorted(StudentEngineState.objects.values_list("pk", "student_id", "dirty_since", "computed_at")),
        sorted(SandboxRun.objects.values_list("pk", "status", "applied_at")),
        SandboxChange.objects.count(),
    )
