"""Student data rights: the export (everything, the audit trail included, nothing of other students; refused
for an under-13 student without consent), erasure (pseudonymized, atomic, evidence deleted or summed), the
retention schedule, consent, settings, and who may use the pages."""

import datetime as dt
import io
import json
import zipfile

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from audit.models import AuditEntry
from learners.models import StudentProfile
from mastery import services as mastery_services
from mastery.models import EvidenceEvent, PracticeAnswer
from mentoring.models import CheckIn
from plp.tenancy.context import school_scope
from privacy import services
from privacy.models import Departure, Erasure, EvidenceAggregate, ParentalConsent, PrivacySettings
from privacy.tasks import retention_run_task, retention_sweep
from schools.models import Membership, RosterPerson
from schools.roles import DISTRICT_ADMIN, Role
from tests.factories import (
    CheckInFactory,
    CompetencyFactory,
    MembershipFactory,
    MentorAssignmentFactory,
    QuestionBankFactory,
    QuestionFactory,
    StudentProfileFactory,
    UserFactory,
)
from tests.form_checks import assert_kept_with_error


def url(name, world, **kwargs):
    return reverse(name, kwargs={"school_slug": world.school.slug, **kwargs})


@pytest.fixture
def record(school_a):
    """School A's student with a profile, a check-in with private notes, practice answers; and a classmate
    with a check-in of their own (which must never reach the first one's export)."""
    school, student, mentor = school_a.school, school_a.user(Role.STUDENT), school_a.user(Role.MENTOR)
    MentorAssignmentFactory(school=school, mentor=mentor, student=student)
    StudentProfileFactory(school=school, student=student, accommodations="Extra time on checks")
    CheckInFactory(school=school, student=student, mentor=mentor)
    classmate = UserFactory(given_name="Classmate")
    MembershipFactory(school=school, user=classmate, role=Role.STUDENT)
    CheckInFactory(school=school, student=classmate, mentor=mentor, private_notes="CLASSMATE SECRET")
    competency = CompetencyFactory(framework__school=school, code="ALPHA.PRIV.1")
    question = QuestionFactory(bank=QuestionBankFactory(competency=competency))
    with school_scope(school):
        for answer in (1, 0, 1):
            mastery_services.practice_answer_submit(student=student, question=question, response=answer)
        RosterPerson.objects.create(school=school, user=student, sourced_id="SIS-4242", role="student")
    return {"student": student, "classmate": classmate, "competency": question.bank.competency}


def _export(client, world, student):
    return client.post(url("privacy:export", world, student_id=student.pk))


def test_an_admin_exports_everything_about_a_student_as_json_and_csv_in_a_zip(client, school_a, record):
    student = record["student"]
    client.force_login(school_a.user(Role.TEACHER))  # a read the trail will show
    client.get(url("dashboard:student", school_a, student_id=student.pk))
    client.force_login(school_a.user(Role.SCHOOL_ADMIN))
    response = _export(client, school_a, student)
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    document = json.loads(archive.read("student.json"))
    data = document["data"]
    assert data["account"][0]["email"] == student.email
    assert data["profile"][0]["accommodations"] == "Extra time on checks"
    assert data["check_ins"][0]["private_notes"].startswith("PRIVATE")  # the school is the controller
    assert len(data["practice_answers"]) == 3 and len(data["mastery_ledger"]) == 3
    assert data["roster_identity"][0]["sourced_id"] == "SIS-4242"
    assert data["sections"][0]["section_id"] == school_a.section.pk
    [read] = data["audit_trail"]
    assert (read["kind"], read["actor_id"]) == ("student_record", school_a.user(Role.TEACHER).pk)
    assert "CLASSMATE SECRET" not in archive.read("student.json").decode()
    csv_names = set(archive.namelist())
    assert {"csv/check_ins.csv", "csv/practice_answers.csv", "csv/audit_trail.csv", "README.txt"} <= csv_names
    assert "PRIVATE" in archive.read("csv/check_ins.csv").decode()
    with school_scope(school_a.school):
        [exported] = AuditEntry.objects.filter(kind=AuditEntry.Kind.STUDENT_EXPORT)
    assert (exported.student_id, exported.actor_id) == (student.pk, school_a.user(Role.SCHOOL_ADMIN).pk)


@pytest.mark.parametrize("status", ["", "pending", "denied"])
def test_an_under_13_student_without_granted_consent_is_not_exported(client, school_a, record, status):
    student, admin = record["student"], school_a.user(Role.SCHOOL_ADMIN)
    with school_scope(school_a.school):
        if status:
            services.consent_record(student=student, under_13=True, status=status, note="", by=admin)
        else:  # no decision yet, but the roster's grade says grade 4
            RosterPerson.objects.filter(user=student).update(grades=["04"])
    client.force_login(admin)
    response = _export(client, school_a, student)
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "under 13" in page and "the export is refused" in page
    with school_scope(school_a.school):
        assert not AuditEntry.objects.filter(kind=AuditEntry.Kind.STUDENT_EXPORT).exists()
        services.consent_record(
            student=student, under_13=True, status="granted", note="Form signed", by=admin
        )
    assert _export(client, school_a, student)["Content-Type"] == "application/zip"


