"""Account recovery on the People page: a reset link, an email set or corrected, last sign-in, an unlock."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.lockout import lockout_check, lockout_failure
from plp.tenancy.context import school_scope
from schools.models import Membership
from schools.roles import DISTRICT_ADMIN, Role
from tests.factories import MembershipFactory, UserFactory


@pytest.fixture
def admin_client(client, school_a):
    client.force_login(school_a.user(Role.SCHOOL_ADMIN))
    return client


def _membership(world, role=Role.STUDENT) -> Membership:
    with school_scope(world.school):
        return Membership.objects.get(user=world.user(role), role=role)


def _url(name, membership, slug="alpha"):
    return reverse(f"schools:{name}", args=[slug, membership.pk])


def _people(client):
    return client.get(reverse("schools:people", args=["alpha"])).content.decode()


def _roster_person(world, *, email):
    user = UserFactory(email=email, given_name="Rosie", family_name="Roster")
    user.set_unusable_password()
    user.save()
    return MembershipFactory(school=world.school, user=user, role=Role.STUDENT)


def test_an_admin_sends_a_reset_link_from_their_school(admin_client, school_a, mailoutbox):
    response = admin_client.post(_url("person_reset", _membership(school_a)), follow=True)
    assert "A reset link is on its way to student@alpha.example.test" in response.content.decode()
    (message,) = mailoutbox
    assert message.to == ["student@alpha.example.test"]
    assert "Alpha" in message.subject or school_a.school.name in message.subject
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/\S+/)", message.body).group(1)
    form_url = admin_client.get(link)["Location"]
    assert "set-password" in form_url


def test_a_reset_link_an_admin_sends_names_the_admins_school_for_a_person_of_two(
    admin_client, school_a, mailoutbox
):
    """The login page's "Forgot password?" cannot tell which school a person of two means; the admin who
    sends the link can: the mail comes from the admin's school."""
    from tests.factories import SchoolFactory

    student = school_a.user(Role.STUDENT)
    MembershipFactory(school=SchoolFactory(name="Maple Hill"), user=student, role=Role.STUDENT)
    admin_client.post(_url("person_reset", _membership(school_a)))
    (message,) = mailoutbox
    assert message.subject == "Choose a new password for PLP at Alpha Academy"
    assert "Maple Hill" not in message.body and message.body.rstrip().endswith("Alpha Academy")


def test_no_reset_link_for_a_person_without_a_password_or_an_email(admin_client, school_a, mailoutbox):
    never_set = _roster_person(school_a, email="new@alpha.example.test")
    body = admin_client.post(_url("person_reset", never_set), follow=True).content.decode()
    assert "has not set a password yet: send them an invitation instead" in body
    placeholder = _roster_person(school_a, email="s9-abcd@alpha.roster.invalid")
    body = admin_client.post(_url("person_reset", placeholder), follow=True).content.decode()
    assert "The roster gives no email address for this person" in body
    assert mailoutbox == []


def test_the_people_page_offers_reset_for_people_with_a_password_and_invite_for_the_others(
    admin_client, school_a
):
    never_set = _roster_person(school_a, email="new@alpha.example.test")
    body = _people(admin_client)
    assert _url("person_reset", _membership(school_a)) in body
    assert _url("person_reset", never_set) not in body
    assert _url("person_invite", never_set) in body


def test_an_admin_adds_an_email_to_a_roster_person_who_can_then_be_invited(admin_client, school_a):
    person = _roster_person(school_a, email="s9-abcd@alpha.roster.invalid")
    assert "Add email" in _people(admin_client)
    page = admin_client.get(_url("person_email", person)).content.decode()
    assert "roster.invalid" not in page  # the placeholder is not offered as a value
    response = admin_client.post(_url("person_email", person), {"email": "Rosie@Example.TEST"})
    assert response.status_code == 302
    person.user.refresh_from_db()
    assert person.user.email == "rosie@example.test"
    assert _url("person_invite", person) in _people(admin_client)


@pytest.mark.parametrize(
    ("typed", "error"),
    [
        ("not an email", "Enter a valid email address."),
        ("", "This field is required."),
        ("teacher@alpha.example.test", "Another account uses this email address."),
        ("TEACHER@alpha.example.test", "Another account uses this email address."),
        ("x@alpha.roster.invalid", "Type the person&#x27;s real email address."),
    ],
)
def test_a_bad_email_gets_a_field_error_and_keeps_what_was_typed(admin_client, school_a, typed, error):
    membership = _membership(school_a)
    response = admin_client.post(_url("person_email", membership), {"email": typed})
    assert response.status_code == 200
    body = response.content.decode()
    assert error in body
    assert f'value="{typed}"' in body or not typed
    membership.user.refresh_from_db()
    assert membership.user.email == "student@alpha.example.test"


