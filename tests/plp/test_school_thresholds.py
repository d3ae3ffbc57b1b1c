"""The apps below the engine read a school's thresholds through plp.school_thresholds, which the engine
fills from its ready and which fails closed before it has."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from engine.selectors import thresholds_rows
from plp import school_thresholds
from plp.ports import Port


def test_the_rows_asked_are_the_engines():
    assert school_thresholds._port.handler is thresholds_rows


def test_with_nothing_registered_a_read_raises_instead_of_using_the_defaults(monkeypatch):
    monkeypatch.setattr(school_thresholds, "_port", Port("No school thresholds"))
    with pytest.raises(ImproperlyConfigured):
        school_thresholds.thresholds_of(school_id=1)
