"""The Django admin names every model in good English: no "Plan focuss"."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from tests.factories import UserFactory

OUR_APPS = {
    "accounts",
    "schools",
    "learners",
    "playlists",
    "mastery",
    "mentoring",
    "engine",
    "audit",
    "privacy",
}


@pytest.mark.parametrize(
    "label",
    [model._meta.label for model in apps.get_models() if model._meta.app_label in OUR_APPS],
)
def test_a_plural_name_is_not_the_singular_with_an_s_stuck_on_an_s(label):
    meta = apps.get_model(label)._meta
    singular, plural = str(meta.verbose_name), str(meta.verbose_name_plural)
    assert not (singular.endswith("s") and plural == singular + "s"), plural


def test_the_admin_index_says_plan_focuses(client, db):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    body = client.get(reverse("admin:index")).content.decode()
    assert "Plan focuses" in body and "Plan focuss" not in body
    assert admin.site.is_registered(apps.get_model("learners.PlanFocus"))
