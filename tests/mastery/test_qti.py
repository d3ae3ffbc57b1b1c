"""QTI import and export of a bank, with real QTI files that no one here wrote (tests/fixtures/qti)."""

import io
import re
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from mastery import bank_services, grading
from mastery.models import Question
from mastery.qti import reader, writer
from mastery.qti import services as qti_services
from mastery.qti.parsing import QtiError, Reading, Refusal
from schools.rostering.reading import Limits
from tests.factories import CompetencyFactory
from tests.form_checks import assert_kept_with_error
from tests.mastery.test_views import url

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "qti"
LIMITS = Limits(total_bytes=10_000_000, entries=1000)


def _read(name: str) -> Reading:
    return reader.read_upload((FIXTURES / name).read_bytes(), name=name, limits=LIMITS, max_items=500)


def _one(name: str):
    reading = _read(name)
    assert len(reading.parsed) + len(reading.refused) == 1
    return reading.parsed[0] if reading.parsed else reading.refused[0]


# --- what each real file becomes ------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["qti21_choice.xml", "qti3_choice.xml"])
def test_the_ims_single_choice_item_becomes_a_single_choice_question_in_2_1_and_3_0(name):
    item = _one(name)
    assert item.fields == {
        "kind": grading.SINGLE,
        "prompt": "Look at the text in the picture.\n[image: NEVER LEAVE LUGGAGE UNATTENDED]\n"
        "What does it say?",
        "choices": [
            "You must stay with your luggage at all times.",
            "Do not let someone else look after your luggage.",
            "Remember your luggage when you leave.",
        ],
        "correct_choices": [0],
        "explanation": "",
    }


def test_the_ims_multiple_response_item_becomes_a_multiple_choice_question():
    item = _one("qti21_choice_multiple.xml")
    assert item.fields["kind"] == grading.MULTIPLE
    assert item.fields["choices"] == ["Hydrogen", "Helium", "Carbon", "Oxygen", "Nitrogen", "Chlorine"]
    assert item.fields["correct_choices"] == [0, 3]


@pytest.mark.parametrize("name", ["qti21_text_entry.xml", "qti3_text_entry.xml"])
def test_a_string_text_entry_becomes_short_text_with_a_blank_in_the_prompt(name):
    item = _one(name)
    assert item.fields["kind"] == grading.SHORT_TEXT
    # correctResponse "York" and the mapping's full-credit key; "york" (half credit) reads the same anyway
    assert item.fields["accepted_answers"] == ["York"]
    assert "Made glorious summer by this sun of ____;" in item.fields["prompt"]
    assert grading.grade({"kind": "short_text", "accepted_answers": item.fields["accepted_answers"]}, "york")


def test_an_inline_choice_becomes_a_single_choice_with_the_gap_in_the_prompt():
    item = _one("qti21_inline_choice.xml")
    assert item.fields["kind"] == grading.SINGLE
    assert item.fields["choices"] == ["Gloucester", "Lancaster", "York"]
    assert item.fields["correct_choices"] == [2]
    assert "sun of ____;" in item.fields["prompt"]


def test_a_qti3_numeric_entry_keeps_its_relative_tolerance_and_modal_feedback():
    item = _one("qti3_TextEntrynumeric_770468849.xml")
    assert item.fields["kind"] == grading.NUMERIC
    assert item.fields["numeric_answer"] == 4.136
    assert item.fields["tolerance"] == pytest.approx(4.136 * 0.05)  # tolerance-mode="relative" 5 %
    assert (
        item.fields["prompt"]
        == "Wieviele Einwohner hat der Freistaat Sachsen?\n____ Mio. (Stand: 31. August 2011)"
    )
    assert item.fields["explanation"].startswith("Sachsen hat rund 4,1 Millionen Einwohner")
    key = {"kind": "numeric", "numeric_answer": 4.136, "tolerance": item.fields["tolerance"]}
    assert grading.grade(key, "4,3") and not grading.grade(key, "4,4")


