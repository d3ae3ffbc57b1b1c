"""The checked records a OneRoster file set becomes (sessions, classes, people, seats), the ``Roster`` that
holds them with every problem found, and the ids a school already has. Pure Python, no Django."""

import datetime as dt
from dataclasses import dataclass, field

from schools.rostering.reading import ERROR, Problems


@dataclass(frozen=True)
class Session:
    sourced_id: str
    active: bool
    title: str
    kind: str
    start: dt.date
    end: dt.date


@dataclass(frozen=True)
class Klass:
    sourced_id: str
    active: bool
    title: str
    code: str
    subject: str
    term_id: str


@dataclass(frozen=True)
class Person:
    sourced_id: str
    active: bool
    role: str
    given_name: str
    family_name: str
    email: str
    username: str
    grades: tuple[str, ...]


@dataclass(frozen=True)
class Seat:
    """An enrollment row: a person in a class."""

    sourced_id: str
    active: bool
    class_id: str
    user_id: str
    role: str


@dataclass(frozen=True)
class KnownIds:
    """sourcedIds already in the school, so a delta file may refer to what an earlier import brought."""

    sessions: frozenset[str] = frozenset()
    classes: frozenset[str] = frozenset()
    users: frozenset[str] = frozenset()


@dataclass
class Roster:
    version: str = ""
    modes: dict[str, str] = field(default_factory=dict)
    sessions: dict[str, Session] = field(default_factory=dict)
    classes: dict[str, Klass] = field(default_factory=dict)
    users: dict[str, Person] = field(default_factory=dict)
    seats: dict[str, Seat] = field(default_factory=dict)
    problems: Problems = field(default_factory=Problems)
    # Every sourcedId each file names, rows with problems included: a bulk import deactivates only what
    # a file no longer names, never a row that was left out because it had a problem.
    mentioned: dict[str, set[str]] = field(default_factory=dict)
    blocking: bool = False  # a problem with a whole file: nothing can be imported until it is fixed

    @property
    def errors(self) -> list:
        return [p for p in self.problems if p.severity == ERROR]

    @property
    def warnings(self) -> list:
        return [p for p in self.problems if p.severity != ERROR]

    def is_bulk(self, kind: str) -> bool:
        return self.modes.get(kind) == "bulk"
