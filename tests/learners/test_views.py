import pytest
from django.urls import reverse

from learners.models import ProfileChange, StudentProfile
from plp.tenancy.context import school_scope
from schools.roles import Role
from tests.factories import CareerFactory, StudentProfileFactory
from tests.support import add_student


def _login(client, world, role):
    client.force_login(world.user(role))
    return client


def _profile_url(world, student):
    return reverse("learners:profile", args=[world.school.slug, student.pk])


def test_a_student_edits_their_profile_and_sees_no_accommodations(client, school_a):
    student = school_a.user(Role.STUDENT)
    StudentProfileFactory(school=school_a.school, student=student, accommodations="Extra time on tests")
    _login(client, school_a, Role.STUDENT)
    page = client.get(reverse("learners:my_profile", args=["alpha"]))
    assert page.status_code == 200
    assert "Extra time" not in page.content.decode()
    assert "strengths" not in page.context["form"].fields
    response = client.post(
        _profile_url(school_a, student), {"interests": "space, dance", "career_aspiration": "Pilot"}
    )
    assert response.status_code == 302
    with school_scope(school_a.school):
        profile = StudentProfile.objects.get()
        assert profile.interests == ["space", "dance"]
        assert set(ProfileChange.objects.values_list("field", flat=True)) == {
            "interests",
            "career_aspiration",
        }
    assert "Extra time" not in client.get(_profile_url(school_a, student)).content.decode()


def test_a_student_cannot_post_staff_fields(client, school_a):
    student = school_a.user(Role.STUDENT)
    _login(client, school_a, Role.STUDENT)
    client.post(_profile_url(school_a, student), {"interests": "art", "accommodations": "sneaky"})
    with school_scope(school_a.school):
        assert StudentProfile.objects.get().accommodations == ""


def test_a_teacher_sees_accommodations_and_edits_strengths(client, school_a):
    student = school_a.user(Role.STUDENT)
    StudentProfileFactory(school=school_a.school, student=student, accommodations="Extra time on tests")
    _login(client, school_a, Role.TEACHER)
    page = client.get(_profile_url(school_a, student))
    assert "Extra time" in page.content.decode()
    assert set(page.context["form"].fields) == {"strengths", "challenges", "passions", "accommodations"}
    client.post(
        _profile_url(school_a, student), {"strengths": "curious", "challenges": "", "accommodations": "x"}
    )
    with school_scope(school_a.school):
        assert StudentProfile.objects.get().strengths == ["curious"]


