"""Writing frameworks: imports (atomic, idempotent, cycles refused), manage.py import_case, and single
prerequisites added and removed (refusals named, students marked dirty for the engine)."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from engine.models import StudentEngineState
from mastery.models import MasteryState
from playlists.framework_services import (
    competency_prerequisite_add,
    competency_prerequisite_remove,
    framework_import,
)
from playlists.frameworks.case_json import parse_case_json
from playlists.frameworks.competency_csv import parse_competency_csv
from playlists.models import Competency, CompetencyPrerequisite, Framework
from plp.tenancy.context import school_scope
from schools.roles import Role
from tests.factories import (
    CompetencyFactory,
    ContentItemFactory,
    EnrollmentFactory,
    MembershipFactory,
    PlaylistAssignmentFactory,
    PlaylistItemFactory,
    UserFactory,
)
from tests.playlists.test_case_import import REAL_CASE
from tests.support import postgres_only, second_writer_outcome


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


# One prerequisite at a time (the framework's competency pages).


def _edges(school) -> set[tuple[str, str]]:
    with school_scope(school):
        return set(CompetencyPrerequisite.objects.values_list("competency__code", "prerequisite__code"))


def _dirty(school) -> set[int]:
    with school_scope(school):
        return set(
            StudentEngineState.objects.filter(dirty_since__isnull=False).values_list("student", flat=True)
        )


def _student(school_world, **enrolment):
    student = UserFactory()
    MembershipFactory(school=school_world.school, user=student, role=Role.STUDENT)
    if enrolment:
        EnrollmentFactory(user=student, role="student", **enrolment)
    return student


def _playlist_on(school_world, competency, **assigned_to):
    item = ContentItemFactory(school=school_world.school)
    item.competencies.add(competency)
    placement = PlaylistItemFactory(playlist__school=school_world.school, item=item)
    PlaylistAssignmentFactory(playlist=placement.playlist, **assigned_to)


def test_a_prerequisite_from_another_framework_of_the_school_is_added(school_a, rp_chain):
    with school_scope(school_a.school):
        competency_prerequisite_add(competency=rp_chain.rp1, prerequisite=rp_chain.claims)
    assert ("RP.1", "E.1") in _edges(school_a.school)


@pytest.mark.parametrize(
    ("competency", "prerequisite", "message"),
    [
        ("rp1", "rp1", "RP.1 cannot be its own prerequisite."),
        ("rp2", "rp1", "RP.2 already requires RP.1."),
        ("rp2", "rp3", "This prerequisite would close a cycle: RP.3 → RP.2 → RP.3."),
        ("rp1", "rp3", "This prerequisite would close a cycle: RP.3 → RP.1 → RP.2 → RP.3."),
    ],
)
def test_a_refused_prerequisite_says_why_and_changes_nothing(
    school_a, rp_chain, competency, prerequisite, message
):
    student = school_a.user("student")
    _playlist_on(school_a, rp_chain.rp1, section=school_a.section)
    before = _edges(school_a.school)
    with school_scope(school_a.school), pytest.raises(ValidationError) as refused:
        competency_prerequisite_add(
            competency=getattr(rp_chain, competency), prerequisite=getattr(rp_chain, prerequisite)
        )
    assert refused.value.messages == [message]
    assert _edges(school_a.school) == before
    assert student.pk not in _dirty(school_a.school)


def test_a_cycle_through_another_framework_is_refused_too(school_a, rp_chain):
    with school_scope(school_a.school):
        competency_prerequisite_add(competency=rp_chain.claims, prerequisite=rp_chain.rp3)
        with pytest.raises(ValidationError) as refused:
            competency_prerequisite_add(competency=rp_chain.rp1, prerequisite=rp_chain.claims)
    assert refused.value.messages == [
        "This prerequisite would close a cycle: E.1 → RP.1 → RP.2 → RP.3 → E.1."
    ]


def test_another_schools_competency_cannot_be_linked(school_a, school_b, rp_chain):
    theirs = CompetencyFactory(framework__school=school_b.school, code="B.1")
    with school_scope(school_a.school), pytest.raises(ValidationError, match="another school"):
        competency_prerequisite_add(competency=rp_chain.rp1, prerequisite=theirs)
    assert ("RP.1", "B.1") not in _edges(school_a.school)


def test_adding_or_removing_a_prerequisite_marks_the_students_working_on_either_competency_dirty(
    school_a, school_b, rp_chain
):
    in_section = school_a.user("student")  # RP.3 through the section's playlist
    _playlist_on(school_a, rp_chain.rp3, section=school_a.section)
    one_by_one = _student(school_a)  # RP.1 through a playlist assigned to them alone
    _playlist_on(school_a, rp_chain.rp1, student=one_by_one)
    practising = _student(school_a)  # a mastery state on RP.2, no playlist
    left = _student(school_a, section=school_a.section, is_active=False)  # left RP.3's section
    elsewhere = _student(school_a, section=school_a.other_section)  # RP.2's playlist in another section
    _playlist_on(school_a, rp_chain.rp2, section=school_a.other_section)
    with school_scope(school_a.school):
        MasteryState.objects.create(school=school_a.school, student=practising, competency=rp_chain.rp2)

        competency_prerequisite_add(competency=rp_chain.rp3, prerequisite=rp_chain.rp1)
        assert _dirty(school_a.school) == {in_section.pk, one_by_one.pk}

        StudentEngineState.objects.update(dirty_since=None)
        edge = CompetencyPrerequisite.objects.get(competency=rp_chain.rp3, prerequisite=rp_chain.rp2)
        competency_prerequisite_remove(edge=edge)
        assert _dirty(school_a.school) == {in_section.pk, practising.pk, elsewhere.pk}
    assert ("RP.3", "RP.2") not in _edges(school_a.school)
    assert left.pk not in _dirty(school_a.school)
    assert not _dirty(school_b.school)


PREREQUISITE_WRITE_BUDGET = 16  # lock, graph, checks and insert; one query for the students; the marks


def test_a_prerequisite_change_costs_the_same_queries_for_one_student_or_fifty(
    school_a, rp_chain, django_assert_max_num_queries
):
    _playlist_on(school_a, rp_chain.rp3, section=school_a.section)
    with school_scope(school_a.school):
        with django_assert_max_num_queries(PREREQUISITE_WRITE_BUDGET):
            competency_prerequisite_add(competency=rp_chain.rp3, prerequisite=rp_chain.rp1)
        assert _dirty(school_a.school) == {school_a.user("student").pk}

        StudentEngineState.objects.update(dirty_since=None)  # marked again below: an update, not an insert
        for _ in range(25):
            _student(school_a, section=school_a.section)
            MasteryState.objects.create(
                school=school_a.school, student=_student(school_a), competency=rp_chain.rp2
            )
        with django_assert_max_num_queries(PREREQUISITE_WRITE_BUDGET):
            competency_prerequisite_add(competency=rp_chain.rp3, prerequisite=rp_chain.claims)
        assert len(_dirty(school_a.school)) == 26
        edge = CompetencyPrerequisite.objects.get(competency=rp_chain.rp2, prerequisite=rp_chain.rp1)
        with django_assert_max_num_queries(PREREQUISITE_WRITE_BUDGET):
            competency_prerequisite_remove(edge=edge)
    assert len(_dirty(school_a.school)) == 51


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_prerequisites_added_at_once_cannot_close_a_cycle_together(school_a, rp_chain):
    """Each edge alone is fine; together they close RP.3 → RP.1 → RP.2 → RP.3: the second one waits for
    the first and is refused."""
    second_outcome = second_writer_outcome(
        school=school_a.school,
        first=lambda: competency_prerequisite_add(competency=rp_chain.claims, prerequisite=rp_chain.rp3),
        second=lambda: competency_prerequisite_add(competency=rp_chain.rp1, prerequisite=rp_chain.claims),
    )
    assert second_outcome == ["This prerequisite would close a cycle: E.1 → RP.1 → RP.2 → RP.3 → E.1."]
    assert ("RP.1", "E.1") not in _edges(school_a.school)


def test_a_reimport_that_changes_prerequisites_marks_the_students_working_on_them_dirty(school_a, school_b):
    student = school_a.user("student")

    def chain(rows: str):
        return framework_import(
            parsed=parse_competency_csv("code,title,prerequisites\n" + rows, title="Chain"), subject_name="M"
        )

    with school_scope(school_a.school):
        assert chain("A,a,\nB,b,A\nC,c,\n").ok
        MasteryState.objects.create(
            school=school_a.school, student=student, competency=Competency.objects.get(code="C")
        )
        assert chain("A,a,\nB,b,A\nC,c,\n").ok
        assert _dirty(school_a.school) == set()  # the same edges: nobody's items change

        assert chain("A,a,\nB,b,A\nC,c,B\n").ok  # C now requires B
        assert _dirty(school_a.school) == {student.pk}
    assert not _dirty(school_b.school)
