"""The pure Common Cartridge reader on real exports (Canvas CC 1.3, Tsugi CC 1.1) and on hostile uploads.

The counts asserted here were read off each fixture's imsmanifest.xml by hand (see the fixtures' README)."""

from collections import Counter

import pytest

from mastery import grading
from playlists.cartridge.model import ERROR, IMPORT, SKIP, CartridgeError
from playlists.cartridge.reader import read_cartridge
from plp.time_budget import OverTime, time_budget
from schools.rostering.reading import Limits
from tests.playlists.cartridges import FIXTURES, cartridge_bytes, make_zip, manifest

LIMITS = Limits(total_bytes=50 * 1024 * 1024, entries=10000)


def read(name_or_bytes, limits=LIMITS):
    data = cartridge_bytes(name_or_bytes) if isinstance(name_or_bytes, str) else name_or_bytes
    return read_cartridge(data, limits=limits)


def lines_of(cartridge, what):
    return [line for line in cartridge.lines if line.what == what]


def test_canvas_export_modules_become_ordered_playlists_of_its_pages():
    cartridge = read("allyworkshop.imscc")

    assert (cartridge.identifier, cartridge.title, cartridge.version) == (
        "ie74976cb516fd9d52ec2a297f0fba912",
        "Ally: Accessibility Workshop",
        "1.3.0",
    )
    assert [(m.title, len(m.contents)) for m in cartridge.modules] == [
        ("Part 1: Overview: Accessibility and ALLY", 4),
        ('Part 3: "After" courses', 1),
        ("More on Accessibility", 1),
    ]
    first = [cartridge.contents[ref].title for ref in cartridge.modules[0].contents]
    assert first == [
        "Accessibility FAQ",
        "What is ALLY?",
        "Alt Text: Writing Alternative Text",
        "Caption Hub",
    ]
    assert Counter(c.kind for c in cartridge.contents.values()) == {"reading": 12}  # every wiki page
    assert not cartridge.errors


def test_canvas_page_html_becomes_readable_text_without_markup():
    cartridge = read("allyworkshop.imscc")
    body = cartridge.contents["i1e25544a6df6e03c10ce5e072f811007"].body

    assert "## Ally: Accessibility in Canvas" in body
    assert "three main tool components:" in body
    assert "[image: about_ally.png]" in body
    assert "<" not in body and "style=" not in body


def test_canvas_export_reports_each_resource_it_does_not_import_with_the_reason():
    cartridge = read("allyworkshop.imscc")
    skipped = Counter(line.what for line in cartridge.lines if line.result == SKIP)

    assert skipped == {
        "file": 26,
        "LMS files": 5,
        "discussion": 4,
        "module item": 4,
        "LTI link": 1,
        "module": 1,
    }
    assert {line.title for line in lines_of(cartridge, "discussion")} >= {"Accessibility in your life"}
    badge = next(line for line in cartridge.lines if line.title == "Badge: ALLY Badge")
    assert badge.reason == "the manifest has no such resource (the LMS did not export it)"
    assert badge.module == 'Part 3: "After" courses'
    empty = next(line for line in lines_of(cartridge, "module") if line.result == SKIP)
    assert empty.title == 'Part 2: "Before" courses'
    pdf = next(
        line for line in lines_of(cartridge, "file") if line.title == "Ally Accessibility Checklist.pdf"
    )
    assert pdf.reason == "a file (.pdf); files are not imported, only pages and links"


