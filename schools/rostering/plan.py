"""The dry run: what an import would create, update and deactivate, computed from the roster and the school.

The same function builds the plan shown to the admin and the plan the writer executes (inside its
transaction), so what is written is what was shown; the writer refuses to run if the counts differ.
Objects are matched by sourcedId (upsert); a person is matched to an existing account by email, so someone
already known in another school gets a membership here, not a second account.
"""

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.utils.text import slugify

from accounts.emails import PLACEHOLDER_DOMAIN, is_placeholder_email
from accounts.models import normalize_username
from plp.tenancy.context import all_schools, current_school_id
from schools.models import Enrollment, Membership, OrganizationAdmin, School, Section, Term
from schools.rostering.models import RosterPerson
from schools.rostering.records import KnownIds, Roster

KINDS = ("students", "teachers", "sections", "enrollments", "terms")
ACTIONS = ("create", "update", "deactivate", "unchanged")
CHUNK = 2000


def placeholder_email(*, school_slug: str, sourced_id: str) -> str:
    """An address for a person the roster gives no email: unique, clearly not deliverable (RFC 2606), and
    replaced as soon as a roster brings a real one. Such people cannot be invited until then."""
    digest = hashlib.sha256(sourced_id.encode()).hexdigest()[:8]
    return f"{slugify(sourced_id)[:40] or 'person'}-{digest}@{school_slug}.{PLACEHOLDER_DOMAIN}"


@dataclass
class Plan:
    counts: dict[str, dict[str, int]] = field(
        default_factory=lambda: {kind: dict.fromkeys(ACTIONS, 0) for kind in KINDS}
    )
    terms_new: list = field(default_factory=list)
    terms_changed: list = field(default_factory=list)
    users_new: list = field(default_factory=list)
    users_changed: list = field(default_factory=list)
    people_new: list = field(default_factory=list)
    people_changed: list = field(default_factory=list)
    sections_new: list = field(default_factory=list)
    sections_changed: list = field(default_factory=list)
    seats_new: list = field(default_factory=list)  # (section, user, role, sourced_id)
    seats_changed: list = field(default_factory=list)
    # (user, role) pairs whose roster role changed away: that membership is deactivated.
    revoked_roles: set = field(default_factory=set)

    def count(self, kind: str, action: str) -> None:
        self.counts[kind][action] += 1

    @property
    def changes(self) -> int:
        return sum(c[a] for c in self.counts.values() for a in ("create", "update", "deactivate"))


def _chunks(values: list, size: int = CHUNK) -> Iterable[list]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def known_ids() -> KnownIds:
    """The sourcedIds already imported into the active school (a delta file may refer to them)."""
    return KnownIds(
        sessions=frozenset(Term.objects.exclude(sourced_id="").values_list("sourced_id", flat=True)),
        classes=frozenset(Section.objects.exclude(sourced_id="").values_list("sourced_id", flat=True)),
        users=frozenset(RosterPerson.objects.values_list("sourced_id", flat=True)),
    )


def _set(obj, values: dict) -> bool:
    """Assign ``values`` to ``obj``; True if anything changed."""
    changed = False
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    return changed


def roster_plan(*, roster: Roster) -> Plan:
    """The plan for the active school (a handful of bulk reads; nothing is written)."""
    school = School.objects.get(pk=current_school_id())
    plan = Plan()
    terms = _plan_terms(roster, school, plan)
    people = _plan_people(roster, school, plan)
    sections = _plan_sections(roster, school, plan, terms)
    _plan_seats(roster, school, plan, sections, people)
    return plan


def _plan_terms(roster: Roster, school: School, plan: Plan) -> dict[str, Term]:
    by_sid = {t.sourced_id: t for t in Term.objects.exclude(sourced_id="")}
    taken = {t.name for t in Term.objects.all() if t.sourced_id not in roster.sessions}
    for session in roster.sessions.values():
        name = session.title[:120]
        if name in taken:
            name = f"{session.title[: 117 - len(session.sourced_id)]} ({session.sourced_id})"
        taken.add(name)
        values = {"name": name, "start_date": session.start, "end_date": session.end, "kind": session.kind}
        term = by_sid.get(session.sourced_id)
        if term is None:
            term = Term(school=school, sourced_id=session.sourced_id, **values)
            by_sid[session.sourced_id] = term
            plan.terms_new.append(term)
            plan.count("terms", "create")
        elif _set(term, values):
            plan.terms_changed.append(term)
            plan.count("terms", "update")
        else:
            plan.count("terms", "unchanged")
    return by_sid


