"""``Authorization: Token <key>`` for the API, with our tokens (accounts.ApiToken): hashed, expiring,
revocable, optionally bound to one school (``plp.api.views.SchoolScopedAPIMixin`` holds it to that school)."""

import datetime as dt

from django.utils import timezone
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from accounts.selectors import api_token_for_key

# last_used_at is a hint for its owner ("used 3 minutes ago"), not an audit trail: written at most once a
# minute per token, so an API client's burst of requests does not write a row each.
LAST_USED_EVERY = dt.timedelta(minutes=1)


class ApiTokenAuthentication(BaseAuthentication):
    keyword = "Token"

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword.lower().encode():
            return None  # another scheme (or none): the session may still sign the request in
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed("Send the header as: Authorization: Token <key>.")
        try:
            key = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed("Invalid token.") from None
        token = api_token_for_key(key=key)
        if token is None:
            raise exceptions.AuthenticationFailed("Invalid token.")
        now = timezone.now()
        if token.revoked_at is not None:
            raise exceptions.AuthenticationFailed("This token was revoked: issue a new one.")
        if token.expires_at <= now:
            raise exceptions.AuthenticationFailed("This token has expired: issue a new one.")
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed("Invalid token.")
        if token.last_used_at is None or now - token.last_used_at >= LAST_USED_EVERY:
            type(token).objects.filter(pk=token.pk).update(last_used_at=now)
            token.last_used_at = now
        return token.user, token

    def authenticate_header(self, request):
        return self.keyword
