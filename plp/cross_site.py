"""Endpoints another site calls or posts to: an LMS's login and launch, an identity provider's SAML answer,
a tool's token and score requests. Such a request carries no CSRF token (its signature, state or access
token is the check), is never cached, and finds its school itself from the public id in its URL. What it
refuses is kept in the browser's session and shown once by a page of PLP's own (after a redirect, so the
request's code or assertion does not stay in the address bar)."""

import functools
from collections.abc import Callable, Collection

from django.http import HttpResponseNotAllowed
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from plp.refusals import RefusalText
from plp.tenancy.context import sees_all_schools


def cross_site_endpoint(*, methods: Collection[str]):
    """Exempt the view from CSRF, never cache it, let it see every school while it looks its school up
    (``sees_all_schools``), and answer a method outside ``methods`` with a 405 before the view runs."""
    allowed = list(methods)

    def decorate(view):
        @sees_all_schools
        @csrf_exempt
        @never_cache
        @functools.wraps(view)
        def endpoint(request, *args, **kwargs):
            if request.method not in allowed:
                return HttpResponseNotAllowed(allowed)
            return view(request, *args, **kwargs)

        return endpoint

    return decorate


def refused_page(request, *, session_key: str, text: RefusalText, more: Callable[[dict], dict] | None = None):
    """The refusal kept under ``session_key`` (``reason``, ``context``), read once and said in ``text``'s
    words; ``more`` adds to the page what the refusal itself says (a link to start again). A plain page
    when there is none."""
    refusal = request.session.pop(session_key, None)
    if not isinstance(refusal, dict):
        return render(request, "refused.html", {"heading": "Nothing to show here", "body": ""})
    heading, body = text(reason=refusal.get("reason", ""), context=refusal.get("context") or {})
    context = {"heading": heading, "body": body, **(more(refusal) if more else {})}
    return render(request, "refused.html", context)