def shared_user_ids(school: School, user_ids: list[int]) -> set[int]:
    """Accounts this school's roster must not rename: people who also belong to another school or
    organization, and platform staff. The roster links them (a membership here) and leaves them be."""
    User = get_user_model()
    shared: set[int] = set()
    for chunk in _chunks(sorted(set(user_ids))):
        # unscoped: which of these accounts also belong to another school (ids only, nothing is shown).
        others = Membership.objects.unscoped().filter(user_id__in=chunk).exclude(school=school)
        with all_schools():
            shared.update(others.values_list("user_id", flat=True))
        shared.update(OrganizationAdmin.objects.filter(user_id__in=chunk).values_list("user_id", flat=True))
        shared.update(User.objects.filter(pk__in=chunk, is_staff=True).values_list("pk", flat=True))
    return shared


class _Usernames:
    """Who signs in with which roster username (OneRoster ``username``, for people without an email).
    Usernames are unique across the platform, case-insensitive: a person gets the roster's username when
    nobody else has it and they have none yet (or the one this roster gave them before, which it may
    rename); otherwise they keep theirs, and an admin gives them an email instead."""

    def __init__(self, roster_usernames: list[str]):
        User = get_user_model()
        wanted = sorted({normalize_username(name) for name in roster_usernames} - {None})
        self.owner: dict[str, object] = {}
        for chunk in _chunks(wanted):
            self.owner.update({u.username: u for u in User.objects.filter(username__in=chunk)})

    def claim(self, user, *, wanted: str, previous: str | None) -> str | None:
        """The username ``user`` should have after this roster (maybe the one they have)."""
        wanted, previous = normalize_username(wanted), normalize_username(previous)
        if not wanted or user.username == wanted or user.username not in (None, previous):
            return user.username
        owner = self.owner.get(wanted)
        if owner is not None and owner is not user and not (owner.pk and owner.pk == user.pk):
            return user.username  # someone else's (a name given up in this roster is free at the next one)
        self.owner[wanted] = user
        return wanted


@dataclass
class _People:
    """What every person of the roster is matched against, read in bulk up front."""

    school: School
    users_by_email: dict[str, object]
    shared: set[int]  # accounts this roster must not rename (``shared_user_ids``)
    logins: _Usernames
    new_users: dict[str, object] = field(default_factory=dict)  # by email: one user for two new records


def _plan_people(roster: Roster, school: School, plan: Plan) -> dict[str, RosterPerson]:
    """The people of the roster matched to the school's (by sourcedId, then email), with the users to
    create, their usernames and, in a bulk file, who is left out."""
    User = get_user_model()
    by_sid = {p.sourced_id: p for p in RosterPerson.objects.select_related("user")}
    emails = [
        p.email or placeholder_email(school_slug=school.slug, sourced_id=p.sourced_id)
        for p in roster.users.values()
    ]
    users_by_email = {}
    for chunk in _chunks(emails):
        users_by_email.update({u.email: u for u in User.objects.filter(email__in=chunk)})
    shared = shared_user_ids(
        school, [u.pk for u in users_by_email.values()] + [p.user_id for p in by_sid.values()]
    )
    people = _People(school, users_by_email, shared, _Usernames([p.username for p in roster.users.values()]))
    for person in roster.users.values():
        existing = by_sid.get(person.sourced_id)
        if existing is not None:
            _plan_known_person(person, existing, people, plan)
        elif person.active:  # (tobedeleted and never imported: nothing to do)
            by_sid[person.sourced_id] = _plan_new_person(person, people, plan)
    if roster.is_bulk("users"):
        _plan_left_out(roster, by_sid, plan)
    return by_sid


def _plan_new_person(person, people: _People, plan: Plan) -> RosterPerson:
    """A person the school has no record of: their record, on the user with their email (or a new one)."""
    email = person.email or placeholder_email(school_slug=people.school.slug, sourced_id=person.sourced_id)
    user = people.users_by_email.get(email) or people.new_users.get(email)
    if user is None:
        user = get_user_model()(
            email=email,
            given_name=person.given_name,
            family_name=person.family_name,
            password=make_password(None),
        )
        user.username = people.logins.claim(user, wanted=person.username, previous=None)
        people.new_users[email] = user
        plan.users_new.append(user)
    elif user.pk not in people.shared and _set(
        user,
        {
            "given_name": person.given_name,
            "family_name": person.family_name,
            "username": people.logins.claim(user, wanted=person.username, previous=None),
        },
    ):
        plan.users_changed.append(user)
    record = RosterPerson(
        school=people.school,
        user=user,
        sourced_id=person.sourced_id,
        role=person.role,
        username=person.username,
        grades=list(person.grades),
    )
    plan.people_new.append(record)
    plan.count(f"{person.role}s", "create")
    return record


