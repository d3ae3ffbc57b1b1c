"""Invitation links: a signed, expiring token to set a first password (Django's password-reset tokens).

The token is bound to the account's password hash and last login, so it dies once the password is set;
it expires after ``PASSWORD_RESET_TIMEOUT``. Resending simply mails a fresh link.
"""

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.mail import send_mail
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlencode, urlsafe_base64_encode


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "plp.accounts.invitations.InvitationTokenGenerator"


invitation_tokens = InvitationTokenGenerator()


def invitation_path(*, user) -> str:
    query = urlencode(
        {"u": urlsafe_base64_encode(force_bytes(user.pk)), "t": invitation_tokens.make_token(user)}
    )
    return f"{reverse('accounts:invitation')}?{query}"


def invitation_email_send(*, user, school_name: str, base_url: str) -> None:
    """Mail ``user`` a link to set their password (the console in development)."""
    days = max(1, settings.PASSWORD_RESET_TIMEOUT // 86400)
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
