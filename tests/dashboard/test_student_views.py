import datetime as dt
import re

from django.urls import reverse
from django.utils import timezone

from engine.models import StudentRecommendation
from mastery.models import EvidenceEvent
from plp.tenancy.context import school_scope
from schools.roles import DISTRICT_ADMIN, Role
from tests.factories import CheckInFactory, GoalFactory, ItemProgressFactory, MentorAssignmentFactory


def student_url(world, student):
    return reverse("dashboard:student", kwargs={"school_slug": world.school.slug, "student_id": student.pk})


def test_drilldown_shows_mastery_goals_shared_notes_flags_and_next_up_but_never_private_notes(
    client, school_a, classroom
):
    zoe = classroom.students[1]
    school = school_a.school
    GoalFactory(school=school, student=zoe, text="Finish ratio playlist")
    CheckInFactory(school=school, student=zoe, mentor=school_a.user(Role.MENTOR))
    with school_scope(school):
        StudentRecommendation.objects.create(
            school=school, student=zoe, rank=1, kind="item", item=classroom.items[1],
            reason="Unmastered RP.2 with the highest expected gain", computed_at=timezone.now(),
        )  # fmt: skip
    for role in (Role.TEACHER, Role.SCHOOL_ADMIN, DISTRICT_ADMIN):
        client.force_login(school_a.user(role))
        body = client.get(student_url(school_a, zoe)).content.decode()
        assert "Finish ratio playlist" in body
        assert "Shared: keep going with fractions." in body
        assert "PRIVATE" not in body
        assert "3 failed checks in a row" in body and "failed_in_a_row" in body  # the flag with its evidence
        assert "Ratio item 2" in body and "highest expected gain" in body
        assert "RP.2" in body and "Practicing" in body


def test_drilldown_is_404_for_another_teachers_student_and_another_schools_student(
    client, school_a, school_b
):
    client.force_login(school_a.user(Role.TEACHER))
    assert client.get(student_url(school_a, school_a.user(Role.MENTOR))).status_code == 404
    assert client.get(student_url(school_a, school_b.user(Role.STUDENT))).status_code == 404
    client.force_login(school_a.user("other_teacher"))
    assert client.get(student_url(school_a, school_a.user(Role.STUDENT))).status_code == 404


def test_mentor_sees_their_mentee_only(client, school_a, classroom):
    mentor = school_a.user(Role.MENTOR)
    MentorAssignmentFactory(school=school_a.school, mentor=mentor, student=classroom.students[1])
    client.force_login(mentor)
    assert client.get(student_url(school_a, classroom.students[1])).status_code == 200
    assert client.get(student_url(school_a, classroom.students[2])).status_code == 404


def test_timeline_merges_items_and_evidence_newest_first_and_paginates(client, school_a, classroom):
    student = classroom.students[0]
    school = school_a.school
    now = timezone.now()
    with school_scope(school):
        events = EvidenceEvent.objects.bulk_create(
            [
                EvidenceEvent(
                    school=school, student=student, competency=classroom.competencies[0], source="answer",
                    outcome=1.0, status_before="practicing", status_after="practicing", p_before=0.3,
                    p_after=0.4,
                )
                for _ in range(30)
            ]
        )  # fmt: skip
        for i, event in enumerate(events):
            EvidenceEvent.objects.filter(pk=event.pk).update(created_at=now - dt.timedelta(hours=i + 1))
    ItemProgressFactory(
        school=school, student=student, item=classroom.items[2], completed_at=now - dt.timedelta(minutes=30)
    )
    client.force_login(school_a.user(Role.TEACHER))
    body = client.get(student_url(school_a, student)).content.decode()
    timeline = body.split('id="timeline"')[1]
    assert "Page 1 of 2" in timeline
    assert timeline.index("Item done") < timeline.index("Practice answer")  # the newest first
    page2 = client.get(
        student_url(school_a, student) + "?page=2", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="timeline"
    )
    assert page2.status_code == 200 and "<html" not in page2.content.decode()
    assert page2.content.decode().count("Practice answer") == 6  # 31 entries: 25 then 6
    assert client.get(student_url(school_a, student) + "?page=zz").status_code == 200


