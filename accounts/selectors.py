"""Reads about accounts that pages outside any school need."""

PLATFORM_NAME = "PLP"


def account_sender_name(*, user) -> str:
    """Whom an account email comes from: the person's school when they belong to exactly one (a parent or a
    student knows the school, not the platform), otherwise the platform."""
    from plp.tenancy.context import all_schools
    from schools.models import Membership

    # unscoped: a password reset happens outside any school; only this person's own memberships are read.
    with all_schools():
        names = list(
            Membership.objects.unscoped()
            .filter(user=user, is_active=True)
            .values_list("school__name", flat=True)
            .distinct()
            .order_by()[:2]
        )
    return names[0] if len(names) == 1 else PLATFORM_NAME
