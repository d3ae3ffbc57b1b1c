"""Importing a cartridge: the dry run writes nothing, the import writes it all in a few bulk queries, an
error anywhere writes nothing, and a re-import updates in place (no copies), in the importer's school only."""

import pytest

from mastery import grading
from mastery.cartridge_services import (
    CartridgeError,
    cartridge_import,
    cartridge_import_check,
    cartridge_limits,
    cartridge_read,
)
from mastery.models import Question, QuestionBank
from playlists.cartridge.reader import read_cartridge
from playlists.models import Competency, ContentItem, Framework, Playlist, PlaylistItem
from plp.tenancy.context import school_scope
from tests.factories import PlaylistFactory
from tests.playlists.cartridges import cartridge_bytes, make_zip, manifest


def _read(name):
    return read_cartridge(cartridge_bytes(name), limits=cartridge_limits())


def _rows():
    return [
        sorted(model.objects.values_list("pk", flat=True))
        for model in (ContentItem, Playlist, PlaylistItem, Framework, Competency, QuestionBank, Question)
    ]


def test_dry_run_counts_what_the_import_would_create_and_writes_nothing(
    school_a, django_assert_max_num_queries
):
    with school_scope(school_a.school):
        before = _rows()
        with django_assert_max_num_queries(8):
            report = cartridge_import_check(cartridge=_read("py4e_export.imscc"), subject_name="Computing")

        assert report.ok
        counts = {kind: (c.create, c.update) for kind, c in report.counts.items()}
        assert counts == {
            "playlists": (17, 0),
            "content items": (131, 0),
            "question banks": (0, 0),
            "questions": (0, 0),
        }
        assert _rows() == before


def test_import_writes_playlists_in_module_order_in_a_constant_number_of_queries(
    school_a, school_b, django_assert_max_num_queries
):
    teacher = school_a.user("teacher")
    with school_scope(school_a.school):
        with django_assert_max_num_queries(20):  # 17 playlists, 131 items, 131 placements: bulk writes
            report = cartridge_import(
                cartridge=_read("py4e_export.imscc"), subject_name="Computing", user=teacher
            )

        assert report.imported and len(report.playlists) == 17
        why = Playlist.objects.get(title="Why Program?")
        assert why.subject.name == "Computing" and why.created_by == teacher
        assert why.source_key == "cc:cctd0015:T_000006"
        placements = list(why.playlist_items.order_by("position").values_list("position", "item__title"))
        assert placements[:2] == [(1, "Video: Why Program - Part 1"), (2, "Video: Why Program - Part 2")]
        assert len(placements) == 9
        link = ContentItem.objects.get(source_key="cc:cctd0015:T_000002_R")
        assert (link.kind, link.url) == (ContentItem.Kind.LINK, "https://www.py4e.com/install.php")
        assert ContentItem.objects.filter(kind=ContentItem.Kind.VIDEO).count() == 94
    with school_scope(school_b.school):
        assert not Playlist.objects.exists() and not ContentItem.objects.exists()


def test_reimport_updates_in_place_and_never_duplicates(school_a, django_assert_max_num_queries):
    with school_scope(school_a.school):
        cartridge_import(cartridge=_read("allyworkshop.imscc"), subject_name="Teaching")
        first = _rows()
        faq = ContentItem.objects.get(title="Accessibility FAQ")
        ContentItem.objects.filter(pk=faq.pk).update(body="edited here")

        check = cartridge_import_check(cartridge=_read("allyworkshop.imscc"), subject_name="Teaching")
        assert {kind: (c.create, c.update) for kind, c in check.counts.items()}["content items"] == (0, 12)
        with django_assert_max_num_queries(20):
            report = cartridge_import(cartridge=_read("allyworkshop.imscc"), subject_name="Teaching")

        assert report.imported
        assert _rows()[:2] == first[:2]  # the same content items and playlists, updated in place
        assert ContentItem.objects.count() == 12 and Playlist.objects.count() == 3
        assert PlaylistItem.objects.count() == 6  # the placements rebuilt from the modules, not added
        faq.refresh_from_db()
        assert "Accessibility FAQ" in faq.title and faq.body != "edited here"  # the cartridge's text again


