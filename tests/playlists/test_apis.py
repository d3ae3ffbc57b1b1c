"""The playlists API: scoped to the school, narrowed by role; students see only their own progress."""

from rest_framework.test import APIClient

from playlists.models import ItemProgress
from plp.tenancy.context import school_scope
from tests.factories import (
    CompetencyFactory,
    ItemProgressFactory,
    MembershipFactory,
    MilestoneFactory,
    UserFactory,
)
from tests.playlists.conftest import build_playlist

BASE = "/api/v1/s/alpha/playlists"


def _api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_frameworks_and_competencies_with_prerequisites(school_a):
    first = CompetencyFactory(framework__school=school_a.school, code="6.RP.1")
    second = CompetencyFactory(framework=first.framework, code="6.RP.2")
    with school_scope(school_a.school):
        second.prerequisites.through.objects.create(
            school=school_a.school, competency=second, prerequisite=first
        )
    api = _api(school_a.user("teacher"))
    assert api.get(f"{BASE}/frameworks/").json()["results"][0]["competency_count"] == 2
    detail = api.get(f"{BASE}/frameworks/{first.framework_id}/").json()
    assert [c["prerequisites"] for c in detail["competencies"]] == [[], ["6.RP.1"]]
    found = api.get(f"{BASE}/competencies/", {"q": "RP.2", "framework": first.framework_id}).json()
    assert [c["code"] for c in found["results"]] == ["6.RP.2"]


def test_students_see_only_their_assigned_playlists_and_no_content_library(school_a, ratios):
    build_playlist(school_a, title="Other class", required=1)
    other = build_playlist(school_a, title="Not assigned", required=1)
    with school_scope(school_a.school):
        other.playlist.assignments.update(section=school_a.other_section)
    api = _api(school_a.user("student"))
    titles = [p["title"] for p in api.get(f"{BASE}/playlists/").json()["results"]]
    assert "Ratios" in titles and "Not assigned" not in titles
    detail = api.get(f"{BASE}/playlists/{ratios.playlist.pk}/").json()
    assert [i["position"] for i in detail["items"]] == [1, 2, 3, 4, 5, 6, 7]
    assert detail["choice_boards"] == [{"id": ratios.board.pk, "label": "Ratios board", "choose": 2}]
    assert api.get(f"{BASE}/playlists/{other.playlist.pk}/").status_code == 404
    assert api.get(f"{BASE}/items/").status_code == 403


def test_a_student_records_completion_and_reads_only_their_own_progress(school_a, ratios):
    student, classmate = school_a.user("student"), UserFactory()
    MembershipFactory(school=school_a.school, user=classmate, role="student")
    ItemProgressFactory(item=ratios.placements[1].item, student=classmate)
    api = _api(student)
    response = api.post(
        f"{BASE}/progress/",
        {"playlist": ratios.playlist.pk, "item": ratios.placements[0].item_id},
        format="json",
    )
    assert response.status_code == 201 and response.json()["status"] == "done"
    rows = api.get(f"{BASE}/progress/").json()["results"]
    assert [r["student"] for r in rows] == [student.pk]
    assert api.get(f"{BASE}/progress/", {"student": classmate.pk}).json()["results"] == []
    bad = api.post(f"{BASE}/progress/", {"playlist": "x"}, format="json")
    assert bad.status_code == 400
    unknown = api.post(f"{BASE}/progress/", {"playlist": ratios.playlist.pk, "item": 999999}, format="json")
    assert unknown.status_code == 404


def test_teachers_see_progress_of_their_sections_only(school_a, ratios):
    student = school_a.user("student")
    outsider = UserFactory()
    MembershipFactory(school=school_a.school, user=outsider, role="student")
    ItemProgressFactory(item=ratios.placements[0].item, student=student)
    ItemProgressFactory(item=ratios.placements[0].item, student=outsider)
    rows = _api(school_a.user("teacher")).get(f"{BASE}/progress/").json()["results"]
    assert [r["student"] for r in rows] == [student.pk]
    assert _api(school_a.user("other_teacher")).get(f"{BASE}/progress/").json()["results"] == []
    assert len(_api(school_a.user("school_admin")).get(f"{BASE}/progress/").json()["results"]) == 2
    response = _api(school_a.user("teacher")).post(
        f"{BASE}/progress/",
        {"playlist": ratios.playlist.pk, "item": ratios.placements[1].item_id},
        format="json",
    )
    assert response.status_code == 403
    with school_scope(school_a.school):
        assert ItemProgress.objects.count() == 2


def test_assignments_and_projects_by_role(school_a, ratios):
    milestone = MilestoneFactory(project__section=school_a.section)
    student_api = _api(school_a.user("student"))
    assert len(student_api.get(f"{BASE}/assignments/").json()["results"]) == 1
    detail = student_api.get(f"{BASE}/projects/{milestone.project_id}/").json()
    assert detail["milestones"][0]["title"] == milestone.title
    assert (
        _api(school_a.user("other_teacher")).get(f"{BASE}/projects/{milestone.project_id}/").status_code
        == 404
    )
    assert _api(school_a.user("other_teacher")).get(f"{BASE}/assignments/").json()["results"] == []
    assert len(_api(school_a.user("teacher")).get(f"{BASE}/assignments/").json()["results"]) == 1
