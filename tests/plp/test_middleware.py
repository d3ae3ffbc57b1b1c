from django.urls import reverse

from plp.tenancy.context import active_school_id


def test_anonymous_visitor_of_a_school_page_is_sent_to_log_in(client, school_a):
    url = reverse("schools:home", args=["alpha"])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next={url}"


def test_unknown_school_slug_is_not_found(client, school_a):
    client.force_login(school_a.user("teacher"))
    assert client.get("/s/no-such-school/").status_code == 404


def test_a_school_the_user_does_not_belong_to_is_not_found_never_forbidden(client, school_a, school_b):
    client.force_login(school_a.user("school_admin"))
    response = client.get("/s/bravo/")
    assert response.status_code == 404
    assert b"Bravo" not in response.content


def test_an_inactive_membership_gives_no_access(client, school_a):
    from plp.tenancy.context import school_scope
    from schools.models import Membership

    with school_scope(school_a.school):
        Membership.objects.filter(user=school_a.user("teacher")).update(is_active=False)
    client.force_login(school_a.user("teacher"))
    assert client.get("/s/alpha/").status_code == 404


def test_a_deactivated_school_is_closed_to_its_members(client, school_a):
    school_a.school.is_active = False
    school_a.school.save(update_fields=["is_active"])
    client.force_login(school_a.user("school_admin"))
    assert client.get("/s/alpha/").status_code == 404


def test_district_admins_enter_every_school_of_their_organization_only(client, school_a, school_b):
    client.force_login(school_a.user("district_admin"))
    assert client.get("/s/alpha/").status_code == 200
    assert client.get("/s/bravo/").status_code == 404


def test_the_school_is_active_during_the_request_and_reset_after_it(client, school_a):
    client.force_login(school_a.user("teacher"))
    response = client.get("/s/alpha/")
    assert response.status_code == 200
    assert response.wsgi_request.school == school_a.school
    assert active_school_id() is None


def test_pages_show_times_in_the_schools_time_zone(client, school_a):
    client.force_login(school_a.user("teacher"))
    response = client.get("/s/alpha/")
    assert response.context["TIME_ZONE"] == "America/Chicago"
