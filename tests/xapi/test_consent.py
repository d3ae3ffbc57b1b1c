"""A student under 13 without their parent's granted consent: their learning events never reach the LRS
(the privacy app's one rule, asked by the worker just before sending), and the school's admin sees who was
withheld and why on the xAPI page."""

from django.urls import reverse

from mastery import services as mastery
from plp.tenancy.context import school_scope
from privacy import services as privacy
from schools.models import RosterPerson
from schools.roles import Role
from tests.factories import MembershipFactory, UserFactory
from tests.xapi.conftest import connect
from tests.xapi.test_delivery import _item_done, _outbox, _practice
from xapi.models import OutboxStatement
from xapi.tasks import drain

URL = reverse("xapi:settings", kwargs={"school_slug": "alpha"})


def _consent(world, student, status, under_13=True):
    with school_scope(world.school):
        privacy.consent_record(
            student=student, under_13=under_13, status=status, note="", by=world.user(Role.SCHOOL_ADMIN)
        )


def test_an_under_13_student_without_consent_is_withheld_and_the_admin_sees_why(
    client, school_a, lesson_a, lrs_a
):
    connect(school_a, lrs_a)
    student = school_a.user(Role.STUDENT)
    _consent(school_a, student, "pending")
    _practice(client, school_a, lesson_a)
    _item_done(client, school_a, lesson_a)

    result = drain(school_id=school_a.school.pk)
    assert result == {"sent": 0, "rejected": 0, "failed": 0, "withheld": 2, "error": ""}
    assert lrs_a.statements("alpha-key") == []
    rows = _outbox(school_a)
    assert all(row.withheld_at and row.sent_at is None for row in rows)
    why = "Not sent: Under 13 and their parent's consent is still pending."
    assert {row.last_error for row in rows} == {why}
    # Withheld rows are never due again: another drain sends nothing and finds nothing to do.
    assert drain(school_id=school_a.school.pk)["withheld"] == 0

    client.force_login(school_a.user(Role.SCHOOL_ADMIN))
    page = client.get(URL).content.decode()
    assert "Not sent: students without parental consent" in page
    assert student.picker_label in page and "consent is still pending" in page
    assert reverse("privacy:student", kwargs={"school_slug": "alpha", "student_id": student.pk}) in page

    # The parent consents: the student's new events are sent, the withheld ones stay unsent.
    _consent(school_a, student, "granted")
    _item_done(client, school_a, lesson_a)  # already done: no new event
    _practice(client, school_a, lesson_a, question=1)
    assert drain(school_id=school_a.school.pk)["sent"] == 1
    assert [s["verb"]["id"].rsplit("/", 1)[-1] for s in lrs_a.statements("alpha-key")] == ["answered"]


def test_with_no_consent_recorded_the_rosters_grade_decides_and_fails_closed(
    client, school_a, lesson_a, lrs_a
):
    connect(school_a, lrs_a)
    student = school_a.user(Role.STUDENT)
    with school_scope(school_a.school):
        RosterPerson.objects.create(
            school=school_a.school, user=student, sourced_id="S-1", role="student", grades=["05"]
        )
    _practice(client, school_a, lesson_a)
    assert drain(school_id=school_a.school.pk)["withheld"] == 1
    assert lrs_a.statements("alpha-key") == []
    with school_scope(school_a.school):
        assert OutboxStatement.objects.get().last_error.endswith("consent is not recorded.")


def test_only_the_student_without_consent_is_withheld_from_a_shared_batch(client, school_a, lesson_a, lrs_a):
    connect(school_a, lrs_a)
    child = school_a.user(Role.STUDENT)
    older = UserFactory(given_name="Older")
    MembershipFactory(school=school_a.school, user=older, role=Role.STUDENT)
    _consent(school_a, child, "denied")
    _consent(school_a, older, "pending", under_13=False)  # the school says 13 or older: no consent needed
    _practice(client, school_a, lesson_a)
    with school_scope(school_a.school):
        mastery.practice_answer_submit(student=older, question=lesson_a["questions"][0], response=1)
    result = drain(school_id=school_a.school.pk)
    assert (result["sent"], result["withheld"]) == (1, 1)
    assert len(lrs_a.statements("alpha-key")) == 1