def test_a_qti3_item_with_right_and_wrong_feedback_keeps_both_in_the_explanation():
    item = _one("qti3_Example01-modalFeedback.xml")
    assert item.fields["kind"] == grading.SINGLE
    assert item.fields["choices"] == ["True", "False"]
    assert item.fields["explanation"] == "correct\n\nincorrect"


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("qti21_match.xml", "it is a match interaction"),
        ("qti21_order.xml", "it is an order interaction"),
        ("qti21_extended_text.xml", "extended text (essay)"),
        ("qti21_TextEntrynumeric_2040297025.xml", "it has 2 interactions"),
    ],
)
def test_items_our_kinds_cannot_hold_are_refused_with_the_reason(name, reason):
    refusal = _one(name)
    assert isinstance(refusal, Refusal)
    assert reason in refusal.reason


def test_the_saxony_qti3_package_is_read_item_by_item_and_nothing_is_dropped():
    reading = _read("interactionMixSaxonyV3.zip")
    parsed = {p.identifier: p.fields["kind"] for p in reading.parsed}
    refused = {r.identifier: r.reason for r in reading.refused}
    assert parsed == {
        "Choicetruefalse_176040516": "single",
        "Choicemultiple_2014410822": "multiple",
        "Choicemultiple_871212949": "multiple",
        "TextEntry_883368511": "short_text",
        "TextEntrynumeric_770468849": "numeric",
    }
    assert set(refused) == {
        "Choicesingle_853928446",  # its choices are flag pictures
        "Hotspot_278940407",
        "Order_913967682",
        "Matchsingle_143114773",
        "Matchmultiple_1038910213",
        "TextEntrynumeric_2040297025",
        "TextEntrysubset_806481421",
        "Hottext_801974120",
    }
    assert "pictures" in refused["Choicesingle_853928446"]
    assert "hotspot" in refused["Hotspot_278940407"]
    # every item resource of the manifest is accounted for (the test resource is not an item)
    manifest = zipfile.ZipFile(FIXTURES / "interactionMixSaxonyV3.zip").read("imsmanifest.xml").decode()
    assert manifest.count('type="imsqti_item_xmlv3p0"') == len(parsed) + len(refused)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"not xml at all", "not well-formed XML"),
        (b"<html><body>hi</body></html>", "Not a QTI assessment item"),
        (
            b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;">]><x>&b;</x>',
            "entities or a DTD",
        ),
        (b"PK\x03\x04broken", "not well-formed XML"),
    ],
)
def test_unreadable_uploads_are_refused_in_plain_words(data, message):
    with pytest.raises(QtiError, match=message):
        reader.read_upload(data, name="upload.xml", limits=LIMITS, max_items=500)


def _item(body: str, *, declaration: str) -> bytes:
    return (
        '<assessmentItem xmlns="http://www.imsglobal.org/xsd/imsqti_v2p1" identifier="made" title="t">'
        f"{declaration}<itemBody>{body}</itemBody></assessmentItem>"
    ).encode()


def test_deeply_nested_markup_is_refused_not_a_crash():
    deep = "<div>" * 5000 + "x" + "</div>" * 5000
    data = _item(deep + '<textEntryInteraction responseIdentifier="R"/>', declaration="")
    reading = reader.read_upload(data, name="deep.xml", limits=LIMITS, max_items=500)
    assert "nests more than" in reading.refused[0].reason


def test_an_item_our_question_rules_reject_is_refused_with_the_field_error(scope_a, bank):
    one_choice = _item(
        '<p>Pick</p><choiceInteraction responseIdentifier="R" maxChoices="1">'
        '<simpleChoice identifier="A">Only</simpleChoice></choiceInteraction>',
        declaration='<responseDeclaration identifier="R" cardinality="single" baseType="identifier">'
        "<correctResponse><value>A</value></correctResponse></responseDeclaration>",
    )
    report = qti_services.qti_import(bank=bank, data=one_choice, name="one.xml")
    assert not report.imported
    assert report.refused[0].reason == "not a valid question (choices: Give at least two choices.)"


