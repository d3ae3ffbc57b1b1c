from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import SetPasswordForm
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django.views.decorators.debug import sensitive_post_parameters

from accounts.forms import SignInForm
from accounts.invitations import invitation_tokens
from accounts.lockout import client_address, lockout_clear, password_reset_allowed
from accounts.passwords import EMAIL_TEMPLATE, SUBJECT_TEMPLATE, SchoolPasswordResetForm


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
        response = super().form_valid(form)
        lockout_clear(user_id=form.user.pk)
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
        from schools.invitations import invitation_mark_accepted

        invitation_mark_accepted(user=user)
        messages.success(request, "Your password is set: log in with your email address.")
        return redirect("accounts:login")
    return render(request, "accounts/invitation.html", {"form": form, "invited": user})
