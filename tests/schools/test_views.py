import pytest
from django.urls import reverse

from schools.roles import DISTRICT_ADMIN
from tests.factories import (
    EnrollmentFactory,
    MembershipFactory,
    SchoolFactory,
    SectionFactory,
    UserFactory,
)


class TestSchoolPicker:
    def test_a_person_in_one_school_goes_straight_to_its_home(self, client, school_a):
        client.force_login(school_a.user("student"))
        response = client.get(reverse("schools:picker"))
        assert response.status_code == 302
        assert response["Location"] == reverse("schools:home", args=["alpha"])

    def test_a_person_in_several_schools_chooses_among_exactly_those(self, client, school_a, school_b):
        person = school_a.user("teacher")
        MembershipFactory(user=person, school=school_b.school, role="mentor")
        SchoolFactory(name="Charlie Hidden School", slug="charlie")
        client.force_login(person)
        body = client.get(reverse("schools:picker")).content.decode()
        assert "Alpha Academy" in body and "Bravo Secret Prep" in body
        assert "Teacher" in body and "Mentor" in body
        assert "Charlie" not in body

    def test_a_person_in_no_school_is_told_what_to_do(self, client, db):
        client.force_login(UserFactory())
        body = client.get(reverse("schools:picker")).content.decode()
        assert "not part of any school yet" in body

    def test_a_district_admin_sees_every_school_of_the_district(self, client, school_a):
        SchoolFactory(organization=school_a.school.organization, name="Alpha Annex", slug="annex")
        client.force_login(school_a.user(DISTRICT_ADMIN))
        body = client.get(reverse("schools:picker")).content.decode()
        assert "Alpha Academy" in body and "Alpha Annex" in body and "District admin" in body


class TestSchoolHome:
    def test_a_student_sees_their_classes_and_no_school_counts(self, client, school_a):
        client.force_login(school_a.user("student"))
        body = client.get(reverse("schools:home", args=["alpha"])).content.decode()
        assert "Your classes" in body
        assert "ALPHA-SECTION-ONE" in body
        assert "ALPHA-SECTION-TWO" not in body
        assert "at a glance" not in body

    def test_a_teacher_sees_the_sections_they_teach(self, client, school_a):
        client.force_login(school_a.user("teacher"))
        body = client.get(reverse("schools:home", args=["alpha"])).content.decode()
        assert "Sections you teach" in body
        assert "ALPHA-SECTION-ONE" in body and "ALPHA-SECTION-TWO" not in body

    def test_a_school_admin_sees_the_school_at_a_glance(self, client, school_a):
        client.force_login(school_a.user("school_admin"))
        response = client.get(reverse("schools:home", args=["alpha"]))
        assert response.context["census"]["teachers"] == 2
        assert "All sections" in response.content.decode()

    def test_a_district_admin_can_jump_to_the_districts_other_schools(self, client, school_a):
        SchoolFactory(organization=school_a.school.organization, name="Alpha Annex", slug="annex")
        client.force_login(school_a.user(DISTRICT_ADMIN))
        body = client.get(reverse("schools:home", args=["alpha"])).content.decode()
        assert reverse("schools:home", args=["annex"]) in body

    @pytest.mark.parametrize("sections", [1, 50])
    def test_home_query_count_does_not_grow_with_sections(
        self, client, school_a, sections, django_assert_max_num_queries
    ):
        teacher = school_a.user("teacher")
        for _ in range(sections):
            section = SectionFactory(school=school_a.school, term=school_a.term)
            EnrollmentFactory(section=section, user=teacher, role="teacher")
            EnrollmentFactory(section=section, role="student")
        client.force_login(teacher)
        with django_assert_max_num_queries(9):
            assert client.get(reverse("schools:home", args=["alpha"])).status_code == 200


