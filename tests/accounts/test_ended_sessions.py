"""A person whose sessions an adult ended elsewhere (signed out by an admin, access deactivated, a password
set by an admin) is told why on the login page when their browser comes back; nobody else sees it, and a
reason from before their latest sign-in is never shown."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from accounts.middleware import ENDED_MESSAGES as SAID
from plp.tenancy.context import school_scope
from schools.models import Membership
from schools.roles import Role
from tests.schools.test_people_accounts import NEW_PASSWORD, _no_email_person

HOME = "/s/alpha/"


def said(why: str) -> str:
    return escape(SAID[why])


def _membership(world, user):
    with school_scope(world.school):
        return Membership.objects.filter(user=user).first()


def _admin(world) -> Client:
    admin = Client()
    admin.force_login(world.user(Role.SCHOOL_ADMIN))
    return admin


def _signed_in(user) -> Client:
    browser = Client()
    browser.force_login(user)
    assert browser.get(HOME).status_code == 200
    return browser


def _comes_back(browser) -> str:
    """The person's next page: sent to the login page, which says what it says."""
    response = browser.get(HOME, follow=True)
    assert response.redirect_chain and reverse("accounts:login") in response.redirect_chain[-1][0]
    assert "_auth_user_id" not in browser.session
    return response.content.decode()


def _people_post(admin, name, membership, data=None):
    response = admin.post(reverse(f"schools:{name}", args=["alpha", membership.pk]), data or {})
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("action", "why"),
    [("person_sign_out", "admin"), ("person_active", "deactivated")],
)
def test_a_person_signed_out_by_an_admin_is_told_why_on_the_login_page(school_a, action, why):
    teacher = school_a.user(Role.TEACHER)
    browser = _signed_in(teacher)
    _people_post(_admin(school_a), action, _membership(school_a, teacher), {"is_active": "0"})
    page = _comes_back(browser)
    assert said(why) in page
    # Said once, and to nobody else: a stranger's login page says nothing of it.
    assert said(why) not in browser.get(reverse("accounts:login")).content.decode()
    assert said(why) not in Client().get(reverse("accounts:login")).content.decode()


def test_a_password_set_by_an_admin_says_so(school_a):
    person = _no_email_person(school_a)
    browser = _signed_in(person.user)
    _people_post(
        _admin(school_a),
        "person_password",
        person,
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert said("password") in _comes_back(browser)


def test_signing_out_everywhere_oneself_is_not_blamed_on_an_admin(school_a):
    teacher = school_a.user(Role.TEACHER)
    laptop, phone = _signed_in(teacher), _signed_in(teacher)
    assert phone.post(reverse("accounts:sign_out_everywhere")).status_code == 302
    page = _comes_back(laptop)
    assert said("self") in page and said("admin") not in page


def test_an_admins_old_sign_out_is_not_the_reason_for_a_later_one(school_a):
    teacher = school_a.user(Role.TEACHER)
    _people_post(_admin(school_a), "person_sign_out", _membership(school_a, teacher))
    teacher.refresh_from_db()
    laptop = _signed_in(teacher)  # signed in again after the admin's sign-out
    teacher.refresh_from_db()
    teacher.set_password("a-new-one-of-mine-2026")  # elsewhere, by the person: ends the laptop's session
    teacher.save()
    page = _comes_back(laptop)
    assert said("admin") not in page and said("") in page


def test_an_ordinary_page_costs_no_query_more(school_a):
    browser = _signed_in(school_a.user(Role.TEACHER))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as seen:
        browser.get(HOME)
    assert not [q for q in seen.captured_queries if '"signed_out_why", ' in q["sql"][:60]]
