"""Mastery's one readiness-for-a-check rule, worded for people and read in bulk for the engine.

``rules.eligibility`` decides (threshold per the competency's policy, practice after a failed check, the
cooldown, a teacher's unlock); this module puts its answer in words (the retry time in the school's time
zone) and answers it for many students at once, so the engine's snapshot carries the same verdict the
competency page shows instead of a second copy of the rule.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict

from mastery import rules, selectors
from mastery.models import MasteryPolicy, MasteryState, MasteryStatus
from mastery.readiness import items_done_readiness
from plp.bulk import in_ids
from plp.timefmt import format_moment


def retry_sentence(opens_at: dt.datetime) -> str:
    return f"Your next try opens at {format_moment(opens_at)}."


def worded(verdict: rules.Eligibility) -> rules.Eligibility:
    """The verdict with the running cooldown said in words, in the school's time zone."""
    if verdict.retry_opens_at is None:
        return verdict
    return dataclasses.replace(verdict, reasons=[*verdict.reasons, retry_sentence(verdict.retry_opens_at)])


def eligibilities(*, student_ids, now: dt.datetime) -> dict[tuple[int, int], rules.Eligibility]:
    """The worded verdict for every unmastered competency these students of the active school have a state
    on, keyed by (student id, competency id), a check the bank cannot supply counting as not open (the
    competency page's ``check_supply`` plan). Two queries, three more when any check is open, plus the
    playlists' rule for the competencies whose policy is "required items done" (it reads the student's
    items)."""
    rows = list(
        MasteryState.objects.filter(in_ids("student_id", list(student_ids))).exclude(
            status=MasteryStatus.MASTERED
        )
    )
    policies = {
        policy.competency_id: selectors.policy_values(policy)
        for policy in MasteryPolicy.objects.filter(competency_id__in={row.competency_id for row in rows})
    }
    default = selectors.policy_values(MasteryPolicy())
    verdicts: dict[tuple[int, int], rules.Eligibility] = {}
    for state in rows:
        policy = policies.get(state.competency_id, default)
        items_done = None
        if policy.readiness_rule == rules.ITEMS_DONE:
            # The playlists' rule reads the student's items: its own queries, for these competencies only.
            items_done = items_done_readiness(student=state.student, competency=state.competency)
        verdict = rules.eligibility(policy, selectors.state_values(state), now, items_done)
        verdicts[(state.student_id, state.competency_id)] = worded(verdict)
    # Ready by the rule, but can the bank supply the check? The same plan the competency page reads.
    open_now = {key for key, verdict in verdicts.items() if verdict.allowed}
    for key, plan in selectors.check_plans(pairs=open_now, policies=policies, default=default).items():
        if not plan.can_run:
            verdicts[key] = dataclasses.replace(verdicts[key], allowed=False, reasons=[plan.reason])
    return verdicts


def by_student(verdicts: dict[tuple[int, int], rules.Eligibility]) -> dict[int, dict[int, rules.Eligibility]]:
    grouped: dict[int, dict[int, rules.Eligibility]] = defaultdict(dict)
    for (student_id, competency_id), verdict in verdicts.items():
        grouped[student_id][competency_id] = verdict
    return grouped
