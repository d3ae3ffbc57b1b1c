"""The school's thresholds a what-if may change, and the one way they change: ``thresholds_update``, which
only the sandbox's Apply calls (engine/sandbox/runs.py). A what-if's candidate row is validated as the
settings themselves are, without being saved.
"""

from django.core.exceptions import ValidationError
from django.db import transaction

from engine.enqueue import students_mark_dirty
from engine.models import SchoolThresholds
from plp.tenancy.context import current_school_id
from schools.models import Membership
from schools.roles import Role

# The school's settings a what-if may change (SchoolThresholds' columns), as people read them.
FIELDS = {
    "attention_enter_score": "Needs attention: score that opens an entry",
    "attention_exit_score": "Needs attention: score that keeps an entry open",
    "pace_margin": "Behind pace: margin (share of the work)",
    "pace_recent_school_days": "Behind pace: school days that show catching up",
    "wheel_spin_answers": "Wheel-spinning: answers without mastery",
    "failed_checks": "Failed checks in a row",
    "inactive_school_days": "Inactive: school days without work",
    "falling_window": "Falling trend: answers in the window",
    "falling_drop": "Falling trend: drop in the share right",
    "ready_p_mastered": "Estimate that counts as learning",
    "review_after_days": "Spaced review: days after mastery",
    "check_in_days": "Mentor check-in: days between",
    "check_in_grace_days": "Mentor check-in: days of grace",
}


def thresholds_row() -> SchoolThresholds:
    """The school's row, or an unsaved one holding the documented defaults."""
    return SchoolThresholds.objects.first() or SchoolThresholds(school_id=current_school_id())


def with_change(row: SchoolThresholds, field: str, value) -> SchoolThresholds:
    """The row with one setting changed. A score that opens a "needs attention" entry lowered below the
    score that keeps one open takes that one down with it, so the pair stays valid (an entry is kept at
    most down to where it opens): the defaults are equal (0.28 and 0.28), and a lower entry score would
    otherwise be refused."""
    setattr(row, field, SchoolThresholds._meta.get_field(field).to_python(value))
    if field == "attention_enter_score" and row.attention_exit_score > row.attention_enter_score:
        row.attention_exit_score = row.attention_enter_score
    return row


def thresholds_candidate(*, field: str, value) -> SchoolThresholds:
    """The school's thresholds with one change, validated as the settings themselves are (field errors)."""
    if field not in FIELDS:
        raise ValidationError({"field": "Choose one of the settings listed."})
    row = thresholds_row()
    try:
        with_change(row, field, value)
    except ValidationError as exc:
        raise ValidationError({"value": exc.messages}) from exc
    try:
        row.full_clean(exclude=["school"])
    except ValidationError as exc:
        errors = exc.message_dict
        raise ValidationError({"value": [m for ms in errors.values() for m in ms]}) from exc
    return row


@transaction.atomic
def thresholds_update(*, by, changes: dict) -> SchoolThresholds:
    """The one way a school's thresholds change (from the sandbox's Apply): validated like the admin's form,
    then every student of the school is marked for recompute so flags and Next up follow."""
    row = thresholds_row()
    for field, value in changes.items():
        if field not in FIELDS:
            raise ValidationError({field: "Not a setting of the school."})
        with_change(row, field, value)
    row.full_clean(exclude=["school"])
    row.save()
    students = Membership.objects.filter(role=Role.STUDENT, is_active=True).values_list("user_id", flat=True)
    students_mark_dirty(student_ids=set(students))
    return row
