"""The active school and the person's roles in it, for every template (``TEMPLATES`` in plp/settings.py)."""

from schools.roles import ROLE_LABELS


def tenancy(request):
    """The active school and the user's roles in it, for the base template."""
    school = getattr(request, "school", None)
    roles = getattr(request, "school_roles", frozenset())
    return {
        "school": school,
        "school_roles": roles,
        "school_role_labels": [ROLE_LABELS[role] for role in sorted(roles)],
    }
