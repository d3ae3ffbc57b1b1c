"""The dry-run plan and the atomic writer: idempotent upserts, deactivation, atomicity, the real fixture."""

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError

from accounts.emails import is_placeholder_email
from accounts.models import User
from plp.tenancy.context import school_scope
from schools.models import Enrollment, Membership, Section, Term
from schools.rostering.models import ImportRun, RosterPerson
from schools.rostering.plan import roster_plan
from schools.rostering.reading import files_from_path
from schools.rostering.services import upload_limits
from schools.rostering.validation import parse_roster
from schools.rostering.writer import PlanChanged, roster_write
from tests.factories import EnrollmentFactory
from tests.schools.roster_files import ENROLLMENTS, FIXTURE, USERS, add_rows, roster


def state():
    """Everything an import may touch in the active school (and the global user table)."""
    return (
        sorted(Term.objects.values_list("sourced_id", "name", "start_date", "end_date", "kind")),
        sorted(Section.objects.values_list("sourced_id", "name", "code", "term__sourced_id")),
        sorted(Enrollment.objects.values_list("sourced_id", "section_id", "user_id", "role", "is_active")),
        sorted(Membership.objects.values_list("user_id", "role", "is_active")),
        sorted(RosterPerson.objects.values_list("sourced_id", "user_id", "role", "is_active", "grades")),
        sorted(User.objects.values_list("email", "given_name", "family_name")),
    )


def write(files, **kwargs):
    return roster_write(roster=parse_roster(files), **kwargs)


def test_the_dry_run_counts_what_the_import_then_writes(school_a):
    with school_scope(school_a.school):
        before = state()
        plan = roster_plan(roster=parse_roster(roster()))
        assert state() == before  # the dry run writes nothing
        assert plan.counts["students"]["create"] == 2
        assert plan.counts["teachers"]["create"] == 1
        assert plan.counts["sections"]["create"] == 2
        assert plan.counts["enrollments"]["create"] == 4
        assert plan.counts["terms"]["create"] == 2
        write(roster(), approved_counts=plan.counts)
        assert Section.objects.filter(sourced_id__in=["class-1", "class-2"]).count() == 2
        assert Enrollment.objects.exclude(sourced_id="").count() == 4
        sam = User.objects.get(email="sam@roster.example.test")
        assert Membership.objects.filter(user=sam, role="student", is_active=True).exists()
        assert RosterPerson.objects.get(sourced_id="s-1").grades == ["09"]
        assert not sam.has_usable_password()


def test_a_second_identical_import_changes_nothing(school_a):
    with school_scope(school_a.school):
        write(roster())
        after_first = state()
        plan = write(roster())
        assert plan.changes == 0
        assert plan.counts["enrollments"]["unchanged"] == 4
        assert state() == after_first


def test_reimport_with_changes_updates_renames_and_deactivates_without_deleting(school_a):
    with school_scope(school_a.school):
        write(roster())
        users = USERS.replace("Sam,Stu", "Samuel,Stu").replace(
            "s-2,,,true,org-1,student,sue,,Sue,Stu,,,sue@roster.example.test,,,,09,\n", ""
        )
        enrollments = ENROLLMENTS.replace("e-3,,,class-1,org-1,s-2,student,false,,\n", "").replace(
            "e-4,,,class-2", "e-4,tobedeleted,2026-10-01T00:00:00Z,class-2"
        )
        plan = write(roster(users=users, enrollments=enrollments))
        assert plan.counts["students"] == {"create": 0, "update": 1, "deactivate": 1, "unchanged": 0}
        assert plan.counts["enrollments"] == {"create": 0, "update": 0, "deactivate": 2, "unchanged": 2}
        assert User.objects.get(email="sam@roster.example.test").given_name == "Samuel"
        sue = RosterPerson.objects.get(sourced_id="s-2")
        assert sue.is_active is False
        assert Membership.objects.get(user_id=sue.user_id, role="student").is_active is False
        assert Enrollment.objects.get(sourced_id="e-3").is_active is False  # kept, with its history
        assert Enrollment.objects.get(sourced_id="e-4").is_active is False
        # Sue comes back: reactivated, not duplicated.
        plan = write(roster())
        assert plan.counts["students"]["update"] == 2  # Sue reactivated, Sam renamed back
        assert RosterPerson.objects.filter(sourced_id="s-2").count() == 1
        assert Membership.objects.get(user_id=sue.user_id, role="student").is_active is True


def test_a_person_who_exists_in_another_school_gets_a_membership_not_a_second_account(school_a, school_b):
    with school_scope(school_b.school):
        write(roster())
    with school_scope(school_a.school):
        plan = write(roster())
        assert plan.counts["students"]["create"] == 2
    assert User.objects.filter(email="sam@roster.example.test").count() == 1
    sam = User.objects.get(email="sam@roster.example.test")
    # unscoped: the test checks the person's memberships in both schools.
    schools = set(Membership.objects.unscoped().filter(user=sam).values_list("school_id", flat=True))
    assert schools == {school_a.school.pk, school_b.school.pk}


