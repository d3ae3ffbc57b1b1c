"""A school's thresholds as the engine reads them: the one place the policy's ``Thresholds`` is built.

A school's settings live in two rows, each one or none per school: the engine's own thresholds
(``engine.SchoolThresholds``: the flags' and Next up's) and the school's settings that apps below the engine
read too (``schools.SchoolSettings``: the pace tolerance, the check-in cadence and grace). ``SchoolPolicy``
holds both (an unsaved row holding the documented defaults where the school has none), reads a setting from
whichever row holds it, validates and saves them as one, and builds the pure ``Thresholds``. The engine's
recompute and the policy sandbox's what-ifs read it (``engine.selectors.thresholds_for_school``,
``engine/sandbox/thresholds.py``); :func:`policy_of` builds ``Thresholds`` from rows already read (the
overviews read several schools' at once).
"""

import copy
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models

from engine.models import SchoolThresholds
from engine.policy.snapshot import Thresholds
from plp.tenancy.context import current_school_id
from schools.models import SchoolSettings

# The policy's thresholds each row holds (the columns of the same names; max_recommendations and
# wheel_spin_accuracy are no school's setting).
SCHOOL_SETTINGS_FIELDS = ("pace_margin", "check_in_days", "check_in_grace_days")
_THRESHOLDS_FIELDS = tuple(
    f.name for f in SchoolThresholds._meta.concrete_fields if f.name in Thresholds.__dataclass_fields__
)


def policy_of(
    *, thresholds: SchoolThresholds | None = None, settings: SchoolSettings | None = None
) -> Thresholds:
    """The policy's thresholds from a school's rows (``None``: the school has none, the defaults hold)."""
    values = {}
    if thresholds is not None:
        values.update({f: getattr(thresholds, f) for f in _THRESHOLDS_FIELDS})
    if settings is not None:
        values.update({f: getattr(settings, f) for f in SCHOOL_SETTINGS_FIELDS})
    return Thresholds(**values)


@dataclass
class SchoolPolicy:
    """The active school's two rows, read and changed as one set of settings (``policy.pace_margin``)."""

    thresholds: SchoolThresholds
    settings: SchoolSettings

    @classmethod
    def read(cls) -> "SchoolPolicy":
        """The active school's rows (two queries), or unsaved ones holding the documented defaults."""
        school_id = current_school_id()
        return cls(
            thresholds=SchoolThresholds.objects.first() or SchoolThresholds(school_id=school_id),
            settings=SchoolSettings.objects.first() or SchoolSettings(school_id=school_id),
        )

    def copy(self) -> "SchoolPolicy":
        """An independent copy of the rows read (no query): a what-if changes it, the settings read stay."""
        return SchoolPolicy(thresholds=copy.copy(self.thresholds), settings=copy.copy(self.settings))

    def row_of(self, field: str) -> models.Model:
        """The row that holds the setting ``field`` (``AttributeError`` for a name that is no setting)."""
        if field in SCHOOL_SETTINGS_FIELDS:
            return self.settings
        if field in _THRESHOLDS_FIELDS:
            return self.thresholds
        raise AttributeError(field)

    def __getattr__(self, name: str):
        # Only for the settings themselves (the dataclass's own fields are found before this is asked).
        if name.startswith("_") or name in ("thresholds", "settings"):
            raise AttributeError(name)
        return getattr(self.row_of(name), name)

    def set(self, field: str, value) -> None:
        """One setting to ``value``, converted as its column converts it (or ``ValidationError``)."""
        row = self.row_of(field)
        setattr(row, field, row._meta.get_field(field).to_python(value))

    def full_clean(self, exclude=None) -> None:
        """Both rows validated as the admin's forms validate them; the errors of both, by setting."""
        errors: dict[str, list[str]] = {}
        for row in (self.thresholds, self.settings):
            try:
                row.full_clean(exclude=exclude)
            except ValidationError as exc:
                for field, messages in exc.message_dict.items():
                    errors.setdefault(field, []).extend(messages)
        if errors:
            raise ValidationError(errors)

    def save(self, *, fields) -> None:
        """Save the rows holding ``fields`` (a school gets a row only once one of its settings is set)."""
        for row in {id(self.row_of(f)): self.row_of(f) for f in fields}.values():
            row.save()

    def as_policy(self) -> Thresholds:
        return policy_of(thresholds=self.thresholds, settings=self.settings)
