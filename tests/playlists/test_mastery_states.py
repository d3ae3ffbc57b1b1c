"""The playlists app reads mastery states through playlists.mastery_states, which mastery fills from its
ready and which fails closed before it has."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from mastery import selectors
from playlists import mastery_states
from plp.ports import Port


def test_the_answers_are_the_mastery_apps_selectors():
    assert mastery_states._port.handler.mastered is selectors.mastered_competency_ids
    assert mastery_states._port.handler.holders is selectors.students_with_states


def test_with_nothing_registered_a_lock_read_raises_instead_of_seeing_no_state(monkeypatch):
    monkeypatch.setattr(mastery_states, "_port", Port("No mastery states: is the mastery app installed?"))
    with pytest.raises(ImproperlyConfigured):
        mastery_states.mastered_competency_ids(student=None, competency_ids=[1])
    with pytest.raises(ImproperlyConfigured):
        mastery_states.students_with_states(competency_ids=[1])
