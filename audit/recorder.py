"""Recording reads during a request: buffered, written once at the end in one INSERT.

How a view opts in:

* ``@audits(AuditEntry.Kind.PROFILE, shows=("accommodations",))`` on a page view (or on a DRF view class)
  names what the view shows. The middleware reads it before the view runs.
* The selectors that load a student for an adult (``schools.access.student_access_get``,
  ``mastery.selectors.student_get`` / ``attempt_for_staff``, ``playlists.projects.selectors.
  project_student_get``) call :func:`student_seen`. So a new view that reaches a student through them is
  audited even before it is decorated (kind ``student_data``); the decorator only names the kind better.
* Exports call :func:`export_recorded` with the students they contain.

Nothing here queries the database: entries wait in a per-request buffer (a context variable set by
:class:`audit.middleware.AuditMiddleware`) and are written with one ``bulk_create`` once the response is
known to be a success, so auditing costs one query per request whatever the page shows. Outside a request
(Celery, management commands, a test calling a selector) there is no buffer and nothing is recorded: the
log is about people reading, and a worker reads for nobody.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from contextvars import ContextVar
from dataclasses import dataclass, field

from audit.models import AuditEntry

# Sensitive parts a view may declare it shows, and what in the caller's access allows each.
SENSITIVE = {
    "private_notes": "sees_private_notes",
    "accommodations": "sees_staff_fields",
}


@dataclass(frozen=True)
class Pending:
    kind: str
    student_id: int | None
    object_type: str = ""
    object_id: str = ""
    includes: str = ""


@dataclass
class Buffer:
    """What one request read, until the middleware writes it."""

    request: object
    kind: str = AuditEntry.Kind.STUDENT_DATA
    shows: frozenset[str] = frozenset()
    entries: dict[Pending, None] = field(default_factory=dict)  # ordered and deduplicated


_buffer: ContextVar[Buffer | None] = ContextVar("plp_audit_buffer", default=None)


def audits(kind: str, *, shows: Iterable[str] = ()) -> Callable:
    """Mark a view (function or DRF class) as showing student records of ``kind``; ``shows`` names the
    sensitive parts it displays when the caller may see them (``private_notes``, ``accommodations``)."""
    shows = frozenset(shows)
    unknown = shows - set(SENSITIVE)
    if unknown or kind not in AuditEntry.Kind.values:
        raise ValueError(f"Unknown audit kind or sensitive part: {kind!r}, {sorted(unknown)}")

    def mark(view):
        view.audit_kind = kind
        view.audit_shows = shows
        return view

    return mark


def audit_mark_of(view_func) -> tuple[str, frozenset[str]] | None:
    """The ``@audits`` mark of a resolved view: on the function, or on its DRF/Django view class."""
    for candidate in (view_func, getattr(view_func, "cls", None), getattr(view_func, "view_class", None)):
        kind = getattr(candidate, "audit_kind", None)
        if kind:
            return kind, getattr(candidate, "audit_shows", frozenset())
    return None


def buffer_open(request) -> object:
    return _buffer.set(Buffer(request=request))


def buffer_close(token) -> Buffer:
    buffer = _buffer.get()
    _buffer.reset(token)
    return buffer


def current_buffer() -> Buffer | None:
    return _buffer.get()


def _reader(buffer: Buffer):
    user = getattr(buffer.request, "user", None)
    return user if user is not None and user.is_authenticated else None


def student_seen(*, student_id: int, access=None, object_type: str = "", object_id: object = "") -> None:
    """A person is being shown ``student_id``'s record (``access``: their StudentAccess, which decides
    which of the view's declared sensitive parts they actually see). A student's view of their own record
    is not logged: the log answers "which adults saw this student"."""
    buffer = _buffer.get()
    if buffer is None:
        return
    reader = _reader(buffer)
    if reader is None or reader.pk == student_id:
        return
    includes = sorted(
        part for part in buffer.shows if access is None or getattr(access, SENSITIVE[part], False)
    )
    entry = Pending(
        kind=buffer.kind,
        student_id=student_id,
        object_type=object_type or "student",
        object_id=str(object_id or student_id),
        includes=",".join(includes),
    )
    if entry.object_type != "student":
        # A record of theirs (a check-in) says more than "the student": it replaces the plain entry.
        buffer.entries.pop(
            Pending(
                kind=entry.kind,
                student_id=student_id,
                object_type="student",
                object_id=str(student_id),
                includes=entry.includes,
            ),
            None,
        )
    elif any(e.student_id == student_id and e.kind == entry.kind for e in buffer.entries):
        return  # the student was already recorded through one of their records
    buffer.entries[entry] = None


def export_recorded(
    *, kind: str, student_ids: Iterable[int] = (), object_type: str = "", object_id: object = ""
) -> None:
    """An export leaves the platform: one entry per student it contains (or one without a student, for an
    export about no student in particular, e.g. the audit log itself)."""
    buffer = _buffer.get()
    if buffer is None:
        return
    ids = list(student_ids) or [None]
    for student_id in ids:
        entry = Pending(kind=kind, student_id=student_id, object_type=object_type, object_id=str(object_id))
        buffer.entries[entry] = None


def entries_to_write(buffer: Buffer, *, school_id: int, ip: str) -> list[AuditEntry]:
    request = buffer.request
    reader = _reader(buffer)
    roles = ",".join(sorted(getattr(request, "school_roles", ()) or ()))
    return [
        AuditEntry(
            school_id=school_id,
            actor_id=reader.pk if reader else None,
            roles=roles[:120],
            ip=ip[:64],
            kind=entry.kind,
            student_id=entry.student_id,
            object_type=entry.object_type[:40],
            object_id=entry.object_id[:64],
            includes=entry.includes,
            method=(getattr(request, "method", "") or "")[:8],
            path=(getattr(request, "path", "") or "")[:300],
        )
        for entry in buffer.entries
    ]
