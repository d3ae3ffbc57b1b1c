"""Names and Role Provisioning: a course's roster read from the test LMS over HTTP (paged, with a token the
LMS grants only for PLP's signed client assertion), previewed against the school, and applied through the
roster import (its dry-run report, the admin's confirmation, the import task)."""

import pytest
from django.urls import reverse

from lti import nrps
from lti.models import LtiContext
from plp.tenancy.context import school_scope
from schools.models import Membership
from schools.roles import Role
from schools.rostering.models import ImportRun
from schools.rostering.tasks import roster_import_task
from tests.lti.conftest import lms_launch
from tests.lti.platform import nrps_member


def _roster():
    """Course 1 as the LMS knows it: people of school A (matched by email), one new student, one new
    teacher, a school B student (an account elsewhere: new here, nothing said about it), a content
    developer and a learner without an email (neither can be added)."""
    return [
        nrps_member("lms-alpha-student", email="student@alpha.example.test", name="Ann Alpha"),
        nrps_member("lms-alpha-teacher", "Instructor", email="teacher@alpha.example.test", name="Tom Alpha"),
        nrps_member("lms-new-1", email="new.one@alpha.example.test", given_name="Nina", family_name="New"),
        nrps_member("lms-new-2", "Instructor", email="new.two@alpha.example.test", name="Ned Newer"),
        nrps_member("lms-bravo-student", email="student@bravo.example.test", name="Bea Bravo"),
        nrps_member("lms-designer", "ContentDeveloper", email="designer@alpha.example.test", name="Dee"),
        nrps_member("lms-no-email", name="Nemo"),
    ]


@pytest.fixture
def course(client, lms, school_a):
    """School A's teacher launched PLP from course 1; the LMS knows PLP's key and course 1's roster."""
    platform, registration = lms["platform"], lms["a"]
    platform.tool_jwks[registration.client_id] = client.get(
        reverse("lti:jwks", kwargs={"registration": registration.public_id})
    ).json()
    platform.rosters["course-1"] = _roster()
    response, _ = lms_launch(client, platform, registration, login_hint="alpha-teacher")
    assert response.status_code == 302
    with school_scope(school_a.school):
        context = LtiContext.objects.get()
    return {"platform": platform, "registration": registration, "context": context}


def _roster_url(context, slug="alpha"):
    return reverse("lti:course_roster", kwargs={"school_slug": slug, "lti_context_id": context.pk})


def test_a_teachers_launch_records_the_course_and_its_roster_address(course, school_a):
    context = course["context"]
    assert context.memberships_url == course["platform"].memberships_url("course-1")
    assert context.launched_by == school_a.user(Role.TEACHER)
    assert context.title == "Grade 6 Math"


def test_a_students_launch_records_the_course_but_no_teacher(client, lms, school_a):
    lms_launch(client, lms["platform"], lms["a"], login_hint="alpha-student")
    with school_scope(school_a.school):
        context = LtiContext.objects.get()
    assert context.launched_by is None


def test_the_teacher_who_launched_sees_the_preview(client, course, school_a):
    page = client.get(_roster_url(course["context"]))
    assert page.status_code == 200
    preview = page.context["preview"]
    matched = {member.person.lms_user_id: match for member, match in preview.matched}
    assert set(matched) == {"lms-alpha-student", "lms-alpha-teacher"}
    assert matched["lms-alpha-student"].user == school_a.user(Role.STUDENT)
    assert matched["lms-alpha-teacher"].how == "LMS user id"  # linked at the launch just made
    assert matched["lms-alpha-student"].how == "email"
    assert {(m.person.lms_user_id, m.role) for m in preview.new} == {
        ("lms-bravo-student", "student"),
        ("lms-new-1", "student"),
        ("lms-new-2", "teacher"),
    }
    skipped = {member.person.lms_user_id: why for member, why in preview.not_imported}
    assert set(skipped) == {"lms-designer", "lms-no-email"}
    assert "email" in skipped["lms-no-email"]
    school_only = {m.user for m in preview.school_only}
    assert school_a.user(Role.STUDENT) not in school_only and school_a.user(Role.TEACHER) not in school_only
    assert preview.school_only_count == len(school_only) >= 1
    text = page.content.decode()
    assert "new.one@alpha.example.test" in text
    assert "Add them with the roster import" not in text  # the teacher previews; an admin applies
    # An account of school B is only "new" here: the page says nothing of school B.
    assert "Bravo Secret Prep" not in text


