"""People page, invitations and mentor assignment pages for school admins."""

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse

from accounts.invitations import invitation_email_send, invitation_path, invitation_tokens
from plp.tenancy.context import school_scope
from schools.models import Membership, MentorAssignment
from schools.rostering.models import Invitation, RosterPerson
from schools.rostering.validation import parse_roster
from schools.rostering.writer import roster_write
from tests.factories import EnrollmentFactory, MembershipFactory, UserFactory
from tests.schools.roster_files import roster


@pytest.fixture
def admin_client(client, school_a):
    client.force_login(school_a.user("school_admin"))
    return client


@pytest.fixture
def imported(school_a):
    with school_scope(school_a.school):
        roster_write(roster=parse_roster(roster()))


def people_url(**query):
    from urllib.parse import urlencode

    return reverse("schools:people", args=["alpha"]) + ("?" + urlencode(query) if query else "")


def test_people_are_searched_and_filtered_by_role_grade_and_section(admin_client, school_a, imported):
    body = admin_client.get(people_url()).content.decode()
    assert "Sam Stu" in body and "Tina Teach" in body and "ALPHAGivenMentor" in body
    body = admin_client.get(people_url(role="teacher")).content.decode()
    assert "Tina Teach" in body and "Sam Stu" not in body
    body = admin_client.get(people_url(grade="09")).content.decode()
    assert "Sam Stu" in body and "Sue Stu" in body and "Tina" not in body
    body = admin_client.get(people_url(q="sue@")).content.decode()
    assert "Sue Stu" in body and "Sam Stu" not in body
    body = admin_client.get(people_url(section=school_a.section.pk)).content.decode()
    assert "ALPHAGivenStudent" in body and "Sam Stu" not in body
    body = admin_client.get(people_url(q="nobody-at-all")).content.decode()
    assert "Nobody matches these filters" in body


@pytest.mark.parametrize(
    "query",
    [
        {"page": "abc"},
        {"section": "x"},
        {"section": "99999999999999999999"},
        {"q": "a\x00b"},
        {"grade": "ZZ"},
    ],
)
def test_bad_query_parameters_never_break_the_people_page(admin_client, query):
    assert admin_client.get(people_url(**query)).status_code in {200, 400}  # NUL: 400 from the middleware


def test_htmx_gets_only_the_results(admin_client, imported):
    body = admin_client.get(people_url(q="sam"), HTTP_HX_REQUEST="true").content.decode()
    assert body.lstrip().startswith('<div id="results"') and "Sam Stu" in body


@pytest.mark.parametrize("extra", [1, 50])
def test_the_people_page_query_count_does_not_grow(
    admin_client, school_a, extra, django_assert_max_num_queries
):
    for _ in range(extra):
        MembershipFactory(school=school_a.school, role="student")
    with django_assert_max_num_queries(14):
        assert admin_client.get(people_url()).status_code == 200


def test_deactivate_and_reactivate_a_person(admin_client, school_a):
    with school_scope(school_a.school):
        membership = Membership.objects.get(user=school_a.user("teacher"), role="teacher")
    url = reverse("schools:person_active", args=["alpha", membership.pk])
    assert admin_client.get(url).status_code == 405
    admin_client.post(url, {"is_active": "0"})
    membership.refresh_from_db()
    assert membership.is_active is False
    assert "Deactivated" in admin_client.get(people_url(role="teacher")).content.decode()
    admin_client.post(url, {"is_active": "1"})
    membership.refresh_from_db()
    assert membership.is_active is True


def test_an_admin_cannot_deactivate_themselves(admin_client, school_a):
    with school_scope(school_a.school):
        mine = Membership.objects.get(user=school_a.user("school_admin"))
    admin_client.post(reverse("schools:person_active", args=["alpha", mine.pk]), {"is_active": "0"})
    mine.refresh_from_db()
    assert mine.is_active is True


def test_teachers_may_not_see_the_people_page(client, school_a):
    client.force_login(school_a.user("teacher"))
    assert client.get(people_url()).status_code == 403


