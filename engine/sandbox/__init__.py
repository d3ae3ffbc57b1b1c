"""The policy sandbox: what the engine would have said over the school's last weeks had one threshold been
different, replayed on stored data, and the change applied only on request.

A package, a module a job: ``thresholds`` (the settings a what-if may change, and the one way they
change), ``runs`` (start a what-if, the task's chunked replay, apply), ``ledgers`` (a chunk's stored
evidence, read in bulk) and ``replay`` (the pure day-by-day replay under both settings). The pages and the
task import the runs' and thresholds' names from here.
"""

from engine.sandbox.replay import LIMITS
from engine.sandbox.runs import (
    CHUNK,
    DEFAULT_WEEKS,
    MAX_WEEKS,
    SANDBOX_REPLAY,
    sandbox_apply,
    sandbox_run_execute,
    sandbox_run_start,
    sandbox_students,
)
from engine.sandbox.thresholds import (
    DECIDES,
    FIELDS,
    RULE_FLAG_ONLY,
    thresholds_candidate,
    thresholds_row,
    thresholds_update,
    with_change,
)

__all__ = [
    "CHUNK",
    "DECIDES",
    "DEFAULT_WEEKS",
    "FIELDS",
    "LIMITS",
    "MAX_WEEKS",
    "RULE_FLAG_ONLY",
    "SANDBOX_REPLAY",
    "sandbox_apply",
    "sandbox_run_execute",
    "sandbox_run_start",
    "sandbox_students",
    "thresholds_candidate",
    "thresholds_row",
    "thresholds_update",
    "with_change",
]
