"""The school's thresholds a what-if may change, and the one way they change: ``thresholds_update``, which
only the sandbox's Apply calls (engine/sandbox/runs.py). A what-if's candidate row is validated as the
settings themselves are, without being saved.
"""

from django.core.exceptions import ValidationError
from django.db import transaction

from engine.enqueue import students_mark_dirty
from engine.school_policy import SchoolPolicy
from schools.models import Membership
from schools.roles import Role

# The school's settings a what-if may change (SchoolThresholds' and SchoolSettings' columns), as read.
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
    "learning_p_mastered": "Estimate that counts as learning",
    "review_after_days": "Spaced review: days after mastery",
    "check_in_days": "Mentor check-in: days between",
    "check_in_grace_days": "Mentor check-in: days of grace",
}

# What each setting decides, in the engine's rules (engine/policy/), so a what-if that changes nobody can say
# why: no student was where the setting decides anything in the weeks replayed. A what-if compares each
# student's "needs attention" entry, their Next up (the list, its order and the reasons it gives) and the
# rule flags (the entry's evidence, and the dashboard's flags column), day by day.
_RULE_FLAG_ONLY = " The entry and Next up do not read it: the replay compares that flag, day by day."
DECIDES = {
    "attention_enter_score": "when a student's “needs attention” entry opens: the score that opens it.",
    "attention_exit_score": "how long an open “needs attention” entry stays open as the score falls.",
    "pace_margin": (
        "when a playlist counts as behind its plan: Next up's reason says so (“… is behind its plan”), and "
        "the behind-pace flag. It never reorders Next up: the ranking weighs how far behind a playlist is, "
        "whatever the margin."
    ),
    "pace_recent_school_days": "whether a student behind pace is catching up: the behind-pace flag only."
    + _RULE_FLAG_ONLY,
    "wheel_spin_answers": (
        "when many misses count as wheel-spinning: Next up's way back to a mastered prerequisite, and the "
        "wheel-spinning flag."
    ),
    "failed_checks": "when failed checks in a row raise the repeated-failed-checks flag." + _RULE_FLAG_ONLY,
    "inactive_school_days": "when school days without work raise the inactivity flag." + _RULE_FLAG_ONLY,
    "falling_window": "the answers the falling-trend flag compares." + _RULE_FLAG_ONLY,
    "falling_drop": "how far the share right must fall for the falling-trend flag." + _RULE_FLAG_ONLY,
    "learning_p_mastered": (
        "when an estimate counts as learning: below it, ten answers or more with few right are "
        "wheel-spinning (Next up sends the student back to a mastered prerequisite), and a mastered "
        "competency whose estimate fell under it after a review is due again at once. It does not open "
        "mastery checks: each competency's mastery policy does."
    ),
    "review_after_days": "when a mastered competency is due its first spaced review in Next up.",
    "check_in_days": "when a mentor check-in is due: the missed-check-in flag." + _RULE_FLAG_ONLY,
    "check_in_grace_days": "how late a check-in may be before the missed-check-in flag." + _RULE_FLAG_ONLY,
}
# The settings that decide a rule flag only: a what-if on one can change the rule flags, not the entry or Next
# up (its page leads with the rule flags).
RULE_FLAG_ONLY = frozenset(field for field, text in DECIDES.items() if text.endswith(_RULE_FLAG_ONLY))


def thresholds_row() -> SchoolPolicy:
    """The school's settings as one row: its engine thresholds and its own settings (pace tolerance,
    check-in cadence and grace; ``engine/school_policy.py``), each saved or unsaved holding the defaults."""
    return SchoolPolicy.read()


def with_change(row: SchoolPolicy, field: str, value) -> SchoolPolicy:
    """The row with one setting changed. A score that opens a "needs attention" entry lowered below the
    score that keeps one open takes that one down with it, so the pair stays valid (an entry is kept at
    most down to where it opens): the defaults are equal (0.26 and 0.26), and a lower entry score would
    otherwise be refused."""
    row.set(field, value)
    if field == "attention_enter_score" and row.attention_exit_score > row.attention_enter_score:
        row.set("attention_exit_score", row.attention_enter_score)
    return row


def thresholds_candidate(*, field: str, value, current: SchoolPolicy | None = None) -> SchoolPolicy:
    """The school's thresholds with one change, validated as the settings themselves are (field errors).
    ``current``: the settings as already read (left as they are), else read here."""
    if field not in FIELDS:
        raise ValidationError({"field": "Choose one of the settings listed."})
    row = current.copy() if current is not None else thresholds_row()
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
def thresholds_update(*, by, changes: dict, current: SchoolPolicy | None = None) -> SchoolPolicy:
    """The one way a school's thresholds change (from the sandbox's Apply): validated like the admin's form,
    then every student of the school is marked for recompute so flags and Next up follow. ``current``: the
    settings as the caller already read them (changed and saved), else read here."""
    row = current or thresholds_row()
    for field, value in changes.items():
        if field not in FIELDS:
            raise ValidationError({field: "Not a setting of the school."})
        with_change(row, field, value)
    row.full_clean(exclude=["school"])
    row.save(fields=changes)
    students = Membership.objects.filter(role=Role.STUDENT, is_active=True).values_list("user_id", flat=True)
    students_mark_dirty(student_ids=set(students))
    return row
