"""The cross-tenant matrix: every URL the project has, requested by every role of school A against school B.

A new URL pattern fails ``test_every_url_pattern_is_in_the_matrix`` until its app's
``tests/<app>/matrix_part.py`` lists it, as a school route (its object ids must be known in
``SCHOOL_B_OBJECT``) or a global route (with the reason it cannot leak a school's data). School A and
school B belong to different organizations, so even A's district admin has no business in B.
"""

import importlib
import inspect
import re
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework.test import APIClient

from plp.tenancy.context import school_scope
from schools.roles import DISTRICT_ADMIN, Role
from tests.conftest import SchoolWorld

ROLES_OF_A = (Role.STUDENT, Role.TEACHER, Role.MENTOR, Role.SCHOOL_ADMIN, DISTRICT_ADMIN)
WRITE_METHODS = ("post", "put", "patch", "delete")
LEAK = re.compile(r"bravo", re.IGNORECASE)  # every school-B name, email and slug contains it


# GLOBAL_KWARGS: a global route's URL kwargs, for the few that take some (a signed link's uid and token), or
# a maker of them: called with school A's world (a public id of one of school A's objects, e.g. an SSO
# provider) or with (school A's world, role) for a secret that must be made for the role (a feed token).
GLOBAL_KWARGS: dict[str, dict[str, str]] = {}


def _collect_parts():
    """Each app's routes live beside its tests, in ``tests/<app>/matrix_part.py`` (see tests/schools/)."""
    school_routes, global_routes, b_objects, admin_objects, snapshots = {}, {}, {}, {}, []
    for path in sorted(Path(__file__).parent.glob("*/matrix_part.py")):
        part = importlib.import_module(f"tests.{path.parent.name}.matrix_part")
        for kwarg, make in getattr(part, "SCHOOL_B_OBJECT", {}).items():
            b_objects.setdefault(kwarg, []).append(make)  # parts may share a kwarg (student_id)
        for mine, theirs in (
            (school_routes, getattr(part, "SCHOOL_ROUTES", {})),
            (global_routes, getattr(part, "GLOBAL_ROUTES", {})),
            (admin_objects, getattr(part, "ADMIN_OBJECT", {})),
            (GLOBAL_KWARGS, getattr(part, "GLOBAL_KWARGS", {})),
        ):
            clash = set(mine) & set(theirs)
            assert not clash, f"{path}: matrix entries declared twice: {clash}"
            mine.update(theirs)
        if hasattr(part, "snapshot"):
            snapshots.append(part.snapshot)
    b_object = {kwarg: _agreeing(makers) for kwarg, makers in b_objects.items()}
    return school_routes, global_routes, b_object, admin_objects, snapshots


def _agreeing(makers):
    """One maker for a kwarg several parts know: each makes its objects, and all must name the same id."""

    def make(world):
        ids = {maker(world) for maker in makers}
        assert len(ids) == 1, f"matrix parts disagree on school B's object: {ids}"
        return ids.pop()

    return make


# SCHOOL_ROUTES: every route under /s/<school_slug>/.  SCHOOL_B_OBJECT: URL kwarg → school B's object of
# that kind (a school route with an unknown kwarg fails the matrix).  GLOBAL_ROUTES: routes outside any
# school, each with the reason it cannot show another school's data.  snapshot(world): the rows of a
# school that no request from another school may change.
SCHOOL_ROUTES, GLOBAL_ROUTES, SCHOOL_B_OBJECT, ADMIN_OBJECT, SNAPSHOTS = _collect_parts()

# The Django admin is for platform staff only: every admin/ route sends others to the admin login.
ADMIN_PREFIX = "admin/"


def _walk(patterns, prefix="", namespace=None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = namespace
            if pattern.namespace:
                ns = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), ns)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
            yield name, prefix + str(pattern.pattern), pattern


def all_routes():
    return list(_walk(get_resolver().url_patterns))


