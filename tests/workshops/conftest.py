import datetime as dt

import pytest

from plp.tenancy.context import school_scope
from schools.roles import Role
from tests.conftest import SchoolWorld
from tests.factories import CompetencyFactory, EnrollmentFactory, MembershipFactory, UserFactory
from tests.support import school_today
from workshops import services
from workshops.models import LearningBlock


def add_student(world: SchoolWorld, *, section=None, **names):
    """A student of the world's school, in ``section`` (default: the teacher's section)."""
    student = UserFactory(**names)
    MembershipFactory(school=world.school, user=student, role=Role.STUDENT)
    EnrollmentFactory(section=section or world.section, user=student, role="student")
    return student


def add_block(world: SchoolWorld, *, weekday=0, starts=dt.time(10), ends=dt.time(11), label="PLT"):
    with school_scope(world.school):
        return services.block_save(weekday=weekday, starts=starts, ends=ends, label=label)


def next_weekday(world: SchoolWorld, weekday: int = 0) -> dt.date:
    """That weekday, one to two weeks ahead of the school's today (always in the future)."""
    day = school_today(world.school) + dt.timedelta(days=7)
    return day + dt.timedelta(days=(weekday - day.weekday()) % 7)


@pytest.fixture
def competency(school_a):
    return CompetencyFactory(framework__school=school_a.school, code="ALPHA.FRAC", title="Fractions")


@pytest.fixture
def block(school_a) -> LearningBlock:
    return add_block(school_a)


@pytest.fixture
def monday(school_a) -> dt.date:
    return next_weekday(school_a, 0)


def make_workshop(world: SchoolWorld, *, competency, block, day, invite=(), capacity=4, teacher=None, **kw):
    with school_scope(world.school):
        return services.workshop_create(
            teacher=teacher or world.user(Role.TEACHER),
            competency=competency,
            block=block,
            day=day,
            location=kw.pop("location", "Room 12"),
            capacity=capacity,
            invite_ids=[s.pk for s in invite],
            section=world.section,
            **kw,
        )
