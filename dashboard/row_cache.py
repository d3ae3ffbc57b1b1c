"""The section dashboard, cached by the row: each student's part (their grid row, their line above the grid
and what the section-wide lists take from them) is built and rendered once per version of that student
(plp/versions.py), so a learning event rebuilds one row and the page is put together from the rows
already cached.

Keys, all in the shared cache:
- the frame (plans, columns, items, pace tolerance): by section and the school's version;
- a row: by section, the school's version, the day (pace moves with the calendar), student and their
  version;
- the page's body: by the digest (all of the above for the section's roster) and the sort and filter;
- the section as this user with these roles may see it, and its roster: by the school's version (and, for
  the roster's order, the names' version), so an unchanged page runs no query of its own;
- "Upcoming workshops": by the digest and the school's workshops version, until its first seat is over;
- what the page showed at a digest (which rows in which order, the attention lists, the ready list), for
  the poll to answer with the rows that changed since.

Nothing personal is cached: the CSRF token travels in the header base.html gives htmx, never in a row.
Whoever reads a cached part was authorized first (``dashboard_section_get``), and every part is the same for
every adult allowed to see the section. Compression is one pass over the response (``gzip_page``)."""

import datetime as dt
import hashlib
from collections import OrderedDict
from dataclasses import dataclass

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from dashboard.rendering import RENDERS, row_html, student_base
from dashboard.selectors import access, grid
from dashboard.selectors.attention import attention_of, attention_sorted
from dashboard.selectors.grid import RowPart, SectionDashboard, SectionFrame
from plp import versions
from schools.models import Section
from schools.selectors import school_student_enrollments
from workshops.selectors import section_upcoming

# A row unread for this long goes; the versions in its key keep it from being served stale before.
CACHE_SECONDS = 60 * 60


class _Memo:
    """The rows and frames this process has read or built, in front of the shared cache. Safe because a
    key names one value for ever (the versions are in the key: a change makes a new key), so a copy in
    memory can never be stale; it saves unpickling a hundred rows on every page (the oldest go first)."""

    def __init__(self, size: int):
        self.size = size
        self._values: OrderedDict[str, object] = OrderedDict()

    def get_many(self, keys: list[str]) -> dict[str, object]:
        found = {key: value for key in keys if (value := self._values.get(key)) is not None}
        missing = [key for key in keys if key not in found]
        if missing:
            shared = cache.get_many(missing)
            self.put_many(shared)
            found.update(shared)
        return found

    def put_many(self, values: dict[str, object]) -> None:
        self._values.update(values)
        while len(self._values) > self.size:
            self._values.popitem(last=False)

    def set_many(self, values: dict[str, object]) -> None:
        cache.set_many(values, CACHE_SECONDS)
        self.put_many(values)


MEMO = _Memo(20_000)


@dataclass
class CachedRow:
    """One student's cached share of the page."""

    part: RowPart
    html: str  # their grid row
    attention: str  # their line above the grid ("needs attention" or "watch"), or ""


@dataclass
class Board:
    """What a request for the section dashboard needs: the roster in order with its versions, and the
    digest of those versions (what the polling page holds)."""

    section: Section
    roster: list[int]
    school_version: str
    versions: dict[int, str]
    today: dt.date
    digest: str
    workshops_version: str

    def key(self, *parts) -> str:
        return ":".join(["dash", str(self.section.school_id), str(self.section.pk), *map(str, parts)])

    def row_key(self, student_id: int) -> str:
        return self.key(
            "row", self.school_version, self.today.isoformat(), student_id, self.versions[student_id]
        )


def _section_get(*, user, roles: frozenset[str], school_id: int, section_id: int, heads) -> Section:
    """The section, 404 unless the caller may see its dashboard: read once per user, roles and school
    version. What decides it is the user's roles (read from the database on every request by the tenancy
    middleware, part of the key) and the section and enrolment rows (whose every save and delete bumps
    the school's version), so a removed membership or teaching enrolment takes effect at once."""
    key = ":".join(
        ["dash", str(school_id), str(section_id), "section", heads.school, str(user.pk), *sorted(roles)]
    )
    section = MEMO.get_many([key]).get(key)
    if not isinstance(section, Section):
        section = access.dashboard_section_get(
            user=user, roles=roles, section_id=access.object_id(section_id)
        )
        MEMO.set_many({key: section})
    return section


