"""The senders below privacy ask its consent rule through plp.sharing, which fails closed."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from plp import sharing
from plp.ports import Port
from privacy.selectors import sharing_refusals


def test_the_rule_asked_is_the_privacy_apps():
    assert sharing._port.handler is sharing_refusals


def test_with_no_rule_registered_nothing_may_be_sent(monkeypatch):
    monkeypatch.setattr(sharing, "_port", Port("No sharing rule: is the privacy app installed?"))
    with pytest.raises(ImproperlyConfigured):
        sharing.sharing_refusals(student_ids=[1])