def _plan_known_person(person, existing: RosterPerson, people: _People, plan: Plan) -> None:
    """A person the school has a record of: their user and record brought up to date, counted."""
    kind = f"{person.role}s"
    user = existing.user
    user_values = {}
    if user.pk not in people.shared:
        user_values = {
            "given_name": person.given_name,
            "family_name": person.family_name,
            "username": people.logins.claim(user, wanted=person.username, previous=existing.username),
        }
    if person.email and is_placeholder_email(user.email) and person.email not in people.users_by_email:
        user_values["email"] = person.email
    user_changed = _set(user, user_values)
    if user_changed:
        plan.users_changed.append(user)
    was_active, old_role = existing.is_active, existing.role
    changed = _set(
        existing,
        {
            "role": person.role,
            "username": person.username,
            "grades": list(person.grades),
            "is_active": person.active,
        },
    )
    if changed:
        plan.people_changed.append(existing)
    if old_role != person.role:
        plan.revoked_roles.add((user, old_role))
    if was_active and not person.active:
        plan.count(kind, "deactivate")
    elif changed or user_changed:
        plan.count(kind, "update")
    else:
        plan.count(kind, "unchanged")


def _plan_left_out(roster: Roster, by_sid: dict[str, RosterPerson], plan: Plan) -> None:
    """A bulk users file: the school's active people it no longer names are deactivated."""
    named = roster.mentioned.get("users", set())
    for record in by_sid.values():
        if record.pk and record.is_active and record.sourced_id not in named:
            record.is_active = False
            plan.people_changed.append(record)
            plan.count(
                f"{record.role}s" if record.role in ("student", "teacher") else "students", "deactivate"
            )


def _plan_sections(roster: Roster, school: School, plan: Plan, terms: dict[str, Term]) -> dict[str, Section]:
    by_sid = {s.sourced_id: s for s in Section.objects.exclude(sourced_id="")}
    taken = {(s.term_id, s.name) for s in Section.objects.all() if s.sourced_id not in roster.classes}
    for klass in roster.classes.values():
        term = terms[klass.term_id]
        term_key = term.pk or id(term)
        name = klass.title[:200]
        if (term_key, name) in taken:
            suffix = klass.code or klass.sourced_id
            name = f"{klass.title[: 197 - len(suffix)]} ({suffix})"
        taken.add((term_key, name))
        values = {"name": name, "code": klass.code[:60], "subject": klass.subject[:120]}
        section = by_sid.get(klass.sourced_id)
        if section is None:
            section = Section(school=school, term=term, sourced_id=klass.sourced_id, **values)
            by_sid[klass.sourced_id] = section
            plan.sections_new.append(section)
            plan.count("sections", "create")
            continue
        changed = _set(section, values)
        if section.term_id != term.pk or term.pk is None:
            section.term = term
            changed = True
        if changed:
            plan.sections_changed.append(section)
            plan.count("sections", "update")
        else:
            plan.count("sections", "unchanged")
    return by_sid


def _plan_seats(
    roster: Roster,
    school: School,
    plan: Plan,
    sections: dict[str, Section],
    people: dict[str, RosterPerson],
) -> None:
    existing = list(Enrollment.objects.only("pk", "section_id", "user_id", "role", "is_active", "sourced_id"))
    by_sid = {e.sourced_id: e for e in existing if e.sourced_id}
    # An enrollment made by hand (no sourcedId, or one the roster no longer names) is adopted by the roster
    # row for the same person in the same section instead of colliding with it.
    by_pair = {(e.section_id, e.user_id): e for e in existing if e.sourced_id not in roster.seats}
    for seat in roster.seats.values():
        section, person = sections.get(seat.class_id), people.get(seat.user_id)
        if section is None or person is None:
            continue
        klass = roster.classes.get(seat.class_id)
        active = seat.active and (klass is None or klass.active)
        enrollment = by_sid.get(seat.sourced_id)
        if enrollment is None and section.pk and person.user.pk:
            enrollment = by_pair.get((section.pk, person.user.pk))
        if enrollment is None:
            if active:
                # Built by the writer once the section and the account have ids (faster than
                # 40,000 model instances holding related objects).
                plan.seats_new.append((section, person.user, seat.role, seat.sourced_id))
                plan.count("enrollments", "create")
            continue
        was_active = enrollment.is_active
        changed = _set(enrollment, {"role": seat.role, "is_active": active, "sourced_id": seat.sourced_id})
        if enrollment.section_id != section.pk or section.pk is None:
            enrollment.section = section
            changed = True
        if enrollment.user_id != person.user.pk or person.user.pk is None:
            enrollment.user = person.user
            changed = True
        if changed:
            plan.seats_changed.append(enrollment)
        if was_active and not active:
            plan.count("enrollments", "deactivate")
        elif changed:
            plan.count("enrollments", "update")
        else:
            plan.count("enrollments", "unchanged")
    if roster.is_bulk("enrollments"):
        named = roster.mentioned.get("enrollments", set())
        for enrollment in by_sid.values():
            if enrollment.is_active and enrollment.sourced_id not in named:
                enrollment.is_active = False
                plan.seats_changed.append(enrollment)
                plan.count("enrollments", "deactivate")
