"""A student's level and the rule's suggestion (promote, step back, stay) over the weeks counted since
their level last changed, with the last decision on it; for one student or a page of them.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils import timezone

from agency.models import LevelDecision, StudentLevel
from agency.policy import (
    Direction,
    Suggestion,
    WeekEvidence,
    suggest,
)
from agency.selectors.levels import Level, criteria, ladder, ladder_settings, start_rank
from agency.selectors.weeks import week_histories


@dataclass
class Evidence:
    level: Level
    suggestion: Suggestion
    weeks: list[WeekEvidence] = field(default_factory=list)
    last_decision: LevelDecision | None = None
    counted_from: dt.date | None = None  # the day the level last changed: only weeks begun since count

    @property
    def declined(self) -> bool:
        """The same suggestion was declined already (since the last change of level)."""
        d = self.last_decision
        return (
            d is not None
            and d.kind == LevelDecision.Kind.DECLINED
            and d.suggested == self.suggestion.direction
            and d.from_rank == self.suggestion.from_rank
        )

    @property
    def promotion_suggested(self) -> bool:
        """The rule suggests a promotion that nobody has declined yet (the mentee list's marker)."""
        return self.suggestion.direction == Direction.PROMOTE and not self.declined


def evidence_for(*, student, today: dt.date | None = None) -> Evidence:
    """The student's level, the rule's suggestion and the weeks it read."""
    return evidences_for(student_ids=[student.pk], today=today)[student.pk]


def evidences_for(*, student_ids, today: dt.date | None = None) -> dict[int, Evidence]:
    """:func:`evidence_for` of several students (a page of the mentee list): the same rule, read in a fixed
    number of queries whatever their number."""
    today = today or timezone.localdate()
    ids = list(student_ids)
    rungs = ladder()
    settings = ladder_settings()
    rules = criteria(settings)
    start = start_rank(rungs, settings)
    recorded = {r.student_id: r for r in StudentLevel.objects.filter(student_id__in=ids)}
    histories = week_histories(student_ids=ids, today=today, weeks=rules.weeks)
    decisions: dict[int, list[LevelDecision]] = defaultdict(list)
    for decision in LevelDecision.objects.filter(student_id__in=ids).exclude(
        kind=LevelDecision.Kind.PACE_TARGET
    ):  # newest first
        decisions[decision.student_id].append(decision)
    result = {}
    for student_id in ids:
        mine = recorded.get(student_id)
        rank = mine.rank if mine else start
        level = Level(rung=rungs[min(rank, len(rungs)) - 1], rungs=rungs, recorded=mine)
        # A promotion or a step back starts the evidence afresh (a first placement does not: it is where
        # the student starts, not something the weeks before it earned).
        changed_at = next(
            (
                d.decided_at
                for d in decisions[student_id]
                if d.kind in (LevelDecision.Kind.PROMOTED, LevelDecision.Kind.STEPPED_BACK)
            ),
            None,
        )
        since = timezone.localdate(changed_at) if changed_at else None
        suggestion = suggest(
            rank=level.rung.rank,
            top_rank=len(level.rungs),
            history=histories[student_id],
            criteria=rules,
            ladder_names=level.names,
            since=since,
        )
        last = decisions[student_id][0] if decisions[student_id] else None
        result[student_id] = Evidence(
            level=level,
            suggestion=suggestion,
            weeks=histories[student_id],
            last_decision=last,
            counted_from=since,
        )
    return result
