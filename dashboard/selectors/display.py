"""What the page shows of a built section dashboard: its rows filtered and sorted as asked, and its
small-group suggestions with their objects. No query."""

from dataclasses import dataclass

from dashboard.selectors.grid import SectionDashboard, StudentRow
from mastery.models import MasteryStatus
from playlists.models import Competency
from playlists.pace import PACE_ORDER

STATUS_ORDER = {
    MasteryStatus.NOT_STARTED: 0,
    MasteryStatus.PRACTICING: 1,
    MasteryStatus.READY: 2,
    MasteryStatus.MASTERED: 3,
}


def dashboard_rows(
    dashboard: SectionDashboard,
    *,
    sort: str | None = None,
    pace: str | None = None,
    flagged: bool | None = None,
    competency: int | None = None,
    name: str | None = None,
) -> list[StudentRow]:
    """The grid's rows, filtered and sorted as asked (values already validated by GridFilterForm)."""
    rows = dashboard.rows
    column = next((i for i, c in enumerate(dashboard.competencies) if c.pk == competency), None)
    if pace:
        rows = [r for r in rows if r.pace == pace]
    if flagged:
        rows = [r for r in rows if r.flags]
    if name:
        needle = name.casefold()
        rows = [r for r in rows if needle in str(r.student).casefold() or needle in r.student.email]
    if column is not None:
        rows = [r for r in rows if r.cells[column][0] != MasteryStatus.MASTERED]
    if sort == "pace":
        rows = sorted(rows, key=lambda r: PACE_ORDER[r.pace])
    elif sort == "flags":
        rows = sorted(rows, key=lambda r: -len(r.flags))
    elif sort == "progress":
        rows = sorted(rows, key=lambda r: (r.percent, r.mastered))
    elif sort == "competency" and column is not None:
        rows = sorted(rows, key=lambda r: (STATUS_ORDER.get(r.cells[column][0], 0), r.cells[column][1] or 0))
    return list(rows)


@dataclass(frozen=True)
class GroupView:
    competency: Competency
    students: list
    items: list
    flagged: list


def group_views(dashboard: SectionDashboard) -> list[GroupView]:
    """The small-group suggestions with their objects (already loaded: no query)."""
    competencies = {c.pk: c for c in dashboard.competencies}
    students = {row.student.pk: row.student for row in dashboard.rows}
    return [
        GroupView(
            competency=competencies[g.competency_id],
            students=[students[s] for s in g.student_ids],
            items=[dashboard.items[i] for i in g.item_ids if i in dashboard.items],
            flagged=[students[s] for s in g.flagged_ids],
        )
        for g in dashboard.groups
    ]
