"""The read-access audit log: what is recorded (who, roles, when, where, what), that it is append-only at
every wall, that it costs at most one query per request, and the admins' pages."""

import datetime as dt

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.services import api_token_issue
from audit.models import AppendOnly, AuditEntry
from audit.services import audit_prune
from plp.tenancy.context import no_scope, school_scope
from schools.roles import DISTRICT_ADMIN, Role
from tests.factories import (
    CheckInFactory,
    EnrollmentFactory,
    MembershipFactory,
    MentorAssignmentFactory,
    UserFactory,
)
from tests.support import as_the_owner_role, postgres_only

Kind = AuditEntry.Kind


def entries(world, **filters):
    with school_scope(world.school):
        return list(AuditEntry.objects.filter(**filters).order_by("pk"))


def url(name, world, **kwargs):
    return reverse(name, kwargs={"school_slug": world.school.slug, **kwargs})


# --- what is recorded ------------------------------------------------------------------------------------


def test_a_teacher_opening_the_drilldown_is_recorded_with_roles_time_and_address(client, school_a):
    teacher, student = school_a.user(Role.TEACHER), school_a.user(Role.STUDENT)
    client.force_login(teacher)
    before = timezone.now()
    response = client.get(
        url("dashboard:student", school_a, student_id=student.pk), REMOTE_ADDR="203.0.113.7"
    )
    assert response.status_code == 200
    [entry] = entries(school_a)
    assert (entry.kind, entry.actor_id, entry.student_id, entry.roles) == (
        Kind.STUDENT_RECORD, teacher.pk, student.pk, "teacher"
    )  # fmt: skip
    assert entry.ip == "203.0.113.7" and entry.method == "GET" and entry.path.endswith(f"/{student.pk}/")
    assert entry.at >= before and entry.includes == ""


def test_private_notes_and_accommodations_are_named_only_when_the_reader_sees_them(client, school_a):
    student, mentor, teacher = (school_a.user(r) for r in (Role.STUDENT, Role.MENTOR, Role.TEACHER))
    MentorAssignmentFactory(school=school_a.school, mentor=mentor, student=student)
    check_in = CheckInFactory(school=school_a.school, student=student, mentor=mentor)
    client.force_login(mentor)
    assert client.get(url("mentoring:check_in_detail", school_a, check_in_id=check_in.pk)).status_code == 200
    client.force_login(teacher)
    assert client.get(url("mentoring:timeline", school_a, student_id=student.pk)).status_code == 200
    client.force_login(school_a.user(Role.SCHOOL_ADMIN))
    assert client.get(url("learners:profile", school_a, student_id=student.pk)).status_code == 200
    mentor_entry, teacher_entry, admin_entry = entries(school_a)
    assert (mentor_entry.kind, mentor_entry.object_type, mentor_entry.object_id) == (
        Kind.CHECK_INS, "check_in", str(check_in.pk)
    )  # fmt: skip
    assert mentor_entry.includes == "private_notes"
    assert (teacher_entry.kind, teacher_entry.includes) == (Kind.CHECK_INS, "")  # teachers never see them
    assert (admin_entry.kind, admin_entry.includes) == (Kind.PROFILE, "accommodations")


def test_a_student_reading_their_own_record_and_refused_requests_are_not_recorded(client, school_a):
    student = school_a.user(Role.STUDENT)
    client.force_login(student)
    assert client.get(url("learners:my_profile", school_a)).status_code == 200
    other = UserFactory()
    MembershipFactory(school=school_a.school, user=other, role=Role.STUDENT)
    assert client.get(url("learners:profile", school_a, student_id=other.pk)).status_code == 404
    client.force_login(school_a.user("other_teacher"))  # not their student: 404, nothing shown
    assert client.get(url("dashboard:student", school_a, student_id=student.pk)).status_code == 404
    assert entries(school_a) == []


