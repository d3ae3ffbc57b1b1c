"""The roster's OneRoster ``username`` becomes the person's sign-in name when nobody else has it."""

from django.contrib.auth import get_user_model
from django.urls import reverse

from plp.tenancy.context import school_scope
from schools.rostering.validation import parse_roster
from schools.rostering.writer import roster_write
from tests.factories import TEST_PASSWORD, UserFactory
from tests.schools.roster_files import USERS, roster

User = get_user_model()
NO_EMAIL = USERS.replace("sam@roster.example.test", "").replace(",sam,", ",Sam.Stu42,")


def _import(world, **files):
    with school_scope(world.school):
        return roster_write(roster=parse_roster(roster(**files)))


def test_imported_people_get_the_rosters_username_lower_cased(school_a):
    _import(school_a, users=NO_EMAIL)
    assert User.objects.get(given_name="Tina").username == "tina"
    assert User.objects.get(given_name="Sam").username == "sam.stu42"


def test_a_student_without_email_signs_in_with_the_roster_username(client, school_a):
    _import(school_a, users=NO_EMAIL)
    sam = User.objects.get(username="sam.stu42")
    assert sam.email.endswith(".roster.invalid")
    sam.set_password(TEST_PASSWORD)
    sam.save()
    response = client.post(reverse("accounts:login"), {"username": "SAM.STU42", "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(sam.pk)


def test_importing_the_same_roster_again_changes_nothing(school_a):
    _import(school_a, users=NO_EMAIL)
    plan = _import(school_a, users=NO_EMAIL)
    assert plan.counts["students"]["update"] == 0 and plan.counts["teachers"]["update"] == 0


def test_a_username_someone_else_has_is_not_taken_from_them(school_a, school_b):
    elsewhere = UserFactory(email="sam.elsewhere@example.test", username="sam.stu42")
    plan = _import(school_a, users=NO_EMAIL)
    assert plan.counts["students"]["create"] == 2
    assert User.objects.get(given_name="Sam").username is None
    elsewhere.refresh_from_db()
    assert elsewhere.username == "sam.stu42"


def test_a_renamed_username_follows_the_roster(school_a):
    _import(school_a, users=NO_EMAIL)
    _import(school_a, users=NO_EMAIL.replace(",Sam.Stu42,", ",sam.s,"))
    assert User.objects.get(given_name="Sam").username == "sam.s"


def test_a_username_an_admin_or_another_roster_gave_is_kept(school_a):
    _import(school_a, users=NO_EMAIL)
    sam = User.objects.get(given_name="Sam")
    sam.username = "chosen"
    sam.save()
    _import(school_a, users=NO_EMAIL.replace(",Sam.Stu42,", ",sam.s,"))
    sam.refresh_from_db()
    assert sam.username == "chosen"


def test_two_people_of_one_roster_with_the_same_username_the_first_gets_it(school_a):
    users = NO_EMAIL.replace(",sue,", ",SAM.stu42,")
    _import(school_a, users=users)
    assert User.objects.get(given_name="Sam").username == "sam.stu42"
    assert User.objects.get(given_name="Sue").username is None
