"""QTI import (dry run, then all at once) and QTI 3.0 export of a question bank.

Pages call these; the reading and writing of QTI itself is the pure modules :mod:`mastery.qti.reader` and
:mod:`mastery.qti.writer`. An import adds every item our kinds can hold and reports every other item with its
reason: a teacher sees the same report in the dry run and after the import, and nothing disappears without a
line saying why.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from mastery.bank_services import MAX_IMPORT_QUESTIONS, QUESTION_FIELDS
from mastery.models import Question, QuestionBank
from mastery.qti import reader, writer
from schools.rostering.reading import Limits


def qti_limits() -> Limits:
    """How much XML a package may unpack to, and how many files it may hold (settings, with defaults far
    above a real bank: the 1EdTech sample packages are a few hundred kilobytes)."""
    return Limits(
        total_bytes=getattr(settings, "QTI_MAX_UNCOMPRESSED_BYTES", 50 * 1024 * 1024),
        entries=getattr(settings, "QTI_MAX_ZIP_ENTRIES", 5000),
    )


@dataclass
class ItemLine:
    """One item of the upload in the report: what it became (``kind``) or why not (``reason``)."""

    identifier: str
    source: str
    kind: str = ""
    prompt: str = ""
    reason: str = ""

    @property
    def kind_label(self) -> str:
        return Question.Kind(self.kind).label if self.kind else ""


@dataclass
class QtiReport:
    lines: list[ItemLine] = field(default_factory=list)
    imported: bool = False

    @property
    def accepted(self) -> list[ItemLine]:
        return [line for line in self.lines if line.kind]

    @property
    def refused(self) -> list[ItemLine]:
        return [line for line in self.lines if not line.kind]


def _build(*, bank: QuestionBank, data: bytes, name: str) -> tuple[QtiReport, list[Question]]:
    reading = reader.read_upload(data, name=name, limits=qti_limits(), max_items=MAX_IMPORT_QUESTIONS)
    report, built = QtiReport(), []
    for parsed in reading.parsed:
        question = Question(school_id=bank.school_id, bank=bank)
        for name_ in QUESTION_FIELDS:
            if name_ in parsed.fields:
                setattr(question, name_, parsed.fields[name_])
        try:
            question.full_clean(exclude=["bank", "school"])  # both the bank's own: no lookup per item
        except ValidationError as error:
            reason = "; ".join(f"{f}: {' '.join(m)}" for f, m in error.message_dict.items())
            report.lines.append(
                ItemLine(parsed.identifier, parsed.source, reason=f"not a valid question ({reason})")
            )
            continue
        report.lines.append(
            ItemLine(parsed.identifier, parsed.source, kind=question.kind, prompt=question.prompt)
        )
        built.append(question)
    for refusal in reading.refused:
        report.lines.append(ItemLine(refusal.identifier, refusal.source, reason=refusal.reason))
    return report, built


def qti_import_check(*, bank: QuestionBank, data: bytes, name: str) -> QtiReport:
    """The dry run: what an import of this upload would add and refuse. Writes nothing; QtiError if the
    upload as a whole cannot be read."""
    report, _built = _build(bank=bank, data=data, name=name)
    return report


@transaction.atomic
def qti_import(*, bank: QuestionBank, data: bytes, name: str, replace: bool = False) -> QtiReport:
    """Add the upload's importable items to ``bank`` in one transaction (``replace`` retires the current
    questions first) and return the report of every item. With nothing importable, nothing changes."""
    report, built = _build(bank=bank, data=data, name=name)
    if built:
        if replace:
            Question.objects.filter(bank=bank, is_active=True).update(is_active=False)
        Question.objects.bulk_create(built)  # one insert, however large the package
        report.imported = True
    return report


def qti_export(*, bank: QuestionBank) -> bytes:
    """The bank's active questions as a QTI 3.0 package zip (correct answers included: authoring only)."""
    questions = Question.objects.filter(bank=bank, is_active=True).order_by("pk")
    items = [
        (f"q{question.pk}", question.prompt[:80], {name: getattr(question, name) for name in QUESTION_FIELDS})
        for question in questions
    ]
    return writer.package_zip(identifier=f"plp-bank-{bank.pk}", items=items)
