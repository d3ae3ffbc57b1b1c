"""What the content models share: the check that a row's links stay inside its school (forward
foreign keys bypass the scoped manager), the key of content a cartridge import made, and who authored it.
"""

from django.core.exceptions import ValidationError
from django.db import models

from plp.fields import actor_field
from plp.tenancy.models import SchoolOwnedModel, unique_in_school_once_set


def same_school(obj, **related) -> None:
    """Refuse links to another school's rows (forward FKs bypass the scoped manager)."""
    errors = {}
    for field_name, other in related.items():
        if other is not None and obj.school_id and other.school_id != obj.school_id:
            errors[field_name] = "This belongs to another school."
    if errors:
        raise ValidationError(errors)


class ImportedContent(SchoolOwnedModel):
    """A school's content that an import may have made (items, playlists, frameworks, competencies,
    questions): ``source_key`` says where it came from, so importing the same package again finds the row
    instead of copying it. Each concrete model adds ``ImportedContent.unique_source_key(name)`` to its
    constraints (constraint names are per model, kept as the migrations made them)."""

    source_key = models.CharField(
        max_length=255, blank=True, editable=False, help_text="Where it was imported from (cartridge ids)."
    )

    class Meta:
        abstract = True

    @staticmethod
    def unique_source_key(name: str) -> models.UniqueConstraint:
        return unique_in_school_once_set("source_key", name=name)


class AuthoredContent(models.Model):
    """Content a teacher or school admin writes (items, playlists, projects): who made it and when. The
    author may leave; their content stays (the privacy registry erases the link, not the row)."""

    created_by = actor_field()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
