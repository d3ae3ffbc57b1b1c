"""Every learners form that meets an error shows it again with what was typed, the message next to its
field, with htmx (just the form) and without."""

import pytest
from django.urls import reverse

from learners.models import PlanFocus
from plp.tenancy.context import school_scope
from tests.factories import CareerFactory, CompetencyFactory
from tests.form_checks import assert_kept_with_error, assert_non_field_error

HTMX = [pytest.param({"HTTP_HX_REQUEST": "true"}, id="htmx"), pytest.param({}, id="plain")]


def url(name, **kwargs):
    return reverse(f"learners:{name}", kwargs={"school_slug": "alpha", **kwargs})


@pytest.mark.parametrize("headers", HTMX)
def test_a_profile_with_too_many_interests_keeps_everything_typed(client, school_a, headers):
    client.force_login(school_a.user("student"))
    data = {"interests": "space, " * 200, "career_aspiration": "Astronaut"}
    response = client.post(url("my_profile"), data, **headers)
    assert response.status_code == 200
    assert_kept_with_error(response, name="career_aspiration", typed="Astronaut")
    assert_kept_with_error(response, name="interests", typed="space, " * 200, error="at most 1000 characters")


@pytest.mark.parametrize("headers", HTMX)
def test_a_plan_with_too_many_courses_keeps_the_goals(client, school_a, headers):
    client.force_login(school_a.user("student"))
    courses = "\n".join(f"Course {n}" for n in range(21))
    data = {"term": school_a.term.pk, "college_goal": "State university", "courses_to_take": courses}
    response = client.post(url("my_plan") + f"?term={school_a.term.pk}", data, **headers)
    assert response.status_code == 200
    assert_kept_with_error(response, name="college_goal", typed="State university")
    assert_kept_with_error(response, name="courses_to_take", typed=courses, error="At most 20 courses.")


@pytest.mark.parametrize("headers", HTMX)
def test_a_focus_without_a_competency_or_area_keeps_its_date(client, school_a, headers):
    client.force_login(school_a.user("student"))
    data = {"action": "focus", "term": school_a.term.pk, "focus_area": " ", "target_date": "2026-12-18"}
    response = client.post(url("my_plan") + f"?term={school_a.term.pk}", data, **headers)
    assert response.status_code == 200
    assert_kept_with_error(response, name="target_date", typed="2026-12-18")
    assert_non_field_error(response, error="Choose a competency or name a focus area.")


@pytest.mark.parametrize("headers", HTMX)
def test_a_career_without_a_name_keeps_its_description(client, school_a, headers):
    client.force_login(school_a.user("school_admin"))
    data = {"name": "", "description": "Designs bridges.", "needed_courses": "Physics\nCalculus"}
    response = client.post(url("career_new"), data, **headers)
    assert response.status_code == 200
    assert_kept_with_error(response, name="description", typed="Designs bridges.")
    assert_kept_with_error(response, name="needed_courses", typed="Physics\nCalculus")
    assert_kept_with_error(response, name="name", typed="", error="This field is required.")


def test_editing_a_career_into_an_error_keeps_the_edit(client, school_a):
    career = CareerFactory(school=school_a.school, name="Engineer")
    client.force_login(school_a.user("school_admin"))
    data = {"name": "", "interest_tags": "bridges, math"}
    response = client.post(url("career_edit", career_id=career.pk), data)
    assert response.status_code == 200
    assert_kept_with_error(response, name="interest_tags", typed="bridges, math")
    assert_kept_with_error(response, name="name", typed="", error="This field is required.")


@pytest.mark.parametrize("headers", HTMX)
@pytest.mark.parametrize("which", ["domain", "other_school"])
def test_a_mentor_may_focus_a_plan_only_on_a_competency_of_the_school_a_student_masters(
    client, school_a, school_b, mentee, headers, which
):
    """The mentor's focus list offers the school's standards only (not a domain that groups them, nothing of
    another school); a posted id outside it gets an error next to the field, and the date is kept."""
    domain = CompetencyFactory(framework__school=school_a.school, code="6.RP")
    standard = CompetencyFactory(framework=domain.framework, parent=domain, code="6.RP.1")
    elsewhere = CompetencyFactory(framework__school=school_b.school, code="BRAVO.1")
    client.force_login(school_a.user("mentor"))
    page = url("plan", student_id=mentee.pk) + f"?term={school_a.term.pk}"
    offered = client.get(page).context["focus_form"].fields["competency"].queryset
    with school_scope(school_a.school):
        assert list(offered) == [standard]
    chosen = domain if which == "domain" else elsewhere
    data = {"action": "focus", "competency": chosen.pk, "target_date": "2026-12-18"}
    response = client.post(page, data, **headers)
    assert response.status_code == 200
    assert_kept_with_error(response, name="target_date", typed="2026-12-18")
    assert_kept_with_error(
        response, name="competency", typed="", error="each one a student masters by a check"
    )
    assert "Choose a competency or name a focus area." not in response.content.decode()  # one error, its own
    with school_scope(school_a.school):
        assert not PlanFocus.objects.exists()
