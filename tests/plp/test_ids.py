"""An id from outside is an id only when a database row could have it."""

import pytest

from plp.ids import MAX_ID, id_or_none, is_id


@pytest.mark.parametrize(
    "value", [None, "", "abc", "0", "-3", "1.5", str(MAX_ID + 1), "99999999999999999999"]
)
def test_what_is_not_an_id_is_none(value):
    assert id_or_none(value) is None


@pytest.mark.parametrize(("value", "number"), [("1", 1), (" 42 ", 42), (7, 7), (str(MAX_ID), MAX_ID)])
def test_an_id_in_range_is_its_number(value, number):
    assert id_or_none(value) == number


def test_the_largest_id_is_postgresqls_bigint():
    assert is_id(2**63 - 1) and not is_id(2**63) and not is_id(0)