def test_the_email_of_a_person_of_another_school_too_is_not_the_schools_to_change(
    admin_client, school_a, school_b
):
    shared = UserFactory(email="shared@example.test")
    mine = MembershipFactory(school=school_a.school, user=shared, role=Role.TEACHER)
    MembershipFactory(school=school_b.school, user=shared, role=Role.TEACHER)
    body = admin_client.post(_url("person_email", mine), {"email": "mine@example.test"}).content.decode()
    assert "also belongs to another school or organization" in body
    shared.refresh_from_db()
    assert shared.email == "shared@example.test"


def test_another_admins_email_is_not_changed_by_a_fellow_admin(client, school_a):
    other_admin = UserFactory(email="other.admin@example.test")
    membership = MembershipFactory(school=school_a.school, user=other_admin, role=Role.SCHOOL_ADMIN)
    client.force_login(school_a.user(Role.SCHOOL_ADMIN))
    body = client.post(_url("person_email", membership), {"email": "mine@example.test"}).content.decode()
    assert "Another admin&#x27;s email is changed by the platform staff." in body
    own = _membership(school_a, Role.SCHOOL_ADMIN)
    assert client.post(_url("person_email", own), {"email": "me.now@example.test"}).status_code == 302


def test_the_people_page_shows_when_each_person_last_signed_in(admin_client, school_a):
    student = school_a.user(Role.STUDENT)
    student.last_login = timezone.now()
    student.save(update_fields=["last_login"])
    body = _people(admin_client)
    assert "Last signed in" in body
    assert "never" in body  # the teacher has not signed in


def test_a_locked_person_is_marked_and_the_admin_unlocks_them(admin_client, school_a, settings):
    settings.LOGIN_FAILURES_PER_ACCOUNT = 1
    membership = _membership(school_a)
    account = f"user:{membership.user_id}"
    lockout_failure(account=account, address="10.0.0.1")
    body = _people(admin_client)
    assert "Sign-in locked" in body and _url("person_unlock", membership) in body
    admin_client.post(_url("person_unlock", membership))
    assert lockout_check(account=account, address="10.0.0.2") is None
    assert "Sign-in locked" not in _people(admin_client)


def test_a_district_admin_recovers_accounts_of_their_districts_school(client, school_a, mailoutbox):
    client.force_login(school_a.user(DISTRICT_ADMIN))
    membership = _membership(school_a)
    assert client.post(_url("person_reset", membership)).status_code == 302
    assert len(mailoutbox) == 1
    assert (
        client.post(_url("person_email", membership), {"email": "new.student@example.test"}).status_code
        == 302
    )


@pytest.mark.parametrize("name", ["person_reset", "person_unlock", "person_email", "person_password"])
@pytest.mark.parametrize("role", [Role.STUDENT, Role.TEACHER, Role.MENTOR])
def test_people_of_the_school_without_an_admin_role_do_not_find_these_pages(client, school_a, name, role):
    client.force_login(school_a.user(role))
    target = _membership(school_a, Role.TEACHER if role == Role.STUDENT else Role.STUDENT)
    assert client.get(_url(name, target)).status_code == 404
    assert client.post(_url(name, target), {"email": "x@example.test"}).status_code == 404


@pytest.mark.parametrize("name", ["person_reset", "person_unlock", "person_email", "person_password"])
def test_another_schools_admin_does_not_find_these_pages(client, school_a, school_b, name, mailoutbox):
    client.force_login(school_b.user(Role.SCHOOL_ADMIN))
    target = _membership(school_a)
    assert client.post(_url(name, target, slug="bravo"), {"email": "x@example.test"}).status_code == 404
    assert client.post(_url(name, target, slug="alpha"), {"email": "x@example.test"}).status_code == 404
    target.user.refresh_from_db()
    assert target.user.email == "student@alpha.example.test"
    assert mailoutbox == []


@pytest.mark.parametrize("extra", [1, 50])
def test_the_people_page_query_count_stays_flat_with_sign_in_columns(
    admin_client, school_a, extra, django_assert_max_num_queries
):
    for n in range(extra):
        membership = MembershipFactory(school=school_a.school, role="student")
        membership.user.last_login = timezone.now()
        membership.user.save(update_fields=["last_login"])
        lockout_failure(account=f"user:{membership.user_id}", address=f"10.1.0.{n}")
    with django_assert_max_num_queries(10):  # 7 measured, with 1 or 50 people (locks are read from the cache)
        assert "Last signed in" in _people(admin_client)


