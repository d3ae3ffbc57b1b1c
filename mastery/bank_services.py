"""Question-bank authoring: create, edit, retire questions, and the JSON import/export of a bank.

Split from services.py by domain (authoring vs. evidence); same conventions: keyword-only, full_clean,
one transaction per use case.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from mastery.models import Question, QuestionBank
from playlists.models import Competency
from plp.safe_json import json_loads
from plp.saving import validated_update

EXPORT_FORMAT = "plp-question-bank/1"
QUESTION_FIELDS = (  # what an author writes of a question: the export, the import and the authoring API
    "kind",
    "prompt",
    "choices",
    "correct_choices",
    "numeric_answer",
    "tolerance",
    "accepted_answers",
    "explanation",
)
MAX_IMPORT_QUESTIONS = 500


@transaction.atomic
def question_bank_create(*, competency: Competency, title: str = "") -> QuestionBank:
    bank = QuestionBank(school_id=competency.school_id, competency=competency, title=title.strip()[:200])
    bank.full_clean()
    bank.save()
    return bank


@transaction.atomic
def question_save(*, bank: QuestionBank, question: Question | None = None, **fields) -> Question:
    """Create (``question`` None) or update a question of ``bank``; ValidationError names the bad fields."""
    question = question or Question(school_id=bank.school_id, bank=bank)
    return validated_update(question, fields, fields=QUESTION_FIELDS)


@transaction.atomic
def question_retire(*, question: Question) -> Question:
    """Retired questions are no longer drawn; they stay for the answers and checks that used them."""
    question.is_active = False
    question.save(update_fields=["is_active", "updated_at"])
    return question


def question_bank_export(*, bank: QuestionBank) -> dict:
    """The bank's active questions as a JSON-ready document (correct answers included: authoring only)."""
    questions = Question.objects.filter(bank=bank, is_active=True).order_by("pk")
    return {
        "format": EXPORT_FORMAT,
        "competency_code": bank.competency.code,
        "title": bank.title,
        "questions": [{name: getattr(q, name) for name in QUESTION_FIELDS} for q in questions],
    }


def _parse(document) -> dict:
    if isinstance(document, bytes | str):
        try:
            document = json_loads(document)
        except (ValueError, UnicodeDecodeError) as error:
            raise ValidationError({"file": f"Not valid JSON: {error}"}) from error
    if not isinstance(document, dict):
        raise ValidationError({"file": "Expected a JSON object with a 'questions' list."})
    if document.get("format", EXPORT_FORMAT) != EXPORT_FORMAT:
        raise ValidationError({"format": f"Unknown format; expected {EXPORT_FORMAT!r}."})
    questions = document.get("questions")
    if not isinstance(questions, list) or not questions:
        raise ValidationError({"questions": "Give a non-empty 'questions' list."})
    if len(questions) > MAX_IMPORT_QUESTIONS:
        raise ValidationError({"questions": f"At most {MAX_IMPORT_QUESTIONS} questions per import."})
    return document


@transaction.atomic
def question_bank_import(*, bank: QuestionBank, document, replace: bool = False) -> list[Question]:
    """Add the document's questions to ``bank`` (``replace`` retires the current ones first). All or nothing:
    any invalid question refuses the whole import, with errors keyed ``questions[i].field``."""
    document = _parse(document)
    built, errors = [], {}
    for index, raw in enumerate(document["questions"]):
        if not isinstance(raw, dict):
            errors[f"questions[{index}]"] = ["Each question must be an object."]
            continue
        unknown = set(raw) - set(QUESTION_FIELDS) - {"id"}
        if unknown:
            errors[f"questions[{index}]"] = [f"Unknown fields: {', '.join(sorted(map(str, unknown)))}."]
            continue
        question = Question(school_id=bank.school_id, bank=bank)
        for name in QUESTION_FIELDS:
            if name in raw and raw[name] is not None:
                setattr(question, name, raw[name])
        try:
            question.full_clean(exclude=["bank"])
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                errors[f"questions[{index}].{field}"] = messages
        built.append(question)
    if errors:
        raise ValidationError(errors)
    if replace:
        Question.objects.filter(bank=bank, is_active=True).update(is_active=False)
    for question in built:
        question.save()
    return built
