"""The mastery rules as pure functions (no Django): readiness, retakes, respawn advice and replay.

Services pass plain values in; pages and the API explain the same result. The estimate guides (readiness,
recommendations); only a passed check, or a teacher's override, makes a competency mastered.

One package, a module per job: ``readiness`` (eligibility, retakes, status), ``decisions`` (the pass mark,
a check that stops once decided), ``carried`` (practice answers counted as a check's first questions),
``plan`` (a check's real size), ``replay`` (the ledger recomputed). Every name is re-exported here.
"""

from mastery.rules.carried import (
    CARRIED_PRACTICE_MAX,
    CARRIED_PRACTICE_WITHIN,
    PracticeMark,
    carried_line,
    carried_practice,
    check_end_line,
)
from mastery.rules.decisions import (
    check_decision,
    passes,
    questions_to_pass,
)
from mastery.rules.plan import (
    MIN_CHECK_QUESTIONS,
    CheckPlan,
    carry_into,
    check_plan,
)
from mastery.rules.readiness import (
    ESTIMATE,
    ITEMS_DONE,
    MASTERED,
    NOT_STARTED,
    PRACTICING,
    READY,
    TEACHER_UNLOCK,
    Eligibility,
    PolicyValues,
    Readiness,
    StateValues,
    eligibility,
    readiness,
    retake_wait,
    status_for,
)
from mastery.rules.replay import (
    Event,
    replay,
)

__all__ = [
    "CARRIED_PRACTICE_MAX",
    "CARRIED_PRACTICE_WITHIN",
    "ESTIMATE",
    "ITEMS_DONE",
    "MASTERED",
    "MIN_CHECK_QUESTIONS",
    "NOT_STARTED",
    "PRACTICING",
    "READY",
    "TEACHER_UNLOCK",
    "CheckPlan",
    "Eligibility",
    "Event",
    "PolicyValues",
    "PracticeMark",
    "Readiness",
    "StateValues",
    "carried_line",
    "carried_practice",
    "carry_into",
    "check_decision",
    "check_end_line",
    "check_plan",
    "eligibility",
    "passes",
    "questions_to_pass",
    "readiness",
    "replay",
    "retake_wait",
    "status_for",
]