def test_invite_resend_and_accept_sets_the_password_once(
    admin_client, client, school_a, imported, mailoutbox, django_capture_on_commit_callbacks
):
    with school_scope(school_a.school):
        sam = RosterPerson.objects.select_related("user").get(sourced_id="s-1").user
        membership = Membership.objects.get(user=sam)
    url = reverse("schools:person_invite", args=["alpha", membership.pk])
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(url)
        admin_client.post(url)  # resend
    assert len(mailoutbox) == 2 and mailoutbox[0].to == ["sam@roster.example.test"]
    with school_scope(school_a.school):
        invitation = Invitation.objects.get(user=sam)
        assert invitation.times_sent == 2 and invitation.accepted_at is None
    link = mailoutbox[1].body.split("http://testserver", 1)[1].split()[0]
    client.logout()
    response = client.get(link)
    assert response.status_code == 302 and response["Location"] == reverse("accounts:invitation")
    assert "Choose a password" in client.get(response["Location"]).content.decode()
    done = client.post(
        reverse("accounts:invitation"),
        {"new_password1": "a long new pass 42", "new_password2": "a long new pass 42"},
    )
    assert done.status_code == 302
    sam.refresh_from_db()
    assert sam.check_password("a long new pass 42")
    with school_scope(school_a.school):
        assert Invitation.objects.get(user=sam).accepted_at is not None
    # The link is used up: it cannot set the password again.
    client.get(link)
    assert "does not work" in client.get(reverse("accounts:invitation")).content.decode()


def test_an_expired_or_forged_invitation_link_is_refused(client, db, settings):
    user = UserFactory()
    user.set_unusable_password()
    user.save()
    path = invitation_path(user=user)
    settings.INVITATION_TIMEOUT = -1  # every invitation is already expired
    client.get(path)
    assert "does not work" in client.get(reverse("accounts:invitation")).content.decode()
    client.get(reverse("accounts:invitation") + "?u=%FF%00&t=nonsense")
    assert "does not work" in client.get(reverse("accounts:invitation")).content.decode()


def _token_made_days_ago(user, days: int) -> str:
    now = invitation_tokens._num_seconds(invitation_tokens._now())
    return invitation_tokens._make_token_with_timestamp(
        user, now - days * 24 * 3600, invitation_tokens.secret
    )


def test_an_invitation_lives_its_own_days_not_a_password_resets(db, settings):
    settings.PASSWORD_RESET_TIMEOUT = 3 * 24 * 3600
    settings.INVITATION_TIMEOUT = 14 * 24 * 3600
    user = UserFactory()
    user.set_unusable_password()
    user.save()
    assert invitation_tokens.check_token(user, _token_made_days_ago(user, 5))
    assert invitation_tokens.check_token(user, _token_made_days_ago(user, 13))
    assert not invitation_tokens.check_token(user, _token_made_days_ago(user, 15))
    assert not invitation_tokens.check_token(user, _token_made_days_ago(user, 5)[:-1] + "x")  # forged
    assert not invitation_tokens.check_token(user, "nonsense")
    assert not invitation_tokens.check_token(user, "!!-abc")  # not a timestamp
    assert not default_token_generator.check_token(user, _token_made_days_ago(user, 1))  # another salt


def test_the_invitation_email_says_how_long_the_link_works(db, settings, mailoutbox):
    settings.INVITATION_TIMEOUT = 10 * 24 * 3600
    user = UserFactory()
    invitation_email_send(user=user, school_name="Alpha", base_url="http://testserver")
    assert "the link works for 10 days, once" in mailoutbox[0].body


def test_people_without_an_email_cannot_be_invited(admin_client, school_a, mailoutbox):
    from tests.schools.roster_files import USERS

    with school_scope(school_a.school):
        roster_write(roster=parse_roster(roster(users=USERS.replace("sam@roster.example.test", ""))))
        membership = Membership.objects.get(user_id=RosterPerson.objects.get(sourced_id="s-1").user_id)
    response = admin_client.post(reverse("schools:person_invite", args=["alpha", membership.pk]), follow=True)
    assert "gives no email address" in response.content.decode() and mailoutbox == []


