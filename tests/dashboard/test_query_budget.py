"""A section renders in a constant number of queries: the same ceiling for 5 and for 200 students × 60
competencies (big fixtures built with bulk_create)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from dashboard.seeding import section_seed
from dashboard.selectors.grid import section_dashboard
from engine.models import Flag
from plp.tenancy.context import school_scope
from schools.models import Enrollment
from schools.roles import Role
from tests.factories import EnrollmentFactory, SectionFactory

# The selector's own queries (section's students, assignments, placements, competencies, progress,
# mastery states, flags) and, for the whole request, the session, the user, the school and the roles.
SELECTOR_BUDGET = 7
PAGE_BUDGET = 10


@pytest.fixture(params=[(5, 3), (200, 60)], ids=["5x3", "200x60"])
def seeded(request, school_a):
    students, competencies = request.param
    section = SectionFactory(school=school_a.school, term=school_a.term, name=f"Big {students}")
    EnrollmentFactory(
        school=school_a.school, section=section, user=school_a.user(Role.TEACHER), role="teacher"
    )
    with school_scope(school_a.school):
        section_seed(section=section, students=students, competencies=competencies, tag=f"S{students}")
    return section, students, competencies


def test_section_dashboard_selector_runs_a_constant_number_of_queries(
    school_a, seeded, django_assert_max_num_queries
):
    section, students, competencies = seeded
    with school_scope(school_a.school), django_assert_max_num_queries(SELECTOR_BUDGET):
        dashboard = section_dashboard(section=section, today=timezone.localdate())
    assert len(dashboard.rows) == students and len(dashboard.competencies) == competencies
    assert all(len(row.cells) == competencies for row in dashboard.rows)


@pytest.mark.parametrize("name", ["section", "section_grid"])
def test_dashboard_page_and_grid_render_within_ten_queries(
    client, school_a, seeded, name, django_assert_max_num_queries
):
    section, students, competencies = seeded
    client.force_login(school_a.user(Role.TEACHER))
    target = reverse(
        f"dashboard:{name}", kwargs={"school_slug": school_a.school.slug, "section_id": section.pk}
    )
    client.get(target)  # warm the session
    with django_assert_max_num_queries(PAGE_BUDGET):
        response = client.get(target)
    assert response.status_code == 200
    body = response.content.decode()
    grid = body.split("<tbody>")[1].split("</tbody>")[0]
    assert grid.count("<td") == students * (competencies + 3)  # and pace, last active, flags


def test_an_unchanged_poll_answers_204_without_building_the_grid(
    client, school_a, seeded, django_assert_max_num_queries
):
    section, _students, _competencies = seeded
    client.force_login(school_a.user(Role.TEACHER))
    grid = reverse(
        "dashboard:section_grid", kwargs={"school_slug": school_a.school.slug, "section_id": section.pk}
    )
    digest = client.get(grid).content.decode().split('data-digest="')[1].split('"')[0]
    with django_assert_max_num_queries(PAGE_BUDGET):
        response = client.get(grid + f"?digest={digest}")
    assert response.status_code == 204


@pytest.mark.parametrize("one_student", [False, True], ids=["every-flag", "one-student"])
def test_the_flags_opened_on_demand_cost_a_constant_number_of_queries(
    client, school_a, seeded, one_student, django_assert_max_num_queries
):
    section, _students, _competencies = seeded
    client.force_login(school_a.user(Role.TEACHER))
    client.get(reverse("dashboard:index", kwargs={"school_slug": school_a.school.slug}))  # warm the session
    with school_scope(school_a.school):
        students = Enrollment.objects.filter(section=section).values("user_id")
        flagged = Flag.objects.filter(student_id__in=students).first()
    target = reverse(
        "dashboard:section_flags", kwargs={"school_slug": school_a.school.slug, "section_id": section.pk}
    )
    query = {"student": flagged.student_id} if one_student else {}
    with django_assert_max_num_queries(PAGE_BUDGET):  # the dashboard built, not read from a page load
        response = client.get(target, query, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and f'id="flag-{flagged.pk}"' in response.content.decode()


def test_the_csv_export_streams_in_a_constant_number_of_queries(
    client, school_a, seeded, django_assert_max_num_queries
):
    section, students, competencies = seeded
    client.force_login(school_a.user(Role.TEACHER))
    target = reverse(
        "dashboard:section_csv", kwargs={"school_slug": school_a.school.slug, "section_id": section.pk}
    )
    client.get(target)  # warm the session
    with django_assert_max_num_queries(PAGE_BUDGET):  # the same selector as the page, built fresh
        response = client.get(target, {"sort": "pace"})
        lines = b"".join(response.streaming_content).decode().splitlines()
    assert len(lines) == students + 1 and lines[0].count(",") == 7 + competencies


def test_the_poll_after_one_learning_event_rebuilds_one_row_in_a_constant_number_of_queries(
    client, school_a, seeded, django_assert_max_num_queries
):
    from dashboard.rendering import RENDERS
    from mastery.models import MasteryState

    section, _students, _competencies = seeded
    client.force_login(school_a.user(Role.TEACHER))
    grid = reverse(
        "dashboard:section_grid", kwargs={"school_slug": school_a.school.slug, "section_id": section.pk}
    )
    digest = client.get(grid).content.decode().split('data-digest="')[1].split('"')[0]
    with school_scope(school_a.school):
        students = Enrollment.objects.filter(section=section, role="student").values("user_id")
        state = MasteryState.objects.filter(student_id__in=students).first()
        state.p_mastered = 0.42
        state.save()
    renders = RENDERS["rows"]
    # The request's own five, the section and its roster, the stale row's four (no frame: cached).
    with django_assert_max_num_queries(PAGE_BUDGET + 1):
        response = client.get(grid, {"digest": digest})
    assert response.status_code == 200 and RENDERS["rows"] - renders == 1
    assert f'id="student-{state.student_id}"' in response.content.decode()
