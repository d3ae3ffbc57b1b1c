"""Writes of the mastery app, a module a job: ``core`` (state, ledger, readiness, replay), ``practice``,
``evidence`` (rubric, tool and workshop scores), ``checks`` and ``overrides`` (a teacher's decisions). One
transaction per use case; every change of a student's state appends to the evidence ledger
(``EvidenceEvent``). The public writes are named here, so callers say ``mastery.services.check_request``."""

from mastery.services.checks import (
    check_answer,
    check_approve,
    check_decline,
    check_invalidate,
    check_request,
    check_response_save,
    check_submit,
)
from mastery.services.core import MasteryError, check_eligibility, mastery_replay, readiness_refresh
from mastery.services.evidence import (
    evidence_record_rubric_score,
    evidence_record_tool_score,
    evidence_record_tool_scores,
    evidence_record_workshop,
)
from mastery.services.overrides import check_unlock, mastery_override
from mastery.services.practice import practice_answer_replay, practice_answer_submit, practice_question_draw

__all__ = [
    "MasteryError",
    "check_answer",
    "check_approve",
    "check_decline",
    "check_eligibility",
    "check_invalidate",
    "check_request",
    "check_response_save",
    "check_submit",
    "check_unlock",
    "evidence_record_rubric_score",
    "evidence_record_tool_score",
    "evidence_record_tool_scores",
    "evidence_record_workshop",
    "mastery_override",
    "mastery_replay",
    "practice_answer_replay",
    "practice_answer_submit",
    "practice_question_draw",
    "readiness_refresh",
]
