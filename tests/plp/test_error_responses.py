"""Errors answer in the caller's language: pages get a plain HTML page, the API always gets JSON. A database
that refuses connections (down, or every connection taken) is a 503 with Retry-After, never a 500."""

from unittest import mock

import pytest
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client


@pytest.fixture
def refusing_database():
    """The database server refuses new connections (the outside world, so it is patched)."""
    refusal = OperationalError("FATAL:  sorry, too many clients already")
    with mock.patch.object(BaseDatabaseWrapper, "ensure_connection", side_effect=refusal):
        yield


@pytest.fixture
def teacher_client(school_a):
    client = Client(raise_request_exception=False)
    client.force_login(school_a.user("teacher"))
    return client


def test_a_page_answers_503_with_retry_after_when_the_database_refuses_connections(
    teacher_client, refusing_database
):
    response = teacher_client.get("/s/alpha/")
    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    assert response["Content-Type"].startswith("text/html")
    assert "try again" in response.content.decode().lower()


def test_the_api_answers_503_json_with_retry_after_when_the_database_refuses_connections(
    teacher_client, refusing_database
):
    response = teacher_client.get("/api/v1/s/alpha/sections/")
    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    assert response["Content-Type"] == "application/json"
    assert "detail" in response.json()


def test_the_token_endpoint_answers_503_json_when_the_database_refuses_connections(db, refusing_database):
    client = Client(raise_request_exception=False)
    response = client.post("/api/v1/auth/token/", {"email": "a@example.org", "password": "x"})
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"


@pytest.mark.parametrize("path", ["/api/v1/no-such-thing/", "/api/nothing", "/api/v1/s/alpha/nope/"])
def test_an_unknown_api_path_answers_a_json_404(teacher_client, path):
    response = teacher_client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Not found."}


def test_an_unknown_page_still_answers_the_html_404(teacher_client):
    response = teacher_client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_a_nul_byte_in_an_api_query_answers_json_400(teacher_client):
    response = teacher_client.get("/api/v1/s/alpha/sections/", {"q": "a\x00b"})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"


def test_an_unexpected_server_error_in_the_api_answers_json_500(teacher_client):
    with mock.patch.object(BaseDatabaseWrapper, "ensure_connection", side_effect=RuntimeError("driver bug")):
        response = teacher_client.get("/api/v1/s/alpha/sections/")
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert "Retry-After" not in response


def test_an_unexpected_server_error_on_a_page_answers_the_plain_500_page(teacher_client):
    with mock.patch.object(BaseDatabaseWrapper, "ensure_connection", side_effect=RuntimeError("driver bug")):
        response = teacher_client.get("/s/alpha/")
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()