def test_an_api_read_with_a_token_is_recorded_as_the_token_holder(school_a):
    teacher, student = school_a.user(Role.TEACHER), school_a.user(Role.STUDENT)
    api = APIClient()
    _token, key = api_token_issue(user=teacher, client_name="audit test")
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    response = api.get(url("api:dashboard_student_summary", school_a, student_id=student.pk))
    assert response.status_code == 200
    [entry] = entries(school_a)
    assert (entry.actor_id, entry.student_id, entry.kind, entry.roles) == (
        teacher.pk, student.pk, Kind.STUDENT_RECORD, "teacher"
    )  # fmt: skip


@pytest.mark.parametrize(("proxies", "expected"), [(0, "10.0.0.5"), (1, "198.51.100.9")])
def test_the_address_follows_the_throttles_proxy_rule(client, school_a, settings, proxies, expected):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": proxies}
    client.force_login(school_a.user(Role.SCHOOL_ADMIN))
    student = school_a.user(Role.STUDENT)
    client.get(
        url("dashboard:student", school_a, student_id=student.pk),
        REMOTE_ADDR="10.0.0.5",
        HTTP_X_FORWARDED_FOR="198.51.100.9",
    )
    assert [e.ip for e in entries(school_a)] == [expected]


def test_a_section_csv_export_records_every_student_in_it(client, school_a):
    extra = [UserFactory() for _ in range(3)]
    for student in extra:
        MembershipFactory(school=school_a.school, user=student, role=Role.STUDENT)
        EnrollmentFactory(section=school_a.section, user=student, role="student")
    client.force_login(school_a.user(Role.TEACHER))
    response = client.get(url("dashboard:section_csv", school_a, section_id=school_a.section.pk))
    b"".join(response.streaming_content)
    recorded = entries(school_a, kind=Kind.CSV_EXPORT)
    assert {e.student_id for e in recorded} == {school_a.user(Role.STUDENT).pk, *(s.pk for s in extra)}
    assert {e.object_id for e in recorded} == {str(school_a.section.pk)}


# --- every student page opts in ----------------------------------------------------------------------------

# Routes that load one student's record by id; each must carry an @audits mark (or say why not).
STUDENT_KWARGS = {"student_id", "check_in_id", "project_student_id", "goal_id", "file_id"}
NOT_MARKED = {"privacy:export": "records the export itself (kind student_export) once the zip is built"}


def test_every_route_that_loads_one_student_is_audited():
    from django.urls import resolve

    from audit.recorder import audit_mark_of
    from tests.test_cross_tenant_matrix import _kwarg_names, all_routes

    unmarked = []
    for name, route, pattern in all_routes():
        loads_a_student = STUDENT_KWARGS & set(_kwarg_names(route)) and name not in NOT_MARKED
        if loads_a_student and audit_mark_of(pattern.callback) is None:
            unmarked.append(name)
    assert unmarked == [], f"student pages without @audits: {unmarked}"
    assert resolve  # the marks are read from the resolved callback, as the middleware reads them


# --- one query ---------------------------------------------------------------------------------------------


def _queries(client, path) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def test_auditing_adds_at_most_one_query_to_a_student_page(client, school_a, settings):
    client.force_login(school_a.user(Role.SCHOOL_ADMIN))
    student = school_a.user(Role.STUDENT)
    paths = [
        url("dashboard:student", school_a, student_id=student.pk),
        url("learners:profile", school_a, student_id=student.pk),
        url("mentoring:timeline", school_a, student_id=student.pk),
        url("mastery:student_detail", school_a, student_id=student.pk),
    ]
    for path in paths:
        _queries(client, path)  # warm caches (the nav, sessions)
    audited = {path: _queries(client, path) for path in paths}
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m != "audit.middleware.AuditMiddleware"]
    client = Client()  # a new handler loads the middleware without the audit
    client.force_login(school_a.user(Role.SCHOOL_ADMIN))
    for path in paths:
        _queries(client, path)
    plain = {path: _queries(client, path) for path in paths}
    for path in paths:
        assert audited[path] <= plain[path] + 1, (path, audited[path], plain[path])
    assert len(entries(school_a)) == 2 * len(paths)  # written with the middleware, not without it