def test_an_invalid_htmx_save_keeps_what_was_typed(client, school_a):
    student = school_a.user(Role.STUDENT)
    _login(client, school_a, Role.STUDENT)
    typed = "I like to learn by building things"
    response = client.post(
        _profile_url(school_a, student),
        {"learning_preferences": typed, "college_aspiration": "x" * 300},
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert typed in body and "at most 200 characters" in body
    assert "<html" not in body  # just the form partial
    with school_scope(school_a.school):
        assert not StudentProfile.objects.exists()


def test_a_valid_htmx_save_redirects_through_htmx(client, school_a):
    student = school_a.user(Role.STUDENT)
    _login(client, school_a, Role.STUDENT)
    response = client.post(_profile_url(school_a, student), {"interests": "chess"}, HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"] == _profile_url(school_a, student)


def test_the_change_history_says_who_and_what(client, school_a):
    student = school_a.user(Role.STUDENT)
    _login(client, school_a, Role.STUDENT)
    client.post(_profile_url(school_a, student), {"interests": "chess"})
    body = client.get(_profile_url(school_a, student)).content.decode()
    assert "Change history" in body and "chess" in body and student.get_full_name() in body


@pytest.mark.parametrize("role", [Role.STUDENT, Role.MENTOR, Role.TEACHER])
def test_someone_elses_student_is_not_found(client, school_a, role):
    stranger = add_student(school_a, section=school_a.other_section)
    _login(client, school_a, role)
    assert client.get(_profile_url(school_a, stranger)).status_code == 404
    assert client.post(_profile_url(school_a, stranger), {"interests": "x"}).status_code == 404
    assert client.get(reverse("learners:plan", args=["alpha", stranger.pk])).status_code == 404


def test_the_student_list_has_a_constant_query_count(client, school_a, django_assert_max_num_queries):
    _login(client, school_a, Role.SCHOOL_ADMIN)
    url = reverse("learners:student_list", args=["alpha"])
    with django_assert_max_num_queries(12):
        assert client.get(url).status_code == 200
    for n in range(24):
        add_student(school_a, given_name=f"Kid{n}")
    with django_assert_max_num_queries(12):
        response = client.get(url)
    assert len(response.context["page"].object_list) == 25


def test_students_have_no_student_list(client, school_a):
    _login(client, school_a, Role.STUDENT)
    assert client.get(reverse("learners:student_list", args=["alpha"])).status_code == 403


def test_my_plan_saves_and_keeps_typed_text_on_error(client, school_a):
    _login(client, school_a, Role.STUDENT)
    url = reverse("learners:my_plan", args=["alpha"])
    page = client.get(url)
    assert page.status_code == 200 and "My plan" in page.content.decode()
    plan_url = reverse("learners:plan", args=["alpha", school_a.user(Role.STUDENT).pk])
    bad = client.post(
        plan_url, {"college_goal": "y" * 201, "career_goal": "Vet", "courses_to_take": "Biology"}
    )
    assert bad.status_code == 200 and "Biology" in bad.content.decode()
    ok = client.post(
        plan_url, {"college_goal": "UC Davis", "career_goal": "Vet", "courses_to_take": "Biology\nChem"}
    )
    assert ok.status_code == 302
    body = client.get(url).content.decode()
    assert "UC Davis" in body and "Chem" in body
    focus = client.post(
        plan_url, {"action": "focus", "focus_area": "Lab safety", "target_date": "2026-12-01"}
    )
    assert focus.status_code == 302
    assert "Lab safety" in client.get(url).content.decode()


def test_a_student_explores_careers_and_adds_one_to_aspirations(client, school_a):
    student = school_a.user(Role.STUDENT)
    StudentProfileFactory(school=school_a.school, student=student, interests=["animals"])
    vet = CareerFactory(
        school=school_a.school, name="Veterinarian", interest_tags=["animals"], needed_courses=["Biology"]
    )
    CareerFactory(school=school_a.school, name="Accountant", interest_tags=["numbers"])
    _login(client, school_a, Role.STUDENT)
    listing = client.get(reverse("learners:career_list", args=["alpha"]))
    assert [c.name for c in listing.context["page"].object_list] == ["Veterinarian", "Accountant"]
    detail = reverse("learners:career_detail", args=["alpha", vet.pk])
    assert "Course: Biology" in client.get(detail).content.decode()
    client.post(reverse("learners:career_toggle", args=["alpha", vet.pk]))
    assert "In my aspirations" in client.get(detail).content.decode()
    assert "Veterinarian" in client.get(reverse("learners:my_plan", args=["alpha"])).content.decode()


def test_adults_cannot_choose_aspirations(client, school_a):
    career = CareerFactory(school=school_a.school)
    _login(client, school_a, Role.TEACHER)
    assert client.post(reverse("learners:career_toggle", args=["alpha", career.pk])).status_code == 403


@pytest.mark.parametrize("bad", ["abc", "99999", "1\x00"])
def test_bad_term_and_page_params_do_not_500(client, school_a, bad):
    _login(client, school_a, Role.STUDENT)
    response = client.get(reverse("learners:my_plan", args=["alpha"]), {"term": bad})
    assert response.status_code in {400, 404}
    assert client.get(reverse("learners:career_list", args=["alpha"]), {"page": "zz"}).status_code == 200


def test_a_school_admin_adds_and_edits_a_career_and_a_duplicate_keeps_the_text(client, school_a):
    CareerFactory(school=school_a.school, name="Nurse")
    _login(client, school_a, Role.SCHOOL_ADMIN)
    url = reverse("learners:career_new", args=["alpha"])
    assert client.get(url).status_code == 200
    dup = client.post(url, {"name": "Nurse", "description": "Typed description"}, HTTP_HX_REQUEST="true")
    assert dup.status_code == 200 and "Typed description" in dup.content.decode()
    ok = client.post(
        url, {"name": "Pilot", "interest_tags": "Flying, maps", "needed_courses": "Physics\nMath"}
    )
    assert ok.status_code == 302
    with school_scope(school_a.school):
        from learners.models import Career

        pilot = Career.objects.get(name="Pilot")
    assert (pilot.interest_tags, pilot.needed_courses) == (["flying", "maps"], ["Physics", "Math"])
    edit = reverse("learners:career_edit", args=["alpha", pilot.pk])
    assert "Flying" in client.get(edit).content.decode() or "flying" in client.get(edit).content.decode()
    client.post(edit, {"name": "Airline pilot", "interest_tags": "flying"})
    pilot.refresh_from_db()
    assert pilot.name == "Airline pilot"


@pytest.mark.parametrize("role", [Role.STUDENT, Role.TEACHER, Role.MENTOR])
def test_only_admins_edit_the_career_catalogue(client, school_a, role):
    career = CareerFactory(school=school_a.school)
    _login(client, school_a, role)
    assert client.get(reverse("learners:career_new", args=["alpha"])).status_code == 403
    assert (
        client.post(reverse("learners:career_edit", args=["alpha", career.pk]), {"name": "x"}).status_code
        == 403
    )


def test_accommodation_changes_stay_out_of_the_students_history(client, school_a):
    student = school_a.user(Role.STUDENT)
    _login(client, school_a, Role.TEACHER)
    client.post(
        _profile_url(school_a, student), {"strengths": "calm", "accommodations": "Seat near the front"}
    )
    assert "Seat near the front" in client.get(_profile_url(school_a, student)).content.decode()
    _login(client, school_a, Role.STUDENT)
    body = client.get(_profile_url(school_a, student)).content.decode()
    assert "calm" in body and "Seat near the front" not in body and "Accommodations" not in body