def test_tsugi_cc_1_1_export_links_become_links_and_videos():
    cartridge = read("py4e_export.imscc")

    assert (cartridge.identifier, cartridge.version) == ("cctd0015", "1.1.0")
    assert len(cartridge.modules) == 17
    assert [m.title for m in cartridge.modules[:3]] == [
        "Installing Python",
        "Why Program?",
        "Variables, expressions and statements",
    ]
    assert sum(len(m.contents) for m in cartridge.modules) == 131
    assert Counter(c.kind for c in cartridge.contents.values()) == {"video": 94, "link": 37}
    install = cartridge.contents["T_000002_R"]
    assert (install.title, install.url, install.kind) == (
        "Assignment: Installing Python",
        "https://www.py4e.com/install.php",
        "link",
    )
    assert cartridge.contents["T_000007_R"].url == "https://www.youtube.com/watch?v=fvhNadKjE8g"
    assert cartridge.contents["T_000007_R"].kind == "video"
    lti = [line for line in lines_of(cartridge, "LTI link")]
    assert len(lti) == 58 and all(line.result == SKIP for line in lti)
    assert lti[0].title == "Tool: Peer Graded: Installation Screen Shots"  # named as the course named it
    assert not cartridge.errors


def test_canvas_quiz_of_all_types_becomes_questions_and_the_essay_is_reported():
    cartridge = read("all-question-types")

    quiz = cartridge.quizzes["iaa8f9f400b29e514ea8d28fd7ed067f4"]
    assert quiz.title == "ALL QUESTION TYPES QUIZ"
    single, true_false, multiple = (q.fields for q in quiz.questions)
    assert single["kind"] == grading.SINGLE
    assert single["prompt"] == 'How many letters does the word, "RED" have?'
    assert single["choices"] == ["1", "2", "3", "4"] and single["correct_choices"] == [2]
    assert single["explanation"] == "alright\n\nnice job"  # general feedback, then the right answer's
    assert (true_false["choices"], true_false["correct_choices"]) == (["True", "False"], [1])
    assert multiple["kind"] == grading.MULTIPLE
    assert multiple["choices"] == ["A", "1", "2", "B", "C"] and multiple["correct_choices"] == [0, 3, 4]
    essay = next(line for line in lines_of(cartridge, "question") if line.result == SKIP)
    assert essay.identifier == "i5ccb43157aa894608ffdeb23aace604a"
    assert essay.reason == "it is an essay, which needs a person to grade it"
    assert essay.module == "ALL QUESTION TYPES QUIZ"
    assert cartridge.modules == [] and not cartridge.errors


def test_canvas_quizzes_in_a_module_become_banks_not_playlist_items():
    cartridge = read("grouptest.zip")

    assert [(q.title, len(q.questions)) for q in cartridge.quizzes.values()] == [
        ("Grouped questions", 1),
        ("Mixed Quiz", 1),
        ("Ungrouped Quiz", 1),
    ]
    fill_in = cartridge.quizzes["gdb72906bc6c7dd9d7872d468a5cc279b"].questions[0].fields
    assert fill_in == {
        "kind": grading.SHORT_TEXT,
        "prompt": "AB",
        "accepted_answers": ["C", "D"],
        "explanation": "",
    }
    assert Counter(line.reason for line in lines_of(cartridge, "question") if line.result == SKIP) == {
        "it is an essay, which needs a person to grade it": 3
    }
    placed = [line for line in lines_of(cartridge, "quiz") if line.module == "md 1"]
    assert [line.reason for line in placed] == ["a quiz: it becomes a question bank, not a playlist item"] * 3
    module = next(line for line in lines_of(cartridge, "module"))
    assert (module.title, module.result) == ("md 1", SKIP)


def test_not_a_zip_is_refused_as_a_whole():
    with pytest.raises(CartridgeError, match="not a zip file"):
        read(b"title,url\nA,https://example.org\n")


def test_zip_without_manifest_is_refused():
    with pytest.raises(CartridgeError, match=r"no imsmanifest\.xml"):
        read(make_zip({"page.html": "<p>Hi</p>"}))


def test_qti_package_is_not_taken_for_a_cartridge():
    data = (FIXTURES.parent / "qti" / "interactionMixSaxonyV3.zip").read_bytes()
    with pytest.raises(CartridgeError, match="not an IMS Common Cartridge"):
        read(data)


