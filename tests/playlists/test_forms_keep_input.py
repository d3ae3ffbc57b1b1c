"""Every playlists form that meets an error shows the page again with what was typed, the message next to
its field (issue 14: a milestone submission with one bad link used to redirect with empty fields)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from playlists.models import MilestoneSubmission
from plp.tenancy.context import school_scope
from tests.factories import MilestoneFactory, ProjectFactory, RubricDimensionFactory
from tests.form_checks import assert_kept_with_error, assert_non_field_error
from tests.playlists.conftest import build_ratio_chain

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
    assert_non_field_error(response, error="Write something, add a link or attach a file.")


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


def test_a_project_without_a_title_keeps_its_driving_question(client, school_a):
    client.force_login(school_a.user("teacher"))
    data = {"section": school_a.section.pk, "title": "", "driving_question": "How do we budget lunch?"}
    response = client.post(url("project_create"), data)
    assert response.status_code == 200
    assert_kept_with_error(response, name="driving_question", typed="How do we budget lunch?")
    assert_kept_with_error(response, name="section", typed=str(school_a.section.pk))
    assert_kept_with_error(response, name="title", typed="", error="This field is required.")


def test_a_score_outside_the_levels_keeps_the_feedback(client, school_a):
    dimension = RubricDimensionFactory(project__section=school_a.section)
    student = school_a.user("student")
    client.force_login(school_a.user("teacher"))
    score_url = url("project_score", project_id=dimension.project_id, project_student_id=student.pk)
    data = {f"level_{dimension.pk}": "9", f"feedback_{dimension.pk}": "Strong evidence"}
    response = client.post(score_url, data)
    assert response.status_code == 200
    assert_kept_with_error(response, name=f"feedback_{dimension.pk}", typed="Strong evidence")
    assert_kept_with_error(response, name=f"level_{dimension.pk}", typed="", error="Select a valid choice.")


def test_a_framework_import_without_a_file_keeps_the_subject(client, school_a):
    client.force_login(school_a.user("teacher"))
    response = client.post(url("framework_import"), {"subject": "Mathematics", "title": "Ratios 2026"})
    assert response.status_code == 200
    assert_kept_with_error(response, name="subject", typed="Mathematics")
    assert_kept_with_error(response, name="title", typed="Ratios 2026")
    assert_kept_with_error(response, name="file", typed="", error="This field is required.")


def test_a_prerequisite_that_makes_a_cycle_keeps_the_choice_and_says_why(client, school_a):
    chain = build_ratio_chain(school_a)
    client.force_login(school_a.user("teacher"))
    framework_id = chain.rp1.framework_id
    target = url("prerequisite_add", framework_id=framework_id, competency_id=chain.rp1.pk)
    for headers in ({}, {"HTTP_HX_REQUEST": "true"}):
        response = client.post(target, {"prerequisite": chain.rp3.pk}, **headers)
        assert response.status_code == 200
        assert_kept_with_error(response, name="prerequisite", typed=str(chain.rp3.pk), error="RP.1")


def test_a_content_item_with_a_bad_link_keeps_its_title_and_body(client, school_a):
    client.force_login(school_a.user("teacher"))
    data = {"title": "Unit rates video", "kind": "video", "body": "Watch the first 5 minutes.",
            "url": "not a link", "estimated_minutes": 10, "difficulty": 2}  # fmt: skip
    response = client.post(url("item_create"), data)
    assert response.status_code == 200
    assert_kept_with_error(response, name="title", typed="Unit rates video")
    assert_kept_with_error(response, name="body", typed="Watch the first 5 minutes.")
    assert_kept_with_error(response, name="url", typed="not a link", error="Enter a valid URL.")


def test_a_playlist_without_a_subject_keeps_its_title(client, school_a):
    client.force_login(school_a.user("teacher"))
    data = {"title": "Ratios, fast", "focus_area": "Unit rates", "tier": "power", "description": "Four weeks"}
    response = client.post(url("playlist_create"), data)
    assert response.status_code == 200
    assert_kept_with_error(response, name="title", typed="Ratios, fast")
    assert_kept_with_error(response, name="description", typed="Four weeks")
    assert_kept_with_error(response, name="subject", typed="", error="Choose a subject or name a new one.")


@pytest.mark.parametrize("htmx", [True, False])
def test_a_new_choice_board_with_a_bad_k_keeps_its_label(client, school_a, ratios, htmx):
    client.force_login(school_a.user("teacher"))
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    target = url("board_create", playlist_id=ratios.playlist.pk)
    response = client.post(target, {"label": "Show what you know", "choose": "0"}, **headers)
    assert response.status_code == 200
    assert_kept_with_error(response, name="label", typed="Show what you know")
    assert_kept_with_error(response, name="choose", typed="0", error="greater than or equal to 1")


@pytest.mark.parametrize("htmx", [True, False])
def test_an_item_added_without_choosing_one_keeps_the_other_choices(client, school_a, ratios, htmx):
    client.force_login(school_a.user("teacher"))
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    target = url("playlist_item_add", playlist_id=ratios.playlist.pk)
    response = client.post(target, {"item": "", "board": ratios.board.pk}, **headers)
    assert response.status_code == 200
    assert_kept_with_error(response, name="board", typed=str(ratios.board.pk))
    assert_kept_with_error(response, name="item", typed="", error="This field is required.")


@pytest.mark.parametrize("htmx", [True, False])
def test_a_board_changed_to_a_bad_k_keeps_the_new_label(client, school_a, ratios, htmx):
    client.force_login(school_a.user("teacher"))
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    board = ratios.board
    target = url("board_update", playlist_id=ratios.playlist.pk, board_id=board.pk)
    response = client.post(
        target, {f"board-{board.pk}-label": "Typed", f"board-{board.pk}-choose": "0"}, **headers
    )
    assert response.status_code == 200
    assert_kept_with_error(response, name=f"board-{board.pk}-label", typed="Typed")
    assert_kept_with_error(
        response, name=f"board-{board.pk}-choose", typed="0", error="greater than or equal to 1"
    )


def test_an_assignment_ending_before_it_starts_keeps_both_dates(client, school_a, ratios):
    client.force_login(school_a.user("teacher"))
    data = {"section": school_a.section.pk, "start_date": "2026-09-10", "target_date": "2026-09-01"}
    response = client.post(url("playlist_assign", playlist_id=ratios.playlist.pk), data)
    assert response.status_code == 200
    assert_kept_with_error(response, name="start_date", typed="2026-09-10")
    assert_kept_with_error(
        response, name="target_date", typed="2026-09-01", error="The target date is before the start date."
    )


def test_the_project_page_with_a_form_per_milestone_costs_the_same_queries_for_1_or_6(client, school_a):
    project = ProjectFactory(section=school_a.section)
    client.force_login(school_a.user("student"))
    counts = []
    for milestones in (1, 5):
        for _ in range(milestones):
            MilestoneFactory(project=project)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url("project_detail", project_id=project.pk)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