class TestMentorAssignment:
    def test_tick_students_then_a_new_primary_mentor_replaces_the_old_one(self, admin_client, school_a):
        student = school_a.user("student")
        mentor, other = school_a.user("mentor"), UserFactory(given_name="Otto")
        MembershipFactory(school=school_a.school, user=other, role="mentor")
        url = reverse("schools:mentor_assign", args=["alpha"])
        admin_client.post(url, {"mentor": mentor.pk, "students": [student.pk]})
        admin_client.post(url, {"mentor": other.pk, "students": [student.pk]})
        with school_scope(school_a.school):
            rows = list(
                MentorAssignment.objects.order_by("pk").values_list("mentor_id", "is_active", "is_primary")
            )
            ended = MentorAssignment.objects.get(mentor=mentor)
        assert rows == [(mentor.pk, False, True), (other.pk, True, True)]
        assert ended.ended_at is not None
        admin_client.post(url, {"mentor": mentor.pk, "students": [student.pk], "secondary": "1"})
        with school_scope(school_a.school):
            assert (
                MentorAssignment.objects.filter(student=student, is_active=True, is_primary=True).count() == 1
            )
            assert MentorAssignment.objects.filter(student=student, is_active=True).count() == 2

    def test_a_non_mentor_or_another_schools_student_is_refused(self, admin_client, school_a, school_b):
        url = reverse("schools:mentor_assign", args=["alpha"])
        admin_client.post(
            url, {"mentor": school_a.user("teacher").pk, "students": [school_a.user("student").pk]}
        )
        admin_client.post(
            url, {"mentor": school_a.user("mentor").pk, "students": [school_b.user("student").pk]}
        )
        admin_client.post(url, {"mentor": "x", "students": ["y"]})
        with school_scope(school_a.school):
            assert not MentorAssignment.objects.exists()

    def test_a_csv_is_checked_like_a_roster_and_applied_only_without_errors(
        self, admin_client, school_a, imported
    ):
        from django.core.files.uploadedfile import SimpleUploadedFile

        mentor = school_a.user("mentor")
        data = (
            f"mentor_email,student_sourcedId\n{mentor.email},s-1\nnobody@x.test,s-2\n{mentor.email},ghost\n"
        )
        url = reverse("schools:mentor_csv", args=["alpha"])
        body = admin_client.post(url, {"file": SimpleUploadedFile("m.csv", data.encode())}).content.decode()
        assert (
            "Nobody with this email is a mentor here" in body
            and "No active student has this sourcedId" in body
        )
        with school_scope(school_a.school):
            assert not MentorAssignment.objects.exists()
        admin_client.post(
            url, {"file": SimpleUploadedFile("m.csv", data.encode()), "skip_problem_rows": "on"}
        )
        with school_scope(school_a.school):
            (assignment,) = MentorAssignment.objects.all()
            assert assignment.mentor == mentor and assignment.is_primary

    def test_a_csv_missing_a_column_or_naming_a_student_twice_is_an_error(
        self, admin_client, school_a, imported
    ):
        from django.core.files.uploadedfile import SimpleUploadedFile

        url = reverse("schools:mentor_csv", args=["alpha"])
        body = admin_client.post(
            url, {"file": SimpleUploadedFile("m.csv", b"email,student\na,b\n")}
        ).content.decode()
        assert "required column “mentor_email” is missing" in body
        mentor = school_a.user("mentor").email
        twice = f"mentor_email,student_sourcedId\n{mentor},s-1\n{mentor},s-1\n".encode()
        body = admin_client.post(url, {"file": SimpleUploadedFile("m.csv", twice)}).content.decode()
        assert "already gets a mentor on line 2" in body

    def test_ending_an_assignment_keeps_it_as_history(self, admin_client, school_a):
        from tests.factories import MentorAssignmentFactory

        assignment = MentorAssignmentFactory(
            school=school_a.school, mentor=school_a.user("mentor"), student=school_a.user("student")
        )
        admin_client.post(reverse("schools:mentor_end", args=["alpha", assignment.pk]))
        assignment.refresh_from_db()
        assert assignment.is_active is False and assignment.ended_at is not None


