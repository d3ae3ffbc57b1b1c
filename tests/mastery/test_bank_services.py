"""Question authoring and the JSON import/export of a bank (services)."""

import json

import pytest
from django.core.exceptions import ValidationError

from mastery import bank_services, services
from mastery.models import Question
from tests.factories import CompetencyFactory


def _doc(*questions):
    return json.dumps({"format": "plp-question-bank/1", "questions": list(questions)})


GOOD = [
    {
        "kind": "single",
        "prompt": "2+2?",
        "choices": ["3", "4"],
        "correct_choices": [1],
        "explanation": "Count.",
    },
    {"kind": "multiple", "prompt": "Evens?", "choices": ["1", "2", "4"], "correct_choices": [1, 2]},
    {"kind": "numeric", "prompt": "pi?", "numeric_answer": 3.14, "tolerance": 0.01},
    {"kind": "short_text", "prompt": "Capital of France?", "accepted_answers": ["Paris"]},
]


def test_an_export_imports_back_into_another_bank_identically(scope_a, bank):
    bank_services.question_bank_import(bank=bank, document=_doc(*GOOD), replace=True)
    exported = bank_services.question_bank_export(bank=bank)
    other = bank_services.question_bank_create(competency=CompetencyFactory(framework__school=scope_a.school))
    bank_services.question_bank_import(bank=other, document=json.dumps(exported))
    assert bank_services.question_bank_export(bank=other)["questions"] == exported["questions"]
    assert len(exported["questions"]) == 4


@pytest.mark.parametrize(
    ("question", "field"),
    [
        (
            {"kind": "single", "prompt": "x", "choices": ["a", "b"], "correct_choices": [0, 1]},
            "correct_choices",
        ),
        ({"kind": "single", "prompt": "x", "choices": ["a", "b"], "correct_choices": [5]}, "correct_choices"),
        ({"kind": "multiple", "prompt": "x", "choices": "ab", "correct_choices": [0]}, "choices"),
        ({"kind": "numeric", "prompt": "x", "numeric_answer": "many"}, "numeric_answer"),
        ({"kind": "numeric", "prompt": "x", "numeric_answer": 1, "tolerance": -1}, "tolerance"),
        ({"kind": "short_text", "prompt": "x", "accepted_answers": ["  "]}, "accepted_answers"),
        ({"kind": "essay", "prompt": "x"}, "kind"),
        ({"kind": "single", "prompt": "", "choices": ["a", "b"], "correct_choices": [0]}, "prompt"),
    ],
)
def test_an_invalid_question_refuses_the_whole_import_with_its_field(scope_a, bank, question, field):
    with pytest.raises(ValidationError) as error:
        bank_services.question_bank_import(bank=bank, document=_doc(GOOD[0], question))
    assert f"questions[1].{field}" in error.value.message_dict
    assert Question.objects.filter(prompt="2+2?").count() == 0  # nothing of the import was kept


@pytest.mark.parametrize(
    ("document", "key"),
    [
        ("not json", "file"),
        ("[]", "file"),
        ('{"format": "other/9", "questions": []}', "format"),
        ('{"questions": []}', "questions"),
        ('{"questions": [1]}', "questions[0]"),
        ('{"questions": [{"kind": "single", "sneaky": 1}]}', "questions[0]"),
    ],
)
def test_malformed_documents_are_refused_by_key(scope_a, bank, document, key):
    with pytest.raises(ValidationError) as error:
        bank_services.question_bank_import(bank=bank, document=document)
    assert key in error.value.message_dict


def test_a_retired_question_is_no_longer_drawn_but_kept(scope_a, bank):
    for question in Question.objects.filter(bank=bank)[1:]:
        bank_services.question_retire(question=question)
    kept = Question.objects.filter(bank=bank, is_active=True).get()
    assert {services.practice_question_draw(competency=bank.competency).pk for _ in range(10)} == {kept.pk}
    assert Question.objects.filter(bank=bank).count() == 5


@pytest.mark.parametrize(
    "question",
    [
        {"kind": "single", "prompt": "a\x00b", "choices": ["a", "b"], "correct_choices": [0]},
        {"kind": "single", "prompt": "ok", "choices": ["a\x00", "b"], "correct_choices": [0]},
        {"kind": "short_text", "prompt": "ok", "accepted_answers": ["x\x00"]},
    ],
)
def test_nul_characters_are_a_field_error_not_a_database_error(scope_a, bank, question):
    with pytest.raises(ValidationError) as error:
        bank_services.question_bank_import(bank=bank, document=_doc(question))
    assert any("NUL" in m for messages in error.value.message_dict.values() for m in messages)


def test_nul_characters_in_answers_are_stripped(scope_a, bank):
    question = Question.objects.filter(bank=bank).first()
    answer = services.practice_answer_submit(
        student=scope_a.user("student"), question=question, response=["1\x00"]
    )
    assert answer.response == ["1"]
