"""Assemble each student's snapshot from a chunk's reads (no query here): the views every student shares,
then one student's playlists and competencies."""

import dataclasses
import datetime as dt
from collections import defaultdict

from engine.policy.snapshot import (
    CheckInView,
    CompetencyView,
    ItemView,
    MasteryLevel,
    PlaylistView,
    Progress,
    StudentSnapshot,
)
from engine.snapshots.reads import Chunk
from mastery.bkt import DEFAULT_PARAMS
from plp.timefmt import format_day


def last_review(mastered_on: dt.date | None, answered_on: dt.date | None) -> dt.date | None:
    """A mastered competency was last reviewed when it was last practised, or else when it was mastered."""
    if mastered_on is None:
        return None
    return max(mastered_on, answered_on) if answered_on else mastered_on


@dataclasses.dataclass
class Shared:
    """Views shared by every student of the chunk (frozen, so sharing is safe)."""

    item_views: dict[int, tuple[ItemView, ...]]
    progressed: dict[int, tuple[dict[Progress, ItemView], ...]]
    playlist_competencies: dict[int, tuple[int, ...]]
    playlist_items: dict[int, frozenset[int]]
    prerequisite_sets: dict[int, frozenset[int]]
    codes: dict[int, str]
    p_learn: dict[int, float]
    untouched: dict[int, CompetencyView]


def shared_views(placements, competencies_of, competency_ids, prerequisites, codes, p_learn) -> Shared:
    """One view per placement and progress, and one per competency for a student who has no state, answer or
    failed check on it (frozen, so every student of the chunk can share them)."""
    item_views: dict[int, tuple[ItemView, ...]] = {}
    progressed: dict[int, tuple[dict[Progress, ItemView], ...]] = {}
    playlist_competencies: dict[int, tuple[int, ...]] = {}
    playlist_items: dict[int, frozenset[int]] = defaultdict(frozenset)
    for playlist_id, rows in placements.items():
        item_views[playlist_id] = tuple(
            ItemView(
                item_id=p["item_id"],
                position=p["position"],
                title=p["title"],
                required=p["required"],
                competency_ids=competencies_of.get(p["item_id"], ()),
                interest_tags=frozenset(p["tags"] or ()),
                kind=p["kind"],
                minutes=p["minutes"],
                choice_group=str(p["choice_board_id"] or ""),
                choice_needed=p["choose"] or 0,
            )
            for p in rows
        )
        progressed[playlist_id] = tuple(
            {level: dataclasses.replace(item, progress=level) for level in Progress}
            for item in item_views[playlist_id]
        )
        playlist_items[playlist_id] = frozenset(item.item_id for item in item_views[playlist_id])
        playlist_competencies[playlist_id] = tuple(
            dict.fromkeys(c for item in item_views[playlist_id] for c in item.competency_ids)
        )
    prerequisite_sets = {c: frozenset(ps) for c, ps in prerequisites.items()}
    untouched = {
        competency_id: CompetencyView(
            competency_id=competency_id,
            code=codes.get(competency_id, f"#{competency_id}"),
            level=MasteryLevel.NOT_STARTED,
            p_mastered=DEFAULT_PARAMS.p_init,
            p_learn=p_learn.get(competency_id, DEFAULT_PARAMS.p_learn),
            prerequisite_ids=prerequisite_sets.get(competency_id, frozenset()),
        )
        for competency_id in competency_ids
    }
    return Shared(
        item_views=item_views,
        progressed=progressed,
        playlist_competencies=playlist_competencies,
        playlist_items=playlist_items,
        prerequisite_sets=prerequisite_sets,
        codes=codes,
        p_learn=p_learn,
        untouched=untouched,
    )


