"""Common Cartridge import: the dry run (what would be created and updated, every resource's line) and the
import itself, in one transaction, writing in bulk. A cartridge brings content (items, playlists, a subject)
and question banks together, so its import is mastery's, the app above both (README, "App layers").

Reading the cartridge is the pure :mod:`playlists.cartridge`. Everything the import creates carries
``source_key`` (the cartridge's manifest identifier and the resource, module or question identifier), so
importing the same cartridge again updates those rows in place instead of adding copies. A re-imported
playlist's items are rebuilt from the module, in the module's order; questions a quiz no longer holds are
retired (kept for the answers that used them), never deleted.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from mastery.bank_services import QUESTION_FIELDS
from mastery.models import Question, QuestionBank
from playlists.cartridge.model import ERROR, LINK, READING, VIDEO, Cartridge, CartridgeError, Line
from playlists.cartridge.reader import read_cartridge
from playlists.models import Competency, ContentItem, Framework, Playlist, PlaylistItem, Subject
from plp.tenancy.context import current_school_id
from plp.time_budget import OverTime, time_budget
from schools.rostering.reading import Limits

__all__ = ["CartridgeError", "cartridge_import", "cartridge_import_check", "cartridge_read"]

KINDS = {READING: ContentItem.Kind.READING, LINK: ContentItem.Kind.LINK, VIDEO: ContentItem.Kind.VIDEO}
ITEM_FIELDS = ["title", "kind", "body", "url", "estimated_minutes"]


def cartridge_limits() -> Limits:
    """How much XML and HTML a cartridge may unpack to (its images and videos are never unpacked)."""
    return Limits(
        total_bytes=getattr(settings, "CARTRIDGE_MAX_UNCOMPRESSED_BYTES", 100 * 1024 * 1024),
        entries=getattr(settings, "CARTRIDGE_MAX_ZIP_ENTRIES", 20000),
    )


def cartridge_read(*, data: bytes) -> Cartridge:
    """The cartridge read within the upload time budget; CartridgeError if it cannot be read at all."""
    try:
        with time_budget(seconds=settings.UPLOAD_PARSE_SECONDS, what="cartridge"):
            return read_cartridge(data, limits=cartridge_limits())
    except OverTime as error:
        raise CartridgeError(str(error)) from error


@dataclass
class Count:
    create: int = 0
    update: int = 0


@dataclass
class CartridgeReport:
    """The dry run's (or the import's) account: counts per kind and every line, errors first."""

    cartridge: Cartridge
    subject_name: str
    counts: dict[str, Count] = field(default_factory=dict)
    conflicts: list[Line] = field(default_factory=list)
    imported: bool = False
    playlists: list[Playlist] = field(default_factory=list)

    @property
    def errors(self) -> list[Line]:
        return self.cartridge.errors + self.conflicts

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def lines(self) -> list[Line]:
        everything = self.conflicts + self.cartridge.lines
        order = {ERROR: 0, "skip": 1, "import": 2}
        return sorted(everything, key=lambda line: order.get(line.result, 3))

    @property
    def skipped_count(self) -> int:
        return len(self.cartridge.skipped)


@dataclass
class _Plan:
    items: list[ContentItem] = field(default_factory=list)
    playlists: list[tuple[Playlist, list[str]]] = field(default_factory=list)  # with their items' keys
    framework: Framework | None = None
    quizzes: list[tuple[Competency, str, list[Question]]] = field(default_factory=list)  # bank title


def _minutes(text: str) -> int:
    return max(1, min(240, len(text.split()) // 200 + 1))


def _unique_titles(titles: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    result = []
    for title in titles:
        seen[title] = seen.get(title, 0) + 1
        result.append(title if seen[title] == 1 else f"{title[:190]} ({seen[title]})")
    return result


def _build(*, cartridge: Cartridge, subject_name: str, user=None) -> tuple[CartridgeReport, _Plan]:
    """Every object the import would write, validated, and the report; reads only (a few queries).

    Long on purpose: items, playlists, then question banks, in the order later steps look earlier ones up
    (a playlist places the items built above), all reporting into one report and one plan."""
    school_id = current_school_id()
    report, plan = CartridgeReport(cartridge=cartridge, subject_name=subject_name), _Plan()
    counts = {name: Count() for name in ("playlists", "content items", "question banks", "questions")}
    report.counts = counts

    def conflict(identifier: str, title: str, what: str, reason: str) -> None:
        report.conflicts.append(Line(identifier, title, what, ERROR, reason))

    keys = {cartridge.key(identifier): content for identifier, content in cartridge.contents.items()}
    existing_items = {i.source_key: i for i in ContentItem.objects.filter(source_key__in=list(keys))}
    for key, content in keys.items():
        item = existing_items.get(key) or ContentItem(school_id=school_id, source_key=key, created_by=user)
        counts["content items"].update += 1 if item.pk else 0
        counts["content items"].create += 0 if item.pk else 1
        item.title, item.kind = content.title, KINDS[content.kind]
        item.body, item.url = content.body, content.url
        item.estimated_minutes = _minutes(content.body) if content.kind == READING else 15
        try:
            item.full_clean(
                exclude=["created_by", "school"], validate_unique=False, validate_constraints=False
            )
        except ValidationError as error:
            conflict(content.identifier, content.title, "content item", "; ".join(error.messages))
        plan.items.append(item)

    module_keys = [cartridge.key(module.identifier) for module in cartridge.modules]
    existing_playlists = {p.source_key: p for p in Playlist.objects.filter(source_key__in=module_keys)}
    titles = _unique_titles([module.title for module in cartridge.modules])
    taken = set(
        Playlist.objects.filter(title__in=titles)
        .exclude(source_key__in=module_keys)
        .values_list("title", flat=True)
    )
    for module, key, title in zip(cartridge.modules, module_keys, titles, strict=True):
        playlist = existing_playlists.get(key) or Playlist(
            school_id=school_id, source_key=key, created_by=user
        )
        counts["playlists"].update += 1 if playlist.pk else 0
        counts["playlists"].create += 0 if playlist.pk else 1
        playlist.title = title
        if title in taken:
            conflict(
                module.identifier,
                title,
                "module",
                "the school already has a playlist with this title that did not come from this cartridge: "
                "rename one of them",
            )
        plan.playlists.append((playlist, [cartridge.key(ref) for ref in module.contents]))

    if cartridge.quizzes:
        framework_key = cartridge.key()
        framework = Framework.objects.filter(source_key=framework_key).first()
        framework = framework or Framework(school_id=school_id, source_key=framework_key)
        framework.title = f"{cartridge.title[:280]} (quizzes)"
        if Framework.objects.filter(title=framework.title).exclude(source_key=framework_key).exists():
            conflict(
                cartridge.identifier, framework.title, "framework", "the school has a framework of this title"
            )
        plan.framework = framework
        quiz_keys = [cartridge.key(identifier) for identifier in cartridge.quizzes]
        competencies = {c.source_key: c for c in Competency.objects.filter(source_key__in=quiz_keys)}
        banks = {
            b.competency_id: b for b in QuestionBank.objects.filter(competency__in=competencies.values())
        }
        question_keys = [
            cartridge.key(quiz.identifier, parsed.identifier)
            for quiz in cartridge.quizzes.values()
            for parsed in quiz.questions
        ]
        questions = {q.source_key: q for q in Question.objects.filter(source_key__in=question_keys)}
        used_codes = set(  # every code of the framework: a quiz dropped from the cartridge keeps its own
            Competency.objects.filter(framework=framework).values_list("code", flat=True)
            if framework.pk
            else ()
        )
        number = 0
        for quiz, key in zip(cartridge.quizzes.values(), quiz_keys, strict=True):
            competency = competencies.get(key)
            if competency is None:
                number += 1
                while f"Quiz {number}" in used_codes:
                    number += 1
                competency = Competency(school_id=school_id, source_key=key, code=f"Quiz {number}")
                used_codes.add(competency.code)
                counts["question banks"].create += 1
            else:
                counts["question banks"].update += 1
            competency.title = quiz.title
            built = []
            for parsed in quiz.questions:
                question_key = cartridge.key(quiz.identifier, parsed.identifier)
                question = questions.get(question_key) or Question(
                    school_id=school_id, source_key=question_key
                )
                counts["questions"].update += 1 if question.pk else 0
                counts["questions"].create += 0 if question.pk else 1
                for name in QUESTION_FIELDS:
                    setattr(
                        question, name, parsed.fields.get(name, Question._meta.get_field(name).get_default())
                    )
                question.is_active = True
                try:
                    question.full_clean(
                        exclude=["bank", "school"], validate_unique=False, validate_constraints=False
                    )
                except ValidationError as error:
                    conflict(parsed.identifier, quiz.title, "question", "; ".join(error.messages))
                built.append(question)
            bank = banks.get(competency.pk) if competency.pk else None
            plan.quizzes.append((competency, bank.title if bank else quiz.title, built))
    return report, plan


def cartridge_import_check(*, cartridge: Cartridge, subject_name: str) -> CartridgeReport:
    """The dry run: what importing would create and update, and every line of the report. Writes nothing."""
    report, _plan = _build(cartridge=cartridge, subject_name=subject_name)
    return report


@transaction.atomic
def cartridge_import(*, cartridge: Cartridge, subject_name: str, user=None) -> CartridgeReport:
    """Import the cartridge in one transaction; with any error in the report, nothing is written."""
    report, plan = _build(cartridge=cartridge, subject_name=subject_name, user=user)
    if not report.ok:
        return report
    school_id = current_school_id()
    subject = Subject.objects.filter(name=subject_name).first()
    if subject is None:
        subject = Subject(school_id=school_id, name=subject_name)
        subject.full_clean(validate_unique=False, validate_constraints=False)
        subject.save()

    ContentItem.objects.bulk_create([item for item in plan.items if item.pk is None])
    ContentItem.objects.bulk_update([item for item in plan.items if item.pk], ITEM_FIELDS)
    item_ids = {item.source_key: item.pk for item in plan.items}

    for playlist, _keys in plan.playlists:
        playlist.subject = subject
    Playlist.objects.bulk_create([p for p, _keys in plan.playlists if p.pk is None])
    Playlist.objects.bulk_update([p for p, _keys in plan.playlists if p.pk], ["title", "subject"])
    PlaylistItem.objects.filter(playlist__in=[p for p, _keys in plan.playlists]).delete()
    PlaylistItem.objects.bulk_create(
        PlaylistItem(school_id=school_id, playlist=playlist, item_id=item_ids[key], position=position)
        for playlist, keys in plan.playlists
        for position, key in enumerate(keys, start=1)
    )
    report.playlists = [playlist for playlist, _keys in plan.playlists]

    if plan.framework is not None:
        plan.framework.subject = subject
        plan.framework.save()
        competencies = [competency for competency, _title, _questions in plan.quizzes]
        for position, competency in enumerate(competencies, start=1):
            competency.framework, competency.subject, competency.position = plan.framework, subject, position
        Competency.objects.bulk_create([c for c in competencies if c.pk is None])
        Competency.objects.bulk_update([c for c in competencies if c.pk], ["title", "subject", "position"])
        banks = {b.competency_id: b for b in QuestionBank.objects.filter(competency__in=competencies)}
        new_banks = [
            QuestionBank(school_id=school_id, competency=competency, title=title[:200])
            for competency, title, _questions in plan.quizzes
            if competency.pk not in banks
        ]
        QuestionBank.objects.bulk_create(new_banks)
        banks.update({bank.competency_id: bank for bank in new_banks})
        questions = []
        for competency, _title, built in plan.quizzes:
            for question in built:
                question.bank = banks[competency.pk]
                questions.append(question)
        Question.objects.bulk_create([q for q in questions if q.pk is None])
        Question.objects.bulk_update([q for q in questions if q.pk], [*QUESTION_FIELDS, "is_active", "bank"])
        Question.objects.filter(
            bank__in=banks.values(), is_active=True, source_key__startswith=cartridge.key() + ":"
        ).exclude(source_key__in=[q.source_key for q in questions]).update(is_active=False)
    report.imported = True
    return report