_KWARG = re.compile(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>")


def _kwarg_names(route: str) -> list[str]:
    return [converter or group for converter, group in _KWARG.findall(route)]


def test_every_url_pattern_is_in_the_matrix():
    missing, unnamed = [], []
    for name, route, _ in all_routes():
        if route.startswith(ADMIN_PREFIX):
            continue
        if name is None:
            unnamed.append(route)
        elif "<slug:school_slug>" in route:
            if name not in SCHOOL_ROUTES:
                missing.append(f"{name} ({route}): add it to SCHOOL_ROUTES")
            unknown = set(_kwarg_names(route)) - {"school_slug"} - set(SCHOOL_B_OBJECT)
            if unknown:
                missing.append(f"{name}: teach SCHOOL_B_OBJECT how to find school B's {unknown}")
        elif name not in GLOBAL_ROUTES:
            missing.append(f"{name} ({route}): add it to GLOBAL_ROUTES with the reason it is safe")
    assert not unnamed, f"Every route needs a name: {unnamed}"
    assert not missing, "URLs missing from the cross-tenant matrix:\n" + "\n".join(missing)
    known = {name for name, _, _ in all_routes()}
    stale = (set(SCHOOL_ROUTES) | set(GLOBAL_ROUTES)) - known
    assert not stale, f"Matrix entries for routes that no longer exist: {stale}"


def _school_url(name: str, school_slug: str, objects_of: SchoolWorld | None) -> str:
    route = next(route for n, route, _ in all_routes() if n == name)
    kwargs = {"school_slug": school_slug}
    for kwarg in _kwarg_names(route):
        if kwarg != "school_slug":
            kwargs[kwarg] = SCHOOL_B_OBJECT[kwarg](objects_of)
    return reverse(name, kwargs=kwargs)


def _has_object_kwargs(name: str) -> bool:
    route = next(route for n, route, _ in all_routes() if n == name)
    return any(kwarg != "school_slug" for kwarg in _kwarg_names(route))


def _client_for(user):
    client = APIClient()
    client.force_login(user)
    return client


def _snapshot_of(world: SchoolWorld):
    with school_scope(world.school):
        return [snapshot(world) for snapshot in SNAPSHOTS]


def _assert_no_leak(response, what: str):
    body = response.content.decode(errors="replace")
    assert response.status_code != 500, f"{what}: 500"
    match = LEAK.search(body)
    assert match is None, (
        f"{what}: school B's data in the body: …{body[max(0, match.start() - 80) : match.end() + 80]}…"
    )


@pytest.mark.parametrize("role", ROLES_OF_A)
@pytest.mark.parametrize("name", sorted(SCHOOL_ROUTES))
def test_school_a_roles_get_404_for_school_b(name, role, school_a, school_b):
    client = _client_for(school_a.user(role))
    url = _school_url(name, "bravo", school_b)  # may create school B's object: snapshot after
    before = _snapshot_of(school_b)

    # School B's URL, with school B's objects: not found, whatever the method.
    for method in ("get", *WRITE_METHODS):
        response = getattr(client, method)(url)
        assert response.status_code == 404, f"{role} {method.upper()} {url}: {response.status_code}"
        _assert_no_leak(response, f"{role} {method.upper()} {url}")

    # School A's URL: with school B's object ids, not found; without ids, A's own page, free of B.
    url = _school_url(name, "alpha", school_b)
    response = client.get(url)
    if _has_object_kwargs(name):
        assert response.status_code == 404, f"{role} GET {url}: {response.status_code}"
        for method in WRITE_METHODS:
            written = getattr(client, method)(url)
            assert written.status_code in {404, 405}, f"{role} {method} {url}: {written.status_code}"
            _assert_no_leak(written, f"{role} {method.upper()} {url}")
    else:
        assert response.status_code in {200, 403}, f"{role} GET {url}: {response.status_code}"
    _assert_no_leak(response, f"{role} GET {url}")
    assert _snapshot_of(school_b) == before, "school B's data changed"


@pytest.mark.parametrize("name", sorted(SCHOOL_ROUTES))
def test_anonymous_visitors_get_login_or_401_never_data(name, school_a, school_b):
    url = _school_url(name, "bravo", school_b)
    response = APIClient().get(url)
    if SCHOOL_ROUTES[name].api:
        assert response.status_code == 401
    else:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    _assert_no_leak(response, f"anonymous GET {url}")


@pytest.mark.parametrize("role", ROLES_OF_A)
@pytest.mark.parametrize("name", sorted(GLOBAL_ROUTES))
def test_global_routes_show_school_a_roles_nothing_of_school_b(name, role, school_a, school_b):
    client = _client_for(school_a.user(role))
    kwargs = GLOBAL_KWARGS.get(name)
    if callable(kwargs):  # made in school A's world, while school B exists with its data
        school_b.user(Role.STUDENT)
        takes_role = len(inspect.signature(kwargs).parameters) == 2
        kwargs = kwargs(school_a, role) if takes_role else kwargs(school_a)
    response = client.get(reverse(name, kwargs=kwargs), follow=True)
    # 401: an endpoint a tool's server calls with a bearer token (an AGS line item) ignores the session
    assert response.status_code in {200, 401, 405}, f"{role} GET {name}: {response.status_code}"
    _assert_no_leak(response, f"{role} GET {name}")


@pytest.mark.parametrize("role", ROLES_OF_A)
def test_the_django_admin_is_closed_to_everyone_but_platform_staff(role, school_a, school_b):
    client = _client_for(school_a.user(role))
    checked = 0
    for name, route, _ in all_routes():
        if not route.startswith(ADMIN_PREFIX) or name in {"admin:login", "admin:logout"}:
            continue
        model = next((m for m in ADMIN_OBJECT if f"/{m}/" in route), None)
        object_id = str(ADMIN_OBJECT[model](school_b)) if model else "1"
        kwargs = {
            "object_id": object_id,
            "content_type_id": "1",
            "app_label": "schools",
            "id": object_id,
        }
        url = "/" + re.sub(
            r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>[^)]*\)",
            lambda m, kwargs=kwargs: kwargs.get(m.group(1) or m.group(2), "x"),
            route,
        ).replace("^", "").replace("$", "").replace(".*", "")
        response = client.get(url)
        assert response.status_code == 302, f"{role} GET {url}: {response.status_code}"
        assert "/admin/login/" in response["Location"]
        _assert_no_leak(response, f"{role} GET {url}")
        checked += 1
    assert checked > 20
