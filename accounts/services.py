"""Signing in (the one path the login page and the API token endpoint share, lockout included), API tokens,
and ending sessions."""

import datetime as dt

from django.conf import settings
from django.contrib.auth import authenticate, get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from accounts.api_keys import key_hash, key_new, key_shown
from accounts.lockout import (
    Lock,
    account_key,
    client_address,
    lockout_check,
    lockout_failure,
    lockout_success,
)
from accounts.models import ApiToken


class SignInLocked(Exception):
    """Too many failures for this account or address: nothing is checked until the lock ends."""

    def __init__(self, lock: Lock):
        super().__init__(lock.message)
        self.lock = lock


def sign_in_authenticate(*, request, identifier: str, password: str):
    """The active account that ``identifier`` (email or username) and ``password`` open, or None; counts the
    failure against the account and the request's address, and raises SignInLocked while either is locked
    (even for the right password, so guessing stops paying)."""
    User = get_user_model()
    try:
        user_id = User._default_manager.get_by_natural_key(identifier).pk
    except User.DoesNotExist:
        user_id = None
    account, address = account_key(user_id=user_id, typed=identifier), client_address(request)
    lock = lockout_check(account=account, address=address)
    if lock is not None:
        raise SignInLocked(lock)
    user = authenticate(request, username=identifier, password=password)
    if user is None:
        lock = lockout_failure(account=account, address=address)
        if lock is not None:
            raise SignInLocked(lock)
        return None
    lockout_success(account=account)
    return user


# API tokens and sessions ---------------------------------------------------------------------------------


def api_token_issue(*, user, client_name: str, school=None, days: int | None = None):
    """A new token for ``client_name`` (and ``school``, when bound): returns ``(token, key)``; the key is
    shown once and never stored. A live token of the same client (and school) is replaced, so a script that
    signs in on every run keeps one token, not hundreds; beyond ``API_TOKENS_PER_PERSON`` live tokens the
    person revokes one first. Lifetime: ``API_TOKEN_DAYS`` unless ``days`` (1…``API_TOKEN_MAX_DAYS``)."""
    days = settings.API_TOKEN_DAYS if days is None else days
    if not 1 <= days <= settings.API_TOKEN_MAX_DAYS:
        raise ValidationError(
            {"expires_in_days": f"A token lives from 1 to {settings.API_TOKEN_MAX_DAYS} days."}
        )
    client_name = " ".join((client_name or "").split())
    if not client_name:
        raise ValidationError({"client": "Name the program that will use the token."})
    now = timezone.now()
    with transaction.atomic():
        # Serialises one person's issues: the count below holds against two requests at once.
        get_user_model().objects.select_for_update().filter(pk=user.pk).first()
        live = ApiToken.objects.filter(user=user, revoked_at=None, expires_at__gt=now)
        live.filter(client_name__iexact=client_name, school=school).update(
            revoked_at=now, revoked_reason=ApiToken.Ended.REPLACED
        )
        if live.count() >= settings.API_TOKENS_PER_PERSON:
            raise ValidationError(
                f"You have {settings.API_TOKENS_PER_PERSON} live API tokens: revoke one on your account "
                "page first."
            )
        key = key_new()
        token = ApiToken(
            user=user,
            school=school,
            client_name=client_name,
            key_hash=key_hash(key),
            key_prefix=key_shown(key),
            created_at=now,
            expires_at=now + dt.timedelta(days=days),
        )
        token.full_clean()
        token.save()
    return token, key


def api_token_revoke(*, token, reason: str) -> None:
    """End one token now (kept, with why, so its owner sees what happened to it)."""
    ApiToken.objects.filter(pk=token.pk, revoked_at=None).update(
        revoked_at=timezone.now(), revoked_reason=reason
    )


def api_tokens_revoke(*, user, reason: str, school_id: int | None = None) -> int:
    """End the person's live tokens: all of them, or (``school_id``) those that reach that school, i.e. bound
    to it or to no school; a school admin never touches a token bound to another school. Returns how many."""
    tokens = ApiToken.objects.filter(user_id=user.pk, revoked_at=None)
    if school_id is not None:
        tokens = tokens.filter(Q(school_id=None) | Q(school_id=school_id))
    return tokens.update(revoked_at=timezone.now(), revoked_reason=reason)


def sessions_ended_note(*, user_ids, why: str) -> None:
    """Note why the people's sessions just ended (``User.SignedOut``), and when: their browsers, on their
    next request, show it on the login page (accounts.middleware.EndedSessionMiddleware)."""
    get_user_model().objects.filter(pk__in=list(user_ids)).update(
        signed_out_why=why, signed_out_at=timezone.now()
    )


def sign_out_everywhere(*, user, reason: str, school_id: int | None = None) -> int:
    """End every session of the person, on every device (their session epoch moves on, so the hash each
    session holds no longer matches: see ``User._get_session_auth_hash``), and revoke their API tokens (those
    reaching ``school_id`` when a school admin does it). Returns the number of tokens revoked."""
    why = (
        get_user_model().SignedOut.ADMIN
        if reason == ApiToken.Ended.ADMIN
        else get_user_model().SignedOut.SELF
    )
    with transaction.atomic():
        sessions_ended_note(user_ids=[user.pk], why=why)
        get_user_model().objects.filter(pk=user.pk).update(session_epoch=F("session_epoch") + 1)
        user.refresh_from_db(fields=["session_epoch"])
        return api_tokens_revoke(user=user, reason=reason, school_id=school_id)


def access_ended(*, user_ids: list[int], school_id: int) -> None:
    """Memberships in ``school_id`` were deactivated (the People page, a roster import): the people's
    sessions end everywhere (a session is the person's, not one school's) and their tokens that reach the
    school are revoked. Two queries whatever the number of people."""
    if not user_ids:
        return
    get_user_model().objects.filter(pk__in=user_ids).update(
        session_epoch=F("session_epoch") + 1,
        signed_out_why=get_user_model().SignedOut.DEACTIVATED,
        signed_out_at=timezone.now(),
    )
    ApiToken.objects.filter(user_id__in=user_ids, revoked_at=None).filter(
        Q(school_id=None) | Q(school_id=school_id)
    ).update(revoked_at=timezone.now(), revoked_reason=ApiToken.Ended.DEACTIVATED)