@pytest.mark.parametrize("students", [1, 40])
def test_an_export_of_many_students_is_one_insert(client, school_a, students, django_assert_max_num_queries):
    for _ in range(students - 1):
        student = UserFactory()
        MembershipFactory(school=school_a.school, user=student, role=Role.STUDENT)
        EnrollmentFactory(section=school_a.section, user=student, role="student")
    client.force_login(school_a.user(Role.TEACHER))
    path = url("dashboard:section_csv", school_a, section_id=school_a.section.pk)
    b"".join(client.get(path).streaming_content)
    with django_assert_max_num_queries(40):  # the same ceiling for 1 and 40 students
        b"".join(client.get(path).streaming_content)
    assert len(entries(school_a, kind=Kind.CSV_EXPORT)) == 2 * students


# --- append-only -------------------------------------------------------------------------------------------


def _entry(world, **fields):
    with school_scope(world.school):
        return AuditEntry.objects.create(
            school=world.school, kind=Kind.PROFILE, student=world.user(Role.STUDENT), **fields
        )


def test_django_refuses_to_change_or_delete_an_entry(school_a):
    entry = _entry(school_a)
    with school_scope(school_a.school):
        entry.kind = Kind.MASTERY
        with pytest.raises(AppendOnly):
            entry.save()
        with pytest.raises(AppendOnly):
            entry.delete()
        with pytest.raises(AppendOnly):
            AuditEntry.objects.filter(pk=entry.pk).update(kind=Kind.MASTERY)
        with pytest.raises(AppendOnly):
            AuditEntry.objects.filter(pk=entry.pk).delete()
        with pytest.raises(AppendOnly):
            AuditEntry.objects.bulk_update([entry], ["kind"])
    with pytest.raises(AppendOnly):
        AuditEntry.objects.unscoped().filter(pk=entry.pk).delete()
    with pytest.raises(AppendOnly):
        AuditEntry.objects.unscoped().update(kind=Kind.MASTERY)
    assert AuditEntry.append_only is True
    with school_scope(school_a.school):
        assert AuditEntry.objects.get(pk=entry.pk).kind == Kind.PROFILE


@postgres_only
def test_postgres_refuses_update_and_delete_even_in_raw_sql(school_a):
    entry = _entry(school_a)
    for sql in (
        "UPDATE audit_auditentry SET kind = 'mastery' WHERE id = %s",
        "DELETE FROM audit_auditentry WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as c,
        ):
            c.execute(sql, [entry.pk])
    with school_scope(school_a.school):
        assert AuditEntry.objects.filter(pk=entry.pk).count() == 1


@postgres_only
def test_postgres_lets_only_the_owner_prune_and_not_a_role_that_sets_the_flag(school_a):
    """The prune runs as the owner role (PLP_AUDIT_PRUNE_DATABASE_URL); the suite acts as the app role."""
    with as_the_owner_role():
        entry = _entry(school_a)
        with transaction.atomic(), connection.cursor() as c:
            c.execute("DROP ROLE IF EXISTS plp_audit_probe")
            c.execute("CREATE ROLE plp_audit_probe NOLOGIN")
            c.execute("GRANT SELECT, DELETE ON audit_auditentry TO plp_audit_probe")
            c.execute("GRANT SELECT ON schools_school TO plp_audit_probe")  # the row policy reads it
            c.execute("SET LOCAL ROLE plp_audit_probe")
            c.execute("SELECT set_config('plp.audit_prune', 'on', true)")
            with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
                c.execute("DELETE FROM audit_auditentry WHERE id = %s", [entry.pk])
            c.execute("RESET ROLE")
            c.execute("REVOKE ALL ON audit_auditentry FROM plp_audit_probe")
            c.execute("REVOKE ALL ON schools_school FROM plp_audit_probe")
            c.execute("DROP ROLE plp_audit_probe")
        later = timezone.now() + dt.timedelta(days=40)
        assert audit_prune(school_id=school_a.school.pk, retention_days=30, now=later) == 1