def test_an_import_into_one_school_leaves_the_other_school_untouched(school_a, school_b):
    with school_scope(school_b.school):
        before_b = state()[:5]
    with school_scope(school_a.school):
        write(roster())
    with school_scope(school_b.school):
        assert state()[:5] == before_b


def test_an_error_in_the_last_file_leaves_the_database_unchanged(school_a):
    """A conflict the database only sees at the last bulk write rolls back the terms, people and
    sections written before it."""
    with school_scope(school_a.school):
        write(roster(enrollments=ENROLLMENTS.replace("e-4,,,class-2,org-1,s-1", "e-4,,,class-2,org-1,s-2")))
        sam = User.objects.get(email="sam@roster.example.test")
        # Someone adds Sam to class-2 by hand; the next roster moves e-4 onto Sam in class-2 as well.
        EnrollmentFactory(school=school_a.school, section=Section.objects.get(sourced_id="class-2"), user=sam)
        changed = roster(
            users=add_rows(USERS, "s-9,,,true,org-1,student,n,,New,Kid,,,new@roster.example.test,,,,,")
        )
        before = state()
        with pytest.raises(IntegrityError):
            write(changed)
        assert state() == before
        assert not User.objects.filter(email="new@roster.example.test").exists()


def test_the_writer_refuses_when_the_school_changed_since_the_dry_run(school_a):
    with school_scope(school_a.school):
        counts = roster_plan(roster=parse_roster(roster())).counts
        write(roster(users=add_rows(USERS, "s-9,,,true,org-1,student,n,,N,K,,,n@roster.example.test,,,,,")))
        before = state()
        with pytest.raises(PlanChanged):
            write(roster(), approved_counts=counts)
        assert state() == before


def test_rows_with_problems_are_skipped_and_a_bulk_import_does_not_deactivate_them(school_a):
    with school_scope(school_a.school):
        write(roster())
        broken = USERS.replace("s-2,,,true,org-1,student", "s-2,,,true,org-1,pupil")
        result = parse_roster(roster(users=broken))
        assert result.errors
        plan = roster_write(roster=result)
        assert plan.counts["students"]["deactivate"] == 0
        assert RosterPerson.objects.get(sourced_id="s-2").is_active is True


def test_the_real_fixture_imports_twice_with_no_change_the_second_time(school_a):
    with school_scope(school_a.school):
        plan = write(files_from_path(FIXTURE, limits=upload_limits()))
        assert plan.counts["students"]["create"] == 3  # the parent is not imported
        assert plan.counts["teachers"]["create"] == 2
        assert plan.counts["terms"]["create"] == 5
        assert plan.counts["sections"]["create"] == 2
        assert plan.counts["enrollments"]["create"] == 6
        # Four sessions share the title "Session Title": names are made unique with their sourcedId.
        assert Term.objects.filter(name__startswith="Session Title").count() == 4
        # No email in the fixture: placeholder addresses, never deliverable.
        person = RosterPerson.objects.select_related("user").get(sourced_id="usr-222-123456")
        assert is_placeholder_email(person.user.email)
        assert write(files_from_path(FIXTURE, limits=upload_limits())).changes == 0


def test_a_roster_email_replaces_a_placeholder_on_the_next_import(school_a):
    users = USERS.replace("tina@roster.example.test", "")
    with school_scope(school_a.school):
        write(roster(users=users))
        tina = RosterPerson.objects.select_related("user").get(sourced_id="t-1").user
        assert is_placeholder_email(tina.email)
        write(roster())
        tina.refresh_from_db()
        assert tina.email == "tina@roster.example.test"


def test_the_management_command_imports_and_records_a_run(school_a, capsys):
    call_command("import_oneroster", "alpha", str(FIXTURE))
    out = capsys.readouterr().out
    assert "0 errors" in out and "Imported" in out
    with school_scope(school_a.school):
        run = ImportRun.objects.get()
        assert run.status == ImportRun.Status.SUCCEEDED
        assert set(run.digests) == {p.name for p in FIXTURE.iterdir()}
        assert RosterPerson.objects.count() == 5


def test_the_management_command_refuses_a_roster_with_errors(school_a, tmp_path):
    for name, data in roster(users=USERS.replace("student,sam", "pupil,sam")).items():
        (tmp_path / name).write_bytes(data)
    with pytest.raises(CommandError, match="Not imported"):
        call_command("import_oneroster", "alpha", str(tmp_path))
    with school_scope(school_a.school):
        assert not RosterPerson.objects.exists()
    call_command("import_oneroster", "alpha", str(tmp_path), "--skip-problem-rows")
    with school_scope(school_a.school):
        assert set(RosterPerson.objects.values_list("sourced_id", flat=True)) == {"t-1", "s-2"}


