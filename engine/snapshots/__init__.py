"""Read what the policy needs about a chunk of students, in a fixed number of bulk queries.

`reads` runs the queries (each filtered by the chunk's student ids inside the active school, so the count is
the same for 1 student or 1,000 and a chunk never reads another school's rows); `views` assembles each
student's frozen snapshot from them.
"""

import datetime as dt
from collections.abc import Iterable

from engine.policy.snapshot import StudentSnapshot
from engine.snapshots.reads import RECENT_RESULTS, read_chunk
from engine.snapshots.views import shared_views, student_snapshot

__all__ = ["RECENT_RESULTS", "load_snapshots"]


def load_snapshots(
    *, student_ids: Iterable[int], today: dt.date, now: dt.datetime | None = None
) -> dict[int, StudentSnapshot]:
    """Snapshots of the active school's students with these ids (unknown ids get an empty snapshot)."""
    student_ids = sorted(set(student_ids))
    if not student_ids:
        return {}
    chunk, shared_inputs = read_chunk(student_ids, today, now)
    shared = shared_views(*shared_inputs)
    return {student_id: student_snapshot(student_id, today, chunk, shared) for student_id in student_ids}
