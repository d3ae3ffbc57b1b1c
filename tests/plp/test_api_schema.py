"""The OpenAPI schema tells the truth: every GET of the API, made by every role in a school with one object
of each kind, answers a body the schema describes (pages where it says pages, nulls only where it says
nullable, every required field present), and every operation declares the errors it can answer."""

import importlib
import inspect
import re
from io import StringIO

import pytest
import yaml
from django.core.exceptions import FieldDoesNotExist
from django.core.management import call_command
from rest_framework import serializers
from rest_framework.test import APIClient

from tests.test_cross_tenant_matrix import ROLES_OF_A, SCHOOL_ROUTES, _school_url, all_routes


@pytest.fixture(scope="module")
def schema():
    out = StringIO()
    call_command("spectacular", stdout=out)
    return yaml.safe_load(out.getvalue())


def _resolve(schema, node):
    while "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[-1]]
    return node


TYPES = {
    "object": dict,
    "array": list,
    "string": str,
    "integer": int,
    "number": (int, float),
    "boolean": bool,
}


def _problems(schema, node, value, where: str) -> list[str]:
    """What in ``value`` the schema ``node`` does not describe (the subset of OpenAPI 3 we generate)."""
    node = _resolve(schema, node)
    if value is None:
        if node.get("nullable") or any(
            not _problems(schema, option, None, where)
            for option in node.get("oneOf", []) + node.get("anyOf", [])
        ):
            return []
        if node.get("enum") == [None]:
            return []
        return [f"{where}: null, but not declared nullable"]
    if "allOf" in node:
        return [p for part in node["allOf"] for p in _problems(schema, part, value, where)]
    for key in ("oneOf", "anyOf"):
        if key in node:
            if any(not _problems(schema, option, value, where) for option in node[key]):
                return []
            return [f"{where}: matches none of {key}"]
    if "enum" in node and value not in node["enum"]:
        return [f"{where}: {value!r} not in enum {node['enum']}"]
    expected = node.get("type")
    if expected is None:
        return []
    if not isinstance(value, TYPES[expected]) or (
        expected in {"integer", "number"} and isinstance(value, bool)
    ):
        return [f"{where}: {type(value).__name__}, documented as {expected}"]
    found = []
    if expected == "object":
        for name in node.get("required", []):
            if name not in value:
                found.append(f"{where}.{name}: required, but missing")
        properties = node.get("properties", {})
        for name, item in value.items():
            if name in properties:
                found += _problems(schema, properties[name], item, f"{where}.{name}")
            elif isinstance(node.get("additionalProperties"), dict):
                found += _problems(schema, node["additionalProperties"], item, f"{where}.{name}")
            elif properties:
                found.append(f"{where}.{name}: not documented")
    elif expected == "array":
        for n, item in enumerate(value[:5]):
            found += _problems(schema, node.get("items", {}), item, f"{where}[{n}]")
    return found


def _api_get_routes():
    return sorted(name for name in SCHOOL_ROUTES if name.startswith("api:") and "get" in _methods_of(name))


def _methods_of(name: str) -> set[str]:
    pattern = next(pattern for n, _, pattern in all_routes() if n == name)
    view = pattern.callback
    actions = getattr(view, "actions", None)
    if actions:
        return set(actions)
    return {m for m in ("get", "post", "patch", "delete") if hasattr(view.cls, m)}


def _operation(schema, path: str, method: str):
    for template, operations in schema["paths"].items():
        if re.fullmatch(re.sub(r"\{[^}]+\}", r"[^/]+", template), path):
            return operations[method]
    raise AssertionError(f"{method.upper()} {path} is not in the schema")


@pytest.mark.parametrize("role", ROLES_OF_A)
def test_every_api_get_answers_what_the_schema_describes(schema, school_a, role):
    client = APIClient()
    client.force_login(school_a.user(role))
    problems, checked = [], 0
    for name in _api_get_routes():
        url = _school_url(name, "alpha", school_a)
        response = client.get(url)
        if response.status_code != 200:
            continue
        checked += 1
        documented = _operation(schema, url, "get")["responses"]["200"]["content"]["application/json"][
            "schema"
        ]
        problems += _problems(schema, documented, response.json(), f"GET {url}")
    assert checked > 0
    assert problems == []


API_APPS = ["accounts", "schools", "learners", "playlists", "mastery", "mentoring", "engine", "dashboard"]


def _model_serializers():
    for app in API_APPS:
        for module_name in (f"{app}.serializers", f"{app}.apis"):
            try:
                module = importlib.import_module(module_name)
            except ModuleNotFoundError:
                continue
            for candidate in vars(module).values():
                nested = vars(candidate).values() if inspect.isclass(candidate) else ()
                for cls in (candidate, *nested):
                    if (
                        inspect.isclass(cls)
                        and issubclass(cls, serializers.ModelSerializer)
                        and cls.__module__ == module_name
                    ):
                        yield cls


def _nullable_in_the_model(model, source: str) -> bool:
    for part in source.split("."):
        try:
            field = model._meta.get_field(part)
        except FieldDoesNotExist:
            return False
        if field.null:
            return True
        model = field.related_model or model
    return False


def test_a_field_the_model_lets_be_null_is_declared_nullable():
    """A dotted source through a nullable relation answers null too (``item.title`` of no item)."""
    undeclared = sorted(
        f"{cls.__module__}.{cls.__qualname__}.{name}"
        for cls in _model_serializers()
        for name, field in cls().fields.items()
        if field.source != "*"
        and not field.allow_null
        and _nullable_in_the_model(cls.Meta.model, field.source)
    )
    assert undeclared == []


def test_paginated_lists_are_documented_as_pages(schema):
    for path in (
        "/api/v1/s/{school_slug}/learners/profiles/",
        "/api/v1/s/{school_slug}/learners/careers/",
        "/api/v1/s/{school_slug}/learners/plans/",
        "/api/v1/s/{school_slug}/mentoring/goals/",
        "/api/v1/s/{school_slug}/mentoring/check-ins/",
    ):
        documented = _resolve(
            schema, schema["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
        )
        assert documented["type"] == "object" and {"count", "results"} <= set(documented["properties"]), path
    weekly = schema["paths"]["/api/v1/s/{school_slug}/mentoring/goals/"]["post"]["responses"]["201"]
    assert weekly["content"]["application/json"]["schema"]["type"] == "array"  # a POST answers no page


def test_a_check_in_version_is_not_required_since_only_mentors_receive_it(schema):
    assert "version" not in schema["components"]["schemas"]["CheckInPrivateDetail"].get("required", [])


def test_every_operation_declares_the_errors_it_can_answer(schema):
    missing = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if method == "parameters":
                continue
            codes = set(operation["responses"])
            expected = {"400"} | ({"404"} if "{" in path else set())
            expected |= (
                {"401", "403"}
                if operation.get("security") != [] and path != "/api/v1/auth/token/"
                else {"429"}
            )
            if not expected <= codes:
                missing.append(f"{method.upper()} {path}: {sorted(expected - codes)}")
    assert missing == []