def test_progress_chart_against_the_plan_has_a_point_per_day_done(client, school_a, classroom):
    student = classroom.students[0]
    ItemProgressFactory(
        school=school_a.school, student=student, item=classroom.items[0], completed_at=timezone.now()
    )
    client.force_login(school_a.user(Role.TEACHER))
    body = client.get(student_url(school_a, student)).content.decode()
    plan = body.split('id="plan-heading"')[1].split("</section>")[0]
    assert plan.count('<circle class="point"') == 1 and 'class="plan"' in plan and "<table>" in plan


def test_progress_chart_counts_an_item_done_by_mastery_on_the_day_it_was_mastered(
    client, school_a, classroom
):
    """The first student mastered RP.1, all the first item works on: it counts as done, and the chart
    agrees with the pace beside it (1 of 3) with a point on the day of the mastery."""
    client.force_login(school_a.user(Role.TEACHER))
    body = client.get(student_url(school_a, classroom.students[0])).content.decode()
    plan = body.split('id="plan-heading"')[1].split("</section>")[0]
    assert plan.count('<circle class="point"') == 1 and "1/3" in plan


def test_drilldown_query_count_does_not_grow_with_flags(
    client, school_a, classroom, django_assert_max_num_queries
):
    from tests.dashboard.conftest import make_flag

    zoe = classroom.students[1]
    client.force_login(school_a.user(Role.TEACHER))
    client.get(student_url(school_a, zoe))
    with django_assert_max_num_queries(40) as one:
        client.get(student_url(school_a, zoe))
    for n in range(6):
        make_flag(school_a.school, zoe, kind="inactive", subject=f"playlist:{n}")
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert client.get(student_url(school_a, zoe)).status_code == 200


def test_the_drilldown_of_a_student_who_just_failed_a_check_shows_the_rule_the_student_sees(client, school_a):
    from engine.services import students_recompute
    from mastery import services as mastery_services
    from tests.engine.conftest import build_learning_world
    from tests.factories import MasteryPolicyFactory

    world = build_learning_world(school_a)
    c1 = world.competencies[0]
    MasteryPolicyFactory(
        competency=c1, readiness_threshold=0.7, cooldown_minutes=60, practice_before_retake=5
    )
    with school_scope(school_a.school):
        for _ in range(12):  # the estimate is far past 85%
            mastery_services.practice_answer_submit(
                student=world.student, question=world.questions[c1.pk], response="1"
            )
        attempt = mastery_services.check_request(student=world.student, competency=c1)
        for item in attempt.form:
            mastery_services.check_response_save(attempt=attempt, question_id=item["id"], response="0")
        mastery_services.check_submit(attempt=attempt)
        students_recompute(student_ids=[world.student.pk])

    client.force_login(world.student)
    competency_page = client.get(
        reverse("mastery:competency", kwargs={"school_slug": "alpha", "competency_id": c1.pk})
    ).content.decode()
    retry = re.search(r"Your next try opens at [^<]*\.", competency_page).group(0)
    my_work = client.get(reverse("agency:my_work", kwargs={"school_slug": "alpha"})).content.decode()
    client.force_login(school_a.user(Role.TEACHER))
    drilldown = client.get(student_url(school_a, world.student)).content.decode()

    for page in (my_work, drilldown):
        assert "look ready" not in page
        assert f"Answer 5 more practice questions first. {retry}" in page


def test_the_drilldown_quotes_each_reason_as_what_the_student_sees(client, school_a, classroom):
    """The engine's reasons are written to the student ("Your next try opens at ..."); on the teacher's
    drill-down they are quoted as the student's view, not addressed to the teacher."""
    zoe = classroom.students[1]
    with school_scope(school_a.school):
        StudentRecommendation.objects.create(
            school=school_a.school, student=zoe, rank=1, kind="item", item=classroom.items[1],
            reason="Your focus this week: ratios.", computed_at=timezone.now(),
        )  # fmt: skip
    client.force_login(school_a.user(Role.TEACHER))
    body = client.get(student_url(school_a, zoe)).content.decode()
    assert "The student sees: “Your focus this week: ratios.”" in body
    assert "Why: Your focus" not in body
