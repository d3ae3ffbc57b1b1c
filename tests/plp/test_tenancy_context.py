import pytest

from plp.tenancy.context import NoActiveSchool, active_school_id, current_school_id, school_scope


def test_reading_the_active_school_outside_any_scope_raises():
    with pytest.raises(NoActiveSchool):
        current_school_id()


@pytest.mark.parametrize("bad", [None, 0, -3, "1", True, 1.0])
def test_a_scope_refuses_anything_but_a_positive_id_or_saved_school(bad):
    with pytest.raises(ValueError, match="school scope"), school_scope(bad):
        pass


def _fail_inside_scope():
    with school_scope(7):
        assert current_school_id() == 7
        raise RuntimeError("boom")


def test_scope_is_reset_after_the_block_even_on_error():
    with pytest.raises(RuntimeError, match="boom"):
        _fail_inside_scope()
    assert active_school_id() is None


def test_nested_scope_replaces_the_outer_school_until_it_ends():
    with school_scope(1):
        with school_scope(2):
            assert current_school_id() == 2
        assert current_school_id() == 1
