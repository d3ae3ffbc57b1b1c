"""Every playlists form that meets an error shows the page again with what was typed, the message next to
its field (issue 14: a milestone submission with one bad link used to redirect with empty fields)."""

from django.urls import reverse

from playlists.models import MilestoneSubmission
from plp.tenancy.context import school_scope
from tests.factories import MilestoneFactory, ProjectFactory
from tests.form_checks import assert_kept_with_error, assert_non_field_error

WORK = "We surveyed 40 classmates about lunch prices."


def url(name, **kwargs):
    return reverse(f"playlists:{name}", kwargs={"school_slug": "alpha", **kwargs})


def submit_url(milestone):
    return url("milestone_submit", project_id=milestone.project_id, milestone_id=milestone.pk)


def test_a_milestone_with_one_bad_link_keeps_the_work_and_says_which_link(client, school_a):
    milestone = MilestoneFactory(project__section=school_a.section)
    client.force_login(school_a.user("student"))
    links = "https://docs.example/survey\nnot a link"
    response = client.post(submit_url(milestone), {"text": WORK, "links": links})
    assert response.status_code == 200
    assert_kept_with_error(response, name="text", typed=WORK)
    assert_kept_with_error(response, name="links", typed=links, error="“not a link” is not an http(s) link.")
    with school_scope(school_a.school):
        assert not MilestoneSubmission.objects.exists()


def test_a_milestone_with_a_bad_link_over_htmx_swaps_just_its_form(client, school_a):
    milestone = MilestoneFactory(project__section=school_a.section)
    other = MilestoneFactory(project=milestone.project, title="Another milestone")
    client.force_login(school_a.user("student"))
    links = "javascript:alert(1)"
    response = client.post(submit_url(milestone), {"text": WORK, "links": links}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" not in body and other.title not in body
    assert_kept_with_error(body, name="text", typed=WORK)
    assert_kept_with_error(body, name="links", typed=links, error="is not an http(s) link")


def test_an_empty_milestone_submission_says_what_is_missing_next_to_the_form(client, school_a):
    milestone = MilestoneFactory(project__section=school_a.section)
    client.force_login(school_a.user("student"))
    response = client.post(submit_url(milestone), {"text": "  ", "links": ""})
    assert response.status_code == 200
    assert_non_field_error(response, error="Write something or add a link.")


def test_a_milestone_without_a_due_date_keeps_its_title(client, school_a):
    project = ProjectFactory(section=school_a.section)
    client.force_login(school_a.user("teacher"))
    response = client.post(url("milestone_add", project_id=project.pk), {"title": "Interview a chef"})
    assert response.status_code == 200
    assert_kept_with_error(response, name="title", typed="Interview a chef")
    assert_kept_with_error(response, name="due_date", typed="", error="This field is required.")


def test_a_rubric_dimension_missing_a_level_keeps_the_others(client, school_a):
    project = ProjectFactory(section=school_a.section)
    client.force_login(school_a.user("teacher"))
    data = {
        "name": "Argument",
        "level_1": "Claims",
        "level_2": "Supports",
        "level_3": "",
        "level_4": "Weighs",
    }
    response = client.post(url("dimension_add", project_id=project.pk), data)
    assert response.status_code == 200
    assert_kept_with_error(response, name="name", typed="Argument")
    assert_kept_with_error(response, name="level_4", typed="Weighs")
    assert_kept_with_error(response, name="level_3", typed="", error="This field is required.")