def test_enrollment_factory_in_section_filter_counts_only_active(admin_client, school_a):
    EnrollmentFactory(
        section=school_a.other_section, user=school_a.user("mentor"), role="student", is_active=False
    )
    body = admin_client.get(people_url(section=school_a.other_section.pk)).content.decode()
    assert "ALPHAGivenMentor" not in body


class TestSectionsAdmin:
    def test_a_school_admin_edits_a_section_and_typed_values_stay_on_error(self, admin_client, school_a):
        url = reverse("schools:section_edit", args=["alpha", school_a.section.pk])
        clash = admin_client.post(
            url, {"name": "ALPHA-SECTION-TWO", "code": "NEW", "subject": "Art", "term": school_a.term.pk}
        )
        assert clash.status_code == 200 and 'value="NEW"' in clash.content.decode()
        saved = admin_client.post(
            url, {"name": "Renamed", "code": "NEW", "subject": "Art", "term": school_a.term.pk}
        )
        assert saved.status_code == 302
        school_a.section.refresh_from_db()
        assert (school_a.section.name, school_a.section.code) == ("Renamed", "NEW")

    def test_another_schools_term_is_not_a_choice(self, admin_client, school_a, school_b):
        url = reverse("schools:section_edit", args=["alpha", school_a.section.pk])
        response = admin_client.post(url, {"name": "X", "code": "", "subject": "", "term": school_b.term.pk})
        assert "Select a valid choice" in response.content.decode()
        school_a.section.refresh_from_db()
        assert school_a.section.term_id == school_a.term.pk

    @pytest.mark.parametrize("role", ["teacher", "student", "mentor"])
    def test_others_do_not_find_the_edit_page(self, client, school_a, role):
        client.force_login(school_a.user(role))
        url = reverse("schools:section_edit", args=["alpha", school_a.section.pk])
        assert client.get(url).status_code == 404

    def test_sections_are_filtered_by_term(self, admin_client, school_a):
        from tests.factories import SectionFactory, TermFactory

        spring = TermFactory(school=school_a.school, name="Spring")
        SectionFactory(school=school_a.school, term=spring, name="Spring Art")
        url = reverse("schools:section_list", args=["alpha"])
        body = admin_client.get(url, {"term": spring.pk}).content.decode()
        assert "Spring Art" in body and "ALPHA-SECTION-ONE" not in body
        assert admin_client.get(url, {"term": "abc"}).status_code == 200


def test_everyone_not_yet_invited_is_invited_in_the_background(
    admin_client, school_a, mailoutbox, django_capture_on_commit_callbacks
):
    from schools.tasks import invitations_send_pending
    from tests.schools.roster_files import USERS

    with school_scope(school_a.school):
        roster_write(roster=parse_roster(roster(users=USERS.replace("tina@roster.example.test", ""))))
    url = reverse("schools:invite_pending", args=["alpha"])
    assert "Invite 2 people" in admin_client.get(url).content.decode()  # Tina has no email
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert admin_client.post(url).status_code == 302
    assert len(callbacks) == 1
    sent = invitations_send_pending.apply(
        kwargs={"school_id": school_a.school.pk, "sent_by_id": None, "base_url": "http://testserver/"}
    ).get()
    assert sent == 2
    with school_scope(school_a.school):
        assert Invitation.objects.count() == 2
    assert "Everyone has been invited" in admin_client.get(url).content.decode()


@pytest.mark.parametrize("assigned", [1, 30])
def test_the_mentor_page_query_count_does_not_grow(
    admin_client, school_a, assigned, django_assert_max_num_queries
):
    from tests.factories import MentorAssignmentFactory

    for _ in range(assigned):
        student = UserFactory()
        MembershipFactory(school=school_a.school, user=student, role="student")
        MentorAssignmentFactory(school=school_a.school, mentor=school_a.user("mentor"), student=student)
    with django_assert_max_num_queries(10):
        assert admin_client.get(reverse("schools:mentor_assign", args=["alpha"])).status_code == 200
