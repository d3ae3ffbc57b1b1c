"""Reads about accounts that pages outside any school need."""

from accounts import person_schools
from accounts.api_keys import MAX_KEY_LENGTH, key_hash
from accounts.idle import idle_limit_minutes
from accounts.models import ApiToken

PLATFORM_NAME = "PLP"


def account_sender_name(*, user) -> str:
    """Whom an account email comes from: the person's school when they belong to exactly one (a parent or a
    student knows the school, not the platform), otherwise the platform."""
    names = person_schools.school_names(user=user)
    return names[0] if len(names) == 1 else PLATFORM_NAME


def api_token_for_key(*, key: str):
    """The token a key opens (any state: the caller says why a dead one is refused), with its person."""
    if not key or len(key) > MAX_KEY_LENGTH:
        return None
    return ApiToken.objects.select_related("user").filter(key_hash=key_hash(key)).first()


def api_tokens_of(*, user):
    """A person's tokens, newest first, live or ended (the account page and ``/api/v1/me/tokens/``)."""
    return ApiToken.objects.filter(user=user).select_related("school")


def api_token_get(*, user, token_id: int):
    """One of the person's own tokens; anyone else's id is a 404 (never a 403)."""
    from django.http import Http404

    token = api_tokens_of(user=user).filter(pk=token_id).first()
    if token is None:
        raise Http404("No such token.")
    return token


def live_token_counts(*, user_ids: list[int], school_id: int) -> dict[int, int]:
    """Live tokens per person that reach ``school_id`` (bound to it or to no school), for the People page:
    one query for the page."""
    from django.db.models import Count, Q
    from django.utils import timezone

    rows = (
        ApiToken.objects.filter(user_id__in=user_ids, revoked_at=None, expires_at__gt=timezone.now())
        .filter(Q(school_id=None) | Q(school_id=school_id))
        .values("user_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["user_id"]: row["n"] for row in rows}


def idle_minutes_for(*, user_id: int) -> int:
    """How long the person's sessions may stay idle: the strictest of their schools' limits for the roles
    they hold (``accounts.idle.idle_limit_minutes``); two queries, read at most once a minute per session."""
    from django.conf import settings

    limits, district = person_schools.idle_limits(user_id=user_id)
    return idle_limit_minutes(
        limits=limits, district_staff_minutes=district, default=settings.IDLE_MINUTES_DEFAULT
    )