def test_the_prune_removes_only_the_schools_entries_past_retention(school_a, school_b):
    long_ago = timezone.now() - dt.timedelta(days=100)
    old, new, other = _entry(school_a, at=long_ago), _entry(school_a), _entry(school_b, at=long_ago)
    with as_the_owner_role():  # as in production: PLP_AUDIT_PRUNE_DATABASE_URL connects as the owner
        assert audit_prune(school_id=school_a.school.pk, retention_days=90) == 1
    with school_scope(school_a.school):
        assert list(AuditEntry.objects.values_list("pk", flat=True)) == [new.pk]
    with school_scope(school_b.school):
        assert list(AuditEntry.objects.values_list("pk", flat=True)) == [other.pk]
    assert old.pk != new.pk


@postgres_only
def test_the_app_role_prunes_only_what_the_schools_retention_lets_go(school_a, school_b):
    """The worker connects as the app role (docker-compose gives it no owner connection): the daily
    retention run prunes through the owner's function, which keeps anything younger than the school's own
    retention even when asked for more, and never touches another school."""
    from privacy.models import PrivacySettings
    from privacy.tasks import retention_run_task

    now = timezone.now()
    old = _entry(school_a, at=now - dt.timedelta(days=100))
    young = _entry(school_a, at=now - dt.timedelta(days=40))
    other = _entry(school_b, at=now - dt.timedelta(days=100))
    with school_scope(school_a.school):
        PrivacySettings.objects.create(school=school_a.school, audit_retention_days=90)
    with no_scope():  # as a worker runs it
        assert retention_run_task(school_id=school_a.school.pk)["pruned"] == 1
    with school_scope(school_a.school):
        assert audit_prune(school_id=school_a.school.pk, retention_days=1) == 0  # the school keeps 90 days
    with school_scope(school_a.school):
        assert list(AuditEntry.objects.values_list("pk", flat=True)) == [young.pk]
    with school_scope(school_b.school):
        assert list(AuditEntry.objects.values_list("pk", flat=True)) == [other.pk]
    assert old.pk not in (young.pk, other.pk)


@postgres_only
def test_no_role_but_the_app_may_run_the_prune_function(school_a):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT has_function_privilege('public', 'audit_prune_expired(bigint, timestamptz)', 'EXECUTE'), "
            "has_function_privilege(current_user, 'audit_prune_expired(bigint, timestamptz)', 'EXECUTE')"
        )
        assert cursor.fetchone() == (False, True)


# --- the admins' pages -------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.SCHOOL_ADMIN, DISTRICT_ADMIN])
def test_admins_filter_the_log_and_export_it_and_the_export_is_recorded(client, school_a, role):
    student, teacher = school_a.user(Role.STUDENT), school_a.user(Role.TEACHER)
    client.force_login(teacher)
    client.get(url("dashboard:student", school_a, student_id=student.pk))
    client.get(url("mastery:student_detail", school_a, student_id=student.pk))
    client.force_login(school_a.user(role))
    page = client.get(url("audit:log", school_a), {"kind": Kind.MASTERY, "reader": teacher.pk})
    assert page.status_code == 200
    body = page.content.decode()
    assert "Mastery record" in body and "Student drill-down" not in body.split("<table")[1]
    by_student = client.get(url("audit:log", school_a), {"student": student.pk}).content.decode()
    assert by_student.count("<tr>") == 3  # header + two reads
    export = client.get(url("audit:export", school_a), {"student": student.pk})
    assert export["Content-Type"].startswith("text/csv")
    lines = export.content.decode().strip().splitlines()
    assert len(lines) == 3 and "Mastery record" in export.content.decode()
    [recorded] = entries(school_a, kind=Kind.AUDIT_EXPORT)
    assert recorded.actor_id == school_a.user(role).pk


