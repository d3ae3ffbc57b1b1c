"""Assignment and Grade Services: mastery sent to the test LMS's gradebook over HTTP, with a token the LMS
grants only for PLP's signed client assertion (checked against PLP's published JWKS)."""

import pytest
from django.urls import reverse

from engine.tasks import recompute_student
from lti import grades
from lti.models import LtiResourceLink, LtiScoreSent
from lti.tasks import pass_back_scores
from mastery.services import mastery_override
from plp.celery import app
from plp.tenancy.context import school_scope
from schools.roles import Role
from tests.factories import CompetencyFactory, FrameworkFactory, PlaylistFactory, PlaylistItemFactory
from tests.lti.conftest import lms_launch


@pytest.fixture
def graded(client, lms, school_a):
    """School A's playlist of two competencies placed in the LMS with a gradebook column; the LMS knows
    PLP's public key (its admin pasted the JWKS); the student launched it once."""
    platform, registration = lms["platform"], lms["a"]
    jwks = client.get(reverse("lti:jwks", kwargs={"registration": registration.public_id})).json()
    platform.tool_jwks[registration.client_id] = jwks
    school = school_a.school
    framework = FrameworkFactory(school=school)
    first, second = CompetencyFactory(framework=framework), CompetencyFactory(framework=framework)
    playlist = PlaylistFactory(school=school, subject=framework.subject)
    for competency in (first, second):
        PlaylistItemFactory(playlist=playlist).item.competencies.add(competency)
    lineitem = platform.lineitem_url(f"alpha-{playlist.pk}")
    response, _ = lms_launch(
        client,
        platform,
        registration,
        login_hint="alpha-student",
        custom={"plp_playlist_id": str(playlist.pk)},
        lineitem=lineitem,
        resource_link_id=f"link-playlist-{playlist.pk}",
    )
    student = school_a.user(Role.STUDENT)
    assert response["Location"] == reverse(
        "playlists:student_playlist", kwargs={"school_slug": "alpha", "playlist_id": playlist.pk}
    )
    return {"platform": platform, "lineitem": lineitem, "student": student, "competencies": (first, second),
            "school": school, "playlist": playlist}  # fmt: skip


def _master(world, school_a, competency):
    with school_scope(world["school"]):
        mastery_override(
            student=world["student"], competency=competency, teacher=school_a.user(Role.TEACHER),
            mastered=True, reason="Showed it in class",
        )  # fmt: skip


def test_the_launch_records_the_resource_link_with_its_playlist_and_gradebook_column(graded):
    with school_scope(graded["school"]):
        link = LtiResourceLink.objects.get()
    assert link.playlist_id == graded["playlist"].pk and link.lineitem == graded["lineitem"]
    assert grades.SCORE_SCOPE in link.ags_scopes


def test_mastering_a_competency_of_the_playlist_sends_the_score_to_the_lms_gradebook(graded, school_a):
    first, second = graded["competencies"]
    _master(graded, school_a, first)
    assert pass_back_scores(school_id=graded["school"].pk, student_ids=[graded["student"].pk]) == 1
    score = graded["platform"].gradebook[graded["lineitem"]]["lms-alpha-student"]
    assert (score["scoreGiven"], score["scoreMaximum"]) == (1.0, 2.0)
    assert score["activityProgress"] == "InProgress" and score["gradingProgress"] == "FullyGraded"
    # Nothing changed: nothing is sent again.
    assert pass_back_scores(school_id=graded["school"].pk, student_ids=[graded["student"].pk]) == 0
    _master(graded, school_a, second)
    assert pass_back_scores(school_id=graded["school"].pk, student_ids=[graded["student"].pk]) == 1
    score = graded["platform"].gradebook[graded["lineitem"]]["lms-alpha-student"]
    assert (score["scoreGiven"], score["activityProgress"]) == (2.0, "Completed")


