"""How services write one row: validated (``full_clean()``: fields, choices, uniqueness inside the school,
the model's ``clean()``) before it is saved, so a bad value is a ValidationError naming its field rather than
a database error. The services' common shapes of that write, once."""

from collections.abc import Iterable, Mapping

from plp.tenancy.context import current_school_id


def validated_save(instance):
    """Validate ``instance``, save it, and return it."""
    instance.full_clean()
    instance.save()
    return instance


def validated_update(instance, values: Mapping, *, fields: Iterable[str]):
    """Set those of ``fields`` that ``values`` holds (an edit may leave some out; other keys are ignored),
    then :func:`validated_save`."""
    for name in fields:
        if name in values:
            setattr(instance, name, values[name])
    return validated_save(instance)


def validated_upsert(model, *, lookup: Mapping, values: Mapping):
    """The active school's ``model`` row matching ``lookup`` (a new one of the school when there is none),
    with ``values`` set, then :func:`validated_save`."""
    row = model.objects.filter(**lookup).first() or model(school_id=current_school_id(), **lookup)
    for name, value in values.items():
        setattr(row, name, value)
    return validated_save(row)
