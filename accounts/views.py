from django.contrib import messages
from django.contrib.auth import get_user_model, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_POST, require_safe

from accounts import person_schools
from accounts.forms import ApiTokenForm, SignInForm, sso_required_message
from accounts.invitations import invitation_tokens
from accounts.lockout import client_address, lockout_clear, password_reset_allowed
from accounts.models import ApiToken
from accounts.passwords import EMAIL_TEMPLATE, SUBJECT_TEMPLATE, SchoolPasswordResetForm
from accounts.selectors import api_token_get, api_tokens_of
from accounts.services import api_token_issue, api_token_revoke, sign_out_everywhere


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    """POST only (Django's default): a link or prefetch cannot log anyone out."""


class PasswordResetView(auth_views.PasswordResetView):
    """ "Forgot password?": the same answer whether or not the email is known, and whether or not the
    request was over the hourly limit (then no mail goes out)."""

    template_name = "accounts/password_reset.html"
    form_class = SchoolPasswordResetForm
    subject_template_name = SUBJECT_TEMPLATE
    email_template_name = EMAIL_TEMPLATE
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form):
        if not password_reset_allowed(email=form.cleaned_data["email"], address=client_address(self.request)):
            return redirect(self.success_url)
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's: the token moves to the session before the form shows (no token in a Referer). A new
    password signs the person in and lifts a sign-in lock (they proved they own the email)."""

    template_name = "accounts/password_reset_confirm.html"
    post_reset_login = True
    success_url = reverse_lazy("schools:picker")

    def form_valid(self, form):
        required = person_schools.sso_required_for(user=form.user)
        if required is not None:  # the password login refuses this role: so must the link that sets one
            self.post_reset_login = False
        response = super().form_valid(form)
        lockout_clear(user_id=form.user.pk)
        if required is not None:
            messages.info(self.request, f"Your new password is set. {sso_required_message(required)}")
            return redirect("sso:school", school=required.school.slug)
        messages.success(self.request, "Your new password is set, and you are signed in.")
        return response


def _invited_user(uidb64: str, token: str):
    try:
        pk = int(force_str(urlsafe_base64_decode(uidb64)))
    except (TypeError, ValueError, OverflowError, UnicodeDecodeError):
        return None
    user = get_user_model().objects.filter(pk=pk, is_active=True).first()
    if user is None or not invitation_tokens.check_token(user, token):
        return None
    return user


SESSION_KEY = "plp_invitation"


@sensitive_post_parameters()
def invitation_accept(request):
    """Set a first password from an invitation link (``?u=<uid>&t=<token>``). Like Django's password
    reset, the token moves to the session and the page reloads without it, so it never leaks in a
    Referer header. An expired or used link says so, and whom to ask."""
    if "u" in request.GET and "t" in request.GET:
        request.session[SESSION_KEY] = [request.GET["u"][:64], request.GET["t"][:128]]
        return redirect("accounts:invitation")
    uidb64, token = request.session.get(SESSION_KEY) or ["", ""]
    user = _invited_user(uidb64, token) if token else None
    if user is None:
        return render(request, "accounts/invitation.html", {"invalid": True})
    form = SetPasswordForm(user, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        form.save()
        request.session.pop(SESSION_KEY, None)
        person_schools.invitation_accepted(user=user)
        messages.success(request, "Your password is set: log in with your email address.")
        return redirect("accounts:login")
    return render(request, "accounts/invitation.html", {"form": form, "invited": user})


# The account page: sign out everywhere, change the password, API tokens ----------------------------------


def _account_context(request, *, form=None, new_key=None, new_token=None):
    schools = [choice.school for choice in person_schools.schools_for_user(user=request.user)]
    tokens = list(api_tokens_of(user=request.user)[:ACCOUNT_TOKENS_SHOWN])
    now = timezone.now()
    return {
        "form": form or ApiTokenForm(schools=schools),
        "live_tokens": [t for t in tokens if t.is_live(now=now)],
        "ended_tokens": [t for t in tokens if not t.is_live(now=now)],
        "new_key": new_key,
        "new_token": new_token,
    }


ACCOUNT_TOKENS_SHOWN = 100


@login_required
@require_safe
def account(request):
    """The person's own account: change the password, sign out everywhere, their API tokens."""
    return render(request, "accounts/account.html", _account_context(request))


@login_required
@require_POST
@sensitive_variables("key")
def token_create(request):
    """Issue a token from the page: the key is shown on this response only (never stored, never redirected
    through a URL or the session)."""
    schools = [choice.school for choice in person_schools.schools_for_user(user=request.user)]
    form = ApiTokenForm(request.POST, schools=schools)
    if form.is_valid():
        try:
            token, key = api_token_issue(
                user=request.user,
                client_name=form.cleaned_data["client_name"],
                school=form.schools.get(form.cleaned_data["school"]),
                days=form.cleaned_data["days"],
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                exc = ValidationError({_TOKEN_FIELDS.get(k, k): v for k, v in exc.error_dict.items()})
            form.add_error(None, exc)
        else:
            response = render(
                request, "accounts/account.html", _account_context(request, new_key=key, new_token=token)
            )
            response["Cache-Control"] = "no-store"
            return response
    return render(request, "accounts/account.html", _account_context(request, form=form), status=400)


_TOKEN_FIELDS = {"client": "client_name", "expires_in_days": "days"}


@login_required
@require_POST
def token_revoke(request, token_id: int):
    token = api_token_get(user=request.user, token_id=token_id)
    api_token_revoke(token=token, reason=ApiToken.Ended.REVOKED)
    messages.success(request, f"The token for “{token.client_name}” is revoked: it no longer works.")
    return redirect("accounts:account")


@login_required
@require_POST
def sign_out_everywhere_view(request):
    """End every session of the person (this one too: a shared computer is the usual reason) and revoke
    their API tokens."""
    revoked = sign_out_everywhere(user=request.user, reason=ApiToken.Ended.SIGN_OUT)
    logout(request)
    tokens = f" and {revoked} API token{'s' if revoked != 1 else ''} revoked" if revoked else ""
    messages.success(request, f"You are signed out everywhere, on every device{tokens}.")
    return redirect("accounts:login")


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's: this session stays signed in; every other session ends and every API token is revoked
    (``User.save``)."""

    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:account")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(
            self.request,
            "Your password is changed. Other devices are signed out and your API tokens revoked.",
        )
        return response
