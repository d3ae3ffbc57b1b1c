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

from django.db.models import Count, Max, Q
from django.db.models.functions import Coalesce

from mastery import rules, selectors
from mastery.models import CheckAttempt, MasteryPolicy, MasteryState, MasteryStatus, PracticeAnswer
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
    competency page's ``check_supply`` plan), and how many right practice answers a check asked now is short
    of counting all it may (``carry_short``: :func:`carried_now`). Two queries, five more when any check is
    open, plus the playlists' rule for the competencies whose policy is "required items done" (it reads the
    student's items)."""
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
    plans = selectors.check_plans(pairs=open_now, policies=policies, default=default)
    for key, plan in plans.items():
        if not plan.can_run:
            verdicts[key] = dataclasses.replace(verdicts[key], allowed=False, reasons=[plan.reason])
    # And would it count all the practice it may as its first questions? What is short, the engine's Next up
    # suggests first (a right practice answer costs a slot as a check question does, and may still teach).
    can_carry = {key: plan for key, plan in plans.items() if plan.can_run and plan.carry_limit}
    for key, carried in carried_now(plans=can_carry, now=now).items():
        short = can_carry[key].carry_limit - carried
        if short:
            verdicts[key] = dataclasses.replace(verdicts[key], carry_short=short)
    return verdicts


def carried_now(
    *, plans: dict[tuple[int, int], rules.CheckPlan], now: dt.datetime
) -> dict[tuple[int, int], int]:
    """For each (student id, competency id) and its check plan: how many practice answers a check started
    ``now`` would count as its first questions — ``rules.carry_into`` on the facts
    ``selectors.carried_practice_for`` reads for one check, read here for many; all it may while a check is
    under way (it counted its practice as it started: nothing is short). Two queries (none for no pairs):
    each pair's checks (the end of the previous one, one under way), and the practice answers recent
    enough to carry."""
    if not plans:
        return {}
    student_ids = sorted({student_id for student_id, _ in plans})
    competency_ids = {competency_id for _, competency_id in plans}
    previous_end, running = {}, set()
    for row in (
        CheckAttempt.objects.filter(
            in_ids("student_id", student_ids), competency_id__in=competency_ids, started_at__isnull=False
        )
        .values("student_id", "competency_id")
        .annotate(
            ended=Max(Coalesce("submitted_at", "started_at")),
            running=Count("pk", filter=Q(status=CheckAttempt.Status.IN_PROGRESS)),
        )
    ):
        key = (row["student_id"], row["competency_id"])
        previous_end[key] = row["ended"]
        if row["running"]:
            running.add(key)
    answers: dict[tuple[int, int], list[tuple[int, bool, dt.datetime, int | None]]] = defaultdict(list)
    for student_id, competency_id, pk, correct, at, into in (
        PracticeAnswer.objects.filter(
            in_ids("student_id", student_ids),
            competency_id__in=competency_ids,
            answered_at__gte=now - rules.CARRIED_PRACTICE_WITHIN,
        )
        .order_by("answered_at", "pk")
        .values_list("student_id", "competency_id", "pk", "is_correct", "answered_at", "carried_into_id")
    ):
        answers[(student_id, competency_id)].append((pk, correct, at, into))
    carried = {}
    for key, plan in plans.items():
        if key in running:  # a check under way counted its practice when it started: none is short now
            carried[key] = plan.carry_limit
            continue
        since = previous_end.get(key)
        rows = [row for row in answers.get(key, ()) if since is None or row[2] > since]
        _, ids = rules.carry_into(
            plan,
            [rules.PracticeMark(pk, correct, at) for pk, correct, at, _ in rows],
            now=now,
            since=since,
            already_carried={pk for pk, _, _, into in rows if into is not None},
        )
        carried[key] = len(ids)
    return carried


def by_student(verdicts: dict[tuple[int, int], rules.Eligibility]) -> dict[int, dict[int, rules.Eligibility]]:
    grouped: dict[int, dict[int, rules.Eligibility]] = defaultdict(dict)
    for (student_id, competency_id), verdict in verdicts.items():
        grouped[student_id][competency_id] = verdict
    return grouped