class TestSections:
    def test_a_teacher_lists_only_their_sections(self, client, school_a):
        client.force_login(school_a.user("teacher"))
        body = client.get(reverse("schools:section_list", args=["alpha"])).content.decode()
        assert "ALPHA-SECTION-ONE" in body and "ALPHA-SECTION-TWO" not in body

    def test_another_teachers_section_by_id_is_not_found(self, client, school_a):
        client.force_login(school_a.user("teacher"))
        url = reverse("schools:section_detail", args=["alpha", school_a.other_section.pk])
        assert client.get(url).status_code == 404

    def test_a_teacher_sees_the_roster_of_their_section(self, client, school_a):
        client.force_login(school_a.user("teacher"))
        url = reverse("schools:section_detail", args=["alpha", school_a.section.pk])
        body = client.get(url).content.decode()
        assert school_a.user("student").get_full_name() in body

    def test_a_student_sees_their_teachers_but_not_their_classmates(self, client, school_a):
        classmate = EnrollmentFactory(section=school_a.section, role="student").user
        client.force_login(school_a.user("student"))
        url = reverse("schools:section_detail", args=["alpha", school_a.section.pk])
        body = client.get(url).content.decode()
        assert school_a.user("teacher").get_full_name() in body
        assert classmate.get_full_name() not in body

    def test_a_mentor_without_sections_gets_not_found_for_a_section(self, client, school_a):
        client.force_login(school_a.user("mentor"))
        url = reverse("schools:section_detail", args=["alpha", school_a.section.pk])
        assert client.get(url).status_code == 404

    def test_an_admin_searches_sections_and_htmx_gets_only_the_results(self, client, school_a):
        client.force_login(school_a.user("school_admin"))
        url = reverse("schools:section_list", args=["alpha"])
        response = client.get(url, {"q": "two"}, headers={"HX-Request": "true"})
        body = response.content.decode()
        assert "ALPHA-SECTION-TWO" in body and "ALPHA-SECTION-ONE" not in body
        assert "<html" not in body and 'id="results"' in body

    def test_a_search_with_no_match_says_so(self, client, school_a):
        client.force_login(school_a.user("school_admin"))
        url = reverse("schools:section_list", args=["alpha"])
        assert "No section matches" in client.get(url, {"q": "zzz"}).content.decode()

    def test_sections_are_paginated(self, client, school_a):
        SectionFactory.create_batch(30, school=school_a.school, term=school_a.term)
        client.force_login(school_a.user("school_admin"))
        url = reverse("schools:section_list", args=["alpha"])
        first = client.get(url)
        assert len(first.context["page"].object_list) == 25
        assert "Page 1 of 2" in first.content.decode()
        assert len(client.get(url, {"page": 2}).context["page"].object_list) == 7
        assert client.get(url, {"page": "not-a-number"}).status_code == 200

    @pytest.mark.parametrize("sections", [1, 50])
    def test_section_list_query_count_does_not_grow(
        self, client, school_a, sections, django_assert_max_num_queries
    ):
        for _ in range(sections):
            section = SectionFactory(school=school_a.school, term=school_a.term)
            EnrollmentFactory(section=section, role="teacher")
        client.force_login(school_a.user("school_admin"))
        with django_assert_max_num_queries(10):
            response = client.get(reverse("schools:section_list", args=["alpha"]))
            assert response.status_code == 200

    @pytest.mark.parametrize("students", [1, 50])
    def test_section_detail_query_count_does_not_grow(
        self, client, school_a, students, django_assert_max_num_queries
    ):
        for _ in range(students):
            EnrollmentFactory(section=school_a.section, role="student")
        client.force_login(school_a.user("teacher"))
        url = reverse("schools:section_detail", args=["alpha", school_a.section.pk])
        with django_assert_max_num_queries(9):
            assert client.get(url).status_code == 200


def test_a_student_sees_no_head_counts_of_their_classes(client, school_a):
    client.force_login(school_a.user("student"))
    body = client.get(reverse("schools:section_list", args=["alpha"])).content.decode()
    assert "ALPHA-SECTION-ONE" in body
    assert "Students</th>" not in body