def test_a_taken_email_is_kept_and_named_next_to_the_field(admin_client, school_a):
    from tests.form_checks import assert_kept_with_error

    response = admin_client.post(
        _url("person_email", _membership(school_a)), {"email": "Teacher@alpha.example.test"}
    )
    assert_kept_with_error(
        response,
        name="email",
        typed="Teacher@alpha.example.test",
        error="Another account uses this email address.",
    )


def test_the_people_page_shows_and_finds_a_persons_username(admin_client, school_a):
    person = _roster_person(school_a, email="s9-abcd@alpha.roster.invalid")
    person.user.username = "rosie.r7"
    person.user.save()
    body = admin_client.get(reverse("schools:people", args=["alpha"]) + "?q=ROSIE.R").content.decode()
    assert "username rosie.r7" in body and "Rosie Roster" in body


NEW_PASSWORD = "maple-river-1492"


def _no_email_person(world, *, username="rosie.r7"):
    person = _roster_person(world, email="s9-abcd@alpha.roster.invalid")
    person.user.username = username
    person.user.save()
    return person


def test_an_admin_sets_the_password_of_a_person_without_email_who_then_signs_in_by_username(
    admin_client, school_a, client
):
    """A roster person with no email can be neither invited nor sent a reset link: the admin sets their
    password (the forgot-password page sends them to the admin), and they sign in with their username."""
    from django.test import Client

    person = _no_email_person(school_a)
    assert _url("person_password", person) in _people(admin_client)
    page = admin_client.get(_url("person_password", person)).content.decode()
    assert "rosie.r7" in page
    response = admin_client.post(
        _url("person_password", person), {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert response.status_code == 302
    assert (
        "Rosie Roster signs in with the username rosie.r7"
        in admin_client.get(response["Location"]).content.decode()
    )
    student = Client()
    signed_in = student.post(reverse("accounts:login"), {"username": "Rosie.R7", "password": NEW_PASSWORD})
    assert signed_in.status_code == 302 and int(student.session["_auth_user_id"]) == person.user_id


def test_a_password_set_by_the_admin_ends_the_persons_sessions_and_lifts_a_lock(
    admin_client, school_a, settings
):
    from django.test import Client

    settings.LOGIN_FAILURES_PER_ACCOUNT = 1
    person = _no_email_person(school_a)
    person.user.set_password("the-old-one-2020")
    person.user.save()
    old = Client()
    old.force_login(person.user)
    lockout_failure(account=f"user:{person.user_id}", address="10.0.0.1")
    admin_client.post(
        _url("person_password", person), {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert old.get(reverse("accounts:account")).status_code == 302  # signed out
    assert lockout_check(account=f"user:{person.user_id}", address="10.0.0.2") is None


def test_people_with_an_email_or_without_a_username_get_no_password_from_the_admin(admin_client, school_a):
    """With an email they choose their own (reset link, invitation); with neither an email nor a username
    nothing could sign them in with a password: the admin adds an email."""
    with_email = _membership(school_a)
    response = admin_client.post(
        _url("person_password", with_email), {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert "choose their own password" in response.content.decode()
    assert (
        "Set a password" not in _people(admin_client).split("student@alpha.example.test")[1].split("</tr>")[0]
    )
    nameless = _no_email_person(school_a, username=None)
    response = admin_client.post(
        _url("person_password", nameless), {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert "no username" in response.content.decode()
    for membership in (with_email, nameless):
        membership.user.refresh_from_db()
        assert not membership.user.check_password(NEW_PASSWORD)


def test_a_weak_or_mismatched_password_is_named_next_to_its_field(admin_client, school_a):
    person = _no_email_person(school_a)
    body = admin_client.post(
        _url("person_password", person), {"new_password1": "12345678", "new_password2": "12345678"}
    ).content.decode()
    assert "too common" in body or "entirely numeric" in body
    body = admin_client.post(
        _url("person_password", person), {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD + "x"}
    ).content.decode()
    assert "didn’t match" in body or "did not match" in body
    person.user.refresh_from_db()
    assert not person.user.has_usable_password()


def test_the_password_of_a_person_of_another_school_too_is_not_the_schools_to_set(
    admin_client, school_a, school_b
):
    person = _no_email_person(school_a)
    MembershipFactory(school=school_b.school, user=person.user, role=Role.STUDENT)
    body = admin_client.post(
        _url("person_password", person), {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    ).content.decode()
    assert "also belongs to another school or organization" in body
    person.user.refresh_from_db()
    assert not person.user.has_usable_password()
