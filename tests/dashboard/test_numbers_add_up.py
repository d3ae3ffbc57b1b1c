"""Numbers that add up: the school and district overviews are read from the section dashboards, a student
is counted once per school, a school's total is the union of its sections (not their sum), the district's
total is the sum of its schools, and the home page counts students as the district page does."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from dashboard.seeding import section_seed
from dashboard.selectors.overview import district_overview, school_overview
from mastery.models import MasteryStatus
from plp.tenancy.context import school_scope
from schools.roles import DISTRICT_ADMIN, Role
from tests.dashboard.conftest import make_flag, make_state
from tests.factories import (
    CompetencyFactory,
    ContentItemFactory,
    EnrollmentFactory,
    ItemProgressFactory,
    MembershipFactory,
    PlaylistAssignmentFactory,
    PlaylistItemFactory,
    SchoolFactory,
    SectionFactory,
    TermFactory,
    UserFactory,
)
from tests.support import school_today

NUMBERS = ("students", "mastered", "cells", "behind", "open_flags", "check_ins_overdue")


def numbers(row) -> tuple:
    return tuple(getattr(row, n) for n in NUMBERS)


def _student(school, name, *sections, active=True):
    user = UserFactory(given_name=name, family_name="Counted")
    MembershipFactory(school=school, user=user, role=Role.STUDENT)
    for section in sections:
        EnrollmentFactory(school=school, section=section, user=user, role="student", is_active=active)
    return user


def _playlist(school, section, *competencies):
    """A playlist for ``section``, one item per competency and a reading on none (so mastering them all
    would still leave it to do), half its time gone (nothing done is behind, nor one of three) by the
    school's own day (the pages' day: the server's UTC one is a day ahead every American evening)."""
    today = school_today(school)
    assignment = PlaylistAssignmentFactory(
        playlist__school=school, section=section,
        start_date=today - dt.timedelta(days=10), target_date=today + dt.timedelta(days=10),
    )  # fmt: skip
    items = []
    for position, competency in enumerate(competencies, start=1):
        item = ContentItemFactory(school=school, title=f"Item on {competency.code}")
        with school_scope(school):
            item.competencies.add(competency)
        PlaylistItemFactory(playlist=assignment.playlist, item=item, position=position)
        items.append(item)
    reading = ContentItemFactory(school=school, title=f"Reading of {section.name}")
    PlaylistItemFactory(playlist=assignment.playlist, item=reading, position=len(items) + 1)
    return [*items, reading]


def _done(school, student, *items):
    for item in items:
        ItemProgressFactory(school=school, student=student, item=item, status="done")


@pytest.fixture
def district(school_a, school_b):
    """Alpha: Math (school_a.section) and Science (other_section) share RP.2 and a student; Art has no
    playlist; one student has no section, one only an inactive enrolment. A sibling school of the same
    district has the shared student too. school_b (another district) has a busy section of its own."""
    school = school_a.school
    c1, c2, c3 = (CompetencyFactory(framework__school=school, code=f"RP.{n}") for n in (1, 2, 3))
    math, science = school_a.section, school_a.other_section
    art = SectionFactory(school=school, term=school_a.term, name="Art 7")
    math_items = _playlist(school, math, c1, c2)
    science_items = _playlist(school, science, c2, c3)
    first = school_a.user(Role.STUDENT)  # in Math only: nothing done, behind
    shared = _student(school, "Shared", math, science, art)  # Math done, Science not: behind there
    scientist = _student(school, "Scientist", science)  # Science done
    _student(school, "Nosection")  # a student of the school in no section: not counted anywhere
    gone = _student(school, "Gone", math, active=False)  # an inactive enrolment: not counted
    _done(school, shared, *math_items)
    _done(school, scientist, *science_items)
    make_state(school, first, c1, MasteryStatus.MASTERED, 0.96)
    make_state(school, shared, c2, MasteryStatus.MASTERED, 0.97)  # RP.2 is in Math and Science
    make_state(school, scientist, c3, MasteryStatus.MASTERED, 0.95)
    make_state(school, gone, c1, MasteryStatus.MASTERED, 0.99)
    for kind in ("inactive", "falling_trend"):
        make_flag(school, shared, kind=kind)
    make_flag(school, scientist, kind="inactive")
    make_flag(school, gone, kind="inactive")

    sibling = SchoolFactory(organization=school.organization, name="Alpha Sibling", slug="alpha-sibling")
    term = TermFactory(school=sibling, name="SIBLING-TERM")
    history = SectionFactory(school=sibling, term=term, name="History 7")
    MembershipFactory(school=sibling, user=shared, role=Role.STUDENT)
    EnrollmentFactory(school=sibling, section=history, user=shared, role="student")
    _playlist(sibling, history, CompetencyFactory(framework__school=sibling, code="HIS.1"))
    make_flag(sibling, shared, kind="inactive")

    with school_scope(school_b.school):
        section_seed(section=school_b.section, students=6, competencies=3, tag="B")
    return school_a, sibling


def test_a_schools_total_is_the_union_of_its_sections_not_their_sum(district):
    world, _sibling = district
    with school_scope(world.school):
        overview = school_overview(today=timezone.localdate())
    rows = {row.name: numbers(row) for row in overview.rows}
    # (students, mastered, cells = students × the section's competencies, behind, open flags, overdue)
    assert rows == {
        world.section.name: (2, 2, 4, 1, 2, 0),  # first (behind) and shared (done)
        world.other_section.name: (2, 2, 4, 1, 3, 0),  # shared (behind) and scientist (done)
        "Art 7": (1, 0, 0, 0, 2, 0),  # nothing assigned: nobody behind, shared's flags all the same
    }
    # Each student once: first, shared, scientist; RP.2 of shared once though two sections teach it;
    # each flag once. Summing the rows would say 5 students, 8 cells, 7 flags.
    assert numbers(overview.total) == (3, 3, 7, 2, 3, 0)


