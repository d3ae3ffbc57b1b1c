"""Sessions: sign out everywhere (self and admin), a new password or a deactivation ends them, and an idle
session ends after its school's limit with a message on the login page."""

import time

import pytest
from django.contrib.auth.base_user import AbstractBaseUser
from django.test import Client
from django.urls import reverse

from accounts.idle import Idle, idle_limit_minutes, idle_state
from accounts.middleware import IDLE_LIMIT, LAST_ACTIVITY
from accounts.models import ApiToken
from accounts.services import api_token_issue
from plp.tenancy.context import school_scope
from schools.models import Membership
from schools.roles import Role
from tests.factories import TEST_PASSWORD, MembershipFactory

NEW_PASSWORD = "a-brand-new-passphrase-42"


def _signed_in(user) -> Client:
    """A browser of its own (its own session), signed in with the password like a person."""
    browser = Client()
    assert browser.login(username=user.email, password=TEST_PASSWORD)
    return browser


def _is_signed_in(browser: Client) -> bool:
    response = browser.get(reverse("accounts:account"))
    return response.status_code == 200


def _membership(world, role) -> Membership:
    with school_scope(world.school):
        return Membership.objects.get(user=world.user(role), role=role)


# Sign out everywhere -----------------------------------------------------------------------------------


def test_sign_out_everywhere_from_the_account_page_ends_every_session_and_token(school_a):
    teacher = school_a.user(Role.TEACHER)
    laptop, phone = _signed_in(teacher), _signed_in(teacher)
    _, key = api_token_issue(user=teacher, client_name="script")
    assert _is_signed_in(laptop) and _is_signed_in(phone)
    response = laptop.post(reverse("accounts:sign_out_everywhere"), follow=True)
    assert (
        "You are signed out everywhere, on every device and 1 API token revoked." in response.content.decode()
    )
    assert not _is_signed_in(laptop) and not _is_signed_in(phone)
    api = Client(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/v1/me/schools/").status_code == 401
    assert _is_signed_in(_signed_in(teacher))  # signing in again works


def test_sign_out_everywhere_is_post_only(school_a):
    browser = _signed_in(school_a.user(Role.TEACHER))
    assert browser.get(reverse("accounts:sign_out_everywhere")).status_code == 405
    assert _is_signed_in(browser)


def test_a_school_admin_signs_a_person_out_everywhere_and_revokes_the_tokens_that_reach_the_school(
    school_a, school_b
):
    coach = school_a.user(Role.TEACHER)
    MembershipFactory(school=school_b.school, user=coach, role=Role.MENTOR)
    laptop = _signed_in(coach)
    unbound, _ = api_token_issue(user=coach, client_name="any")
    alpha, _ = api_token_issue(user=coach, client_name="alpha", school=school_a.school)
    bravo, _ = api_token_issue(user=coach, client_name="bravo", school=school_b.school)
    admin = Client()
    admin.force_login(school_a.user(Role.SCHOOL_ADMIN))
    people = admin.get(reverse("schools:people", args=["alpha"])).content.decode()
    assert "Sign out everywhere" in people and "2 API tokens" in people  # the bravo one is not A's to see
    url = reverse("schools:person_sign_out", args=["alpha", _membership(school_a, Role.TEACHER).pk])
    assert admin.get(url).status_code == 405
    response = admin.post(url, follow=True)
    assert "is signed out everywhere and 2 API tokens revoked." in response.content.decode()
    assert not _is_signed_in(laptop)
    states = {
        t.client_name: t.revoked_reason
        for t in ApiToken.objects.filter(pk__in=[unbound.pk, alpha.pk, bravo.pk])
    }
    assert states == {"any": ApiToken.Ended.ADMIN, "alpha": ApiToken.Ended.ADMIN, "bravo": ""}


def test_another_schools_admin_cannot_sign_a_person_out(school_a, school_b):
    teacher = school_a.user(Role.TEACHER)
    laptop = _signed_in(teacher)
    token, _ = api_token_issue(user=teacher, client_name="script")
    admin = Client()
    admin.force_login(school_b.user(Role.SCHOOL_ADMIN))
    membership = _membership(school_a, Role.TEACHER)
    for slug in ("alpha", "bravo"):
        assert admin.post(reverse("schools:person_sign_out", args=[slug, membership.pk])).status_code == 404
    assert _is_signed_in(laptop)
    token.refresh_from_db()
    assert token.revoked_at is None


@pytest.mark.parametrize("role", [Role.STUDENT, Role.TEACHER, Role.MENTOR])
def test_people_without_an_admin_role_cannot_sign_others_out(client, school_a, role):
    target = _membership(school_a, Role.TEACHER if role == Role.STUDENT else Role.STUDENT)
    laptop = _signed_in(target.user)
    client.force_login(school_a.user(role))
    assert client.post(reverse("schools:person_sign_out", args=["alpha", target.pk])).status_code == 404
    assert _is_signed_in(laptop)


# A new password, a deactivation ----------------------------------------------------------------------------


def test_a_password_change_keeps_this_session_and_ends_the_others_and_the_tokens(school_a):
    teacher = school_a.user(Role.TEACHER)
    here, elsewhere = _signed_in(teacher), _signed_in(teacher)
    _, key = api_token_issue(user=teacher, client_name="script")
    response = here.post(
        reverse("accounts:password_change"),
        {"old_password": TEST_PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response["Location"] == reverse("accounts:account")
    assert _is_signed_in(here)
    assert not _is_signed_in(elsewhere)
    assert Client(HTTP_AUTHORIZATION=f"Token {key}").get("/api/v1/me/schools/").status_code == 401


def test_a_password_reset_ends_the_other_sessions_and_the_tokens(school_a, mailoutbox):
    import re

    teacher = school_a.user(Role.TEACHER)
    elsewhere = _signed_in(teacher)
    _, key = api_token_issue(user=teacher, client_name="script")
    browser = Client()
    browser.post(reverse("accounts:password_reset"), {"email": teacher.email})
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/\S+/)", mailoutbox[0].body).group(1)
    form_url = browser.get(link)["Location"]
    browser.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert _is_signed_in(browser)  # the reset signs this browser in
    assert not _is_signed_in(elsewhere)
    assert Client(HTTP_AUTHORIZATION=f"Token {key}").get("/api/v1/me/schools/").status_code == 401


def test_deactivating_a_membership_ends_the_persons_sessions_and_tokens_for_the_school(school_a, school_b):
    coach = school_a.user(Role.TEACHER)
    MembershipFactory(school=school_b.school, user=coach, role=Role.MENTOR)
    laptop = _signed_in(coach)
    alpha, _ = api_token_issue(user=coach, client_name="alpha", school=school_a.school)
    _, bravo_key = api_token_issue(user=coach, client_name="bravo", school=school_b.school)
    admin = Client()
    admin.force_login(school_a.user(Role.SCHOOL_ADMIN))
    membership = _membership(school_a, Role.TEACHER)
    admin.post(reverse("schools:person_active", args=["alpha", membership.pk]), {"is_active": "0"})
    assert not _is_signed_in(laptop)
    alpha.refresh_from_db()
    assert alpha.revoked_reason == ApiToken.Ended.DEACTIVATED
    api = Client(HTTP_AUTHORIZATION=f"Token {bravo_key}")
    assert api.get("/api/v1/s/bravo/").status_code == 200  # their other school is not A's to end
    # Reactivation ends nothing: they sign in again and stay in.
    again = _signed_in(coach)
    admin.post(reverse("schools:person_active", args=["alpha", membership.pk]), {"is_active": "1"})
    assert _is_signed_in(again)


def test_a_roster_import_that_deactivates_people_ends_their_sessions(school_a):
    from schools.rostering.validation import parse_roster
    from schools.rostering.writer import roster_write
    from tests.schools.roster_files import USERS, roster

    with school_scope(school_a.school):
        roster_write(roster=parse_roster(roster()))
    from accounts.models import User

    sam = User.objects.get(email="sam@roster.example.test")
    sam.set_password(TEST_PASSWORD)
    sam.save()
    laptop = _signed_in(sam)
    token, _ = api_token_issue(user=sam, client_name="script")
    sam_disabled = USERS.replace("s-1,,,true,", "s-1,,,false,")  # enabledUser=false: deactivated
    with school_scope(school_a.school):
        roster_write(roster=parse_roster(roster(users=sam_disabled)))
    assert not _is_signed_in(laptop)
    token.refresh_from_db()
    assert token.revoked_reason == ApiToken.Ended.DEACTIVATED


def test_sessions_from_before_the_epoch_existed_stay_valid(school_a):
    """Epoch 0 is Django's own session hash: deploying this signs nobody out."""
    teacher = school_a.user(Role.TEACHER)
    assert teacher.session_epoch == 0
    assert teacher.get_session_auth_hash() == AbstractBaseUser._get_session_auth_hash(teacher)


# Idle sign-out -------------------------------------------------------------------------------------------


def _idle_for(browser: Client, minutes: float) -> None:
    session = browser.session
    session[LAST_ACTIVITY] = int(time.time() - minutes * 60)
    session.save()


def test_an_idle_student_is_signed_out_after_the_schools_limit_with_a_message(school_a):
    browser = _signed_in(school_a.user(Role.STUDENT))
    assert browser.session[IDLE_LIMIT] == 30  # the default for students
    _idle_for(browser, 29)
    assert browser.get(reverse("schools:home", args=["alpha"])).status_code == 200
    _idle_for(browser, 31)
    response = browser.get(reverse("schools:home", args=["alpha"]))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next=/s/alpha/"
    page = browser.get(response["Location"]).content.decode()
    assert "You were signed out after 30 minutes without activity." in page
    assert not _is_signed_in(browser)


def test_staff_get_the_staff_limit_and_a_school_sets_its_own(school_a):
    school = school_a.school
    teacher = school_a.user(Role.TEACHER)
    browser = _signed_in(teacher)
    _idle_for(browser, 45)
    assert _is_signed_in(browser)  # staff: 60 minutes by default
    school.idle_minutes_staff = 15
    school.save()
    _idle_for(browser, 2)  # the next activity re-reads the limit
    assert _is_signed_in(browser)
    assert browser.session[IDLE_LIMIT] == 15
    _idle_for(browser, 16)
    assert not _is_signed_in(browser)


def test_someone_who_is_also_a_student_somewhere_gets_the_stricter_limit(school_a, school_b):
    teacher = school_a.user(Role.TEACHER)
    MembershipFactory(school=school_b.school, user=teacher, role=Role.STUDENT)
    assert _signed_in(teacher).session[IDLE_LIMIT] == 30


def test_activity_is_noted_at_most_once_a_minute_and_polling_is_not_activity(school_a):
    browser = _signed_in(school_a.user(Role.TEACHER))
    first = browser.session[LAST_ACTIVITY]
    browser.get(reverse("schools:home", args=["alpha"]))
    assert browser.session[LAST_ACTIVITY] == first  # within the minute: the session is not written
    _idle_for(browser, 5)
    stale = browser.session[LAST_ACTIVITY]
    browser.get(reverse("schools:home", args=["alpha"]), HTTP_X_PLP_POLL="1")
    assert browser.session[LAST_ACTIVITY] == stale  # a page's polling keeps nobody signed in
    browser.get(reverse("schools:home", args=["alpha"]))
    assert browser.session[LAST_ACTIVITY] > stale


def test_an_idle_htmx_request_is_sent_to_the_login_page_and_the_api_gets_401(school_a):
    browser = _signed_in(school_a.user(Role.TEACHER))
    _idle_for(browser, 61)
    response = browser.get(reverse("schools:people", args=["alpha"]), HTTP_HX_REQUEST="true")
    assert response.status_code == 204 and response["HX-Redirect"].startswith(reverse("accounts:login"))
    api = _signed_in(school_a.user(Role.TEACHER))
    _idle_for(api, 61)
    response = api.get("/api/v1/s/alpha/")
    assert response.status_code in {401, 403} and "detail" in response.json()


def test_the_idle_rule():
    now = 10_000
    assert idle_state(last_activity=None, limit_minutes=30, now=now) is Idle.TOUCH
    assert idle_state(last_activity=now - 30, limit_minutes=30, now=now) is Idle.FRESH
    assert idle_state(last_activity=now - 60, limit_minutes=30, now=now) is Idle.TOUCH
    assert idle_state(last_activity=now - 30 * 60, limit_minutes=30, now=now) is Idle.TOUCH
    assert idle_state(last_activity=now - 30 * 60 - 1, limit_minutes=30, now=now) is Idle.EXPIRED
    assert idle_limit_minutes(limits=[], district_staff_minutes=None, default=60) == 60
    assert (
        idle_limit_minutes(limits=[(False, 60, 30), (True, 90, 45)], district_staff_minutes=None, default=60)
        == 45
    )
    assert idle_limit_minutes(limits=[(False, 60, 30)], district_staff_minutes=20, default=60) == 20


def test_the_idle_rule_module_does_not_import_django():
    import ast
    from pathlib import Path

    import accounts.idle

    tree = ast.parse(Path(accounts.idle.__file__).read_text())
    modules = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    modules |= {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert not any(m.startswith("django") for m in modules if m)


def test_the_school_details_page_sets_the_idle_limits_and_keeps_input_on_error(client, school_a):
    from tests.form_checks import assert_kept_with_error

    client.force_login(school_a.user(Role.SCHOOL_ADMIN))
    url = reverse("schools:onboarding", args=["alpha"])
    data = {"name": "Alpha Academy", "timezone": "America/Chicago", "idle_minutes_staff": 45}
    response = client.post(url, {**data, "idle_minutes_students": 3})
    assert_kept_with_error(
        response, name="idle_minutes_students", typed="3", error="greater than or equal to 5"
    )
    client.post(url, {**data, "idle_minutes_students": 20})
    school_a.school.refresh_from_db()
    assert (school_a.school.idle_minutes_staff, school_a.school.idle_minutes_students) == (45, 20)


def test_a_full_save_of_a_copy_loaded_before_sign_out_everywhere_does_not_revive_the_sessions(school_a):
    from accounts.models import User
    from accounts.services import sign_out_everywhere

    teacher = school_a.user(Role.TEACHER)
    laptop = _signed_in(teacher)
    stale = User.objects.get(pk=teacher.pk)  # e.g. the Django admin's change form, opened a moment ago
    sign_out_everywhere(user=teacher, reason=ApiToken.Ended.SIGN_OUT)
    stale.given_name = "Renamed"
    stale.save()
    assert User.objects.get(pk=teacher.pk).session_epoch == 1
    assert not _is_signed_in(laptop)