def test_quizzes_become_banks_and_a_reimport_updates_their_questions(school_a):
    with school_scope(school_a.school):
        report = cartridge_import(cartridge=_read("all-question-types"), subject_name="Reading")

        assert report.imported
        framework = Framework.objects.get()
        assert framework.title == "XavierSchool (quizzes)"
        bank = QuestionBank.objects.get()
        assert (bank.title, bank.competency.title, bank.competency.code) == (
            "ALL QUESTION TYPES QUIZ",
            "ALL QUESTION TYPES QUIZ",
            "Quiz 1",
        )
        questions = list(bank.questions.order_by("pk"))
        assert [q.kind for q in questions] == [grading.SINGLE, grading.SINGLE, grading.MULTIPLE]
        assert questions[0].correct_choices == [2] and questions[2].correct_choices == [0, 3, 4]
        Question.objects.filter(pk=questions[0].pk).update(prompt="changed", is_active=False)

        again = cartridge_import(cartridge=_read("all-question-types"), subject_name="Reading")

        assert {kind: (c.create, c.update) for kind, c in again.counts.items()}["questions"] == (0, 3)
        assert QuestionBank.objects.count() == 1 and Question.objects.count() == 3
        restored = Question.objects.get(pk=questions[0].pk)
        assert restored.is_active and restored.prompt == 'How many letters does the word, "RED" have?'


def test_a_broken_resource_blocks_the_whole_import(school_a):
    resources = (
        '<resource identifier="ok" type="webcontent" href="ok.html"><file href="ok.html"/></resource>'
        '<resource identifier="gone" type="webcontent" href="gone.html"><file href="gone.html"/></resource>'
    )
    items = '<item identifier="i1" identifierref="ok"><title>Fine page</title></item>'
    data = make_zip({"imsmanifest.xml": manifest(resources, items), "ok.html": "<p>Fine</p>"})
    with school_scope(school_a.school):
        cartridge = read_cartridge(data, limits=cartridge_limits())
        assert cartridge.contents and cartridge.modules  # the rest is valid

        report = cartridge_import(cartridge=cartridge, subject_name="Math")

        assert not report.ok and not report.imported
        assert [line.identifier for line in report.errors] == ["gone"]
        assert not ContentItem.objects.exists() and not Playlist.objects.exists()


def test_a_playlist_title_the_school_already_uses_blocks_the_import(school_a):
    with school_scope(school_a.school):
        PlaylistFactory(school=school_a.school, title="Strings")
        report = cartridge_import(cartridge=_read("py4e_export.imscc"), subject_name="Computing")

        assert not report.imported
        [conflict] = report.errors
        assert (conflict.title, conflict.what) == ("Strings", "module")
        assert "already has a playlist with this title" in conflict.reason
        assert Playlist.objects.count() == 1 and not ContentItem.objects.exists()


def test_reading_over_the_time_budget_is_a_clear_error(settings):
    settings.UPLOAD_PARSE_SECONDS = 0
    with pytest.raises(CartridgeError, match="took longer than 0 seconds"):
        cartridge_read(data=cartridge_bytes("py4e_export.imscc"))


def test_reimport_retires_questions_the_quiz_lost_and_keeps_the_teachers_own(school_a):
    with school_scope(school_a.school):
        cartridge_import(cartridge=_read("all-question-types"), subject_name="Reading")
        bank = QuestionBank.objects.get()
        lost = Question.objects.create(
            school=school_a.school,
            bank=bank,
            kind=grading.SHORT_TEXT,
            prompt="Gone from the quiz",
            accepted_answers=["x"],
            source_key="cc:icc16454176b28467d5eaeb311a7a107d:iaa8f9f400b29e514ea8d28fd7ed067f4:old",
        )
        own = Question.objects.create(
            school=school_a.school, bank=bank, kind=grading.SHORT_TEXT, prompt="Mine", accepted_answers=["y"]
        )

        cartridge_import(cartridge=_read("all-question-types"), subject_name="Reading")

        lost.refresh_from_db()
        own.refresh_from_db()
        assert not lost.is_active and own.is_active
        assert Question.objects.filter(is_active=True).count() == 4


def test_a_new_quiz_gets_a_code_no_other_competency_of_the_framework_has(school_a):
    with school_scope(school_a.school):
        cartridge_import(cartridge=_read("grouptest.zip"), subject_name="Quizzes")
        assert sorted(Competency.objects.values_list("code", flat=True)) == ["Quiz 1", "Quiz 2", "Quiz 3"]
        # The first quiz "left" the cartridge (its competency stays); the next import meets it as new.
        Competency.objects.filter(code="Quiz 1").update(
            source_key="cc:g275387728570c4b1b25a2873ae6637e9:gone"
        )

        report = cartridge_import(cartridge=_read("grouptest.zip"), subject_name="Quizzes")

        assert report.imported
        assert sorted(Competency.objects.values_list("code", flat=True)) == [
            "Quiz 1",
            "Quiz 2",
            "Quiz 3",
            "Quiz 4",
        ]
