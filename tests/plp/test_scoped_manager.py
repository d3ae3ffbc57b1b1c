import pytest
from django import forms
from django.core.exceptions import ValidationError

from plp.tenancy.context import NoActiveSchool, school_scope
from schools.models import Enrollment, Membership, Section, Term
from tests.factories import SectionFactory, TermFactory


def test_tenant_tables_refuse_to_be_queried_with_no_active_school(school_a):
    for model in (Membership, Term, Section, Enrollment):
        with pytest.raises(NoActiveSchool):
            list(model.objects.all())


def test_related_managers_of_tenant_rows_also_fail_closed(school_a):
    with pytest.raises(NoActiveSchool):
        list(school_a.section.enrollments.all())


def test_inside_a_scope_only_that_schools_rows_exist(school_a, school_b):
    with school_scope(school_a.school):
        names = set(Section.objects.values_list("name", flat=True))
        assert names == {"ALPHA-SECTION-ONE", "ALPHA-SECTION-TWO"}
        assert not Section.objects.filter(pk=school_b.section.pk).exists()
        assert set(school_a.section.enrollments.values_list("school_id", flat=True)) == {school_a.school.pk}


def test_unscoped_is_the_explicit_way_to_read_every_school(school_a, school_b):
    names = set(Section.objects.unscoped().values_list("name", flat=True))
    assert {"ALPHA-SECTION-ONE", "BRAVO-SECTION-ONE"} <= names


def test_uniqueness_is_checked_within_the_objects_own_school(school_a, school_b):
    duplicate = Term(
        school=school_a.school, name="ALPHA-TERM", start_date="2026-01-01", end_date="2026-06-01"
    )
    with pytest.raises(ValidationError, match="already exists"):
        duplicate.full_clean()
    same_name_elsewhere = Term(
        school=school_b.school, name="ALPHA-TERM", start_date="2026-01-01", end_date="2026-06-01"
    )
    same_name_elsewhere.full_clean()  # another school may reuse the name


def test_a_section_cannot_use_another_schools_term(school_a, school_b):
    section = Section(school=school_a.school, term=school_b.term, name="Mixed")
    with pytest.raises(ValidationError, match="another school"):
        section.full_clean()


def test_an_enrollment_cannot_point_at_another_schools_section(school_a, school_b):
    enrollment = Enrollment(
        school=school_a.school,
        section=school_b.section,
        user=school_a.user("student"),
        role="student",
    )
    with pytest.raises(ValidationError, match="another school"):
        enrollment.full_clean()


def test_a_term_cannot_end_before_it_starts(school_a):
    term = TermFactory.build(
        school=school_a.school, name="Backwards", start_date="2027-01-01", end_date="2026-01-01"
    )
    with pytest.raises(ValidationError, match="cannot end before it starts"):
        term.full_clean()


def test_factories_build_related_objects_in_the_same_school(db):
    section = SectionFactory()
    assert section.term.school_id == section.school_id


def test_a_queryset_defined_outside_any_school_runs_in_the_school_active_when_it_is_evaluated(
    school_a, school_b
):
    sections = Section.objects.filter(name__endswith="ONE")  # defining it needs no school
    with pytest.raises(NoActiveSchool):
        list(sections)
    with school_scope(school_b.school):
        assert [s.name for s in sections] == ["BRAVO-SECTION-ONE"]
    with school_scope(school_a.school):
        assert [s.name for s in sections] == ["ALPHA-SECTION-ONE"]


class EnrollmentForm(forms.ModelForm):
    """Defined at import time, outside any school, as every ModelForm is."""

    class Meta:
        model = Enrollment
        fields = ["section"]


def test_a_model_forms_choices_are_the_active_schools_only(school_a, school_b):
    with school_scope(school_a.school):
        choices = {section.name for section in EnrollmentForm().fields["section"].queryset}
        assert choices == {"ALPHA-SECTION-ONE", "ALPHA-SECTION-TWO"}
        form = EnrollmentForm(data={"section": school_b.section.pk})
        assert not form.is_valid()
        assert "section" in form.errors


def test_rows_already_fetched_stay_readable_after_the_scope_ends(school_a):
    with school_scope(school_a.school):
        sections = Section.objects.order_by("name")
        assert len(sections) == 2
    assert [s.name for s in sections] == ["ALPHA-SECTION-ONE", "ALPHA-SECTION-TWO"]
    with pytest.raises(NoActiveSchool):
        sections.filter(code="ALPHA-1").count()  # a new query still needs a school


def test_prefetched_rows_are_served_without_another_query(school_a, django_assert_num_queries):
    with school_scope(school_a.school):
        sections = list(Section.objects.order_by("name").prefetch_related("enrollments"))
        with django_assert_num_queries(0):
            counts = [len(section.enrollments.all()) for section in sections]
    assert counts == [2, 1]


def test_prefetched_rows_are_not_served_to_another_school(school_a, school_b):
    with school_scope(school_a.school):
        section = Section.objects.prefetch_related("enrollments").get(pk=school_a.section.pk)
    with school_scope(school_b.school):
        assert list(section.enrollments.all()) == []  # fetched again for school B: none of A's rows
