"""Entering a school for one request, at the edge: resolved once, held until the response is rendered.

Who may enter is the schools app's rule (active memberships and district admins, ``schools/entry.py``):
the tenancy core sits below the app that stores memberships (README, "App layers"), so the rule registers
itself here from ``SchoolsConfig.ready``, as the tenant's table is named by a setting (``tenant.py``).
Fails closed: a request before the rule registered raises instead of entering a school unchecked.
"""

import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass

from django.db import models
from django.http import HttpRequest
from django.utils import timezone

from plp.ports import Port
from plp.tenancy.context import SchoolToken, activate_school, deactivate_school


@dataclass(frozen=True)
class SchoolAccess:
    school: models.Model  # the tenant model's row (settings.PLP_TENANT_MODEL)
    roles: frozenset[str]

    def has_any(self, *roles: str) -> bool:
        return not self.roles.isdisjoint(roles)


_port: Port[Callable[..., SchoolAccess]] = Port("No school entry rule: is the schools app installed?")


def register(rule: Callable[..., SchoolAccess]) -> None:
    """The schools app's ``ready``: ``rule(user=…, school_slug=…)`` returns the school and the person's roles
    in it, or raises 404 when they may not enter."""
    _port.register(rule)


def school_access_for(*, user, school_slug: str) -> SchoolAccess:
    """The school named in the URL, if ``user`` belongs to it; 404 otherwise (never 403: no oracle)."""
    return _port.handler(user=user, school_slug=school_slug)


def enter_school(request: HttpRequest, access: SchoolAccess) -> SchoolToken:
    """Make the school active for the rest of this request: the tenant scope, the school's time zone, and
    ``request.school`` / ``request.school_roles``. Pair with :func:`leave_school` in a ``finally``."""
    request.school, request.school_roles = access.school, access.roles
    timezone.activate(zoneinfo.ZoneInfo(access.school.timezone))
    return activate_school(access.school)


def leave_school(token: SchoolToken) -> None:
    deactivate_school(token)
    timezone.deactivate()