def test_the_roster_is_read_page_by_page_and_the_case_of_the_cursor_is_kept(client, course):
    platform = course["platform"]
    platform.roster_page_size = 3
    page = client.get(_roster_url(course["context"]))
    assert page.context["preview"].member_count == 7
    assert [r.split("?", 1)[1] for r in platform.roster_requests] == ["", "cursor=Pg3X", "cursor=Pg6X"]


def test_a_next_page_on_another_origin_is_not_followed():
    assert nrps.next_page('<https://lms.test/m?c=AbC>; rel="next"', "https://lms.test/m") == (
        "https://lms.test/m?c=AbC"
    )
    assert nrps.next_page('<https://lms.test/p>; rel="prev", </m?c=2>; rel="next"', "https://lms.test/m") == (
        "https://lms.test/m?c=2"
    )
    assert nrps.next_page('<https://lms.test/p>; rel="prev"', "https://lms.test/m") is None


def test_an_admin_applies_the_preview_through_the_roster_import(client, course, school_a):
    admin = school_a.user(Role.SCHOOL_ADMIN)
    client.force_login(admin)
    url = reverse(
        "lti:course_roster_apply", kwargs={"school_slug": "alpha", "lti_context_id": course["context"].pk}
    )
    response = client.post(url)
    assert response.status_code == 302
    with school_scope(school_a.school):
        run = ImportRun.objects.get()
    assert response["Location"] == reverse(
        "schools:import_detail", kwargs={"school_slug": "alpha", "import_run_id": run.pk}
    )
    assert run.status == ImportRun.Status.CHECKED and run.created_by == admin
    assert run.counts["students"]["create"] + run.counts["students"]["update"] == 2
    assert run.counts["teachers"]["create"] == 1
    report = client.get(response["Location"])
    assert report.status_code == 200
    confirm = client.post(response["Location"], {})
    assert confirm.status_code == 302
    roster_import_task.apply(kwargs={"school_id": school_a.school.pk, "run_id": run.pk})
    with school_scope(school_a.school):
        run.refresh_from_db()
        assert run.status == ImportRun.Status.SUCCEEDED, run.message
        members = dict(
            Membership.objects.filter(
                user__email__in=[
                    "new.one@alpha.example.test",
                    "new.two@alpha.example.test",
                    "student@bravo.example.test",
                ]
            ).values_list("user__email", "role")
        )
    assert members == {"new.one@alpha.example.test": Role.STUDENT, "new.two@alpha.example.test": Role.TEACHER,
                       "student@bravo.example.test": Role.STUDENT}  # fmt: skip
    # Applied: the preview has nobody new left.
    again = client.get(_roster_url(course["context"]))
    assert again.context["preview"].new == []
    assert client.post(url)["Location"] == _roster_url(course["context"])


def test_a_refused_token_is_said_and_nothing_is_read(client, course):
    platform = course["platform"]
    platform.refuse_tokens = True
    page = client.get(_roster_url(course["context"]))
    assert page.status_code == 200
    assert "refused PLP's access token" in page.context["error"]
    assert "access token (HTTP 401)" in page.content.decode()
    assert platform.roster_requests == []


def test_an_lms_that_does_not_know_plps_key_refuses_the_token(client, course, school_a):
    course["platform"].tool_jwks[course["registration"].client_id] = {"keys": []}
    client.force_login(school_a.user(Role.SCHOOL_ADMIN))
    url = reverse(
        "lti:course_roster_apply", kwargs={"school_slug": "alpha", "lti_context_id": course["context"].pk}
    )
    response = client.post(url, follow=True)
    assert "refused PLP&#x27;s access token" in response.content.decode()
    with school_scope(school_a.school):
        assert not ImportRun.objects.exists()


def test_another_schools_course_is_a_404(client, course, school_b):
    client.force_login(school_b.user(Role.SCHOOL_ADMIN))
    assert client.get(_roster_url(course["context"], slug="bravo")).status_code == 404
    url = reverse(
        "lti:course_roster_apply", kwargs={"school_slug": "bravo", "lti_context_id": course["context"].pk}
    )
    assert client.post(url).status_code == 404
    assert course["platform"].roster_requests == []


