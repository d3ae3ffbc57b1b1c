"""What the accounts app asks about a person's schools, answered by the apps that know them.

A person exists before and across schools, so accounts sits below schools and sso (README, "App layers").
Yet signing in, the account page and the account emails need a person's schools: which they may enter (the
API token form), their names (whom an account email comes from), their idle limits, whether one of them
signs their role in with single sign-on only, and that an invitation of theirs was accepted. schools and
sso register their answers here from their ``ready``; a call before they registered raises instead of
answering "no school" (which would let a password past single sign-on).
"""

from collections.abc import Callable

from django.core.exceptions import ImproperlyConfigured

_answers: dict[str, Callable] = {}


def register(**answers: Callable) -> None:
    """From ``SchoolsConfig.ready`` (``schools_for_user``, ``school_names``, ``idle_limits``,
    ``invitation_accepted``) and ``SsoConfig.ready`` (``sso_required_for``)."""
    _answers.update(answers)


def _answer(name: str) -> Callable:
    if name not in _answers:
        raise ImproperlyConfigured(f"Nothing answers {name}: are the schools and sso apps installed?")
    return _answers[name]


def schools_for_user(*, user) -> list:
    """Every active school the person may enter, each with their roles there (``.school``, ``.roles``)."""
    return _answer("schools_for_user")(user=user)


def school_names(*, user) -> list[str]:
    """Names of the person's active schools: two at most (enough to tell one from several)."""
    return _answer("school_names")(user=user)


def idle_limits(*, user_id: int) -> tuple[list[tuple[bool, int, int]], int | None]:
    """What ``accounts.idle.idle_limit_minutes`` takes: (is a student, staff limit, student limit) per
    active membership, and the strictest staff limit of the schools they are a district admin of."""
    return _answer("idle_limits")(user_id=user_id)


def invitation_accepted(*, user) -> None:
    """The person set their first password: their invitations are accepted."""
    _answer("invitation_accepted")(user=user)


def sso_required_for(*, user):
    """The school whose single sign-on the person must use instead of a password (``.school``), or None."""
    return _answer("sso_required_for")(user=user)