def _zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_a_package_past_the_unpacked_limit_is_refused_by_the_roster_zip_guard():
    bomb = _zip({"imsmanifest.xml": b"<manifest/>", "items/a.xml": b" " * 2_000_000})
    with pytest.raises(QtiError, match="unpacks to more than"):
        reader.read_upload(
            bomb, name="p.zip", limits=Limits(total_bytes=1_000_000, entries=10), max_items=500
        )


def test_a_zip_without_manifest_and_a_missing_item_file_are_reported():
    with pytest.raises(QtiError, match=r"no imsmanifest\.xml"):
        reader.read_upload(_zip({"a.xml": b"<x/>"}), name="p.zip", limits=LIMITS, max_items=500)
    manifest = (
        b'<manifest xmlns="http://www.imsglobal.org/xsd/qti/qtiv3p0/imscp_v1p1"><resources>'
        b'<resource identifier="gone" type="imsqti_item_xmlv3p0" href="items/gone.xml"/>'
        b"</resources></manifest>"
    )
    reading = reader.read_upload(
        _zip({"imsmanifest.xml": manifest}), name="p.zip", limits=LIMITS, max_items=500
    )
    assert [(r.identifier, r.reason) for r in reading.refused] == [
        ("gone", "the manifest lists it but the zip lacks the file")
    ]


# --- services: dry run, atomic import, round trip -------------------------------------------------------

ROUND_TRIP = [
    {
        "kind": "single",
        "prompt": "2 + 2 = ?\nPick one.",
        "choices": ["3", "4 <four>", "5 & more"],
        "correct_choices": [1],
        "explanation": "Count on from 2.",
    },
    {"kind": "multiple", "prompt": "Evens?", "choices": ["1", "2", "4"], "correct_choices": [1, 2]},
    {"kind": "numeric", "prompt": "π to two places?", "numeric_answer": 3.14159, "tolerance": 0.005},
    {"kind": "numeric", "prompt": "7 × 6?", "numeric_answer": 42.0, "explanation": "Exact."},
    {
        "kind": "short_text",
        "prompt": "Capital of France?",
        "accepted_answers": ["Paris", "Paname"],
        "explanation": "It is Paris.",
    },
]


def test_a_qti3_export_imports_into_a_new_bank_with_every_answer_tolerance_and_explanation(scope_a, bank):
    for fields in ROUND_TRIP:
        bank_services.question_save(bank=bank, **fields)
    package = qti_services.qti_export(bank=bank)
    names = zipfile.ZipFile(io.BytesIO(package)).namelist()
    assert "imsmanifest.xml" in names and len(names) == 5 + len(ROUND_TRIP) + 1  # with the 5 of the fixture

    other = bank_services.question_bank_create(competency=CompetencyFactory(framework__school=scope_a.school))
    report = qti_services.qti_import(bank=other, data=package, name="bank.zip")
    assert report.imported and not report.refused
    exported = bank_services.question_bank_export(bank=bank)["questions"]
    assert bank_services.question_bank_export(bank=other)["questions"] == exported
    assert [q["tolerance"] for q in exported][5:] == [0, 0, 0.005, 0, 0]


def test_the_dry_run_writes_nothing_and_the_import_adds_only_what_it_reported(scope_a, bank):
    data = (FIXTURES / "interactionMixSaxonyV3.zip").read_bytes()
    before = Question.objects.filter(bank=bank, is_active=True).count()
    report = qti_services.qti_import_check(bank=bank, data=data, name="saxony.zip")
    assert (len(report.accepted), len(report.refused), report.imported) == (5, 8, False)
    assert Question.objects.filter(bank=bank).count() == before
    report = qti_services.qti_import(bank=bank, data=data, name="saxony.zip", replace=True)
    assert report.imported
    active = Question.objects.filter(bank=bank, is_active=True)
    assert sorted(active.values_list("kind", flat=True)) == sorted(line.kind for line in report.accepted)


# --- pages ----------------------------------------------------------------------------------------------