def student_playlists(
    student_id: int, chunk: Chunk, shared: Shared
) -> tuple[list[PlaylistView], dt.date | None]:
    """The student's assigned playlists (soonest target first, each once) and the day the first began."""
    done = chunk.progress.get(student_id)
    chosen = chunk.focus.get(student_id)
    playlist_views = []
    seen: set[int] = set()
    started_on = None
    rows = sorted(chunk.assignments.get(student_id, ()), key=lambda r: (r["target_date"], r["playlist_id"]))
    for row in rows:
        playlist_id = row["playlist_id"]
        playlist = chunk.playlists.get(playlist_id)
        if playlist is None or playlist_id in seen:
            continue
        seen.add(playlist_id)
        started_on = min(started_on or row["start_date"], row["start_date"])
        items = shared.item_views.get(playlist_id, ())
        if done and not done.keys().isdisjoint(shared.playlist_items[playlist_id]):
            items = tuple(
                variants[done.get(item.item_id, Progress.NOT_STARTED)]
                for item, variants in zip(items, shared.progressed.get(playlist_id, ()), strict=True)
            )
        playlist_views.append(
            PlaylistView(
                playlist_id=playlist_id,
                title=playlist["title"],
                items=items,
                assigned_on=row["start_date"],
                target_date=row["target_date"],
                due_label=format_day(row["target_date"]),
                is_focus=bool(chosen)
                and any(c in chosen for c in shared.playlist_competencies.get(playlist_id, ())),
                tier=playlist["tier"],
                section_id=row["section_id"],
            )
        )
    return playlist_views, started_on


def student_competencies(
    student_id: int, playlist_views: list[PlaylistView], chunk: Chunk, shared: Shared
) -> dict[int, CompetencyView]:
    """The student's view of every competency they hold a state on, meet in a playlist, or need first."""
    mine = chunk.states.get(student_id, {})
    my_answers = chunk.answered.get(student_id, {})
    my_streaks = chunk.failed_streaks.get(student_id, {})
    relevant = set(mine)
    for playlist_view in playlist_views:
        relevant.update(shared.playlist_competencies.get(playlist_view.playlist_id, ()))
    for competency_id in list(relevant):
        relevant.update(shared.prerequisite_sets.get(competency_id, ()))
    views = {}
    for competency_id in relevant:
        state = mine.get(competency_id)
        practice = my_answers.get(competency_id)
        failed = my_streaks.get(competency_id, 0)
        if state is None and practice is None and not failed:
            views[competency_id] = shared.untouched[competency_id]
            continue
        answers, correct, answered_on = practice or (0, 0, None)
        if state is None:
            level, p_mastered, mastered_on = MasteryLevel.NOT_STARTED, DEFAULT_PARAMS.p_init, None
        else:
            level, p_mastered, mastered_on = state
        mastered = level is MasteryLevel.MASTERED
        views[competency_id] = CompetencyView(
            competency_id=competency_id,
            code=shared.codes.get(competency_id, f"#{competency_id}"),
            level=level,
            p_mastered=p_mastered,
            p_learn=shared.p_learn.get(competency_id, DEFAULT_PARAMS.p_learn),
            prerequisite_ids=shared.prerequisite_sets.get(competency_id, frozenset()),
            practice_answers_unmastered=0 if mastered else answers,
            practice_correct_unmastered=0 if mastered else correct,
            failed_checks_in_a_row=failed,
            mastered_on=mastered_on,
            last_reviewed_on=last_review(mastered_on, answered_on),
        )
    for competency_id, verdict in chunk.verdicts.get(student_id, {}).items():
        if competency_id in views:
            views[competency_id] = dataclasses.replace(
                views[competency_id],
                check_open=verdict.allowed,
                check_reasons=tuple(verdict.reasons),
                check_opens_at=verdict.retry_opens_at,
                check_carry_short=verdict.carry_short,
                check_unlocked=verdict.unlocked,
            )
    return views


def student_snapshot(student_id: int, today: dt.date, chunk: Chunk, shared: Shared) -> StudentSnapshot:
    """One student's snapshot, assembled from the chunk's reads (no query)."""
    playlist_views, started_on = student_playlists(student_id, chunk, shared)
    check_in = chunk.check_ins.get(student_id)
    return StudentSnapshot(
        student_id=student_id,
        today=today,
        playlists=tuple(playlist_views),
        competencies=student_competencies(student_id, playlist_views, chunk, shared),
        interests=chunk.interests.get(student_id, frozenset()),
        directives=tuple(chunk.directives.get(student_id, ())),
        last_active_on=chunk.last_active.get(student_id),
        started_on=started_on,
        recent_results=tuple(chunk.recent.get(student_id, ())),
        goals=tuple(chunk.goals.get(student_id, ())),
        check_in=CheckInView(
            last_on=check_in[0] if check_in else None,
            follow_up_on=check_in[1] if check_in else None,
            has_mentor=student_id in chunk.mentored,
            mentored_since=chunk.mentored.get(student_id),
        ),
        done_on=chunk.done_on.get(student_id, {}),
    )
