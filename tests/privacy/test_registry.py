"""The student data registry knows every key to a person: a new student-owned model must be registered
(exported and erased) or declared not the student's, with the reason."""

from django.apps import apps
from django.conf import settings

from privacy.registry import IGNORED_APPS, NOT_THE_STUDENT, REGISTRY


def _keys_to_a_person():
    for model in apps.get_models():
        if model._meta.app_label in IGNORED_APPS or model._meta.proxy:  # a proxy's table is its model's
            continue
        for field in model._meta.fields:
            if field.is_relation and field.related_model._meta.label == settings.AUTH_USER_MODEL:
                yield model._meta.label, field.name
        for field in model._meta.many_to_many:
            if field.related_model._meta.label == settings.AUTH_USER_MODEL:
                yield model._meta.label, field.name


def test_every_key_to_a_person_is_registered_or_excluded_with_a_reason():
    registered = {(entry.model, entry.path.split("__")[0]) for entry in REGISTRY if entry.direct}
    unknown = [key for key in _keys_to_a_person() if key not in registered and key not in NOT_THE_STUDENT]
    assert unknown == [], (
        f"Student data the export and the erasure would miss: {unknown}. Register them in "
        "privacy/registry.py (REGISTRY), or add them to NOT_THE_STUDENT with why they never name the student."
    )


def test_the_registry_names_real_models_and_paths_and_no_stale_exclusion():
    keys = set(_keys_to_a_person())
    assert set(NOT_THE_STUDENT) <= keys, set(NOT_THE_STUDENT) - keys
    for entry in REGISTRY:
        model = entry.model_class
        first, *rest = entry.path.split("__")
        field = model._meta.get_field(first)
        target = field.related_model
        for name in rest:
            target = target._meta.get_field(name).related_model
        assert target._meta.label == settings.AUTH_USER_MODEL, entry
    assert len({entry.name for entry in REGISTRY}) == len(REGISTRY)
