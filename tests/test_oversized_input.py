"""Input past what the parsers take gets a 400 or a row-level problem, never a 500 or a traceback: JSON
nested ~1,000 deep (2 KB) and a CSV value over 131,072 characters (the csv module's field limit), wherever
such files or bodies are read (API, framework and bank imports, roster manifests, management commands)."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework import parsers
from rest_framework.test import APIClient

from playlists.frameworks.case_json import parse_case_json
from playlists.frameworks.competency_csv import parse_competency_csv
from plp.api.parsers import JSONParser
from plp.safe_json import MAX_DEPTH, TooDeep, json_loads
from plp.tenancy.context import school_scope
from schools.roles import Role
from schools.rostering.models import ImportRun
from tests.factories import QuestionBankFactory
from tests.schools.roster_files import MANIFEST, as_zip, roster

DEEP = "[" * 1000 + "]" * 1000  # 2 KB
LONG = "x" * 140_000  # past csv.field_size_limit() (131,072)
LONG_CSV = f"code,title\nA,Fractions\nB,{LONG}\nC,Ratios\n"
LONG_MANIFEST = MANIFEST.format(mode="bulk") + f"note,{LONG}\n"


def _nested(depth: int):
    return json.loads("[" * depth + "]" * depth)


def test_json_nested_up_to_the_bound_is_read_and_deeper_is_refused():
    assert json_loads(json.dumps(_nested(MAX_DEPTH))) == _nested(MAX_DEPTH)
    with pytest.raises(TooDeep, match=f"nested more than {MAX_DEPTH} levels"):
        json_loads(json.dumps(_nested(MAX_DEPTH + 1)))
    with pytest.raises(ValueError, match="nested more than"):
        json_loads(DEEP)


def test_deep_json_to_the_unauthenticated_token_endpoint_is_a_400():
    response = APIClient().post("/api/v1/auth/token/", DEEP, content_type="application/json")
    assert response.status_code == 400
    assert "nested more than" in response.json()["detail"]


def test_deep_json_to_a_school_endpoint_is_a_400(school_a):
    api = APIClient()
    api.force_authenticate(school_a.user(Role.STUDENT))
    body = json.dumps({"texts": ["Read"], "items": _nested(900)})
    response = api.post("/api/v1/s/alpha/mentoring/goals/", body, content_type="application/json")
    assert response.status_code == 400
    assert "nested more than" in response.json()["detail"]


def _api_views(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _api_views(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern) and hasattr(pattern.callback, "cls"):
            yield prefix + str(pattern.pattern), pattern.callback.cls


def test_every_api_view_reads_json_through_the_bounded_parser():
    views = list(_api_views(get_resolver().url_patterns))
    assert len(views) > 20
    for route, view in views:
        json_parsers = [p for p in view.parser_classes if issubclass(p, parsers.JSONParser)]
        assert all(issubclass(p, JSONParser) for p in json_parsers), route


def test_the_question_bank_import_page_refuses_deep_json_with_a_message(client, school_a):
    with school_scope(school_a.school):
        bank = QuestionBankFactory(competency__framework__school=school_a.school)
    client.force_login(school_a.user(Role.TEACHER))
    response = client.post(
        reverse("mastery:bank_import", args=["alpha", bank.pk]),
        {"file": SimpleUploadedFile("bank.json", DEEP.encode())},
    )
    assert response.status_code == 400
    assert "nested more than" in response.content.decode()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("deep.json", DEEP, "nested more than"),
        ("long.csv", LONG_CSV, "a value is longer than 131,072 characters"),
    ],
)
def test_the_framework_import_page_refuses_unreadable_files_with_a_message(
    client, school_a, name, content, message
):
    client.force_login(school_a.user(Role.TEACHER))
    response = client.post(
        reverse("playlists:framework_import", args=["alpha"]),
        {"file": SimpleUploadedFile(name, content.encode()), "subject": "Math", "title": "Math"},
    )
    assert response.status_code == 400
    assert message in response.content.decode()


def test_a_csv_value_past_the_limit_is_an_error_on_its_row_and_the_other_rows_are_read():
    parsed = parse_competency_csv(LONG_CSV, title="Math")
    assert [str(e) for e in parsed.errors] == [
        "row 3, row: cannot be read: a value is longer than 131,072 characters"
    ]
    assert [c.code for c in parsed.competencies] == ["A", "C"]
    header = parse_competency_csv(f"code,title,{LONG}\n", title="Math")
    assert [str(e) for e in header.errors] == [
        "row 1, header: cannot be read: a value is longer than 131,072 characters"
    ]


def test_deep_case_json_is_an_error_not_a_crash():
    assert [str(e) for e in parse_case_json(DEEP).errors] == [
        f"file, JSON: is not valid JSON (it is nested more than {MAX_DEPTH} levels deep)"
    ]


def test_a_roster_manifest_value_past_the_limit_blocks_the_check_on_the_page(client, school_a):
    client.force_login(school_a.user("school_admin"))
    zipped = as_zip(roster(manifest=LONG_MANIFEST))
    response = client.post(
        reverse("schools:roster_upload", args=["alpha"]),
        {"files": [SimpleUploadedFile("roster.zip", zipped)]},
    )
    assert response.status_code == 302
    with school_scope(school_a.school):
        run = ImportRun.objects.get()
    assert run.blocking
    assert [(p["file"], p["line"]) for p in run.report if "longer than 131,072" in p["message"]] == [
        ("manifest.csv", 11)
    ]
    assert client.get(response["Location"]).status_code == 200


def test_a_roster_manifest_value_past_the_limit_blocks_the_check_in_the_api(school_a):
    api = APIClient()
    api.force_authenticate(school_a.user("school_admin"))
    upload = SimpleUploadedFile("roster.zip", as_zip(roster(manifest=LONG_MANIFEST)))
    response = api.post("/api/v1/s/alpha/imports/", {"files": [upload]}, format="multipart")
    assert response.status_code == 201
    assert response.json()["blocking"] is True and response.json()["error_count"] == 1


def test_a_roster_table_value_past_the_limit_is_reported_on_its_row():
    from schools.rostering.validation import parse_roster
    from tests.schools.roster_files import USERS, add_rows

    users = add_rows(USERS, f"s-9,,,true,org-1,student,{LONG},,A,B,,,a@roster.example.test,,,,,")
    problems = parse_roster(roster(users=users)).problems
    assert [(p.file, p.line) for p in problems if "longer than 131,072" in p.message] == [("users.csv", 5)]


@pytest.mark.parametrize(
    ("name", "content"), [("deep.json", DEEP), ("long.csv", LONG_CSV), ("headless.csv", f"code,{LONG}\n")]
)
def test_import_case_reports_an_unreadable_file_and_exits_with_an_error(tmp_path, school_a, name, content):
    path = tmp_path / name
    path.write_text(content)
    with pytest.raises(CommandError, match="Nothing imported"):
        call_command("import_case", "alpha", str(path), "--subject", "Math")


def test_import_oneroster_reports_an_unreadable_manifest_and_exits_with_an_error(tmp_path, school_a, capsys):
    path = tmp_path / "roster.zip"
    path.write_bytes(as_zip(roster(manifest=LONG_MANIFEST)))
    with pytest.raises(CommandError, match="Blocked"):
        call_command("import_oneroster", "alpha", str(path))
    assert "longer than 131,072 characters" in capsys.readouterr().out


def test_a_mentor_csv_value_past_the_limit_is_reported_where_it_is(client, school_a):
    client.force_login(school_a.user("school_admin"))
    url = reverse("schools:mentor_csv", args=["alpha"])
    header = client.post(url, {"file": SimpleUploadedFile("m.csv", f"mentor_email,{LONG}\n".encode())})
    assert (
        "The header row cannot be read: a value is longer than 131,072 characters" in header.content.decode()
    )
    row = f"mentor_email,student_sourcedId\na@x.test,{LONG}\n".encode()
    body = client.post(url, {"file": SimpleUploadedFile("m.csv", row)}).content.decode()
    assert "a value is longer than 131,072 characters" in body
