"""The Celery base task enters the school it is given, whatever scope its caller had."""

import pytest

from plp.tenancy.context import active_school_id, school_scope
from schools.tasks import school_census


def test_task_body_called_outside_any_scope_runs_in_the_given_school(school_a, school_b):
    assert active_school_id() is None
    census = school_census(school_id=school_a.school.pk)
    assert census["sections"] == 2
    assert census["teachers"] == 2
    assert census["students"] == 1
    assert active_school_id() is None


def test_task_for_school_b_enqueued_from_school_a_reads_only_school_b(school_a, school_b):
    from tests.factories import SectionFactory

    SectionFactory(school=school_b.school, term=school_b.term, name="BRAVO-SECTION-THREE")
    with school_scope(school_a.school):
        census = school_census.apply(kwargs={"school_id": school_b.school.pk}).get()
        assert active_school_id() == school_a.school.pk
    assert census["sections"] == 3


def test_task_without_a_school_id_refuses_to_run(school_a):
    with pytest.raises(TypeError, match="school_id"):
        school_census()


def test_task_for_an_unknown_school_refuses_to_run(db):
    with pytest.raises(LookupError, match="does not exist"):
        school_census(school_id=999_999)
