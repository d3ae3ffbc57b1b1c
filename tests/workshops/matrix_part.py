"""The workshops app's entries in the cross-tenant matrix (tests/test_cross_tenant_matrix.py)."""

import datetime as dt

from plp.tenancy.context import school_scope
from schools.roles import Role
from tests.conftest import SchoolWorld
from tests.factories import CompetencyFactory
from tests.support import SchoolRoute
from workshops import services
from workshops.models import CalendarFeed, LearningBlock, Seat, Workshop


def _b_block(b: SchoolWorld) -> LearningBlock:
    def make(b):
        with school_scope(b.school):
            return services.block_save(weekday=0, starts=dt.time(10), ends=dt.time(11), label="bravo block")

    return b.once("workshop_block", make)


def _b_workshop(b: SchoolWorld) -> int:
    def make(b):
        from tests.workshops.conftest import next_weekday

        competency = CompetencyFactory(framework__school=b.school, code="BRAVO.W", title="bravo competency")
        with school_scope(b.school):
            workshop = services.workshop_create(
                teacher=b.user(Role.TEACHER),
                competency=competency,
                block=_b_block(b),
                day=next_weekday(b, 0),
                location="bravo room",
                capacity=3,
                invite_ids=[b.user(Role.STUDENT).pk],
                note="bravo note",
            )
            services.feed_issue(user=b.user(Role.STUDENT))
        return workshop

    return b.once("workshop", make).pk


def _b_student(b: SchoolWorld) -> int:
    return b.user(Role.STUDENT).pk


SCHOOL_B_OBJECT = {
    "block_id": lambda b: _b_block(b).pk,
    "workshop_id": _b_workshop,
    "student_id": _b_student,
}

SCHOOL_ROUTES = {
    "workshops:index": SchoolRoute(),
    "workshops:new": SchoolRoute(),
    "workshops:detail": SchoolRoute(),
    "workshops:signup": SchoolRoute(),
    "workshops:leave": SchoolRoute(),
    "workshops:attendance": SchoolRoute(),
    "workshops:cancel": SchoolRoute(),
    "workshops:blocks": SchoolRoute(),
    "workshops:block_edit": SchoolRoute(),
    "workshops:block_delete": SchoolRoute(),
    "workshops:week": SchoolRoute(),
    "workshops:student_week": SchoolRoute(),
    "workshops:feed_new": SchoolRoute(),
    "workshops:feed_revoke": SchoolRoute(),
}


def _own_feed(world: SchoolWorld, role: str) -> dict[str, str]:
    """A live feed token of school A's person in ``role`` (the student's for roles without a week; school
    B's workshop and feed exist too): what it shows must be school A's only."""
    person = world.user(role if role in (Role.STUDENT, Role.TEACHER) else Role.STUDENT)
    with school_scope(world.school):
        feed = CalendarFeed.objects.filter(user=person, revoked_at__isnull=True).first()
        feed = feed or services.feed_issue(user=person)
    return {"token": feed.token}


GLOBAL_ROUTES = {
    "calendar_feed": "the private token names one person's feed in one school; an unknown one is a 404",
}

# Called with (school A's world, role): a global route whose kwargs are a secret of one school's person.
GLOBAL_KWARGS = {"calendar_feed": _own_feed}

ADMIN_OBJECT = {
    "learningblock": lambda b: _b_block(b).pk,
    "workshop": _b_workshop,
}


def snapshot(world: SchoolWorld):
    return (
        sorted(LearningBlock.objects.values_list("pk", "weekday", "starts", "ends", "label")),
        sorted(Workshop.objects.values_list("pk", "status", "capacity", "location", "starts_at")),
        sorted(Seat.objects.values_list("pk", "student_id", "is_active", "attendance", "outcome")),
        sorted(CalendarFeed.objects.values_list("pk", "token", "revoked_at")),
    )
