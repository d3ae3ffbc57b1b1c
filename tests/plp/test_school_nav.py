"""The school navigation bar is rendered once and reused, but never across people, schools, roles or
pages: a student's own links carry their own id, and the current page is marked."""

from django.test import override_settings
from django.urls import reverse

from schools.roles import Role
from tests.factories import MembershipFactory, UserFactory


def _nav(client, user, path):
    client.force_login(user)
    body = client.get(path).content.decode()
    return body.split('<nav class="school-nav"')[1].split("</nav>")[0]


@override_settings(DEBUG=False)
def test_each_student_gets_their_own_links_and_staff_get_theirs(client, school_a):
    home = reverse("schools:home", kwargs={"school_slug": school_a.school.slug})
    first, second = school_a.user(Role.STUDENT), UserFactory()
    MembershipFactory(school=school_a.school, user=second, role=Role.STUDENT)
    first_nav, second_nav = _nav(client, first, home), _nav(client, second, home)
    assert f"/students/{first.pk}/" in first_nav and f"/students/{second.pk}/" in second_nav
    assert f"/students/{first.pk}/" not in second_nav
    teacher_nav = _nav(client, school_a.user(Role.TEACHER), home)
    assert "Dashboard" in teacher_nav and "My work" not in teacher_nav
    assert "My work" in first_nav and "Dashboard" not in first_nav


@override_settings(DEBUG=False)
def test_the_current_page_is_marked_and_the_other_school_has_its_own_bar(client, school_a, school_b):
    teacher = school_a.user(Role.TEACHER)
    home = reverse("schools:home", kwargs={"school_slug": school_a.school.slug})
    dashboard = reverse("dashboard:index", kwargs={"school_slug": school_a.school.slug})
    assert 'aria-current="page"' not in _nav(client, teacher, home)
    assert 'aria-current="page">Dashboard' in _nav(client, teacher, dashboard)
    other_home = reverse("schools:home", kwargs={"school_slug": school_b.school.slug})
    other_nav = _nav(client, school_b.user(Role.TEACHER), other_home)
    assert school_b.school.name in other_nav and school_a.school.slug not in other_nav