def test_bad_filters_do_not_break_the_log(client, school_a):
    client.force_login(school_a.user(Role.SCHOOL_ADMIN))
    for query in ({"since": "not-a-date"}, {"student": "x"}, {"kind": "nope"}, {"page": "999"}):
        assert client.get(url("audit:log", school_a), query).status_code == 200
        assert client.get(url("audit:export", school_a), query).status_code == 200


@pytest.mark.parametrize("role", [Role.STUDENT, Role.TEACHER, Role.MENTOR])
def test_only_admins_read_the_log(client, school_a, role):
    client.force_login(school_a.user(role))
    assert client.get(url("audit:log", school_a)).status_code == 403
    assert client.get(url("audit:export", school_a)).status_code == 403


def test_the_log_pages_in_constant_queries(client, school_a, django_assert_max_num_queries):
    client.force_login(school_a.user(Role.SCHOOL_ADMIN))
    for count in (1, 60):
        with school_scope(school_a.school):
            AuditEntry.objects.bulk_create(
                [AuditEntry(school=school_a.school, kind=Kind.PROFILE, student=school_a.user(Role.STUDENT),
                            actor=school_a.user(Role.TEACHER)) for _ in range(count)]
            )  # fmt: skip
        with django_assert_max_num_queries(14):
            assert client.get(url("audit:log", school_a)).status_code == 200


def test_a_roster_report_export_is_recorded(client, school_a):
    from schools.rostering.models import ImportRun

    with school_scope(school_a.school):
        run = ImportRun.objects.create(school=school_a.school, archive=b"", report=[], counts={})
    client.force_login(school_a.user(Role.SCHOOL_ADMIN))
    response = client.get(url("schools:import_report_csv", school_a, import_run_id=run.pk))
    assert response.status_code == 200
    [entry] = entries(school_a)
    assert (entry.kind, entry.object_type, entry.object_id, entry.student_id) == (
        Kind.ROSTER_EXPORT, "import_run", str(run.pk), None
    )  # fmt: skip


def test_a_page_of_profiles_from_the_api_records_each_student_on_it(school_a):
    from tests.factories import StudentProfileFactory

    others = [UserFactory() for _ in range(3)]
    for student in others:
        MembershipFactory(school=school_a.school, user=student, role=Role.STUDENT)
    for student in [school_a.user(Role.STUDENT), *others]:
        StudentProfileFactory(school=school_a.school, student=student, accommodations="Large print")
    api = APIClient()
    api.force_authenticate(school_a.user(Role.SCHOOL_ADMIN))
    assert api.get(url("api:learner_profile_list", school_a)).status_code == 200
    recorded = entries(school_a)
    assert len(recorded) == 4 and {e.includes for e in recorded} == {"accommodations"}
    assert {e.kind for e in recorded} == {Kind.PROFILE}


def test_every_student_route_an_admin_opens_writes_an_entry_naming_the_student(client, school_a):
    """The mark alone records nothing: the view must load the student through a selector that reports it
    (audit.recorder.student_seen). Each marked route with a student in its URL, opened by the school's
    admin on school A's own objects (the matrix's makers), writes at least one entry naming a student."""
    from tests.test_cross_tenant_matrix import _kwarg_names, _school_url, all_routes

    client.force_login(school_a.user(Role.SCHOOL_ADMIN))
    opened, silent = [], []
    for name, route, _ in all_routes():
        if not (STUDENT_KWARGS & set(_kwarg_names(route))) or name in NOT_MARKED:
            continue
        url = _school_url(name, school_a.school.slug, school_a)
        with school_scope(school_a.school):
            before = AuditEntry.objects.filter(student__isnull=False).count()
        response = client.get(url)
        if response.status_code != 200:  # a POST-only route (405), or one for another role
            continue
        opened.append(name)
        with school_scope(school_a.school):
            if AuditEntry.objects.filter(student__isnull=False).count() == before:
                silent.append(name)
    assert silent == [], f"student pages that record no read: {silent}"
    assert len(opened) >= 15, opened
