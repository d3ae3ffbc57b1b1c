"""Reads about self-direction levels: the school's ladder, a student's rung, the weeks of evidence behind a
suggestion, and which items a student may pick now. Always inside the active school."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field, replace

from django.db.models import Q
from django.utils import timezone

from agency.models import LadderRung, LadderSettings, LevelDecision, StudentLevel
from agency.policy import (
    DEFAULT_CRITERIA,
    DEFAULT_LADDER,
    Checks,
    Criteria,
    Direction,
    Goals,
    Picks,
    Rung,
    Suggestion,
    WeekEvidence,
    suggest,
)
from engine.my_work import my_work
from mastery.models import CheckAttempt
from mentoring.models import CheckIn, Goal
from playlists.models import ItemProgress, PlaylistAssignment, PlaylistItem
from playlists.pace import Pace, Placement, playlist_units, slowest
from playlists.selectors import assignment_pace, with_pace_margin
from schools.access import LEARNING
from schools.models import Enrollment

CHOICES = 3  # a student who chooses picks from this many of the engine's recommendations


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


# --- the evidence ----------------------------------------------------------------------------------------


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def week_history(*, student, today: dt.date, weeks: int) -> list[WeekEvidence]:
    """The student's last ``weeks`` weeks (this one included, up to ``today``) as the rule reads them."""
    return week_histories(student_ids=[student.pk], today=today, weeks=weeks)[student.pk]


def week_histories(*, student_ids, today: dt.date, weeks: int) -> dict[int, list[WeekEvidence]]:
    """:func:`week_history` of several students at once (the mentee list): a fixed number of queries
    whatever their number (check-ins, goals, checks, and the pace reads: enrolments, assignments, their
    items, progress)."""
    ids = list(student_ids)
    mondays = [_monday(today) - dt.timedelta(weeks=k) for k in range(weeks - 1, -1, -1)]
    first = mondays[0]
    data = {s: {m: defaultdict(int) for m in mondays} for s in ids}
    ratings: dict[int, dict[dt.date, list[int]]] = {s: {m: [] for m in mondays} for s in ids}

    for row in CheckIn.objects.filter(student_id__in=ids, date__gte=first, date__lte=today).values(
        "student_id", "date", *CheckIn.HABITS
    ):
        given = [row[h] for h in CheckIn.HABITS if row[h] is not None]
        if given:
            week = _monday(row["date"])
            data[row["student_id"]][week]["check_ins"] += 1
            ratings[row["student_id"]][week].extend(given)

    for student_id, week_of, status, due in Goal.objects.filter(
        student_id__in=ids, kind=Goal.Kind.WEEKLY, week_of__gte=first, week_of__lte=today
    ).values_list("student_id", "week_of", "status", "due_date"):
        if week_of not in data[student_id]:
            continue
        if status == Goal.Status.MET:
            data[student_id][week_of]["goals_met"] += 1
        elif status == Goal.Status.PARTLY:
            data[student_id][week_of]["goals_partly"] += 1
        elif status == Goal.Status.NOT_MET or (due is not None and due < today):
            data[student_id][week_of]["goals_not_met"] += 1  # still open after its due day counts as not met

    first_seen: set[tuple[int, int]] = set()
    for student_id, competency_id, passed, submitted in (
        CheckAttempt.objects.filter(
            student_id__in=ids, status=CheckAttempt.Status.GRADED, invalidated_at__isnull=True
        )
        .order_by("submitted_at", "pk")
        .values_list("student_id", "competency_id", "passed", "submitted_at")
    ):
        if (student_id, competency_id) in first_seen or submitted is None:
            continue
        first_seen.add((student_id, competency_id))
        week = _monday(timezone.localdate(submitted))
        if week in data[student_id]:
            data[student_id][week]["first_checks_passed" if passed else "first_checks_failed"] += 1

    on_pace = _paces_by_week(student_ids=ids, mondays=mondays, today=today)
    return {
        s: [
            WeekEvidence(
                week_of=m,
                check_ins=data[s][m]["check_ins"],
                habit_ratings=tuple(ratings[s][m]),
                goals_met=data[s][m]["goals_met"],
                goals_partly=data[s][m]["goals_partly"],
                goals_not_met=data[s][m]["goals_not_met"],
                on_pace=on_pace[s].get(m),
                first_checks_passed=data[s][m]["first_checks_passed"],
                first_checks_failed=data[s][m]["first_checks_failed"],
            )
            for m in mondays
        ]
        for s in ids
    }


