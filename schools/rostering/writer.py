"""The atomic writer: executes a roster plan in one transaction with bulk writes.

Values were checked by the pure validator (lengths, dates, enums) and uniqueness by the plan (names are
disambiguated, sourcedIds matched), so rows are written with bulk_create/bulk_update rather than one
``full_clean()`` and ``save()`` each: that is what makes a 40,000-enrollment roster import in seconds.
"""

from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.db import transaction

from accounts.services import access_ended
from plp.tenancy.context import current_school_id
from plp.versions import school_touch
from schools.models import Enrollment, Membership, School, Section, Term
from schools.rostering.models import RosterPerson
from schools.rostering.plan import CHUNK, Plan, roster_plan
from schools.rostering.records import Roster


class PlanChanged(Exception):
    """The school changed between the dry run the admin approved and the import."""


def _bulk_create(model, objs: list) -> None:
    model.objects.bulk_create(objs, batch_size=CHUNK)


def _bulk_update(model, objs: list, fields: list[str]) -> None:
    if objs:
        model.objects.bulk_update(_unique(objs), fields, batch_size=CHUNK)


def _unique(objs: list) -> list:
    seen: set[int] = set()
    return [o for o in objs if not (id(o) in seen or seen.add(id(o)))]


def roster_write(
    *,
    roster: Roster,
    approved_counts: dict | None = None,
    progress: Callable[[int], None] | None = None,
) -> Plan:
    """Import ``roster`` into the active school. Raises PlanChanged (and writes nothing) if the plan's
    counts differ from ``approved_counts``; any error rolls everything back."""
    report = progress or (lambda pct: None)
    User = get_user_model()
    with transaction.atomic():
        # One import per school at a time: a second one waits here, then sees the first one's result.
        School.objects.select_for_update().filter(pk=current_school_id()).first()
        plan = roster_plan(roster=roster)
        if approved_counts is not None and plan.counts != approved_counts:
            raise PlanChanged("The school's data changed since the dry run; check the roster again.")
        report(20)
        _bulk_create(Term, plan.terms_new)
        _bulk_update(Term, plan.terms_changed, ["name", "start_date", "end_date", "kind"])
        report(30)
        _bulk_create(User, plan.users_new)
        _bulk_update(User, plan.users_changed, ["given_name", "family_name", "email", "username"])
        report(45)
        _bulk_create(RosterPerson, plan.people_new)
        _bulk_update(RosterPerson, plan.people_changed, ["role", "username", "grades", "is_active"])
        _sync_memberships(revoked={(user.pk, role) for user, role in plan.revoked_roles})
        report(60)
        _bulk_create(Section, plan.sections_new)
        _bulk_update(Section, plan.sections_changed, ["term", "name", "code", "subject"])
        report(70)
        school_id = current_school_id()
        seats = plan.seats_new
        for start in range(0, len(seats), CHUNK * 5):  # the bulk of the work: move the bar as it goes
            _bulk_create(
                Enrollment,
                [
                    Enrollment(
                        school_id=school_id,
                        section_id=section.pk,
                        user_id=user.pk,
                        role=role,
                        sourced_id=sourced_id,
                    )
                    for section, user, role, sourced_id in seats[start : start + CHUNK * 5]
                ],
            )
            report(70 + 20 * min(len(seats), start + CHUNK * 5) // len(seats))
        _bulk_update(Enrollment, plan.seats_changed, ["section", "user", "role", "is_active", "sourced_id"])
        # Bulk writes send no save signals: the dashboards' cached rows of this school go here.
        school_touch(school_id=school_id)
        report(95)
    return plan


def _sync_memberships(*, revoked: set[tuple[int, str]]) -> None:
    """Each rostered person holds an active membership in their role while their roster record is active,
    and loses it (deactivated, kept) when no active record gives them that role any more (also when the
    roster changed their role)."""
    wanted: dict[tuple[int, str], bool] = dict.fromkeys(revoked, False)
    for user_id, role, active in RosterPerson.objects.values_list("user_id", "role", "is_active"):
        wanted[(user_id, role)] = wanted.get((user_id, role), False) or active
    existing = {
        (m.user_id, m.role): m
        for m in Membership.objects.filter(role__in={role for _, role in wanted}).only(
            "pk", "user_id", "role", "is_active"
        )
    }
    school_id = current_school_id()
    new, changed = [], []
    for (user_id, role), active in wanted.items():
        membership = existing.get((user_id, role))
        if membership is None:
            if active:
                new.append(Membership(school_id=school_id, user_id=user_id, role=role))
        elif membership.is_active != active:
            membership.is_active = active
            changed.append(membership)
    _bulk_create(Membership, new)
    _bulk_update(Membership, changed, ["is_active"])
    # People the roster no longer gives a role: their sessions end and their tokens for the school die.
    access_ended(user_ids=[m.user_id for m in changed if not m.is_active], school_id=school_id)
