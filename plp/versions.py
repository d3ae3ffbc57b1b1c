"""Versions of what the section dashboards show (the cache tokens; the signals that bump them on saves are
``dashboard/versions.py``), bumped by the writes that change it: one per student (their
grid row and "needs attention" entry) and one per school (everything a section shows for all its students:
names of the section, term, playlists, items and competencies, the plans, the roster, the pace tolerance);
besides them, one for people's names (the order of every roster) and one per school for its workshops (the
"Upcoming workshops" beside the grid).

A version is an opaque token in the shared cache (Redis in production, one process otherwise), not a
counter: a key the cache dropped gets a fresh token on its next read, so a lost version can only cause a
rebuild, never serve an old row. A row is cached under the versions it was built from; a bump makes a new
key, and the old row is never looked up again.

Bumped twice: at once (a read later in the same transaction sees its own write) and when the transaction
commits (a page built by another request between the write and its commit read the old data, and cached it
under the version of the moment: the bump after commit moves past it).

Where the bumps come from (``dashboard.versions.connect`` and explicit calls): every learning event marks its
student for recompute (``plp.recompute.students_mark_dirty``, also called when a plan changes what a student
must do); the recompute's flag writes (``engine.services.flags_apply``, in bulk) and an adult handling a
flag; saves of the student-level rows (mastery states, item progress, flags, people); and saves of the
section-level rows (sections, terms, enrollments, playlists and their items and assignments, choice
boards, content items and their competencies, competencies, the school's thresholds and settings). Bulk
writes of those tables that bypass ``save`` call ``school_touch`` themselves (the roster import)."""

import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.cache import cache
from django.db import transaction

# Long enough that a class period never loses its versions, short enough that a forgotten one goes away.
VERSION_SECONDS = 24 * 3600


def _student_key(student_id: int) -> str:
    return f"dash:v:student:{student_id}"


def _school_key(school_id: int) -> str:
    return f"dash:v:school:{school_id}"


def _workshops_key(school_id: int) -> str:
    return f"dash:v:workshops:{school_id}"


# People's names order every roster: a rename anywhere moves past every cached roster order (renames are
# rare; the roster is one query to read again).
NAMES_KEY = "dash:v:names"


def _new_token() -> str:
    return secrets.token_hex(6)


def _set_fresh(keys: list[str]) -> None:
    token = _new_token()
    cache.set_many(dict.fromkeys(keys, token), VERSION_SECONDS)


def _bump(keys: list[str]) -> None:
    if not keys:
        return
    _set_fresh(keys)
    transaction.on_commit(lambda: _set_fresh(keys))


def students_touch(*, student_ids: Iterable[int]) -> None:
    """These students' rows changed (a learning event, their flags, their name): their cached rows go."""
    _bump([_student_key(pk) for pk in set(student_ids)])


def school_touch(*, school_id: int) -> None:
    """Something every section of the school shows changed (a plan, a name, the roster)."""
    _bump([_school_key(school_id)])


def workshops_touch(*, school_id: int) -> None:
    """A workshop or a seat of the school changed: the dashboards' "Upcoming workshops" go."""
    _bump([_workshops_key(school_id)])


def names_touch() -> None:
    """Someone's name may have changed: every cached roster order goes."""
    _bump([NAMES_KEY])


def _read(keys: list[str]) -> dict[str, str]:
    """The tokens of these keys, a fresh one for any the cache does not hold (set only if still absent,
    so two readers agree)."""
    found = cache.get_many(keys)
    for key in keys:
        if key not in found:
            cache.add(key, _new_token(), VERSION_SECONDS)
            found[key] = cache.get(key) or _new_token()
    return found


@dataclass(frozen=True)
class Heads:
    """The versions a section dashboard reads before its roster: the school's, the names' (the roster's
    order) and the school's workshops'."""

    school: str
    names: str
    workshops: str


def heads_get(*, school_id: int, student_ids: list[int] = ()) -> tuple[Heads, dict[int, str]]:
    """The heads and, in the same round trip to the cache (two when some are new), the versions of these
    students (the roster the caller expects: it checks it against the heads before using them)."""
    heads = [_school_key(school_id), NAMES_KEY, _workshops_key(school_id)]
    students = [_student_key(pk) for pk in student_ids]
    found = _read(heads + students)
    return Heads(*(found[key] for key in heads)), {
        pk: found[key] for pk, key in zip(student_ids, students, strict=True)
    }


def students_get(*, student_ids: list[int]) -> dict[int, str]:
    """Each student's version, in one round trip to the cache (two when some are new)."""
    keys = [_student_key(pk) for pk in student_ids]
    found = _read(keys)
    return {pk: found[key] for pk, key in zip(student_ids, keys, strict=True)}
