"""Idle sign-out per school (the rule: accounts/idle.py)."""

import time
from contextlib import suppress

from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse
from django.urls import reverse

from accounts.idle import Idle, idle_state
from accounts.models import User
from accounts.selectors import idle_minutes_for

LAST_ACTIVITY = "plp_last_activity"
IDLE_LIMIT = "plp_idle_minutes"
POLL_HEADER = "HTTP_X_PLP_POLL"  # static/js/plp.js marks a page's own polling: not the person's activity


def start_idle_clock(sender, request, user, **kwargs):
    """At sign-in (``user_logged_in``): the clock starts and the person's limit is read, so the first pages
    after signing in write nothing; the time of signing in is kept (EndedSessionMiddleware)."""
    session = getattr(request, "session", None)
    if session is not None:
        session[SIGNED_IN_AT] = time.time()  # to the microsecond: compared with User.signed_out_at
        session[LAST_ACTIVITY] = int(session[SIGNED_IN_AT])
        session[IDLE_LIMIT] = idle_minutes_for(user_id=user.pk)


SIGNED_IN_AT = "plp_signed_in_at"
ENDED_MESSAGES = {
    "admin": "You were signed out: an administrator of your school ended your sessions. Sign in again; if "
    "you did not expect this, ask your school.",
    "deactivated": "You were signed out: your school's administrator ended your access. If you think this is "
    "a mistake, ask your school.",
    "password": "You were signed out: an administrator set a new password for your account. Ask your teacher "
    "or your school for it.",
    "self": "You were signed out: your password changed or you signed out on every device. Sign in again.",
    "": "Your session ended. Sign in again; if you cannot, ask your school.",
}


class EndedSessionMiddleware:
    """A browser whose session an adult ended elsewhere (signed out by an admin, access deactivated, a
    password set by an admin: ``User.signed_out_why``) is told why on the login page, instead of just
    landing there. Only that browser: the message is keyed on the session it held, and says nothing about
    who did it. One query, only on the request that finds its session ended; none otherwise."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = request.session
        user_id, signed_in_at = session.get(SESSION_KEY), session.get(SIGNED_IN_AT) or 0
        # Read before request.user: Django's check flushes the session of a changed password. The user is
        # asked for only after the page (which loads them anyway, in the school's scope: loading them here,
        # before the tenancy middleware, cost every page a second scope statement).
        response = self.get_response(request)
        if user_id is None or request.user.is_authenticated:
            return response
        logout(request)  # Django flushed a changed password's session; an inactive account's it keeps
        if not request.path_info.startswith("/api/"):  # shown by the login page the response leads to
            messages.info(request, ENDED_MESSAGES[self._why(user_id, signed_in_at)])
        return response

    @staticmethod
    def _why(user_id, signed_in_at: float) -> str:
        with suppress(TypeError, ValueError):
            row = User.objects.filter(pk=int(user_id)).values_list("signed_out_why", "signed_out_at").first()
            if row and row[1] and row[1].timestamp() >= signed_in_at and row[0] in ENDED_MESSAGES:
                return row[0]
        return ""


class IdleSignOutMiddleware:
    """Signs a person out when their session has been idle longer than their schools allow, and says so on
    the login page. Reads only the session (no user query); writes it at most once a minute. A page's
    automatic polling (the dashboard, an import's progress) keeps nobody signed in; it is still refused
    once the limit has passed. API requests signed in by session get the API's 401, without a message."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = request.session
        user_id = session.get(SESSION_KEY)
        if user_id is None:
            return self.get_response(request)
        now = int(time.time())
        limit = session.get(IDLE_LIMIT)
        state = idle_state(last_activity=session.get(LAST_ACTIVITY), limit_minutes=limit, now=now)
        if state is Idle.EXPIRED:
            return self._sign_out(request, limit)
        if state is Idle.TOUCH and not request.META.get(POLL_HEADER):
            session[LAST_ACTIVITY] = now
            with suppress(TypeError, ValueError):  # not one of our ids: Django's own check refuses it
                session[IDLE_LIMIT] = idle_minutes_for(user_id=int(user_id))
        return self.get_response(request)

    def _sign_out(self, request, limit: int):
        logout(request)
        if request.path_info.startswith("/api/"):
            return self.get_response(request)
        messages.info(request, f"You were signed out after {limit} minutes without activity.")
        if request.path_info == reverse("accounts:login"):
            return self.get_response(request)
        login = redirect_to_login(request.get_full_path() if request.method == "GET" else "/")
        if getattr(request, "htmx", False) or request.headers.get("HX-Request"):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = login["Location"]
            return response
        return login
