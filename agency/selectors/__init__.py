"""Reads about self-direction levels: the school's ladder, a student's rung, the weeks of evidence behind a
suggestion, and which items a student may pick now. Always inside the active school.

A package, a module a job: ``levels`` (the ladder and a student's rung), ``weeks`` (the weeks of evidence
the rule reads), ``evidence`` (the rule's suggestion over those weeks) and ``picks`` (what a student may
start at their rung). Every name is re-exported here.
"""

# The default criteria, which the ladder page reads as selectors.DEFAULT_CRITERIA.
from agency.policy import DEFAULT_CRITERIA
from agency.selectors.evidence import Evidence, evidence_for, evidences_for
from agency.selectors.levels import (
    Level,
    criteria,
    decisions_of,
    ladder,
    ladder_settings,
    level_of,
    levels_of,
    section_levels,
    start_rank,
)
from agency.selectors.picks import CHOICES, Choices, choices_from, pick_refusal
from agency.selectors.weeks import week_histories, week_history

__all__ = [
    "CHOICES",
    "DEFAULT_CRITERIA",
    "Choices",
    "Evidence",
    "Level",
    "choices_from",
    "criteria",
    "decisions_of",
    "evidence_for",
    "evidences_for",
    "ladder",
    "ladder_settings",
    "level_of",
    "levels_of",
    "pick_refusal",
    "section_levels",
    "start_rank",
    "week_histories",
    "week_history",
]
