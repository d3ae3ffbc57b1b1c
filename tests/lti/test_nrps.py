"""Names and Role Provisioning: a course's roster read from the test LMS over HTTP (paged, with a token the
LMS grants only for PLP's signed client assertion), previewed against the school, and applied through the
roster import (its dry-run report, the admin's confirmation, the import task)."""

import pytest
from django.urls import reverse

from lti import nrps
from lti.models import LtiContext
from plp.tenancy.context import school_scope
from schools.models import Enrollment, Membership, Section
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
    # New people, and the matched ones the roster import had no record of (adopted by their account).
    assert run.counts["students"]["create"] == 3
    assert run.counts["teachers"]["create"] == 2
    assert run.counts["sections"]["create"] == 1
    assert run.counts["enrollments"]["create"] == 5
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


def _apply_url(context, slug="alpha"):
    return reverse("lti:course_roster_apply", kwargs={"school_slug": slug, "lti_context_id": context.pk})


def _apply_and_import(client, context, school):
    """The admin applies the course's roster, confirms the import's report, and the import runs."""
    response = client.post(_apply_url(context))
    with school_scope(school):
        run = ImportRun.objects.order_by("-pk").first()
    assert response["Location"] == reverse(
        "schools:import_detail", kwargs={"school_slug": school.slug, "import_run_id": run.pk}
    ), response
    assert client.post(response["Location"], {}).status_code == 302
    roster_import_task.apply(kwargs={"school_id": school.pk, "run_id": run.pk})
    with school_scope(school):
        run.refresh_from_db()
    assert run.status == ImportRun.Status.SUCCEEDED, run.message
    return run


def _seats(school):
    with school_scope(school):
        section = Section.objects.get(sourced_id=nrps.section_key(LtiContext.objects.get()))
        return section, dict(
            Enrollment.objects.filter(section=section, is_active=True).values_list("user__email", "role")
        )


def test_applying_makes_the_courses_section_in_the_current_term_and_enrols_learners_and_instructors(
    client, course, school_a
):
    client.force_login(school_a.user(Role.SCHOOL_ADMIN))
    before = client.get(_roster_url(course["context"])).context["preview"]
    assert before.section is None and before.term == school_a.term
    outcomes = {member.person.lms_user_id: outcome for member, outcome, _ in before.seats}
    assert outcomes == {"lms-alpha-student": "added", "lms-alpha-teacher": "added", "lms-new-1": "added",
                        "lms-new-2": "added", "lms-bravo-student": "added", "lms-designer": "refused",
                        "lms-no-email": "refused"}  # fmt: skip
    _apply_and_import(client, course["context"], school_a.school)
    section, seats = _seats(school_a.school)
    assert section.term == school_a.term and section.name == "Grade 6 Math"
    assert seats == {
        "student@alpha.example.test": "student",
        "teacher@alpha.example.test": "teacher",
        "new.one@alpha.example.test": "student",
        "new.two@alpha.example.test": "teacher",
        "student@bravo.example.test": "student",
    }
    page = client.get(_roster_url(course["context"]))
    after = page.context["preview"]
    assert after.section == section and after.to_enrol == [] and len(after.already) == 5
    refused = {member.person.lms_user_id: why for member, _, why in after.refused}
    assert set(refused) == {"lms-designer", "lms-no-email"} and "email" in refused["lms-no-email"]
    text = page.content.decode()
    assert "already there" in text and "neither learner nor instructor" in text


def test_reapplying_adds_nothing_twice_and_a_person_who_left_is_reported_not_removed(
    client, course, school_a
):
    client.force_login(school_a.user(Role.SCHOOL_ADMIN))
    _apply_and_import(client, course["context"], school_a.school)
    # Nothing new: the apply is refused and no import is made.
    with school_scope(school_a.school):
        count = ImportRun.objects.count()
    response = client.post(_apply_url(course["context"]), follow=True)
    assert "already at the school and in its section" in response.content.decode()
    with school_scope(school_a.school):
        assert ImportRun.objects.count() == count
    # One joins the LMS course, one leaves it.
    roster = [m for m in _roster() if m["user_id"] != "lms-new-1"]
    course["platform"].rosters["course-1"] = [
        *roster,
        nrps_member("lms-late", email="late@alpha.example.test", name="Lou Late"),
    ]
    preview = client.get(_roster_url(course["context"])).context["preview"]
    assert [m.person.lms_user_id for m, _, _ in preview.to_enrol] == ["lms-late"]
    assert [e.user.email for e in preview.left] == ["new.one@alpha.example.test"]
    page = client.get(_roster_url(course["context"])).content.decode()
    assert "no longer in the LMS course" in page and "nothing is removed" in page
    run = _apply_and_import(client, course["context"], school_a.school)
    assert run.counts["sections"].get("create", 0) == 0 and run.counts["sections"]["unchanged"] == 1
    assert run.counts["enrollments"]["create"] == 1
    # The people the first import recorded are named by their record: only the newcomer is a new record.
    assert run.counts["students"].get("create", 0) == 1 and run.counts["teachers"].get("create", 0) == 0
    _, seats = _seats(school_a.school)
    assert seats["late@alpha.example.test"] == "student"
    assert seats["new.one@alpha.example.test"] == "student"  # left the LMS course: still enrolled here
    assert len(seats) == 6
    with school_scope(school_a.school):
        assert Section.objects.filter(sourced_id=nrps.section_key(course["context"])).count() == 1
        assert (
            Enrollment.objects.filter(
                user__email="teacher@alpha.example.test", section__name="Grade 6 Math"
            ).count()
            == 1
        )


