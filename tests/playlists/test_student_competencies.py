"""Which competencies belong to a student is one selector (``student_competencies``), and every page that
lists "a student's competencies" reads it: their mastery page, the teacher's view of their mastery, the
goal forms (theirs and their mentor's) and the goals API.

The world: the student's section works on the "Ratios" framework (Mathematics); the other section of the
same school, which the student is not in, works on a 4-competency "Cells" framework (Science)."""

import datetime as dt
from dataclasses import dataclass

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from mastery.models import MasteryState
from mastery.selectors import mastery_totals, student_competencies
from mentoring.models import Goal
from plp.tenancy.context import school_scope
from schools.roles import Role
from tests.factories import (
    CompetencyFactory,
    EnrollmentFactory,
    FrameworkFactory,
    LearningPlanFactory,
    MentorAssignmentFactory,
    PlanFocusFactory,
    PlaylistAssignmentFactory,
    PlaylistFactory,
    PlaylistItemFactory,
    SubjectFactory,
    UserFactory,
)


@dataclass
class TwoSections:
    ratios: list  # RP.1, RP.2 on items of the student's section's playlist; RP.3 in no playlist
    cells: list  # the other section's four Science competencies


def _playlist_on(world, *, section=None, student=None, competencies, title):
    playlist = PlaylistFactory(school=world.school, title=title)
    for n, competency in enumerate(competencies, start=1):
        placement = PlaylistItemFactory(playlist=playlist, item__school=world.school, position=n)
        placement.item.competencies.set([competency])
    PlaylistAssignmentFactory(playlist=playlist, section=section, student=student)
    return playlist


@pytest.fixture
def two_sections(school_a) -> TwoSections:
    school = school_a.school
    with school_scope(school):
        math = FrameworkFactory(school=school, title="Ratios", subject=SubjectFactory(school=school))
        ratios = [
            CompetencyFactory(framework=math, code=f"RP.{n}", title=f"Ratios {n}", position=n)
            for n in (1, 2, 3)
        ]
        science = FrameworkFactory(
            school=school, title="Cells", subject=SubjectFactory(school=school, name="Science")
        )
        cells = [
            CompetencyFactory(framework=science, code=f"LS.{n}", title=f"Cells {n}", position=n)
            for n in (1, 2, 3, 4)
        ]
        _playlist_on(school_a, section=school_a.section, competencies=ratios[:2], title="Ratios work")
        _playlist_on(school_a, section=school_a.other_section, competencies=cells, title="Cells work")
        classmate = UserFactory()
        EnrollmentFactory(section=school_a.other_section, user=classmate, role="student")
    return TwoSections(ratios=ratios, cells=cells)


def _codes(world, student) -> list[str]:
    with school_scope(world.school):
        return sorted(
            student_competencies(student=student, today=timezone.localdate()).values_list("code", flat=True)
        )


def test_a_students_competencies_are_those_of_their_sections_playlists_only(school_a, two_sections):
    assert _codes(school_a, school_a.user(Role.STUDENT)) == ["RP.1", "RP.2"]


def test_a_dropped_section_no_longer_gives_competencies_but_evidence_and_the_plan_stay(
    school_a, two_sections
):
    student = school_a.user(Role.STUDENT)
    with school_scope(school_a.school):
        EnrollmentFactory(section=school_a.other_section, user=student, role="student", is_active=False)
        MasteryState.objects.create(
            school=school_a.school, student=student, competency=two_sections.cells[0], status="practicing"
        )
        MasteryState.objects.create(  # a row with no evidence on it does not make the competency theirs
            school=school_a.school, student=student, competency=two_sections.cells[1], status="not_started"
        )
        plan = LearningPlanFactory(school=school_a.school, student=student, term=school_a.term)
        PlanFocusFactory(plan=plan, competency=two_sections.cells[2], focus_area="")
        ended = LearningPlanFactory(
            school=school_a.school,
            student=student,
            term__school=school_a.school,
            term__start_date=dt.date(2020, 1, 6),
            term__end_date=dt.date(2020, 6, 12),
        )
        PlanFocusFactory(plan=ended, competency=two_sections.cells[3], focus_area="")
    assert _codes(school_a, student) == ["LS.1", "LS.3", "RP.1", "RP.2"]


def test_a_playlist_assigned_to_the_student_alone_counts(school_a, two_sections):
    student = school_a.user(Role.STUDENT)
    with school_scope(school_a.school):
        _playlist_on(school_a, student=student, competencies=[two_sections.ratios[2]], title="Extra")
    assert _codes(school_a, student) == ["RP.1", "RP.2", "RP.3"]


