"""What the content models share: the check that a row's links stay inside its school (forward
foreign keys bypass the scoped manager).
"""

from django.core.exceptions import ValidationError


def same_school(obj, **related) -> None:
    """Refuse links to another school's rows (forward FKs bypass the scoped manager)."""
    errors = {}
    for field_name, other in related.items():
        if other is not None and obj.school_id and other.school_id != obj.school_id:
            errors[field_name] = "This belongs to another school."
    if errors:
        raise ValidationError(errors)
