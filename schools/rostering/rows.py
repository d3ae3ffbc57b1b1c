"""Row by row checks of a OneRoster file set: each file's rows in dependency order (sessions before classes,
classes and users before enrollments), each value against the spec (schools/rostering/spec.py). A row with
an error is left out of the records; a benign deviation is a warning and the row is kept. Pure Python, no
Django."""

import datetime as dt
import re

from plp.time_budget import budget_check
from schools.rostering import spec
from schools.rostering.reading import Table
from schools.rostering.records import Klass, KnownIds, Person, Roster, Seat, Session

DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$")
EMAIL = re.compile(r"^[^@\s,;]+@[^@\s,;]+\.[^@\s,;]+$")
YEAR = re.compile(r"^\d{4}$")


class RowChecker:
    """Row-level rules, then references between files. Rows with errors are left out of the records."""

    def __init__(self, roster: Roster, tables: dict[str, Table], known: KnownIds):
        # Ids imported earlier count only for files sent as deltas: a bulk file is the complete list.
        self.roster, self.tables = roster, tables
        self.known = KnownIds(
            sessions=frozenset() if roster.is_bulk("academicSessions") else known.sessions,
            classes=frozenset() if roster.is_bulk("classes") else known.classes,
            users=frozenset() if roster.is_bulk("users") else known.users,
        )
        self.problems = roster.problems
        self.bad: dict[str, set[str]] = {kind: set() for kind in spec.FILES}
        self.skipped_users: set[str] = set()  # known people whose role PLP does not import
        self.orgs: dict[str, str] = {}
        self.courses: set[str] = set()
        self.role_of: dict[str, str] = {}
        self.warned_orgs: set[tuple[str, str]] = set()
        self.pairs: dict[tuple[str, str], int] = {}
        self.emails: dict[str, str] = {}

    def run(self) -> None:
        self.needed, self.merely_required = {}, {}
        for kind, table in self.tables.items():
            needed, merely_required = spec.required_columns(kind, self.roster.version)
            self.needed[kind] = [column for column in needed if column in table.columns]
            self.merely_required[kind] = [column for column in merely_required if column in table.columns]
        for kind in spec.FILES:
            table = self.tables.get(kind)
            if table is None:
                continue
            seen: dict[str, int] = {}
            for line, row in table.rows:
                budget_check()
                self.file, self.line, self.row, self.ok = table.name, line, row, True
                sourced_id = self._common(kind, seen)
                if sourced_id is None:
                    continue
                getattr(self, f"_{kind.lower()}")(sourced_id, row)
                if not self.ok:
                    self.bad[kind].add(sourced_id)

    # Helpers: each records a problem for the current row; errors mark the row as bad.
    def error(self, column: str, message: str) -> None:
        self.problems.error(self.file, self.line, column, self.row.get(column, ""), message)
        self.ok = False

    def warn(self, column: str, message: str) -> None:
        self.problems.warning(self.file, self.line, column, self.row.get(column, ""), message)

    def enum(self, column: str, allowed: tuple[str, ...], what: str) -> str | None:
        value = self.row.get(column, "")
        if value in allowed:
            return value
        by_lower = {a.lower(): a for a in allowed}
        if value.lower() in by_lower:
            self.warn(column, f"“{value}” should be written “{by_lower[value.lower()]}”; read as that.")
            return by_lower[value.lower()]
        if value.startswith("ext:"):
            return value
        if value:
            self.error(column, f"“{value}” is not a {what}. Allowed: {', '.join(allowed)}.")
        return None

    def boolean(self, column: str) -> bool | None:
        value = self.row.get(column, "")
        if value in ("true", "false"):
            return value == "true"
        if value.lower() in ("true", "false"):
            self.warn(column, f"“{value}” should be written “{value.lower()}”; read as {value.lower()}.")
            return value.lower() == "true"
        if value:
            self.error(column, f"“{value}” is not true or false.")
        return None

    def date(self, column: str) -> dt.date | None:
        value = self.row.get(column, "")
        if not value:
            return None
        try:
            if not DATE.match(value):
                raise ValueError
            return dt.date.fromisoformat(value)
        except ValueError:
            self.error(column, f"“{value}” is not a date written YYYY-MM-DD.")
            return None

    def _common(self, kind: str, seen: dict[str, int]) -> str | None:
        row = self.row
        if "\x00" in "".join(row.values()):
            for column, value in row.items():
                if "\x00" in value:
                    self.error(column, "The value contains a NUL character (a damaged file).")
        for column, limit in spec.MAX_LENGTH.items():
            if len(row.get(column, "")) > limit:
                self.error(column, f"The value is longer than {limit} characters.")
        for column in self.needed[kind]:
            if not row.get(column):
                self.error(column, f"{column} is required but empty.")
        for column in self.merely_required[kind]:
            if not row.get(column):
                self.warn(column, f"{column} is empty; the standard requires it, PLP does not use it.")
        sourced_id = row.get("sourcedId", "")
        if not sourced_id:
            return None
        if sourced_id in seen:
            self.error(
                "sourcedId", f"The sourcedId “{sourced_id}” is used twice (also on line {seen[sourced_id]})."
            )
            return None
        seen[sourced_id] = self.line
        self.roster.mentioned.setdefault(kind, set()).add(sourced_id)
        delta = self.roster.modes.get(kind) == "delta"
        status = row.get("status", "")
        if status:
            if status.lower() in spec.STATUS_V10:
                self.warn("status", "“inactive” is OneRoster 1.0; read as tobedeleted.")
                row["status"] = "tobedeleted"
            else:
                row["status"] = self.enum("status", spec.STATUS, "status") or status
        elif delta:
            self.error("status", "A delta file must give each row's status (active or tobedeleted).")
        modified = row.get("dateLastModified", "")
        if modified:
            try:
                if not DATETIME.match(modified):
                    raise ValueError
                dt.datetime.fromisoformat(modified.replace("Z", "+00:00"))
            except ValueError:
                self.error("dateLastModified", f"“{modified}” is not a date-time like 2024-08-01T12:00:00Z.")
        elif delta:
            self.error("dateLastModified", "A delta file must give each row's dateLastModified.")
        return sourced_id

    def _active(self) -> bool:
        return self.row.get("status", "") != "tobedeleted"

    def _org(self, column: str) -> None:
        if "orgs" not in self.tables:
            return
        for org_id in filter(None, (v.strip() for v in self.row.get(column, "").split(","))):
            key = (self.file, org_id)
            if key in self.warned_orgs:
                continue
            if org_id not in self.orgs:
                self.warned_orgs.add(key)
                self.warn(column, f"The organization “{org_id}” is not in orgs.csv (reported once per file).")
            elif column == "schoolSourcedId" and self.orgs[org_id] != "school":
                self.warned_orgs.add(key)
                self.warn(
                    column,
                    f"“{org_id}” is a {self.orgs[org_id]} in orgs.csv, not a school; "
                    "its rows are imported into this school (reported once per file).",
                )

    def _orgs(self, sourced_id: str, row: dict[str, str]) -> None:
        org_type = self.enum("type", spec.ORG_TYPES, "kind of organization")
        self.orgs[sourced_id] = org_type or ""

    def _academicsessions(self, sourced_id: str, row: dict[str, str]) -> None:
        kind = self.enum("type", spec.SESSION_TYPES, "session type")
        start, end = self.date("startDate"), self.date("endDate")
        if start and end and end < start:
            self.error("endDate", "The session ends before it starts.")
        year = row.get("schoolYear", "")
        if year and not YEAR.match(year):
            self.error("schoolYear", f"“{year}” is not a year like 2025.")
        if self.ok and not self._active():
            self.warn("status", "A session is never removed; classes in it keep it as their term.")
        if self.ok and kind and start and end:
            self.roster.sessions[sourced_id] = Session(
                sourced_id, self._active(), row.get("title", ""), kind, start, end
            )

    def _courses(self, sourced_id: str, row: dict[str, str]) -> None:
        self.courses.add(sourced_id)

    def _classes(self, sourced_id: str, row: dict[str, str]) -> None:
        self.enum("classType", spec.CLASS_TYPES, "class type")
        self._org("schoolSourcedId")
        course = row.get("courseSourcedId", "")
        if course and course not in self.courses:
            where = "courses.csv" if "courses" in self.tables else "any file (courses.csv is not in the set)"
            self.warn(
                "courseSourcedId",
                f"The course “{course}” is not in {where}; the class is imported without it.",
            )
        term_ids = [t.strip() for t in row.get("termSourcedIds", "").split(",") if t.strip()]
        for term_id in term_ids:
            if term_id in self.bad["academicSessions"]:
                self.error("termSourcedIds", f"The term “{term_id}” has problems in academicSessions.csv.")
            elif term_id not in self.roster.sessions and term_id not in self.known.sessions:
                self.error("termSourcedIds", f"The term “{term_id}” is not in academicSessions.csv.")
        if len(term_ids) > 1 and self.ok:
            self.warn(
                "termSourcedIds", f"The class spans {len(term_ids)} terms; PLP files it under the first."
            )
        if self.ok and not self._active():
            self.warn("status", "A class is never removed: it stays, and its enrollments are deactivated.")
        subjects = row.get("subjects", "").split(",")[0].strip()
        if self.ok and term_ids:
            self.roster.classes[sourced_id] = Klass(
                sourced_id,
                self._active(),
                row.get("title", ""),
                row.get("classCode", ""),
                subjects,
                term_ids[0],
            )

    def _users(self, sourced_id: str, row: dict[str, str]) -> None:
        enabled = self.boolean("enabledUser")
        self._org("orgSourcedIds")
        if "password" in self.tables["users"].columns and row.get("password"):
            self.problems.warning(  # the value is not repeated: a report must never show a password
                self.file,
                self.line,
                "password",
                "(hidden)",
                "Passwords are never imported; people set their own from their invitation.",
            )
        role = (
            self.enum("role", spec.user_roles(self.roster.version), "user role") if row.get("role") else None
        )
        if role is None and self.ok:
            role = self.role_of.get(sourced_id)
        email = row.get("email", "").lower()
        if email and not EMAIL.match(email):
            self.error("email", f"“{row['email']}” is not an email address.")
        grades = tuple(g.strip() for g in row.get("grades", "").split(",") if g.strip())
        for grade in grades:
            if grade not in spec.GRADES:
                self.warn(
                    "grades", f"“{grade}” is not a OneRoster grade code (KG, 01…13, …); kept as written."
                )
        if not self.ok:
            return
        if role is None:
            self.error("role", "The user has no role (roles.csv names none for this user).")
            return
        if role not in spec.IMPORTED_ROLES:
            self.warn("role", f"A {role} is not a PLP account; this user is not imported.")
            self.skipped_users.add(sourced_id)
            return
        if email in self.emails:
            self.error("email", f"The email is also used by user “{self.emails[email]}”.")
            return
        if email:
            self.emails[email] = sourced_id
        self.roster.users[sourced_id] = Person(
            sourced_id,
            self._active() and enabled is not False,
            role,
            row.get("givenName", ""),
            row.get("familyName", ""),
            email,
            row.get("username", ""),
            grades,
        )

    def _roles(self, sourced_id: str, row: dict[str, str]) -> None:
        self.enum("roleType", spec.ROLE_TYPES, "role type")
        role = self.enum("role", spec.USER_ROLES_V12, "user role")
        user_id = row.get("userSourcedId", "")
        if role and (row.get("roleType") == "primary" or user_id not in self.role_of):
            self.role_of[user_id] = role

    def _enrollments(self, sourced_id: str, row: dict[str, str]) -> None:
        role = self.enum("role", spec.enrollment_roles(self.roster.version), "enrollment role")
        self.boolean("primary")
        self.date("beginDate")
        self.date("endDate")
        self._org("schoolSourcedId")
        class_id, user_id = row.get("classSourcedId", ""), row.get("userSourcedId", "")
        if class_id in self.bad["classes"]:
            self.error("classSourcedId", f"The class “{class_id}” has problems in classes.csv.")
        elif class_id and class_id not in self.roster.classes and class_id not in self.known.classes:
            self.error("classSourcedId", f"The class “{class_id}” is not in classes.csv.")
        if user_id in self.bad["users"]:
            self.error("userSourcedId", f"The user “{user_id}” has problems in users.csv.")
        elif user_id in self.skipped_users:
            self.warn("userSourcedId", f"The user “{user_id}” is not imported (see users.csv); row skipped.")
            return
        elif user_id and user_id not in self.roster.users and user_id not in self.known.users:
            self.error("userSourcedId", f"The user “{user_id}” is not in users.csv.")
        if not self.ok or role is None:
            return
        if role not in spec.IMPORTED_ROLES:
            self.warn("role", f"A {role} enrollment is not imported.")
            return
        person = self.roster.users.get(user_id)
        if person is not None and person.role != role:
            self.warn("role", f"The user is a {person.role} in users.csv but enrolled as a {role}.")
        pair = (class_id, user_id)
        if pair in self.pairs:
            self.error(
                "userSourcedId", f"The user is already enrolled in this class (line {self.pairs[pair]})."
            )
            return
        self.pairs[pair] = self.line
        self.roster.seats[sourced_id] = Seat(sourced_id, self._active(), class_id, user_id, role)