def test_entity_expansion_in_the_manifest_is_refused():
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE m [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>'
        '<manifest identifier="x"><metadata><schema>IMS Common Cartridge</schema></metadata>&b;</manifest>'
    )
    with pytest.raises(CartridgeError, match="entities or a DTD"):
        read(make_zip({"imsmanifest.xml": bomb}))


def test_zip_bomb_stops_at_the_unpacked_limit():
    data = make_zip({"imsmanifest.xml": manifest(""), "big.html": b"<p>" + b"a" * 5_000_000 + b"</p>"})
    assert len(data) < 100_000
    with pytest.raises(CartridgeError, match="unpacks to more than 1 MB"):
        read(data, limits=Limits(total_bytes=1024 * 1024, entries=100))


def test_path_climbing_out_of_the_cartridge_is_an_error_for_that_resource_only():
    resources = (
        '<resource identifier="evil" type="webcontent" href="../../etc/passwd.html">'
        '<file href="../../etc/passwd.html"/></resource>'
        '<resource identifier="ok" type="webcontent" href="ok.html"><file href="ok.html"/></resource>'
    )
    items = '<item identifier="i1" identifierref="ok"><title>Fine page</title></item>'
    cartridge = read(make_zip({"imsmanifest.xml": manifest(resources, items), "ok.html": "<p>Fine</p>"}))

    [error] = cartridge.errors
    assert (error.identifier, error.result) == ("evil", ERROR)
    assert error.reason == "its file '../../etc/passwd.html' points outside the cartridge"
    assert cartridge.contents["ok"].body == "Fine"


def test_missing_file_is_an_error_and_a_non_web_link_is_skipped():
    resources = (
        '<resource identifier="gone" type="webcontent" href="gone.html"><file href="gone.html"/></resource>'
        '<resource identifier="mail" type="imswl_xmlv1p1"><file href="mail.xml"/></resource>'
    )
    link = (
        '<webLink xmlns="http://www.imsglobal.org/xsd/imsccv1p1/imswl_v1p1"><title>Write us</title>'
        '<url href="javascript:alert(1)"/></webLink>'
    )
    cartridge = read(make_zip({"imsmanifest.xml": manifest(resources), "mail.xml": link}))

    assert [(line.identifier, line.reason) for line in cartridge.errors] == [
        ("gone", "its file 'gone.html' is missing from the zip")
    ]
    mail = next(line for line in cartridge.lines if line.identifier == "mail")
    assert (mail.result, mail.reason) == (SKIP, "its address is not a web page (javascript:alert(1))")
    assert "mail" not in cartridge.contents


def test_reading_stops_when_the_time_budget_runs_out():
    with time_budget(seconds=0, what="cartridge"), pytest.raises(OverTime):
        read("py4e_export.imscc")


def test_every_resource_of_a_real_cartridge_has_a_line():
    cartridge = read("allyworkshop.imscc")
    reported = {line.identifier for line in cartridge.lines}
    assert (
        len([line for line in cartridge.lines if line.what not in ("module", "module item", "question")])
        == 48
    )
    assert all(line.result in (IMPORT, SKIP) for line in cartridge.lines)
    assert "i20d6a85d83b273b437345e95e67af49f" in reported  # a PDF no module places


def test_page_html_loses_script_and_keeps_links_as_markdown():
    resources = '<resource identifier="p" type="webcontent" href="p.html"><file href="p.html"/></resource>'
    html = (
        "<html><head><title>Tides</title><script>alert(1)</script></head><body>"
        '<h2>Why</h2><p>See <a href="https://noaa.gov/tides">NOAA</a> and <a href="local.html">this</a>.</p>'
        "<ul><li>high</li><li>low</li></ul><style>p{}</style></body></html>"
    )
    cartridge = read(make_zip({"imsmanifest.xml": manifest(resources), "p.html": html}))

    content = cartridge.contents["p"]
    assert content.title == "Tides"
    assert content.body == "## Why\n\nSee [NOAA](https://noaa.gov/tides) and this.\n\n- high\n\n- low"