def test_a_teacher_checks_then_imports_a_package_from_the_bank_page(client, school_a, bank):
    client.force_login(school_a.user("teacher"))
    assert (
        url("bank_qti_import", bank_id=bank.pk)
        in client.get(url("bank_detail", bank_id=bank.pk)).content.decode()
    )
    data = (FIXTURES / "interactionMixSaxonyV3.zip").read_bytes()
    response = client.post(
        url("bank_qti_import", bank_id=bank.pk),
        {"file": SimpleUploadedFile("saxony.zip", data), "replace": "on", "action": "check"},
    )
    page = response.content.decode()
    assert response.status_code == 200 and "Dry run: nothing imported yet" in page
    assert "Refused:</strong> it is a hotspot interaction" in page
    assert_kept_with_error(response, name="replace", typed=True)
    with school_scope_of(school_a):
        assert Question.objects.filter(bank=bank, is_active=True).count() == 5
    carried = re.search(r'name="carried" value="([^"]+)"', page).group(1)  # the checked file, signed
    tampered = client.post(
        url("bank_qti_import", bank_id=bank.pk), {"carried": carried[:-2] + "xx", "action": "import"}
    )
    assert_kept_with_error(tampered, name="file", typed="", error="expired or was altered")
    response = client.post(
        url("bank_qti_import", bank_id=bank.pk), {"carried": carried, "replace": "on", "action": "import"}
    )
    assert response.status_code == 200 and "Imported" in response.content.decode()
    with school_scope_of(school_a):
        assert Question.objects.filter(bank=bank, is_active=True).count() == 5  # 5 retired, 5 imported
        assert Question.objects.filter(bank=bank, kind="numeric", numeric_answer=4.136).exists()
    client.force_login(school_a.user("school_admin"))  # the token is the teacher's, for this bank only
    response = client.post(url("bank_qti_import", bank_id=bank.pk), {"carried": carried, "action": "import"})
    assert_kept_with_error(response, name="file", typed="", error="expired or was altered")


def test_a_bad_file_on_the_page_is_a_clear_error_that_keeps_the_choice(client, school_a, bank):
    client.force_login(school_a.user("teacher"))
    response = client.post(
        url("bank_qti_import", bank_id=bank.pk),
        {"file": SimpleUploadedFile("x.xml", b"<oops"), "replace": "on", "action": "import"},
    )
    assert response.status_code == 400
    assert_kept_with_error(response, name="replace", typed=True)
    assert_kept_with_error(response, name="file", typed="", error="not well-formed XML")


def test_the_page_export_is_a_qti3_package_and_students_cannot_get_it(client, school_a, bank):
    client.force_login(school_a.user("teacher"))
    response = client.get(url("bank_qti_export", bank_id=bank.pk))
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert len(archive.namelist()) == 6  # the manifest and the bank's five questions
    assert b"imsqti_item_xmlv3p0" in archive.read("imsmanifest.xml")
    client.force_login(school_a.user("student"))
    assert client.get(url("bank_qti_export", bank_id=bank.pk)).status_code in (403, 404)
    assert client.get(url("bank_qti_import", bank_id=bank.pk)).status_code in (403, 404)


def school_scope_of(world):
    from plp.tenancy.context import school_scope

    return school_scope(world.school)


@pytest.mark.parametrize("size", [1, 60])
def test_an_import_takes_the_same_queries_for_one_question_or_sixty(
    scope_a, bank, size, django_assert_max_num_queries
):
    items = [
        (
            f"q{i}",
            "t",
            {"kind": "numeric", "prompt": f"{i} + 1?", "numeric_answer": i + 1, "explanation": "Add."},
        )
        for i in range(size)
    ]
    package = writer.package_zip(identifier="p", items=items)
    with django_assert_max_num_queries(5):
        report = qti_services.qti_import(bank=bank, data=package, name="p.zip", replace=True)
    assert len(report.accepted) == size
    assert Question.objects.filter(bank=bank, is_active=True).count() == size
