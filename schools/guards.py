"""The one order of checks for pages about an object: the object (404), then the method (405), then the
role (403).

The cross-tenant rule comes first: another school's id, or an object the person may not see at all, is a
404 whatever the method or role, so it is never told apart from a missing one. Only then is a method the
page does not take a 405, and a person who may see the object but not act on it a 403."""

from collections.abc import Collection

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseNotAllowed

from schools.roles import SCHOOL_WIDE_ROLES, STAFF_ROLES

SAFE = ("GET", "HEAD")
READ_WRITE = ("GET", "HEAD", "POST")
POST = ("POST",)
ROLE_REFUSAL = "Your role in this school does not give access to this page."


def adults_only(request) -> None:
    """Pages about one object that only adults see: to a student the object does not exist (404)."""
    if request.school_roles.isdisjoint(STAFF_ROLES):
        raise Http404("No such page.")


def admins_only(request, *, missing: str = "No such page.") -> None:
    """Pages about one object of the school's set-up (an LTI registration, a tool, a sign-in provider, a
    section's details) that only school and district admins see: to anyone else it does not exist (404,
    saying ``missing``), like another school's id."""
    if request.school_roles.isdisjoint(SCHOOL_WIDE_ROLES):
        raise Http404(missing)


def role_required(request, roles: Collection[str], *, refusal: str = ROLE_REFUSAL) -> None:
    """After the object's lookup: 403 (``refusal``) unless the person holds one of ``roles`` (they may see
    the object, so it is no secret that it exists)."""
    if request.school_roles.isdisjoint(roles):
        raise PermissionDenied(refusal)


def method_then_role(
    request,
    *,
    methods: Collection[str],
    roles: Collection[str] | None = None,
    refusal: str = ROLE_REFUSAL,
) -> HttpResponseNotAllowed | None:
    """Call after the object lookup. A 405 response for a method the page does not take (HEAD goes with
    GET), else ``PermissionDenied`` (403) when ``roles`` is given and the person holds none of them, else
    None: go on."""
    allowed = list(methods)
    if "GET" in allowed and "HEAD" not in allowed:
        allowed.append("HEAD")
    if request.method not in allowed:
        return HttpResponseNotAllowed(allowed)
    if roles is not None:
        role_required(request, roles, refusal=refusal)
    return None
