"""Writes of the engine, a module a job: `recompute` (next items and flags of a chunk of students, the
sweep's plan), `flags` (the flags' lifecycle: reconcile with findings, adults handling them), `directives`
(teachers' pins and vetoes). Callers use ``services.<write>``."""

from engine.services.directives import REASON_MAX, directive_add, directive_end
from engine.services.flags import NOTE_MAX, flag_acknowledge, flag_resolve, flags_apply
from engine.services.recompute import students_recompute, sweep_plan

__all__ = [
    "NOTE_MAX",
    "REASON_MAX",
    "directive_add",
    "directive_end",
    "flag_acknowledge",
    "flag_resolve",
    "flags_apply",
    "students_recompute",
    "sweep_plan",
]
