"""A deployment's allow-list must name kinds the sniffer knows: a typo fails ``manage.py check`` at start,
not a student's upload later."""

from django.conf import settings
from django.core.checks import Error, register

from submissions.filetypes import KINDS


@register()
def submission_settings_check(app_configs, **kwargs):
    unknown = [key for key in settings.SUBMISSION_FILE_TYPES if key not in KINDS]
    errors = []
    if unknown or not settings.SUBMISSION_FILE_TYPES:
        errors.append(
            Error(
                f"PLP_SUBMISSION_FILE_TYPES names unknown kinds {unknown} (or none); known: {sorted(KINDS)}.",
                id="submissions.E001",
            )
        )
    if settings.SUBMISSION_MAX_BYTES <= 0:
        errors.append(Error("PLP_SUBMISSION_MAX_BYTES must be positive.", id="submissions.E002"))
    return errors