def test_the_engines_recompute_starts_the_passback(graded, school_a, settings):
    _master(graded, school_a, graded["competencies"][0])
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = True  # the passback runs here, whatever broker the suite has
    try:
        recompute_student(school_id=graded["school"].pk, student_id=graded["student"].pk)
    finally:
        app.conf.task_always_eager = eager
    assert graded["platform"].gradebook[graded["lineitem"]]["lms-alpha-student"]["scoreGiven"] == 1.0


def test_a_token_asked_with_another_key_is_refused_and_nothing_is_recorded_as_sent(graded, school_a, client):
    platform = graded["platform"]
    platform.tool_jwks["plp-alpha"] = {"keys": []}  # the LMS knows no key of PLP's
    _master(graded, school_a, graded["competencies"][0])
    with school_scope(graded["school"]), pytest.raises(grades.PassbackFailed, match="invalid_client"):
        grades.scores_pass_back(student_ids=[graded["student"].pk])
    assert graded["lineitem"] not in platform.gradebook
    assert not LtiScoreSent.objects.unscoped().exists()  # unscoped: the test checks every school


def test_while_the_lms_is_down_the_score_waits_and_goes_once_it_is_back(graded, school_a):
    platform = graded["platform"]
    _master(graded, school_a, graded["competencies"][0])
    platform.lms_down = True
    try:
        with school_scope(graded["school"]), pytest.raises(grades.PassbackFailed):
            grades.scores_pass_back(student_ids=[graded["student"].pk])
    finally:
        platform.lms_down = False
    with school_scope(graded["school"]):
        assert grades.scores_pass_back(student_ids=[graded["student"].pk]) == 1
    assert platform.gradebook[graded["lineitem"]]["lms-alpha-student"]["scoreGiven"] == 1.0


def test_a_student_never_launched_from_the_lms_is_not_sent(graded, school_a):
    with school_scope(graded["school"]):
        assert grades.pending_scores(student_ids=[school_a.user("other_teacher").pk]) == []


def test_pending_scores_reads_a_constant_number_of_queries(graded, school_a, django_assert_max_num_queries):
    _master(graded, school_a, graded["competencies"][0])
    with school_scope(graded["school"]), django_assert_max_num_queries(5):
        assert len(grades.pending_scores(student_ids=[graded["student"].pk])) == 1


def test_no_grade_goes_to_the_lms_for_an_under_13_student_without_consent_and_the_admin_sees_why(
    client, graded, school_a
):
    from lti.models import LtiUserLink
    from privacy.services import consent_record

    first, _ = graded["competencies"]
    admin, student = school_a.user(Role.SCHOOL_ADMIN), graded["student"]
    with school_scope(graded["school"]):
        consent_record(student=student, under_13=True, status="denied", note="", by=admin)
    _master(graded, school_a, first)
    assert pass_back_scores(school_id=graded["school"].pk, student_ids=[student.pk]) == 0
    assert "lms-alpha-student" not in graded["platform"].gradebook.get(graded["lineitem"], {})
    with school_scope(graded["school"]):
        assert not LtiScoreSent.objects.exists()
        assert LtiUserLink.objects.get(user=student).passback_withheld == (
            "Under 13 and their parent's consent is denied."
        )
    client.force_login(admin)
    page = client.get(reverse("lti:settings", kwargs={"school_slug": "alpha"})).content.decode()
    assert "Grades not sent to the LMS" in page and student.picker_label in page
    assert "consent is denied" in page

    # The parent consents: the grade goes at the next passback and the page no longer lists the student.
    with school_scope(graded["school"]):
        consent_record(student=student, under_13=True, status="granted", note="", by=admin)
    assert pass_back_scores(school_id=graded["school"].pk, student_ids=[student.pk]) == 1
    assert graded["platform"].gradebook[graded["lineitem"]]["lms-alpha-student"]["scoreGiven"] == 1.0
    page = client.get(reverse("lti:settings", kwargs={"school_slug": "alpha"})).content.decode()
    assert "Grades not sent to the LMS" not in page
