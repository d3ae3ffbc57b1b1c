"""A port (plp.ports): the apps below call the one handler an app above registered; before it registers,
a call raises instead of losing the event or letting everything through."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from plp.ports import Port


def test_a_call_before_the_handler_registered_raises_and_says_what_is_missing():
    port = Port("No evidence handler: is the mastery app installed?")
    with pytest.raises(ImproperlyConfigured, match="is the mastery app installed"):
        port.handler  # noqa: B018


def test_the_registered_handler_answers_and_a_later_registration_replaces_it():
    port = Port("missing")
    first, second = object(), object()
    port.register(first)
    assert port.handler is first
    port.register(second)
    assert port.handler is second


def test_the_ports_of_the_app_layers_have_their_handlers_once_django_is_ready():
    from playlists import evidence, mastery_states
    from plp import recompute, self_direction, sharing
    from plp.tenancy import access

    for module in (recompute, self_direction, evidence, sharing, access, mastery_states):
        assert module._port.handler is not None
