"""Failed sign-ins: counted per account and per network address in Django's cache, then locked for a while.

Why our own and not django-axes: it is about eighty lines on the cache the project already has (Redis in
production, a private locmem per test), so it needs no middleware, no authentication backend and no tables,
and it keys the account by the *person* (their id), so typing the email or the username counts the same.

A count lives ``LOGIN_FAILURE_WINDOW`` seconds from its first failure; reaching the limit (per account
``LOGIN_FAILURES_PER_ACCOUNT``, per address ``LOGIN_FAILURES_PER_ADDRESS``) locks that account or address for
``LOGIN_LOCKOUT_SECONDS``. A lock refuses even the right password. A successful sign-in clears the account's
count; an admin unlocks an account from the People page or the Django admin. Unknown names are counted too
(under the name typed), so the answers never tell whether an account exists.
"""

import hashlib
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from rest_framework.throttling import BaseThrottle

PREFIX = "plp:signin"


@dataclass(frozen=True)
class Lock:
    until: float  # epoch seconds
    kind: str = "account"  # or "address": a whole network (a school's shared address) waits

    @property
    def minutes_left(self) -> int:
        return max(1, math.ceil((self.until - time.time()) / 60))

    @property
    def message(self) -> str:
        minutes = self.minutes_left
        wait = f"Try again in {minutes} minute{'s' if minutes != 1 else ''}"
        if self.kind == "address":
            return f"Too many failed sign-ins from this network. {wait}."
        return f"Too many failed sign-ins. {wait}, or ask your school's admin to unlock your account."


def _limits() -> dict[str, int]:
    return {
        "account": settings.LOGIN_FAILURES_PER_ACCOUNT,
        "address": settings.LOGIN_FAILURES_PER_ADDRESS,
    }


def account_key(*, user_id: int | None, typed: str) -> str:
    """The person when the name resolves to one, otherwise a digest of the name as typed (lower-cased):
    a cache key stays short and printable whatever is typed (memcached refuses keys over 250 characters or
    with spaces and control characters; the API fuzzer types both)."""
    if user_id:
        return f"user:{user_id}"
    return "name:" + hashlib.sha256(typed.strip().lower().encode()).hexdigest()[:32]


def client_address(request) -> str:
    """The address the request came from, by the API throttles' one rule (DRF's ``get_ident``):
    ``REMOTE_ADDR``, or the client's entry of ``X-Forwarded-For`` when ``PLP_NUM_PROXIES`` proxies are
    in front, so a client can never pick its own address by sending the header."""
    if not getattr(request, "META", None):
        return "unknown"
    return (BaseThrottle().get_ident(request) or "unknown")[:64]


def _keys(kind: str, ident: str) -> tuple[str, str]:
    return f"{PREFIX}:count:{kind}:{ident}", f"{PREFIX}:lock:{kind}:{ident}"


def _count(key: str, *, window: int) -> int:
    """One more in a window that starts at the first one (atomic on Redis and locmem)."""
    cache.add(key, 0, timeout=window)
    try:
        return cache.incr(key)
    except ValueError:  # the window ended between add and incr
        cache.set(key, 1, timeout=window)
        return 1


def password_reset_allowed(*, email: str, address: str) -> bool:
    """Reset requests per hour, per address and per email (``PASSWORD_RESET_REQUESTS_PER_HOUR``): beyond it
    no mail goes out, and the page answers as always, so the limit tells nobody whether an account exists."""
    limit = settings.PASSWORD_RESET_REQUESTS_PER_HOUR
    counts = [
        _count(f"{PREFIX}:reset:{kind}:{ident}", window=3600)
        for kind, ident in (("address", address), ("email", email.strip().lower()[:254]))
    ]
    return max(counts) <= limit


def lockout_check(*, account: str, address: str) -> Lock | None:
    """The lock on this account or this address, whichever ends later; None if neither is locked."""
    keys = {_keys("account", account)[1]: "account", _keys("address", address)[1]: "address"}
    now = time.time()
    locks = [
        Lock(until=until, kind=keys[key]) for key, until in cache.get_many(list(keys)).items() if until > now
    ]
    return max(locks, key=lambda lock: lock.until, default=None)


def lockout_failure(*, account: str, address: str) -> Lock | None:
    """Count one failed sign-in against the account and the address; returns the lock it caused, if any."""
    window, lock_for = settings.LOGIN_FAILURE_WINDOW, settings.LOGIN_LOCKOUT_SECONDS
    for kind, ident in (("account", account), ("address", address)):
        count_key, lock_key = _keys(kind, ident)
        if _count(count_key, window=window) >= _limits()[kind]:
            cache.set(lock_key, time.time() + lock_for, timeout=lock_for)
            cache.delete(count_key)
    return lockout_check(account=account, address=address)


def lockout_success(*, account: str) -> None:
    """The right password, unlocked: the account's count starts again (the address's does not)."""
    cache.delete(_keys("account", account)[0])


def lockout_clear(*, user_id: int) -> None:
    """An admin unlocks a person: their count and lock go (what their address did is another matter)."""
    cache.delete_many(list(_keys("account", account_key(user_id=user_id, typed=""))))


def lockout_clear_address(*, address: str) -> None:
    """Platform staff lift an address's lock (``manage.py unlock_sign_in --address``)."""
    cache.delete_many(list(_keys("address", address)))


def locked_user_ids(*, user_ids: list[int]) -> dict[int, Lock]:
    """Which of these people are locked out now (one cache read for a whole page of people)."""
    keys = {_keys("account", account_key(user_id=pk, typed=""))[1]: pk for pk in user_ids}
    now = time.time()
    return {keys[key]: Lock(until=until) for key, until in cache.get_many(list(keys)).items() if until > now}
