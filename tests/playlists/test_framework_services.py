"""Writing imported frameworks: atomic, idempotent, cycles refused; and manage.py import_case."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from playlists.case_import import parse_case_json, parse_competency_csv
from playlists.framework_services import competency_prerequisite_add, framework_import
from playlists.models import Competency, CompetencyPrerequisite, Framework
from plp.tenancy.context import school_scope
from tests.factories import CompetencyFactory
from tests.playlists.test_case_import import REAL_CASE


def test_the_real_case_package_imports_with_tree_and_prerequisites(school_a, school_b):
    with school_scope(school_a.school):
        report = framework_import(parsed=parse_case_json(REAL_CASE.read_bytes()), subject_name="Mathematics")

        assert report.ok and report.created == 16 and report.prerequisites == 2
        framework = Framework.objects.get()
        assert framework.case_identifier == "20c5134f-423d-4097-a971-3dd5152bf507"
        standard = Competency.objects.get(code="CCSS.Math.Content.6.RP.A.2")
        assert standard.parent.code == "CCSS.Math.Content.6.RP.A"
        assert [p.code for p in standard.prerequisites.all()] == ["CCSS.Math.Content.6.RP.A.1"]
        assert standard.standard_codes == ["CCSS.Math.Content.6.RP.A.2"]
    with school_scope(school_b.school):
        assert not Competency.objects.exists()


def test_importing_the_same_package_twice_changes_nothing(school_a):
    with school_scope(school_a.school):
        framework_import(parsed=parse_case_json(REAL_CASE.read_bytes()), subject_name="Mathematics")
        before = sorted(Competency.objects.values_list("pk", "code", "parent_id"))
        report = framework_import(parsed=parse_case_json(REAL_CASE.read_bytes()), subject_name="Mathematics")
        assert report.ok and report.created == 0 and report.updated == 16
        assert sorted(Competency.objects.values_list("pk", "code", "parent_id")) == before
        assert CompetencyPrerequisite.objects.count() == 2


def test_an_invalid_file_writes_nothing(school_a):
    with school_scope(school_a.school):
        parsed = parse_competency_csv("code,title,prerequisites\nA,a,B\nB,b,A\n", title="Loop")
        report = framework_import(parsed=parsed, subject_name="Math")
        assert not report.ok
        assert not Framework.objects.exists() and not Competency.objects.exists()


def test_a_csv_imports_with_row_subjects(school_a):
    raw = "code,title,subject,prerequisites\nM.1,Ratios,,\nE.1,Claims,English,M.1\n"
    with school_scope(school_a.school):
        report = framework_import(parsed=parse_competency_csv(raw, title="Mixed"), subject_name="Math")
        assert report.ok
        assert Competency.objects.get(code="E.1").subject.name == "English"
        assert Competency.objects.get(code="M.1").subject.name == "Math"


def test_a_prerequisite_that_closes_a_cycle_is_refused_with_the_cycle_named(school_a):
    first = CompetencyFactory(framework__school=school_a.school, code="6.RP.1")
    second = CompetencyFactory(framework=first.framework, code="6.RP.2")
    with school_scope(school_a.school):
        competency_prerequisite_add(competency=second, prerequisite=first)
        with pytest.raises(ValidationError, match=r"6\.RP\.(1|2) → 6\.RP\.(2|1) → 6\.RP\.(1|2)"):
            competency_prerequisite_add(competency=first, prerequisite=second)
        assert CompetencyPrerequisite.objects.count() == 1


def test_the_import_case_command_imports_into_the_named_school(school_a, school_b):
    out = io.StringIO()
    call_command(
        "import_case", "alpha", str(REAL_CASE), "--subject", "Mathematics", stdout=out, stderr=io.StringIO()
    )
    assert "16 created" in out.getvalue()
    with school_scope(school_a.school):
        assert Competency.objects.count() == 16
    with school_scope(school_b.school):
        assert Competency.objects.count() == 0


def test_the_import_case_command_reports_errors_and_fails(school_a, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("code,title,prerequisites\nA,a,Z\n")
    err = io.StringIO()
    with pytest.raises(CommandError, match="Nothing imported"):
        call_command("import_case", "alpha", str(path), stderr=err)
    assert "row 2, prerequisites: Z is not a code in this file" in err.getvalue()
    with pytest.raises(CommandError, match="No school"):
        call_command("import_case", "nowhere", str(path))


def _two_items(first_code: str, second_code: str) -> str:
    return (
        '{"CFDocument": {"identifier": "d", "title": "Swap"}, "CFItems": ['
        f'{{"identifier": "x1", "humanCodingScheme": "{first_code}", "fullStatement": "one"}},'
        f'{{"identifier": "x2", "humanCodingScheme": "{second_code}", "fullStatement": "two"}}]}}'
    )


def test_swapped_codes_on_reimport_are_reported_not_a_crash(school_a):
    with school_scope(school_a.school):
        assert framework_import(parsed=parse_case_json(_two_items("A", "B")), subject_name="M").ok
        report = framework_import(parsed=parse_case_json(_two_items("B", "A")), subject_name="M")
        assert [str(e) for e in report.errors] == [
            "file, codes: codes or identifiers clash with this framework's existing competencies"
        ]
        assert sorted(Competency.objects.values_list("case_identifier", "code")) == [("x1", "A"), ("x2", "B")]


def test_a_different_document_with_a_taken_title_is_refused_and_dropped_items_are_reported(school_a):
    with school_scope(school_a.school):
        assert framework_import(parsed=parse_case_json(_two_items("A", "B")), subject_name="M").ok
        other = parse_case_json(
            _two_items("A", "B").replace('"identifier": "d"', '"identifier": "other-doc"')
        )
        report = framework_import(parsed=other, subject_name="M")
        assert [str(e) for e in report.errors] == [
            "CFDocument, title: another framework is already called “Swap”"
        ]
        one = parse_case_json(
            '{"CFDocument": {"identifier": "d", "title": "Swap"}, "CFItems": ['
            '{"identifier": "x1", "humanCodingScheme": "A", "fullStatement": "one"}]}'
        )
        report = framework_import(parsed=one, subject_name="M")
        assert report.ok and [str(w) for w in report.warnings] == [
            "file, items: 1 competencies of this framework are not in the file: kept"
        ]
