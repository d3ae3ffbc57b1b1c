"""Answers for htmx requests shared by the apps' pages."""

from django.shortcuts import redirect, render


def htmx_redirect(request, url: str):
    """After a successful POST, send the browser to ``url``: htmx follows ``HX-Redirect`` (on an empty
    page), a plain form gets a 302."""
    if request.htmx:
        response = render(request, "_empty.html")
        response["HX-Redirect"] = url
        return response
    return redirect(url)
