"""The demo teaches: real questions (mastery/demo_content) and readings (playlists/demo_content), each
question explained and accepted by the real grader for its own stated answer, and no question about a
learning target's code left for students to draw."""

from io import StringIO

import pytest
from django.core.management import call_command

from mastery import grading
from mastery.demo_content.questions import FULL_BANKS, QUESTIONS
from mastery.models import Question
from playlists.demo_content.readings import READINGS
from playlists.models import ContentItem
from plp.tenancy.context import school_scope
from schools.models import School

ALL = [(code, n, q) for code, questions in QUESTIONS.items() for n, q in enumerate(questions)]


def _key(question: dict) -> dict:
    return {
        "kind": question["kind"],
        "correct_choices": question.get("correct_choices", []),
        "numeric_answer": question.get("numeric_answer"),
        "tolerance": question.get("tolerance", 0),
        "accepted_answers": question.get("accepted_answers", []),
    }


def _stated_answer(question: dict):
    kind = question["kind"]
    if kind == grading.NUMERIC:
        return f"{question['numeric_answer']:g}"
    if kind == grading.SHORT_TEXT:
        return question["accepted_answers"][0]
    if kind == grading.SINGLE:
        return str(question["correct_choices"][0])
    return [str(i) for i in question["correct_choices"]]


@pytest.mark.parametrize("code", FULL_BANKS)
def test_a_promised_competency_has_at_least_12_numeric_and_choice_questions(code):
    questions = QUESTIONS[code]
    assert len(questions) >= 12
    kinds = {q["kind"] for q in questions}
    assert grading.NUMERIC in kinds and kinds & {grading.SINGLE, grading.MULTIPLE}


@pytest.mark.parametrize(("code", "n", "question"), ALL, ids=[f"{c}-{n}" for c, n, _ in ALL])
def test_every_question_is_explained_and_its_stated_answer_is_accepted(code, n, question):
    assert question["explanation"].strip(), f"{code} #{n} has no explanation"
    key = _key(question)
    assert grading.grade(key, _stated_answer(question)), f"{code} #{n}"
    if question["kind"] == grading.NUMERIC:  # also the way a student types it, e.g. 0.25 as 1/4
        assert not grading.grade(key, f"{question['numeric_answer'] + 1:g}")
    if question["kind"] in (grading.SINGLE, grading.MULTIPLE):
        assert len(set(question["choices"])) == len(question["choices"]), f"{code} #{n}: a choice repeats"


def test_prompts_are_unique_within_a_competency():
    for code, questions in QUESTIONS.items():
        prompts = [q["prompt"] for q in questions]
        assert len(prompts) == len(set(prompts)), code


def test_the_readings_have_worked_examples_and_the_computing_ones_have_math():
    for code, body in READINGS.items():
        assert "Worked example" in body, code
        if code.startswith(("6.RP", "6.EE", "6.SP.3")):
            assert "\\(" in body or "\\[" in body, code


def test_seed_demo_loads_the_content_and_retires_the_old_meta_questions_on_a_rerun(db):
    call_command("seed_demo", "--students", "3", stdout=StringIO())
    school = School.objects.get(slug="cedar-ridge")
    with school_scope(school):
        # A database seeded by an older demo still has a question about the target's code.
        bank = Question.objects.filter(bank__competency__code="6.RP.1").first().bank
        old = Question.objects.create(
            school=school,
            bank=bank,
            kind="short_text",
            prompt="Type the code of the learning target “Understand ratio language”.",
            accepted_answers=["6.RP.1"],
        )
    call_command("seed_demo", "--students", "3", stdout=StringIO())
    for school in School.objects.all():
        with school_scope(school):
            for code in FULL_BANKS:
                active = list(Question.objects.filter(bank__competency__code=code, is_active=True))
                assert len(active) >= 12, (school.slug, code)
                assert all(q.explanation for q in active)
                for question in active:
                    question.full_clean()
                    assert grading.grade(question.key, _stated_answer(_as_dict(question))), question.prompt
            assert not Question.objects.filter(is_active=True, prompt__contains="learning target").exists()
            reading = ContentItem.objects.get(title__startswith="6.RP.2:", kind="reading")
            assert reading.body == READINGS["6.RP.2"]
    with school_scope(School.objects.get(slug="cedar-ridge")):
        old.refresh_from_db()
        assert not old.is_active


def _as_dict(question: Question) -> dict:
    return {**question.key, "choices": question.choices}