def _roster_key(school_id: int, section_id: int, heads) -> str:
    return ":".join(["dash", str(school_id), str(section_id), "roster", heads.school, heads.names])


# The roster each section had at its latest request in this process: its students' versions are read with
# the heads, in one round trip, and used only if the heads still name that roster.
_LATEST: dict[tuple[int, int], tuple[str, list[int]]] = {}


def _roster_get(section: Section, heads) -> list[int]:
    """The section's students in name order: read once per school version (enrolments) and names version
    (the order)."""
    key = _roster_key(section.school_id, section.pk, heads)
    roster = MEMO.get_many([key]).get(key)
    if not isinstance(roster, list):
        roster = list(
            dict.fromkeys(
                school_student_enrollments()
                .filter(section_id=section.pk)
                .order_by("user__family_name", "user__given_name", "user_id")
                .values_list("user_id", flat=True)
            )
        )
        MEMO.set_many({key: roster})
    return roster


def board_get(*, user, roles: frozenset[str], school_id: int, section_id: int, today: dt.date) -> Board:
    """The section (404 unless the caller may see its dashboard), its roster and versions: one read of
    the cache while the roster is the one this process last saw, and no query while the school's version
    and the names' stand. Nothing is built."""
    latest_key, latest = _LATEST.get((school_id, section_id), ("", []))
    heads, student_versions = versions.heads_get(school_id=school_id, student_ids=latest)
    section = _section_get(user=user, roles=roles, school_id=school_id, section_id=section_id, heads=heads)
    roster_key = _roster_key(school_id, section_id, heads)
    if latest_key == roster_key:
        roster = latest
    else:
        roster = _roster_get(section, heads)
        student_versions = versions.students_get(student_ids=roster)
        if len(_LATEST) > 1000:
            _LATEST.clear()
        _LATEST[(school_id, section_id)] = (roster_key, roster)
    fingerprint = repr((section.pk, today.isoformat(), heads.school, [student_versions[s] for s in roster]))
    digest = hashlib.blake2b(f"{roster}{fingerprint}".encode(), digest_size=12).hexdigest()
    return Board(section, roster, heads.school, student_versions, today, digest, heads.workshops)


def frame_get(board: Board) -> SectionFrame:
    key = board.key("frame", board.school_version)
    frame = MEMO.get_many([key]).get(key)
    if not isinstance(frame, SectionFrame):
        frame = grid.section_frame_get(section=board.section)
        MEMO.set_many({key: frame})
    return frame


def _render_row(*, part: RowPart, frame: SectionFrame, base: str, school) -> CachedRow:
    entry = attention_of(part.row)
    attention = ""
    if entry is not None:
        RENDERS["attention"] += 1
        attention = render_to_string(
            "dashboard/_attention_row.html",
            {"entry": entry, "school": school, "dashboard": {"section": frame.section}},
        )
    return CachedRow(part=part, html=row_html(part.row, base), attention=attention)


def rows_get(*, board: Board, frame: SectionFrame, school) -> dict[int, CachedRow]:
    """Every student's cached row; the stale ones (new versions) built in four queries and rendered."""
    keys = {student_id: board.row_key(student_id) for student_id in board.roster}
    found = MEMO.get_many(list(keys.values()))
    rows = {sid: found[key] for sid, key in keys.items() if isinstance(found.get(key), CachedRow)}
    stale = [sid for sid in board.roster if sid not in rows]
    if stale:
        parts = grid.section_row_parts(frame=frame, student_ids=stale, today=board.today)
        base = student_base(school.slug)
        fresh = {
            sid: _render_row(part=part, frame=frame, base=base, school=school) for sid, part in parts.items()
        }
        MEMO.set_many({keys[sid]: row for sid, row in fresh.items()})
        rows.update(fresh)
    return rows


