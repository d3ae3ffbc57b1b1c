"""Invitation links: a signed, expiring token to set a first password (Django's password-reset tokens).

The token is bound to the account's password hash and last login, so it dies once the password is set;
it expires after ``INVITATION_TIMEOUT`` (``PLP_INVITATION_DAYS``), its own setting: a school invites people
weeks before term, while a password-reset link should live hours. Resending simply mails a fresh link.
"""

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.mail import send_mail
from django.urls import reverse
from django.utils.crypto import constant_time_compare
from django.utils.encoding import force_bytes
from django.utils.http import base36_to_int, urlencode, urlsafe_base64_encode


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "plp.accounts.invitations.InvitationTokenGenerator"

    def check_token(self, user, token) -> bool:
        """Django's check with the invitation's lifetime instead of ``PASSWORD_RESET_TIMEOUT`` (which
        Django's own check reads and cannot be given another value)."""
        if not (user and token):
            return False
        try:
            timestamp = base36_to_int(token.split("-")[0])
        except ValueError:
            return False
        if not any(
            constant_time_compare(self._make_token_with_timestamp(user, timestamp, secret), token)
            for secret in [self.secret, *self.secret_fallbacks]
        ):
            return False
        return self._num_seconds(self._now()) - timestamp <= settings.INVITATION_TIMEOUT


invitation_tokens = InvitationTokenGenerator()


def invitation_path(*, user) -> str:
    query = urlencode(
        {"u": urlsafe_base64_encode(force_bytes(user.pk)), "t": invitation_tokens.make_token(user)}
    )
    return f"{reverse('accounts:invitation')}?{query}"


def invitation_email_send(*, user, school_name: str, base_url: str) -> None:
    """Mail ``user`` a link to set their password (the console in development)."""
    days = max(1, settings.INVITATION_TIMEOUT // 86400)
    link = base_url.rstrip("/") + invitation_path(user=user)
    send_mail(
        subject=f"You are invited to PLP at {school_name}",
        message=(
            f"Hello {user.get_short_name()},\n\n"
            f"{school_name} has invited you to PLP, its learning platform.\n"
            f"Set your password here (the link works for {days} day{'s' if days > 1 else ''}, once):\n\n"
            f"{link}\n\nYou will log in with this email address: {user.email}\n"
        ),
        from_email=None,
        recipient_list=[user.email],
    )
