"""Rows made generically from a model, for tests that need a row in every table of a kind (row-level
security over every tenant table, the student data registry): the row's content does not matter, its school
and its keys do."""

import datetime as dt
import uuid

from django.db import DatabaseError, models, transaction
from django.utils import timezone

from accounts.models import User
from schools.models import School


def _any_value(field: models.Field):
    """A value a column of this kind takes (the filler below: the row's content does not matter)."""
    if field.choices:
        return field.choices[0][0]
    kinds = [
        (models.UUIDField, uuid.uuid4),
        (models.EmailField, lambda: f"{uuid.uuid4().hex[:10]}@fill.test"),
        (models.URLField, lambda: "https://fill.example.org/"),
        (models.CharField, lambda: uuid.uuid4().hex[: min(field.max_length or 12, 12)]),
        (models.TextField, lambda: "filled"),
        (models.BooleanField, lambda: False),
        (models.IntegerField, lambda: 1),
        (models.FloatField, lambda: 0.5),
        (models.DecimalField, lambda: 0.5),
        (models.DateTimeField, timezone.now),
        (models.DateField, lambda: dt.date(2026, 12, 1)),
        (models.TimeField, lambda: dt.time(9, 0)),
        (models.DurationField, lambda: dt.timedelta(minutes=5)),
        (models.JSONField, dict),
        (models.BinaryField, lambda: b"x"),
    ]
    return next(make() for kind, make in kinds if isinstance(field, kind))


def _row_in(model, school, depth: int):
    """A row of ``model`` in ``school`` (one there, or a new one; failing that, any school's row)."""
    school_key = next(
        (f for f in model._meta.concrete_fields if f.is_relation and f.related_model is School), None
    )
    rows = (
        model._base_manager.filter(**{school_key.name: school}) if school_key else model._base_manager.all()
    )
    found = rows.first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return fill_row(model, school, depth=depth + 1)
    except DatabaseError:  # a check constraint the generic values miss (a weekly goal needs its week)
        return model._base_manager.first()


def fill_row(model, school, *, overrides: dict | None = None, depth: int = 0):
    """One row of ``model`` in ``school``, its required columns filled generically and its foreign keys
    pointing at rows of the same school (made too when there are none); ``overrides`` set columns."""
    assert depth < 8, model
    values = dict(overrides or {})
    for field in model._meta.concrete_fields:
        if field.name in values:
            continue
        if field.primary_key or getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            continue
        if field.is_relation:
            if field.related_model is School:
                values[field.name] = school
            elif field.null:
                continue
            elif field.related_model is User:
                values[field.name] = User.objects.create_user(email=f"{uuid.uuid4().hex[:10]}@fill.test")
            else:
                values[field.name] = _row_in(field.related_model, school, depth)
        elif not (field.has_default() or field.null or field.blank):
            values[field.name] = _any_value(field)
    model._base_manager.bulk_create([model(**values)])
    return model._base_manager.order_by("-pk").first()