def test_a_role_change_moves_the_membership_and_keeps_the_old_one_deactivated(school_a):
    with school_scope(school_a.school):
        write(roster())
        plan = write(roster(users=USERS.replace("s-2,,,true,org-1,student", "s-2,,,true,org-1,teacher")))
        assert plan.counts["teachers"]["update"] == 1
        sue = RosterPerson.objects.get(sourced_id="s-2").user_id
        assert Membership.objects.get(user_id=sue, role="teacher").is_active is True
        assert Membership.objects.get(user_id=sue, role="student").is_active is False


def test_a_class_marked_tobedeleted_stays_and_its_enrollments_are_deactivated(school_a):
    from tests.schools.roster_files import CLASSES

    with school_scope(school_a.school):
        write(roster())
        classes = CLASSES.replace("class-2,,,", "class-2,tobedeleted,2026-10-01T00:00:00Z,")
        files = roster(classes=classes)
        result = parse_roster(files)
        assert any("never removed" in p.message for p in result.warnings)
        plan = roster_write(roster=result)
        assert plan.counts["enrollments"]["deactivate"] == 1
        assert Section.objects.filter(sourced_id="class-2").exists()
        assert Enrollment.objects.get(sourced_id="e-4").is_active is False


def test_an_enrollment_made_by_hand_is_adopted_by_the_roster_not_duplicated(school_a):
    with school_scope(school_a.school):
        write(roster(enrollments=ENROLLMENTS.replace("e-4,,,class-2,org-1,s-1,student,false,,\n", "")))
        sam = User.objects.get(email="sam@roster.example.test")
        manual = EnrollmentFactory(
            school=school_a.school,
            section=Section.objects.get(sourced_id="class-2"),
            user=sam,
            is_active=False,
        )
        plan = write(roster())
        assert plan.counts["enrollments"]["update"] == 1 and plan.counts["enrollments"]["create"] == 0
        manual.refresh_from_db()
        assert manual.sourced_id == "e-4" and manual.is_active is True


def test_a_delta_import_changes_only_the_rows_it_names(school_a):
    with school_scope(school_a.school):
        write(roster())
        header = USERS.split("\n", 1)[0]
        users = (
            f"{header}\n"
            "s-2,tobedeleted,2026-10-01T00:00:00Z,true,org-1,student,sue,,Sue,Stu,,,sue@roster.example.test,,,,09,\n"
            "s-7,active,2026-10-01T00:00:00Z,true,org-1,student,neo,,Neo,New,,,neo@roster.example.test,,,,10,\n"
        )
        enrollments = (
            ENROLLMENTS.split("\n", 1)[0]
            + "\ne-9,active,2026-10-01T00:00:00Z,class-2,org-1,s-7,student,false,,\n"
        )
        files = {
            "manifest.csv": (
                b"propertyName,value\noneroster.version,1.1\nfile.users,delta\nfile.enrollments,delta\n"
            ),
            "users.csv": users.encode(),
            "enrollments.csv": enrollments.encode(),
        }
        from schools.rostering.plan import known_ids

        result = parse_roster(files, known=known_ids())
        assert result.errors == []
        plan = roster_write(roster=result)
        assert plan.counts["students"] == {"create": 1, "update": 0, "deactivate": 1, "unchanged": 0}
        assert plan.counts["enrollments"] == {"create": 1, "update": 0, "deactivate": 0, "unchanged": 0}
        assert RosterPerson.objects.get(sourced_id="s-1").is_active is True  # not named: untouched
        assert RosterPerson.objects.get(sourced_id="s-2").is_active is False
        assert Enrollment.objects.get(sourced_id="e-3").is_active is True  # a delta deactivates nothing else


def test_an_error_in_the_last_file_stops_the_whole_import_through_the_task(school_a):
    from schools.rostering.services import import_run_create, import_run_execute

    broken = add_rows(ENROLLMENTS, "e-9,,,class-1,org-1,nobody,student,,,")
    with school_scope(school_a.school):
        before = state()
        run = import_run_create(files=roster(enrollments=broken))
        assert run.error_count == 1 and run.report[0]["file"] == "enrollments.csv"
        run.status = ImportRun.Status.QUEUED  # as if confirmed without consenting to skip the row
        run.save(update_fields=["status"])
        run = import_run_execute(run_id=run.pk)
        assert run.status == ImportRun.Status.FAILED and "not approved" in run.message
        assert state() == before


def test_a_roster_links_an_account_of_another_school_without_renaming_it(school_a, school_b):
    bravo_teacher = school_b.user("teacher")
    users = USERS.replace("tina@roster.example.test", bravo_teacher.email)
    with school_scope(school_a.school):
        write(roster(users=users))
        tina = RosterPerson.objects.get(sourced_id="t-1")
        assert tina.user_id == bravo_teacher.pk
        assert Membership.objects.get(user=bravo_teacher, role="teacher").is_active
        write(roster(users=users.replace("Tina,Teach", "Renamed,ByAlpha")))
    bravo_teacher.refresh_from_db()
    assert bravo_teacher.given_name.startswith("BRAVO")  # school A's roster cannot rename school B's person