@dataclass
class Assembled:
    """The dashboard put together from its cached rows, with the rows' HTML by student."""

    board: Board
    dashboard: SectionDashboard
    rows: dict[int, CachedRow]

    def attention_lists(self) -> tuple[list[int], list[int]]:
        """The students of the "needs attention" and "watch" lists, in their order."""
        attention, watch = attention_sorted(
            entry for row in self.dashboard.rows if (entry := attention_of(row)) is not None
        )
        return [e.student.pk for e in attention], [e.student.pk for e in watch]


def assemble(*, board: Board, school) -> Assembled:
    frame = frame_get(board)
    rows = rows_get(board=board, frame=frame, school=school)
    parts = [rows[sid].part for sid in board.roster if sid in rows]
    return Assembled(board, grid.section_dashboard_of(frame=frame, parts=parts), rows)


@dataclass
class Shown:
    """What a page showed at a digest: what the poll compares the present with."""

    school_version: str
    versions: dict[int, str]
    shown: list[int]  # the grid's rows, in order
    attention: list[int]
    watch: list[int]
    flags: int
    ready: str  # a digest of the ready list


def shown_of(
    assembled: Assembled, shown: list[int], lists: tuple[list[int], list[int]], ready_html: str
) -> Shown:
    attention, watch = lists
    ready = hashlib.blake2b(ready_html.encode(), digest_size=8).hexdigest()
    board = assembled.board
    return Shown(
        board.school_version,
        dict(board.versions),
        shown,
        attention,
        watch,
        len(assembled.dashboard.flags),
        ready,
    )


def query_hash(query: str) -> str:
    return hashlib.blake2b(query.encode(), digest_size=8).hexdigest()


def shown_get(board: Board, digest: str, query: str) -> Shown | None:
    shown = cache.get(board.key("shown", digest, query_hash(query)))
    return shown if isinstance(shown, Shown) else None


def shown_set(board: Board, query: str, shown: Shown) -> None:
    cache.set(board.key("shown", board.digest, query_hash(query)), shown, CACHE_SECONDS)


# The bodies of the latest pages this process served (each ~200 KB: a few, not MEMO's thousands).
PAGES = _Memo(16)


def _page_key(board: Board, query: str) -> str:
    return board.key("page", board.digest, query_hash(query))


def page_get(board: Board, query: str) -> tuple[str, str] | None:
    key = _page_key(board, query)
    page = PAGES.get_many([key]).get(key)
    return page if isinstance(page, tuple) else None


def page_set(board: Board, query: str, page: tuple[str, str]) -> None:
    PAGES.set_many({_page_key(board, query): page})


def workshops_html(board: Board, school, now: dt.datetime) -> str:
    """ "Upcoming workshops" beside the grid: the roster's seats, cached by the digest (the roster, its
    names) and the school's workshops version (every save and delete of a workshop or a seat), until the
    first of them is over (then it leaves the list). Checked on every read, so never shown stale."""
    key = board.key("workshops", board.digest, board.workshops_version)
    cached = MEMO.get_many([key]).get(key)
    if isinstance(cached, tuple) and (cached[0] is None or now.timestamp() < cached[0]):
        return mark_safe(cached[1])
    rows = section_upcoming(student_ids=board.roster, now=now)
    ends = [seat.workshop.ends_at.timestamp() for seats in rows for seat in seats]
    html = render_to_string("workshops/_section_upcoming.html", {"rows": rows, "school": school})
    MEMO.set_many({key: (min(ends, default=None), html)})
    return mark_safe(html)


def form_html(board: Board, query: str, form) -> str:
    """The filter form as HTML: the same for every page of the section's frame and this query (its
    competency list has a line per column, and Django's form templates are slow to render)."""
    key = board.key("form", board.school_version, query_hash(query))
    html = MEMO.get_many([key]).get(key)
    if not isinstance(html, str):
        html = str(form.as_div())
        MEMO.set_many({key: html})
    return mark_safe(html)