def test_the_district_is_the_sum_of_its_schools_and_each_school_is_its_own_overview(district):
    world, sibling = district
    schools = sorted([world.school, sibling], key=lambda s: s.name)
    with school_scope(world.school):
        alpha_total = numbers(school_overview(today=timezone.localdate()).total)
        overview = district_overview(schools=schools, today=timezone.localdate())
    with school_scope(sibling):
        sibling_total = numbers(school_overview(today=timezone.localdate()).total)
    by_name = {row.name: numbers(row) for row in overview.rows}
    assert by_name == {world.school.name: alpha_total, sibling.name: sibling_total}
    assert sibling_total == (1, 0, 1, 1, 1, 0)  # shared, behind there, with that school's flag only
    assert numbers(overview.total) == tuple(map(sum, zip(alpha_total, sibling_total, strict=True)))


def test_the_pages_show_the_same_numbers_and_say_what_they_mean(client, district):
    world, _sibling = district
    slug = world.school.slug
    client.force_login(world.user(DISTRICT_ADMIN))
    home = client.get(reverse("schools:home", kwargs={"school_slug": slug})).content.decode()
    district_page = client.get(reverse("dashboard:district_overview", kwargs={"school_slug": slug}))
    school_page = client.get(reverse("dashboard:school_overview", kwargs={"school_slug": slug}))
    district_body, school_body = district_page.content.decode(), school_page.content.decode()
    assert "<dt>Students</dt><dd>3</dd>" in home  # first, shared, scientist: as the district says
    assert "2 more with a student role are in no section" in home  # Nosection and Gone, not hidden
    alpha = district_body.split("<tbody>")[1].split(world.school.name)[1].split("</tr>")[0]
    assert "<td>3</td><td>43% <small>(3 of 7)</small></td>" in alpha
    assert "<td>67% <small>(2)</small></td><td>3</td><td>0</td>" in alpha
    total = district_body.split("<tfoot>")[1].split("</tfoot>")[0]
    assert "<td>4</td><td>38% <small>(3 of 8)</small></td>" in total
    school_total = school_body.split("<tfoot>")[1].split("</tfoot>")[0]
    assert "<td>3</td><td>43% <small>(3 of 7)</small></td>" in school_total
    for body in (district_body, school_body):
        assert "What the numbers mean" in body and "once in the total" in body
        assert "slowest" in body  # pace's definition
    assert "Bravo" not in district_body  # another district's school stays out


def _district_queries(client, world, django_assert_max_num_queries, budget):
    target = reverse("dashboard:district_overview", kwargs={"school_slug": world.school.slug})
    client.get(target)  # warm the session
    with django_assert_max_num_queries(budget) as captured:
        assert client.get(target).status_code == 200
    return len(captured.captured_queries)


def test_the_district_overview_costs_the_same_queries_for_one_school_or_many_with_sections(
    client, school_a, django_assert_max_num_queries
):
    client.force_login(school_a.user(DISTRICT_ADMIN))
    with school_scope(school_a.school):
        section_seed(section=school_a.section, students=3, competencies=2, tag="D0")
    one = _district_queries(client, school_a, django_assert_max_num_queries, 16)
    for n in range(1, 4):
        school = SchoolFactory(
            organization=school_a.school.organization, name=f"Alpha {n}", slug=f"alpha-{n}"
        )
        term = TermFactory(school=school, name=f"T{n}")
        for m in range(2):
            section = SectionFactory(school=school, term=term, name=f"S{n}.{m}")
            with school_scope(school):
                section_seed(section=section, students=4, competencies=3, tag=f"D{n}{m}", seed=n + m)
    assert _district_queries(client, school_a, django_assert_max_num_queries, one) <= one


def test_the_csv_export_costs_the_same_queries_for_one_student_or_many(
    client, school_a, django_assert_max_num_queries
):
    client.force_login(school_a.user(Role.TEACHER))
    target = reverse(
        "dashboard:section_csv",
        kwargs={"school_slug": school_a.school.slug, "section_id": school_a.section.pk},
    )

    def queries(budget):
        client.get(target)
        with django_assert_max_num_queries(budget) as captured:
            response = client.get(target)
            lines = b"".join(response.streaming_content).decode().splitlines()
        return len(captured.captured_queries), len(lines)

    with school_scope(school_a.school):
        section_seed(section=school_a.section, students=1, competencies=2, tag="C0")
    one, lines = queries(12)
    assert lines == 1 + 2  # the header, the fixture's student and the seeded one
    with school_scope(school_a.school):
        section_seed(section=school_a.section, students=40, competencies=2, tag="C1", seed=3)
    many, lines = queries(one)
    assert lines == 1 + 42 and many <= one


def test_a_section_without_playlists_shows_no_mastery_share_rather_than_zero_percent(client, district):
    world, _sibling = district
    client.force_login(world.user(Role.SCHOOL_ADMIN))
    body = client.get(reverse("dashboard:school_overview", kwargs={"school_slug": world.school.slug}))
    art = body.content.decode().split("Art 7")[1].split("</tr>")[0]
    assert "<td>1</td><td>— <small>(no competencies assigned)</small></td>" in art
