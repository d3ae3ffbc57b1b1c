"""Password reset: Django's views and tokens, our templates, the school's name in the email.

Django's tokens are bound to the password hash and the last login, so a link stops working once used (the
password changed) and after ``PASSWORD_RESET_TIMEOUT`` seconds. Only accounts with a password get a link:
people who never set one are invited instead (schools.invitations), and roster placeholder addresses
(``…@<school>.roster.invalid``) are never written to.
"""

from django.contrib.auth.forms import PasswordResetForm

from accounts.emails import is_placeholder_email
from accounts.selectors import PLATFORM_NAME, account_sender_name

SUBJECT_TEMPLATE = "accounts/password_reset_subject.txt"
EMAIL_TEMPLATE = "accounts/password_reset_email.txt"


class SchoolPasswordResetForm(PasswordResetForm):
    def get_users(self, email):
        return (user for user in super().get_users(email) if not is_placeholder_email(user.email))

    def send_mail(self, subject_template_name, email_template_name, context, *args, **kwargs):
        # An admin's "Send a reset link" names the admin's school; otherwise the person's only school.
        context["sender_name"] = context.get("sender_name") or account_sender_name(user=context["user"])
        context["platform_name"] = PLATFORM_NAME
        context["hours"] = context.get("hours") or _hours()
        super().send_mail(subject_template_name, email_template_name, context, *args, **kwargs)


def _hours() -> str:
    from django.conf import settings

    minutes = settings.PASSWORD_RESET_TIMEOUT // 60
    if minutes % 60:
        return f"{minutes} minutes"
    return f"{minutes // 60} hour{'s' if minutes // 60 != 1 else ''}"


def password_reset_send(*, user, request, school=None) -> None:
    """Mail ``user`` a reset link (an admin's "Send a reset link"), as the login page's "Forgot password?"
    would, from ``school`` (the admin's) when given. Raises ValidationError saying why not when that page
    would send nothing to them."""
    from django.core.exceptions import ValidationError

    form = SchoolPasswordResetForm({"email": user.email})
    if not form.is_valid() or not any(u.pk == user.pk for u in form.get_users(user.email)):
        if is_placeholder_email(user.email):
            raise ValidationError("The roster gives no email address for this person: add one first.")
        if not user.is_active:
            raise ValidationError("This account is deactivated.")
        raise ValidationError("This person has not set a password yet: send them an invitation instead.")
    form.save(
        request=request,
        use_https=request.is_secure(),
        subject_template_name=SUBJECT_TEMPLATE,
        email_template_name=EMAIL_TEMPLATE,
        extra_email_context={"sender_name": school.name} if school is not None else None,
    )
