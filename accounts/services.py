"""Signing in: the one path the login page and the API token endpoint share, lockout included."""

from django.contrib.auth import authenticate, get_user_model

from accounts.lockout import (
    Lock,
    account_key,
    client_address,
    lockout_check,
    lockout_failure,
    lockout_success,
)


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
