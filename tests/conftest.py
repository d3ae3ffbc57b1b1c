"""Shared fixtures. Every test world has two schools in two organizations: isolation is always in view."""

import os
import uuid
from dataclasses import dataclass, field

import pytest
from django.db import connections

from plp.tenancy.context import all_schools
from plp.tenancy.rls import app_role, apply_grants
from schools.models import School, Section, Term
from schools.roles import DISTRICT_ADMIN, Role
from tests.factories import (
    EnrollmentFactory,
    MembershipFactory,
    MentorAssignmentFactory,
    OrganizationAdminFactory,
    OrganizationFactory,
    SchoolFactory,
    SectionFactory,
    TermFactory,
    UserFactory,
)

ALL_ROLES = (Role.STUDENT, Role.TEACHER, Role.MENTOR, Role.SCHOOL_ADMIN, DISTRICT_ADMIN)


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "live_server" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """With PLP_FORBID_SKIPS=1 (CI), a skipped test is a failure: nothing may silently not run."""
    outcome = yield
    report = outcome.get_result()
    if os.environ.get("PLP_FORBID_SKIPS") == "1" and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.longrepr = f"Skipped, but PLP_FORBID_SKIPS=1 forbids skips here: {reason}"


@pytest.fixture(autouse=True)
def _fast_hashing_and_a_private_cache(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Each test gets an empty in-process cache (throttle counters must not carry over between runs;
    # clearing a Redis cache would also flush the broker's queues).
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"test-{uuid.uuid4()}",
            # The dashboards cache a row per student and a version each: 200 students pass locmem's 300.
            "OPTIONS": {"MAX_ENTRIES": 20000},
        }
    }


@pytest.fixture(autouse=True)
def _outbound_to_loopback_allowed(settings):
    """The tests' LRS, identity providers and LMS run on loopback, which production refuses (plp/outbound.py;
    tests/plp/test_outbound.py turns the screen on)."""
    settings.ALLOW_PRIVATE_OUTBOUND = True


@pytest.fixture(autouse=True)
def _handed_in_files_in_a_temporary_folder(settings, tmp_path):
    """Files students hand in are written under the test's own folder, never the checkout's media/."""
    location = tmp_path / "submissions"
    settings.STORAGES = {
        **settings.STORAGES,
        "submissions": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": location},
        },
    }


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """On PostgreSQL the suite runs as the app role, under row-level security, like production.

    The test database is created and migrated as the DATABASE_URL role (the owner: creating a database
    needs CREATEDB, which the app role must not have); then every connection switches to the app role
    (``SET ROLE``, Django's ``assume_role``) for the tests themselves. The app role is created when missing
    (``.ci/run`` and the Makefile create it too). One test-only grant: TRUNCATE, for the ``flush`` that
    ends each transactional test (live server, browser journeys); the app never truncates."""
    connection = connections["default"]
    if connection.vendor != "postgresql" or os.environ.get("PLP_TESTS_AS_OWNER") == "1":
        # PLP_TESTS_AS_OWNER=1: as the owner, without the wall (to measure what it costs; the row-level
        # security tests fail then, so CI cannot run that way unnoticed).
        yield
        return
    role = app_role()
    with django_db_blocker.unblock():
        with connection.cursor() as cursor:
            cursor.execute(
                f"DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{role}') THEN "
                f'CREATE ROLE "{role}" NOLOGIN; END IF; '
                "EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$"
            )
        apply_grants(connection)  # the role may be newer than the migration (its policies are on)
        with connection.cursor() as cursor:
            cursor.execute(f'GRANT TRUNCATE ON ALL TABLES IN SCHEMA public TO "{role}"')
    options = connection.settings_dict.setdefault("OPTIONS", {})
    options["assume_role"] = role
    connections.close_all()
    try:
        yield
    finally:
        options.pop("assume_role", None)
        connections.close_all()


@pytest.fixture(autouse=True)
def _the_test_itself_sees_every_school():
    """The test's own set-up and assertions (factories, ``unscoped()`` reads) span schools: the database
    shows them every school, as Django's ``unscoped()`` does in the ORM. What the app does keeps its own
    scope: each request starts with none (the tenancy middleware), each task or ``school_scope`` block sees
    its school only, so row-level security is on wherever the app runs."""
    with all_schools():
        yield


@dataclass
class SchoolWorld:
    """One school with a person in every role, a term, two sections and enrollments."""

    school: School
    term: Term
    section: Section  # taught by `teacher`, attended by `student`
    other_section: Section  # taught by `other_teacher`; `teacher` and `student` are not in it
    people: dict[str, object] = field(default_factory=dict)
    made: dict[str, object] = field(default_factory=dict)

    def user(self, role: str):
        return self.people[role]

    def once(self, key: str, make):
        """The world's object called ``key``, made by ``make(world)`` the first time it is asked for."""
        if key not in self.made:
            self.made[key] = make(self)
        return self.made[key]


def build_school_world(*, prefix: str, slug: str, name: str) -> SchoolWorld:
    organization = OrganizationFactory(name=f"{name} District", slug=f"{slug}-district")
    school = SchoolFactory(organization=organization, name=name, slug=slug)
    term = TermFactory(school=school, name=f"{prefix}-TERM")
    section = SectionFactory(school=school, term=term, name=f"{prefix}-SECTION-ONE", code=f"{prefix}-1")
    other = SectionFactory(school=school, term=term, name=f"{prefix}-SECTION-TWO", code=f"{prefix}-2")
    people = {}
    for role in (Role.STUDENT, Role.TEACHER, Role.MENTOR, Role.SCHOOL_ADMIN):
        user = UserFactory(
            email=f"{role}@{prefix.lower()}.example.test",
            given_name=f"{prefix}Given{role.title().replace('_', '')}",
            family_name=f"{prefix}Family",
        )
        MembershipFactory(school=school, user=user, role=role)
        people[role] = user
    district_admin = UserFactory(
        email=f"district@{prefix.lower()}.example.test", given_name=f"{prefix}District"
    )
    OrganizationAdminFactory(organization=organization, user=district_admin)
    people[DISTRICT_ADMIN] = district_admin
    other_teacher = UserFactory(email=f"other.teacher@{prefix.lower()}.example.test")
    MembershipFactory(school=school, user=other_teacher, role=Role.TEACHER)
    people["other_teacher"] = other_teacher
    EnrollmentFactory(section=section, user=people[Role.TEACHER], role="teacher")
    EnrollmentFactory(section=section, user=people[Role.STUDENT], role="student")
    EnrollmentFactory(section=other, user=other_teacher, role="teacher")
    return SchoolWorld(school=school, term=term, section=section, other_section=other, people=people)


@pytest.fixture
def school_a(db) -> SchoolWorld:
    return build_school_world(prefix="ALPHA", slug="alpha", name="Alpha Academy")


@pytest.fixture
def school_b(db) -> SchoolWorld:
    return build_school_world(prefix="BRAVO", slug="bravo", name="Bravo Secret Prep")


@pytest.fixture
def mentee(school_a: SchoolWorld):
    """School A's student, mentored by school A's mentor."""
    student = school_a.user(Role.STUDENT)
    MentorAssignmentFactory(school=school_a.school, mentor=school_a.user(Role.MENTOR), student=student)
    return student
