import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from accounts.models import User
from engine.models import StudentRecommendation
from plp.tenancy.context import school_scope
from schools.models import Enrollment, Membership, OrganizationAdmin, School, Section
from schools.roles import Role


def _counts():
    return {
        "users": User.objects.count(),
        "schools": School.objects.count(),
        "memberships": Membership.objects.unscoped().count(),
        "sections": Section.objects.unscoped().count(),
        "enrollments": Enrollment.objects.unscoped().count(),
        "district_admins": OrganizationAdmin.objects.count(),
    }


def test_seed_demo_builds_a_district_of_two_schools_with_every_role(db):
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert School.objects.filter(organization__slug="demo-usd").count() == 2
    for school in School.objects.all():
        with school_scope(school):
            roles = set(Membership.objects.values_list("role", flat=True))
            assert roles == set(Role.values)
            assert Membership.objects.filter(role=Role.STUDENT).count() == 24
            assert Section.objects.count() >= 3
    assert OrganizationAdmin.objects.count() == 1
    printed = out.getvalue()
    assert "plp-demo-2026" in printed
    assert "teacher.cedar@demo.plp.test" in printed


def test_seed_demo_is_idempotent(db):
    call_command("seed_demo", stdout=StringIO())
    first = _counts()
    call_command("seed_demo", stdout=StringIO())
    assert _counts() == first


def test_seed_demo_scales_with_students_and_only_adds(db):
    call_command("seed_demo", "--students", "5", stdout=StringIO())
    call_command("seed_demo", "--students", "40", stdout=StringIO())
    cedar = School.objects.get(slug="cedar-ridge")
    with school_scope(cedar):
        assert Membership.objects.filter(role=Role.STUDENT).count() == 40
        # every student is in one math section and in every other section
        students_in_math = Enrollment.objects.filter(role="student", section__subject="Mathematics").count()
        assert students_in_math == 40


def test_seed_demo_refuses_a_school_without_students(db):
    with pytest.raises(CommandError, match="at least 1"):
        call_command("seed_demo", "--students", "0", stdout=StringIO())


def test_demo_logins_work(client, db):
    call_command("seed_demo", stdout=StringIO())
    assert client.login(username="teacher.cedar@demo.plp.test", password="plp-demo-2026")
    response = client.get("/", follow=True)
    assert response.redirect_chain[-1][0] == "/s/cedar-ridge/"


def test_seed_demo_can_add_a_big_section_for_the_dashboard_once(db, client):
    call_command("seed_demo", "--students", "3", "--big-section", "30", stdout=StringIO())
    cedar = School.objects.get(slug="cedar-ridge")
    with school_scope(cedar):
        section = Section.objects.get(code="BIG-30")
        teacher = User.objects.get(email="teacher.cedar@demo.plp.test")
        assert Enrollment.objects.filter(section=section, role="student").count() == 30
        assert Enrollment.objects.filter(section=section, user=teacher, role="teacher").exists()
        students = Enrollment.objects.filter(section=section, role="student").values("user_id")
        assert StudentRecommendation.objects.filter(student__in=students).count() >= 30  # the engine ran
    first = _counts()
    call_command("seed_demo", "--students", "3", "--big-section", "30", stdout=StringIO())
    assert _counts() == first
    client.force_login(teacher)
    page = client.get(f"/s/cedar-ridge/dashboard/sections/{section.pk}/")
    assert page.status_code == 200
    status = re.search(r'<p class="muted" role="status">([^<]*)</p>', page.content.decode()).group(1)
    assert status == "30 of 30 students · 60 competencies"


def test_seed_demo_refuses_a_big_section_too_big(db):
    with pytest.raises(CommandError, match="1 to 5000"):
        call_command("seed_demo", "--big-section", "9999", stdout=StringIO())


def test_seed_demo_project_has_a_file_milestone_with_a_handed_in_file(db, client):
    """The demo's project asks for a file, and one student's file is there for the teacher to open."""
    from django.urls import reverse

    from playlists.demo import FILE_MILESTONE
    from playlists.projects.models import Project
    from submissions.models import SubmissionFile

    call_command("seed_demo", stdout=StringIO())
    cedar = School.objects.get(slug="cedar-ridge")
    with school_scope(cedar):
        project = Project.objects.select_related("section").first()
        milestone = project.milestones.get(title=FILE_MILESTONE)
        handed_in = SubmissionFile.objects.get(milestone=milestone)
        teacher = Enrollment.objects.filter(section=project.section, role="teacher").first().user
    assert handed_in.kind == "txt" and handed_in.original_name == "lunch-survey.csv"
    client.force_login(teacher)
    student_id = handed_in.student_id
    score = client.get(
        reverse(
            "playlists:project_score",
            kwargs={"school_slug": cedar.slug, "project_id": project.pk, "project_student_id": student_id},
        )
    )
    assert score.status_code == 200 and "lunch-survey.csv" in score.content.decode()
    download = client.get(
        reverse(
            "submissions:file_download", kwargs={"school_slug": cedar.slug, "file_id": handed_in.public_id}
        )
    )
    assert download.status_code == 200
    assert b"Would you pay 25 cents more" in b"".join(download.streaming_content)
    call_command("seed_demo", stdout=StringIO())  # idempotent: still one file
    with school_scope(cedar):
        assert SubmissionFile.objects.filter(milestone=milestone).count() == 1
