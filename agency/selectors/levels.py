"""The school's ladder of self-direction levels (its own rungs, or the default ladder), its settings and
criteria, and the rung each student stands on (recorded, or the starting rung), with their decisions.
"""

from dataclasses import dataclass, replace

from agency.models import LadderRung, LadderSettings, LevelDecision, StudentLevel
from agency.policy import (
    DEFAULT_CRITERIA,
    DEFAULT_LADDER,
    Checks,
    Criteria,
    Goals,
    Picks,
    Rung,
)
from schools.models import Enrollment


def ladder() -> tuple[Rung, ...]:
    """The active school's ladder: its own rungs, or the default three (guided, choosing, self-directed)."""
    rows = list(LadderRung.objects.order_by("rank"))
    if not rows:
        return DEFAULT_LADDER
    return tuple(
        Rung(
            rank=i,
            name=r.name,
            description=r.description,
            picks=Picks(r.picks),
            goals=Goals(r.goals),
            checks=Checks(r.checks),
            own_pace_target=r.own_pace_target,
        )
        for i, r in enumerate(rows, start=1)
    )


def ladder_settings() -> LadderSettings | None:
    return LadderSettings.objects.first()


def start_rank(rungs: tuple[Rung, ...], settings: LadderSettings | None) -> int:
    """Where a student with no recorded level stands: the school's start rung, else the top one (a school
    that has not adopted gradual release keeps everyone's freedom as it was)."""
    if settings is None or settings.start_rank is None:
        return len(rungs)
    return min(settings.start_rank, len(rungs))


def criteria(settings: LadderSettings | None) -> Criteria:
    """The rule's bars: the policy's defaults, over the school's number of weeks."""
    if settings is None:
        return DEFAULT_CRITERIA
    return replace(DEFAULT_CRITERIA, weeks=settings.weeks)


@dataclass
class Level:
    """A student's place on the ladder."""

    rung: Rung
    rungs: tuple[Rung, ...]
    recorded: StudentLevel | None = None  # None: never placed (the school's start rung)

    @property
    def next_rung(self) -> Rung | None:
        return self.rungs[self.rung.rank] if self.rung.rank < len(self.rungs) else None

    @property
    def previous_rung(self) -> Rung | None:
        return self.rungs[self.rung.rank - 2] if self.rung.rank > 1 else None

    @property
    def pace_target(self) -> int | None:
        return self.recorded.pace_target if self.recorded and self.rung.own_pace_target else None

    @property
    def names(self) -> dict[int, str]:
        return {r.rank: r.name for r in self.rungs}


def level_of(*, student) -> Level:
    """The student's rung in the active school (3 small queries)."""
    rungs = ladder()
    recorded = StudentLevel.objects.filter(student=student).first()
    rank = recorded.rank if recorded else start_rank(rungs, ladder_settings())
    return Level(rung=rungs[min(rank, len(rungs)) - 1], rungs=rungs, recorded=recorded)


def levels_of(*, student_ids) -> dict[int, Rung]:
    """Each student's rung, for lists (the dashboard, the mentee list, the brief): 3 queries for any number
    of students."""
    rungs = ladder()
    start = start_rank(rungs, ladder_settings())
    ranks = dict(
        StudentLevel.objects.filter(student_id__in=list(student_ids)).values_list("student_id", "rank")
    )
    return {pk: rungs[min(ranks.get(pk, start), len(rungs)) - 1] for pk in student_ids}


def decisions_of(*, student, limit: int = 50) -> list[LevelDecision]:
    return list(LevelDecision.objects.filter(student=student).select_related("decided_by")[:limit])


def section_levels(*, section) -> list[tuple]:
    """(student, rung) for each active student of the section, by level then name: 4 queries."""
    students = [
        e.user
        for e in Enrollment.objects.filter(
            section=section, role=Enrollment.SectionRole.STUDENT, is_active=True
        )
        .select_related("user")
        .order_by("user__family_name", "user__given_name", "user_id")
    ]
    levels = levels_of(student_ids=[s.pk for s in students])
    return sorted(((s, levels[s.pk]) for s in students), key=lambda pair: pair[1].rank)
