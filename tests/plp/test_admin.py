"""Platform staff run every school from the Django admin, which reads across schools on purpose."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from plp.tenancy.context import school_scope
from schools.models import Section
from tests.factories import UserFactory

OUR_APPS = {"accounts", "schools", "learners", "playlists", "mastery", "mentoring", "audit", "privacy"}


def test_every_model_of_ours_is_registered_in_the_admin():
    missing = [
        model.__name__
        for model in apps.get_models()
        if model._meta.app_label in OUR_APPS and not admin.site.is_registered(model)
    ]
    assert not missing


@pytest.fixture
def staff_client(client, db):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def test_staff_open_every_changelist_and_change_page(staff_client, school_a, school_b):
    objects = {
        Section: school_b.section,
    }
    for model, model_admin in admin.site._registry.items():
        info = (model._meta.app_label, model._meta.model_name)
        changelist = staff_client.get(reverse("admin:{}_{}_changelist".format(*info)))
        assert changelist.status_code == 200, info
        add = staff_client.get(reverse("admin:{}_{}_add".format(*info)))
        assert add.status_code in {200, 403}, info
        first = model_admin.get_queryset(None).first() if model not in objects else objects[model]
        if first is not None:
            change = staff_client.get(reverse("admin:{}_{}_change".format(*info), args=[first.pk]))
            assert change.status_code == 200, info


def test_staff_edit_a_section_of_any_school(staff_client, school_b):
    url = reverse("admin:schools_section_change", args=[school_b.section.pk])
    response = staff_client.post(
        url,
        {
            "school": school_b.school.pk,
            "term": school_b.term.pk,
            "name": "BRAVO-SECTION-RENAMED",
            "code": "B-9",
            "subject": "Science",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    with school_scope(school_b.school):
        assert Section.objects.get(pk=school_b.section.pk).name == "BRAVO-SECTION-RENAMED"


def test_the_admin_refuses_a_duplicate_section_name_in_the_same_term(staff_client, school_b):
    url = reverse("admin:schools_section_change", args=[school_b.other_section.pk])
    response = staff_client.post(
        url,
        {
            "school": school_b.school.pk,
            "term": school_b.term.pk,
            "name": school_b.section.name,
            "code": "",
            "subject": "",
        },
    )
    assert response.status_code == 200
    assert "already exists" in response.content.decode()
