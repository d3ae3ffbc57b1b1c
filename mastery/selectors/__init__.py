"""Reads of the mastery app, all inside the active school. Objects are looked up role-aware: an id the
caller may not see is a 404, whether it exists elsewhere or not.

A package, a module a job: ``students`` (the role sets, a student looked up as the caller may assess
them, the student's own competencies and levels), ``state`` (a competency's policy and BKT parameters, a
student's mastery state, the states the playlists app asks for), ``checks`` (the check a student would
get now, carried practice, check attempts) and ``banks`` (question banks for authoring and the offline
practice pack). Every name is re-exported here: callers write ``from mastery import selectors`` and
``selectors.check_supply``.
"""

from mastery.selectors.banks import (
    PACK_SIZE,
    BankSupply,
    bank_get,
    bank_plan,
    bank_supply,
    banks_visible_to,
    practice_pack,
    question_get,
)
from mastery.selectors.checks import (
    DEFAULT_EXCLUSION_DAYS,
    CheckSupply,
    attempt_for_staff,
    attempt_for_student,
    attempts_of,
    carried_practice_for,
    check_plans,
    check_supply,
)
from mastery.selectors.state import (
    competency_get,
    mastered_by_students,
    mastered_competency_ids,
    model_params_for,
    policy_for,
    policy_values,
    state_for,
    state_values,
    students_with_states,
)
from mastery.selectors.students import (
    AUTHOR_ROLES,
    TEACHING_ROLES,
    SubjectLevels,
    is_student,
    levels_for,
    mastery_totals,
    student_competencies,
    student_get,
)

__all__ = [
    "AUTHOR_ROLES",
    "DEFAULT_EXCLUSION_DAYS",
    "PACK_SIZE",
    "TEACHING_ROLES",
    "BankSupply",
    "CheckSupply",
    "SubjectLevels",
    "attempt_for_staff",
    "attempt_for_student",
    "attempts_of",
    "bank_get",
    "bank_plan",
    "bank_supply",
    "banks_visible_to",
    "carried_practice_for",
    "check_plans",
    "check_supply",
    "competency_get",
    "is_student",
    "levels_for",
    "mastered_by_students",
    "mastered_competency_ids",
    "mastery_totals",
    "model_params_for",
    "policy_for",
    "policy_values",
    "practice_pack",
    "question_get",
    "state_for",
    "state_values",
    "student_competencies",
    "student_get",
    "students_with_states",
]
