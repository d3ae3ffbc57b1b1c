"""Hand-built snapshots for the policy tests: say only what a test is about."""

import datetime as dt

from engine.policy.snapshot import CompetencyView, ItemView, MasteryLevel, PlaylistView, StudentSnapshot

TODAY = dt.date(2026, 11, 18)  # a Wednesday


def item(item_id, position=None, **fields) -> ItemView:
    return ItemView(item_id=item_id, position=item_id if position is None else position, **fields)


def playlist(playlist_id, *items, title=None, **fields) -> PlaylistView:
    return PlaylistView(
        playlist_id=playlist_id, title=title or f"Playlist {playlist_id}", items=items, **fields
    )


def competency(competency_id, level=MasteryLevel.PRACTICING, **fields) -> CompetencyView:
    fields.setdefault("code", f"C{competency_id}")
    return CompetencyView(competency_id=competency_id, level=level, **fields)


def snapshot(*playlists, competencies=(), **fields) -> StudentSnapshot:
    fields.setdefault("today", TODAY)
    return StudentSnapshot(
        student_id=1,
        playlists=playlists,
        competencies={c.competency_id: c for c in competencies},
        **fields,
    )