def test_the_mastery_page_lists_only_the_students_competencies_and_counts_them(
    client, school_a, two_sections, django_assert_max_num_queries
):
    student = school_a.user(Role.STUDENT)
    with school_scope(school_a.school):
        MasteryState.objects.create(
            school=school_a.school, student=student, competency=two_sections.ratios[0], status="mastered"
        )
    client.force_login(student)
    url = reverse("mastery:my_levels", args=["alpha"])
    with django_assert_max_num_queries(12) as few:
        body = client.get(url).content.decode()
    assert "Mathematics: level 1 of 2" in body
    assert "Science" not in body and "LS.1" not in body and "RP.3" not in body
    with school_scope(school_a.school):  # more competencies of theirs: the same number of queries
        more = [CompetencyFactory(framework=two_sections.ratios[0].framework) for _ in range(5)]
        _playlist_on(school_a, section=school_a.section, competencies=more, title="More ratios")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert "Mathematics: level 1 of 7" in client.get(url).content.decode()


def test_mastery_totals_count_the_students_competencies_across_subjects(school_a, two_sections):
    student = school_a.user(Role.STUDENT)
    with school_scope(school_a.school):
        for competency, status in [(two_sections.ratios[1], "mastered"), (two_sections.cells[0], "mastered")]:
            MasteryState.objects.create(
                school=school_a.school, student=student, competency=competency, status=status
            )
        assert mastery_totals(student=student, today=timezone.localdate()) == (2, 3)  # RP.1, RP.2, LS.1


def test_the_teacher_sees_the_same_levels_of_the_student(client, school_a, two_sections):
    client.force_login(school_a.user(Role.TEACHER))
    url = reverse("mastery:student_detail", args=["alpha", school_a.user(Role.STUDENT).pk])
    body = client.get(url).content.decode()
    assert "Mathematics: level 0 of 2" in body and "LS.1" not in body


def _mentor(world):
    mentor = world.user(Role.MENTOR)
    with school_scope(world.school):
        MentorAssignmentFactory(school=world.school, mentor=mentor, student=world.user(Role.STUDENT))
    return mentor


@pytest.mark.parametrize("who", [Role.STUDENT, Role.MENTOR])
def test_the_goal_form_offers_only_the_students_competencies_and_refuses_another(
    client, school_a, two_sections, who
):
    student = school_a.user(Role.STUDENT)
    client.force_login(_mentor(school_a) if who == Role.MENTOR else student)
    url = reverse("mentoring:goals", args=["alpha", student.pk])
    page = client.get(url)
    assert "RP.1" in page.content.decode() and "LS.1" not in page.content.decode()
    with school_scope(school_a.school):
        offered = page.context["weekly_form"].fields["competencies"].queryset
        assert [c.code for c in offered] == ["RP.1", "RP.2"]

    refused = client.post(
        url, {"action": "weekly", "goal_1": "Typed goal", "competencies": [two_sections.cells[0].pk]}
    )
    assert refused.status_code == 200
    assert refused.context["weekly_form"].errors["competencies"]
    assert "Typed goal" in refused.content.decode()

    taken = client.post(
        url, {"action": "weekly", "goal_1": "Ratios goal", "competencies": [two_sections.ratios[1].pk]}
    )
    assert taken.status_code == 302
    with school_scope(school_a.school):
        assert [c.code for c in Goal.objects.get().competencies.all()] == ["RP.2"]


def test_the_goals_api_takes_the_students_competencies_and_refuses_another(school_a, school_b, two_sections):
    client = APIClient()
    client.force_authenticate(school_a.user(Role.STUDENT))
    url = reverse("api:mentoring_goal_list", args=["alpha"])
    foreign = CompetencyFactory(framework__school=school_b.school)
    unknown = client.post(url, {"texts": ["Elsewhere"], "competencies": [foreign.pk]}, format="json")
    assert unknown.status_code == 400 and unknown.json()["competencies"] == ["Unknown competency id."]
    refused = client.post(
        url, {"texts": ["Cells"], "competencies": [two_sections.cells[0].pk]}, format="json"
    )
    created = client.post(
        url, {"texts": ["Ratios"], "competencies": [two_sections.ratios[0].pk]}, format="json"
    )
    assert refused.status_code == 400 and "competencies" in refused.json()
    assert created.status_code == 201 and created.json()[0]["competencies"] == [two_sections.ratios[0].pk]