def test_another_schools_registration_of_the_lms_is_refused_the_course(client, lms, course, school_b):
    """School B registered the same LMS (another client id, its key known to the LMS): it gets a token, but
    the LMS gives the roster of course 1 only to the tool launched there (school A's registration)."""
    platform = course["platform"]
    platform.tool_jwks[lms["b"].client_id] = client.get(
        reverse("lti:jwks", kwargs={"registration": lms["b"].public_id})
    ).json()
    with school_scope(course["context"].school_id):
        context = LtiContext.objects.select_related("registration__school").get()
    context.registration = lms["b"]  # as if B's registration named A's course
    with pytest.raises(nrps.RosterUnavailable, match=r"did not give the roster \(HTTP 403\)"):
        nrps.memberships_read(context=context)
    assert platform.roster_requests == ["/courses/course-1/memberships?"]


def test_a_course_launched_from_another_schools_registration_stays_there(client, lms, school_a, school_b):
    lms_launch(client, lms["platform"], lms["b"], login_hint="bravo-student")
    with school_scope(school_b.school):
        bravo_course = LtiContext.objects.get()
    with school_scope(school_a.school):
        assert not LtiContext.objects.exists()
    client.force_login(school_a.user(Role.SCHOOL_ADMIN))
    assert client.get(reverse("lti:courses", kwargs={"school_slug": "alpha"})).context["courses"] == []
    assert client.get(_roster_url(bravo_course)).status_code == 404


def test_roles_who_sees_which_roster(client, course, school_a):
    url = _roster_url(course["context"])
    client.force_login(school_a.user(Role.STUDENT))
    assert client.get(url).status_code == 404
    assert client.get(reverse("lti:courses", kwargs={"school_slug": "alpha"})).status_code == 403
    client.force_login(school_a.user(Role.MENTOR))
    assert client.get(url).status_code == 404
    client.force_login(school_a.people["other_teacher"])
    assert client.get(url).status_code == 404  # not the teacher who launched from it
    assert client.get(reverse("lti:courses", kwargs={"school_slug": "alpha"})).context["courses"] == []
    client.force_login(school_a.user(Role.TEACHER))
    assert client.get(reverse("lti:courses", kwargs={"school_slug": "alpha"})).context["courses"] == [
        course["context"]
    ]
    apply_url = reverse(
        "lti:course_roster_apply", kwargs={"school_slug": "alpha", "lti_context_id": course["context"].pk}
    )
    assert client.post(apply_url).status_code == 403  # teachers preview; admins apply
    client.force_login(school_a.user(Role.SCHOOL_ADMIN))
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("size", [5, 60])
def test_the_preview_reads_the_school_in_constant_queries(client, course, school_a, size,
                                                          django_assert_max_num_queries):  # fmt: skip
    platform = course["platform"]
    platform.roster_page_size = 100
    platform.rosters["course-1"] = _roster() + [
        nrps_member(f"lms-extra-{n}", email=f"extra{n}@alpha.example.test", name=f"Extra {n}")
        for n in range(size)
    ]
    client.force_login(school_a.user(Role.SCHOOL_ADMIN))
    with django_assert_max_num_queries(16):
        page = client.get(_roster_url(course["context"]))
    assert len(page.context["preview"].new) == 3 + size


def test_the_roster_files_are_a_clean_oneroster_delta(lms):
    """What apply hands the roster import: a 1.1 delta users.csv that its checker reads without an error,
    names with commas and quotes kept, the LMS's sourcedId when it shares one."""
    from schools.rostering.validation import parse_roster

    members = [
        nrps.member_from(
            nrps_member("u1", email="a@x.example.test", name='Ana "Bee", Jr', lis_person_sourcedid="SIS-1")
        ),
        nrps.member_from(
            nrps_member(
                "u2",
                roles=["http://purl.imsglobal.org/vocab/lis/v2/membership/Instructor#TeachingAssistant"],
                email="b@x.example.test",
                given_name="Bo",
                family_name="Ng",
            )
        ),
    ]
    assert [m.role for m in members] == ["student", "teacher"]
    roster = parse_roster(nrps.roster_files(registration=lms["a"], members=members))
    assert roster.errors == [] and not roster.blocking
    assert set(roster.users) == {"SIS-1", f"lti-{lms['a'].public_id.hex[:8]}-u2"}
    assert roster.users["SIS-1"].email == "a@x.example.test"
    assert roster.users[f"lti-{lms['a'].public_id.hex[:8]}-u2"].role == "teacher"
    assert roster.modes["users"] == "delta"