def test_consent_is_recorded_with_who_and_when_and_shown(client, school_a, record):
    student, admin = record["student"], school_a.user(Role.SCHOOL_ADMIN)
    client.force_login(admin)
    page_url = url("privacy:student", school_a, student_id=student.pk)
    response = client.post(page_url, {"under_13": "on", "status": "granted", "note": "Signed at intake"})
    assert response.status_code == 302
    with school_scope(school_a.school):
        [consent] = ParentalConsent.objects.all()
    assert (consent.status, consent.recorded_by, consent.under_13) == ("granted", admin, True)
    body = client.get(page_url).content.decode()
    assert "Granted" in body and "Signed at intake" in body and admin.email in body
    bad = client.post(page_url, {"under_13": "on", "status": "maybe", "note": "typed"})
    assert bad.status_code == 400
    assert_kept_with_error(bad, name="note", typed="typed")


def _erase(client, world, student, confirm="ERASE"):
    return client.post(url("privacy:erase", world, student_id=student.pk), {"confirm": confirm})


def test_the_confirm_page_says_what_will_happen_and_keeps_a_wrong_confirmation(client, school_a, record):
    client.force_login(school_a.user(Role.SCHOOL_ADMIN))
    page = client.get(url("privacy:erase", school_a, student_id=record["student"].pk)).content.decode()
    assert (
        "Practice answers" in page
        and "Check ins" in page
        and "Private notes included" not in page
        and "cannot be undone" in page
    )
    response = _erase(client, school_a, record["student"], confirm="erase it")
    assert response.status_code == 400
    assert_kept_with_error(response, name="confirm", typed="erase it", error="Type ERASE")
    assert User.objects.get(pk=record["student"].pk).email == record["student"].email


def test_erasure_pseudonymizes_the_account_deletes_the_record_and_keeps_a_pseudonymous_log(
    client, school_a, record
):
    student, admin = record["student"], school_a.user(Role.SCHOOL_ADMIN)
    client.force_login(school_a.user(Role.MENTOR))
    client.get(url("mentoring:timeline", school_a, student_id=student.pk))
    client.force_login(admin)
    assert _erase(client, school_a, student).status_code == 302
    account = User.objects.get(pk=student.pk)
    assert account.email.endswith("@erased.invalid") and account.given_name == account.family_name == ""
    assert account.username is None and not account.is_active and not account.has_usable_password()
    with school_scope(school_a.school):
        assert not StudentProfile.objects.filter(student=student).exists()
        assert not CheckIn.objects.filter(student=student).exists()
        assert not PracticeAnswer.objects.filter(student=student).exists()
        assert not EvidenceEvent.objects.filter(student=student).exists()
        assert not Membership.objects.filter(user=student).exists()
        assert not RosterPerson.objects.filter(user=student).exists()
        assert CheckIn.objects.filter(student=record["classmate"]).exists()  # nobody else's
        kinds = list(AuditEntry.objects.filter(student_id=student.pk).values_list("kind", flat=True))
        assert kinds.count("check_ins") == 1 and kinds.count("erasure") == 1  # the trail stays
        [erasure] = Erasure.objects.all()
        assert not EvidenceAggregate.objects.exists()  # the default: evidence deleted
    assert erasure.account_pseudonymized and erasure.removed["practice_answers"] == 3
    log = client.get(url("audit:log", school_a)).content.decode()
    assert erasure.pseudonym in log and student.given_name not in log
    assert client.get(url("privacy:student", school_a, student_id=student.pk)).status_code == 404


def test_a_school_that_keeps_aggregates_gets_anonymous_totals_per_competency(client, school_a, record):
    with school_scope(school_a.school):
        services.privacy_settings_update(
            audit_retention_days=1095, erase_departed_after_days=None, evidence_on_erasure="aggregate"
        )
    client.force_login(school_a.user(Role.SCHOOL_ADMIN))
    _erase(client, school_a, record["student"])
    with school_scope(school_a.school):
        [aggregate] = EvidenceAggregate.objects.all()
        assert not PracticeAnswer.objects.filter(student=record["student"]).exists()
    assert aggregate.competency == record["competency"]
    assert (aggregate.students, aggregate.practice_answers, aggregate.practice_correct) == (1, 3, 2)