def test_a_section_named_by_the_school_is_found_by_its_source_key_and_kept(client, course, school_a):
    client.force_login(school_a.user(Role.SCHOOL_ADMIN))
    _apply_and_import(client, course["context"], school_a.school)
    section, _ = _seats(school_a.school)
    with school_scope(school_a.school):
        Section.objects.filter(pk=section.pk).update(name="Math 6, period 2", code="M6-2")
    course["platform"].rosters["course-1"] = [
        *_roster(),
        nrps_member("lms-late", email="late@alpha.example.test"),
    ]
    _apply_and_import(client, course["context"], school_a.school)
    again, seats = _seats(school_a.school)
    assert again.pk == section.pk and (again.name, again.code) == ("Math 6, period 2", "M6-2")
    assert "late@alpha.example.test" in seats


def test_without_a_term_today_people_are_added_but_nobody_is_enrolled(client, course, school_a):
    from schools.models import Term

    with school_scope(school_a.school):
        Term.objects.update(start_date="2020-01-01", end_date="2020-06-01")
    client.force_login(school_a.user(Role.SCHOOL_ADMIN))
    preview = client.get(_roster_url(course["context"])).context["preview"]
    assert preview.term is None and preview.to_enrol == []
    assert {m.person.lms_user_id for m, _, why in preview.refused if "no term today" in why} == {
        "lms-alpha-student", "lms-alpha-teacher", "lms-new-1", "lms-new-2", "lms-bravo-student"}  # fmt: skip
    run = _apply_and_import(client, course["context"], school_a.school)
    assert "sections" not in run.counts or not run.counts["sections"].get("create")
    with school_scope(school_a.school):
        assert not Section.objects.filter(sourced_id=nrps.section_key(course["context"])).exists()


def test_only_school_wide_admins_apply_and_another_schools_course_is_a_404(
    client, course, school_a, school_b
):
    """Who may apply today: the school's admins and its district's admins (SCHOOL_WIDE_ROLES); the teacher
    who launched previews (403 on apply); students and mentors do not see the course (404)."""
    url = _apply_url(course["context"])
    for person in (school_a.user(Role.STUDENT), school_a.user(Role.MENTOR), school_a.people["other_teacher"]):
        client.force_login(person)
        assert client.post(url).status_code == 404
    client.force_login(school_a.user(Role.TEACHER))
    assert client.post(url).status_code == 403
    client.force_login(school_b.user(Role.SCHOOL_ADMIN))
    assert client.post(_apply_url(course["context"], slug="bravo")).status_code == 404
    with school_scope(school_a.school):
        assert not ImportRun.objects.exists()
        assert not Section.objects.filter(sourced_id__startswith="lti-").exists()
    client.force_login(school_a.people["district_admin"])
    assert client.post(url).status_code == 302
    with school_scope(school_a.school):
        assert ImportRun.objects.get().counts["sections"]["create"] == 1


@pytest.mark.parametrize("extra", [0, 18])
def test_applying_costs_the_same_queries_for_2_and_20_members(client, course, school_a, extra,
                                                              django_assert_max_num_queries):  # fmt: skip
    platform = course["platform"]
    platform.roster_page_size = 100
    platform.rosters["course-1"] = _roster()[:2] + [
        nrps_member(f"lms-extra-{n}", email=f"extra{n}@alpha.example.test", name=f"Extra {n}")
        for n in range(extra)
    ]
    client.force_login(school_a.user(Role.SCHOOL_ADMIN))
    with django_assert_max_num_queries(BUDGET):  # measured: 38 at 2 members and at 20
        response = client.post(_apply_url(course["context"]))
    assert response.status_code == 302
    with school_scope(school_a.school):
        run = ImportRun.objects.get()
    assert run.counts["enrollments"]["create"] == 2 + extra


BUDGET = 38
