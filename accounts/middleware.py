"""Idle sign-out per school (the rule: accounts/idle.py)."""

import time
from contextlib import suppress

from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse
from django.urls import reverse

from accounts.idle import Idle, idle_state
from accounts.selectors import idle_minutes_for

LAST_ACTIVITY = "plp_last_activity"
IDLE_LIMIT = "plp_idle_minutes"
POLL_HEADER = "HTTP_X_PLP_POLL"  # static/js/plp.js marks a page's own polling: not the person's activity


def start_idle_clock(sender, request, user, **kwargs):
    """At sign-in (``user_logged_in``): the clock starts and the person's limit is read, so the first pages
    after signing in write nothing."""
    session = getattr(request, "session", None)
    if session is not None:
        session[LAST_ACTIVITY] = int(time.time())
        session[IDLE_LIMIT] = idle_minutes_for(user_id=user.pk)


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
