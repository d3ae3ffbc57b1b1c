from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator

from accounts import person_schools
from accounts.services import SignInLocked, sign_in_authenticate


class LockoutMixin:
    """Django's ``AuthenticationForm.clean`` through ``sign_in_authenticate``: the same lockout on every
    password form (the login page, the Django admin's login)."""

    def clean(self):
        identifier, password = self.cleaned_data.get("username"), self.cleaned_data.get("password")
        if identifier and password:
            try:
                self.user_cache = sign_in_authenticate(
                    request=self.request, identifier=identifier, password=password
                )
            except SignInLocked as locked:
                raise ValidationError(locked.lock.message, code="locked") from None
            if self.user_cache is None:
                raise self.get_invalid_login_error()
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data


class SignInForm(LockoutMixin, AuthenticationForm):
    """Django's login form, for an email or (people the roster gives none) a username, with the lockout."""

    username = forms.CharField(
        label="Email or username",
        max_length=254,
        widget=forms.TextInput(
            attrs={
                "autofocus": True,
                "autocomplete": "username",
                "autocapitalize": "none",
                "spellcheck": "false",
            }
        ),
    )

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "That email or username and password do not match an active account.",
    }

    sso_required = None  # the school whose sign-in buttons this person must use, once refused

    def confirm_login_allowed(self, user):
        """The right password, but a school of theirs signs their role in with single sign-on only:
        refused, pointing at that school's sign-in buttons (sso.selectors.sso_required_for, asked through
        accounts.person_schools)."""
        super().confirm_login_allowed(user)
        required = person_schools.sso_required_for(user=user)
        if required is not None:
            self.sso_required = required
            raise ValidationError(sso_required_message(required), code="sso_required")


def sso_required_message(required) -> str:
    """Why a password does not sign this person in (``sso.selectors.SsoRequired``), and what to use."""
    return (
        f"{required.school.name} signs in every {required.role_label.lower()} with their school account: "
        f"use “Sign in with {' or '.join(required.providers)}” on {required.school.name}'s sign-in page."
    )


class StaffSignInForm(LockoutMixin, AdminAuthenticationForm):
    """The Django admin's login (platform staff only), under the same lockout."""


class ApiTokenForm(forms.Form):
    """A new API token from the account page (also for people who sign in without a password, by SSO)."""

    client_name = forms.CharField(
        label="What will use it",
        max_length=100,
        help_text="A name you will recognise: a script, an app. A new token for the same name replaces it.",
    )
    school = forms.TypedChoiceField(
        label="School",
        coerce=int,
        required=False,
        empty_value=None,
        help_text="Bind it to one school, or not.",
    )
    days = forms.IntegerField(label="Expires after (days)", min_value=1)

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.schools = {school.pk: school for school in schools}
        self.fields["school"].choices = [("", "Every school of mine")] + [
            (school.pk, school.name) for school in schools
        ]
        self.fields["days"].validators.append(MaxValueValidator(settings.API_TOKEN_MAX_DAYS))
        self.fields["days"].widget.attrs["max"] = settings.API_TOKEN_MAX_DAYS
        self.fields["days"].initial = settings.API_TOKEN_DAYS
        self.fields["days"].help_text = f"1 to {settings.API_TOKEN_MAX_DAYS} days."