def test_a_person_who_belongs_to_another_school_keeps_their_account(client, school_a, school_b, record):
    student = record["student"]
    MembershipFactory(school=school_b.school, user=student, role=Role.STUDENT)
    client.force_login(school_a.user(Role.SCHOOL_ADMIN))
    _erase(client, school_a, student)
    assert User.objects.get(pk=student.pk).email == student.email
    with school_scope(school_b.school):
        assert Membership.objects.filter(user=student).exists()
    with school_scope(school_a.school):
        assert not Erasure.objects.get().account_pseudonymized


def test_the_retention_schedule_notes_departures_and_erases_them_when_due(client, school_a, record):
    student = record["student"]
    with school_scope(school_a.school):
        Membership.objects.filter(user=student).update(is_active=False)
        services.privacy_settings_update(
            audit_retention_days=1095, erase_departed_after_days=30, evidence_on_erasure="delete"
        )
    retention_run_task(school_id=school_a.school.pk)  # outside any scope, like a worker
    with school_scope(school_a.school):
        [departure] = Departure.objects.all()
    client.force_login(school_a.user(Role.SCHOOL_ADMIN))
    dry_run = client.get(url("privacy:index", school_a)).content.decode()
    assert "Retention schedule" in dry_run and student.get_full_name() in dry_run
    assert User.objects.get(pk=student.pk).is_active  # not yet due
    with school_scope(school_a.school):
        outcome = services.retention_run(now=departure.noticed_at + dt.timedelta(days=31))
    assert outcome["erased"] == 1
    assert not User.objects.get(pk=student.pk).is_active
    with school_scope(school_a.school):
        erasure = Erasure.objects.get()
        entry = AuditEntry.objects.get(kind=AuditEntry.Kind.ERASURE)
    assert erasure.reason == "retention" and entry.actor_id is None and entry.roles == "platform"
    assert retention_sweep() == 1  # one run per active school


def test_a_student_who_comes_back_leaves_the_schedule(school_a, record):
    student = record["student"]
    with school_scope(school_a.school):
        Membership.objects.filter(user=student).update(is_active=False)
        services.departures_note(now=timezone.now())
        Membership.objects.filter(user=student).update(is_active=True)
        assert services.departures_note(now=timezone.now()) == (0, 1)
        assert not Departure.objects.exists()


def test_settings_keep_what_was_typed_on_error(client, school_a):
    client.force_login(school_a.user(Role.SCHOOL_ADMIN))
    response = client.post(
        url("privacy:index", school_a),
        {"audit_retention_days": "5", "erase_departed_after_days": "", "evidence_on_erasure": "delete"},
    )
    assert response.status_code == 400
    assert_kept_with_error(response, name="audit_retention_days", typed="5")
    ok = client.post(
        url("privacy:index", school_a),
        {
            "audit_retention_days": "400",
            "erase_departed_after_days": "60",
            "evidence_on_erasure": "aggregate",
        },
    )
    assert ok.status_code == 302
    with school_scope(school_a.school):
        saved = PrivacySettings.objects.get()
    assert (saved.audit_retention_days, saved.erase_departed_after_days, saved.evidence_on_erasure) == (
        400, 60, "aggregate"
    )  # fmt: skip


@pytest.mark.parametrize("role", [Role.STUDENT, Role.TEACHER, Role.MENTOR])
def test_only_school_and_district_admins_use_the_privacy_pages(client, school_a, record, role):
    student = record["student"]
    client.force_login(school_a.user(role))
    assert client.get(url("privacy:index", school_a)).status_code == 403
    assert client.get(url("privacy:student", school_a, student_id=student.pk)).status_code == 403
    assert client.get(url("privacy:erase", school_a, student_id=student.pk)).status_code == 403
    assert _export(client, school_a, student).status_code == 403
    assert _erase(client, school_a, student).status_code == 403
    assert User.objects.get(pk=student.pk).is_active


def test_a_district_admin_exports_and_erases_in_their_schools(client, school_a, record):
    client.force_login(school_a.user(DISTRICT_ADMIN))
    assert client.get(url("privacy:index", school_a)).status_code == 200
    assert _export(client, school_a, record["student"])["Content-Type"] == "application/zip"
    assert _erase(client, school_a, record["student"]).status_code == 302


def test_the_student_list_pages_in_constant_queries(client, school_a, django_assert_max_num_queries):
    client.force_login(school_a.user(Role.SCHOOL_ADMIN))
    for extra in (0, 40):
        for _ in range(extra):
            MembershipFactory(school=school_a.school, user=UserFactory(), role=Role.STUDENT)
        with django_assert_max_num_queries(16):
            assert client.get(url("privacy:index", school_a)).status_code == 200


def test_beat_runs_the_retention_schedule_daily(settings):
    from plp.celery import app

    entries = [e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"] == "privacy.retention_sweep"]
    assert len(entries) == 1
    assert {"privacy.retention_sweep", "privacy.retention_run"} <= set(app.tasks)