def _paces_by_week(
    *, student_ids: list[int], mondays: list[dt.date], today: dt.date
) -> dict[int, dict[dt.date, bool | None]]:
    """Was each student on pace (their slowest playlist not behind) at the end of each week? The one pace
    rule (``read_pace`` through ``assignment_pace``) read with the items done by that day; the students'
    assignments as ``student_assignments`` reads them (their sections' and their own)."""
    result: dict[int, dict[dt.date, bool | None]] = {s: {} for s in student_ids}
    sections_of: dict[int, set[int]] = defaultdict(set)
    for user_id, section_id in Enrollment.objects.filter(LEARNING, user_id__in=student_ids).values_list(
        "user_id", "section_id"
    ):
        sections_of[user_id].add(section_id)
    section_ids = {s for sections in sections_of.values() for s in sections}
    assignments = list(
        with_pace_margin(
            PlaylistAssignment.objects.filter(Q(student_id__in=student_ids) | Q(section_id__in=section_ids))
        ).select_related("playlist__subject", "section")
    )
    by_student: dict[int, dict[int, PlaylistAssignment]] = {}
    for student_id in student_ids:
        own = [
            a
            for a in assignments
            if a.student_id == student_id or (a.section_id and a.section_id in sections_of[student_id])
        ]
        by_playlist: dict[int, PlaylistAssignment] = {}
        for a in sorted(own, key=lambda a: (a.target_date, a.pk)):
            by_playlist.setdefault(a.playlist_id, a)
        if by_playlist:
            by_student[student_id] = by_playlist
    if not by_student:
        return result
    rules: dict[int, list[Placement]] = defaultdict(list)
    choose: dict[int, int] = {}
    playlist_ids = {p for by_playlist in by_student.values() for p in by_playlist}
    for p in PlaylistItem.objects.filter(playlist_id__in=playlist_ids).select_related("choice_board"):
        rules[p.playlist_id].append(Placement(p.item_id, p.required, p.choice_board_id))
        if p.choice_board_id:
            choose[p.choice_board_id] = p.choice_board.choose
    done_on: dict[int, dict[int, dt.date]] = defaultdict(dict)
    for student_id, item_id, at in ItemProgress.objects.filter(
        student_id__in=list(by_student), status=ItemProgress.Status.DONE, completed_at__isnull=False
    ).values_list("student_id", "item_id", "completed_at"):
        done_on[student_id][item_id] = timezone.localdate(at)
    for student_id, by_playlist in by_student.items():
        for monday in mondays:
            end = min(monday + dt.timedelta(days=6), today)
            done = {item for item, day in done_on[student_id].items() if day <= end}
            readings = []
            for playlist_id, assignment in by_playlist.items():
                if assignment.start_date > end:
                    continue
                units = playlist_units(rules[playlist_id], choose, done)
                readings.append(assignment_pace(assignment, done=units[0], needed=units[1], today=end))
            pace = slowest(readings).pace if readings else Pace.NONE
            result[student_id][monday] = (
                None if pace in (Pace.NONE, Pace.UNPLANNED) else pace is not Pace.BEHIND
            )
    return result


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


# --- what a student may pick -----------------------------------------------------------------------------


@dataclass
class Choices:
    """The items a student may start now at their rung (``None``: any item of their playlists)."""

    rung: Rung
    offered: list = field(default_factory=list)  # (row, placement, reason), in the engine's order

    @property
    def item_ids(self) -> set[int] | None:
        if self.rung.picks is Picks.FREE:
            return None
        return {placement.item_id for _, placement, _ in self.offered}


def choices_from(*, rung: Rung, work) -> Choices:
    """From "My work" (``engine.my_work``): the assigned item at a rung that assigns, the top
    three recommendations at a rung that chooses (the engine's ranking; its nearest-deadline fallback
    until the engine has ranked the student), nothing to restrict when the order is free."""
    if rung.picks is Picks.FREE:
        return Choices(rung=rung)
    offered = list(work.ranked)
    if not offered and work.next_up is not None:
        offered = [(*work.next_up, work.next_up_reason)]
    size = 1 if rung.picks is Picks.ASSIGNED else CHOICES
    return Choices(rung=rung, offered=offered[:size])


def pick_refusal(*, student, item_id: int, today: dt.date | None = None) -> str:
    """Why the student may not start ``item_id`` at their rung now, or "" when they may. Work already
    started or done stays theirs to open; only starting something new is governed."""
    level = level_of(student=student)
    rung = level.rung
    if rung.picks is Picks.FREE:
        return ""
    work = my_work(student=student, today=today or timezone.localdate())
    allowed = choices_from(rung=rung, work=work).item_ids or set()
    if item_id in allowed:
        return ""
    nxt = level.next_rung
    earns = f" What earns {nxt.name} is on My level." if nxt else ""
    if rung.picks is Picks.ASSIGNED:
        if not allowed:
            return f"At {rung.name}, the platform assigns your next item, and nothing is assigned now.{earns}"
        ((_row, placement, _),) = choices_from(rung=rung, work=work).offered
        return (
            f"At {rung.name}, the platform assigns your next item: confirm “{placement.item.title}” on My "
            f"work.{earns}"
        )
    return f"At {rung.name}, you pick your next item from the top {CHOICES} on My work.{earns}"


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
