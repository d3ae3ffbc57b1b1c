"""Projects: teachers of the section build milestones and a rubric and score; students submit their work."""

import datetime as dt

from django.urls import reverse

from playlists.models import Milestone, MilestoneSubmission, Project, RubricDimension, RubricScore
from plp.tenancy.context import school_scope
from tests.factories import CompetencyFactory, MilestoneFactory, ProjectFactory, RubricDimensionFactory


def url(name, **kwargs):
    return reverse(f"playlists:{name}", kwargs={"school_slug": "alpha", **kwargs})


def test_a_teacher_creates_a_project_with_milestones_and_a_rubric(client, school_a):
    competency = CompetencyFactory(framework__school=school_a.school, code="W.7.1")
    client.force_login(school_a.user("teacher"))
    response = client.post(
        url("project_create"),
        {
            "section": school_a.section.pk,
            "title": "Fair lunch",
            "driving_question": "How do we budget lunch?",
        },
    )
    assert response.status_code == 302
    with school_scope(school_a.school):
        project = Project.objects.get()
    due = dt.date.today() + dt.timedelta(days=7)
    client.post(url("milestone_add", project_id=project.pk), {"title": "Research", "due_date": due})
    client.post(
        url("dimension_add", project_id=project.pk),
        {"name": "Argument", "level_1": "a", "level_2": "b", "level_3": "c", "level_4": "d",
         "competencies": [competency.pk]},
    )  # fmt: skip
    with school_scope(school_a.school):
        assert Milestone.objects.get().title == "Research"
        assert list(RubricDimension.objects.get().competencies.all()) == [competency]
    page = client.get(url("project_detail", project_id=project.pk)).content.decode()
    assert "How do we budget lunch?" in page and "Research" in page and "W.7.1" in page


def test_only_the_sections_teachers_create_and_edit(client, school_a):
    project = ProjectFactory(section=school_a.section)
    client.force_login(school_a.user("other_teacher"))
    response = client.post(
        url("project_create"), {"section": school_a.section.pk, "title": "x", "driving_question": "y"}
    )
    assert response.status_code == 200  # not a section they teach: the form refuses it
    assert client.get(url("project_detail", project_id=project.pk)).status_code == 404
    client.force_login(school_a.user("school_admin"))
    assert client.get(url("project_detail", project_id=project.pk)).status_code == 200
    response = client.post(
        url("milestone_add", project_id=project.pk), {"title": "x", "due_date": "2026-10-01"}
    )
    assert response.status_code == 403


def test_a_student_submits_milestone_work_and_the_teacher_scores_it_as_competency_evidence(client, school_a):
    competency = CompetencyFactory(framework__school=school_a.school)
    milestone = MilestoneFactory(project__section=school_a.section)
    project = milestone.project
    dimension = RubricDimensionFactory(project=project)
    with school_scope(school_a.school):
        dimension.competencies.set([competency])
    student = school_a.user("student")

    client.force_login(student)
    response = client.post(
        url("milestone_submit", project_id=project.pk, milestone_id=milestone.pk),
        {"text": "Our survey results", "links": "https://docs.example/survey\n"},
    )
    assert response.status_code == 302
    bad = client.post(
        url("milestone_submit", project_id=project.pk, milestone_id=milestone.pk),
        {"links": "javascript:alert(1)"},
    )
    assert bad.status_code == 200  # the form again, with the error next to the links (issue 14)
    with school_scope(school_a.school):
        submission = MilestoneSubmission.objects.get()
        assert submission.links == ["https://docs.example/survey"] and submission.text == "Our survey results"

    client.force_login(school_a.user("teacher"))
    score_url = url("project_score", project_id=project.pk, project_student_id=student.pk)
    page = client.get(score_url).content.decode()
    assert "Our survey results" in page and "Weighs counter-claims" in page
    response = client.post(
        score_url, {f"level_{dimension.pk}": "3", f"feedback_{dimension.pk}": "Strong evidence"}
    )
    assert response.status_code == 302
    with school_scope(school_a.school):
        score = RubricScore.objects.get()
        assert (score.level, score.feedback, score.scored_by) == (
            3,
            "Strong evidence",
            school_a.user("teacher"),
        )
        assert list(score.competencies.all()) == [competency]

    client.force_login(student)
    page = client.get(url("project_detail", project_id=project.pk)).content.decode()
    assert "Level 3" in page and "Strong evidence" in page


def test_a_teacher_cannot_score_a_student_outside_the_section(client, school_a):
    project = ProjectFactory(section=school_a.section)
    client.force_login(school_a.user("teacher"))
    outsider = school_a.user("mentor")
    assert (
        client.get(url("project_score", project_id=project.pk, project_student_id=outsider.pk)).status_code
        == 404
    )
