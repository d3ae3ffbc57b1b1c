"""Writes of competency frameworks: CASE/CSV imports (atomic) and single prerequisite edges.

Prerequisite edges are written here (not in services.py, which holds content and playlists) because
the import writes them too and both keep the graph acyclic with playlists/prerequisite_graph.py."""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction

from playlists.frameworks.parsed import ParsedFramework, Problem
from playlists.models import Competency, CompetencyPrerequisite, Framework, Subject
from playlists.prerequisite_graph import cycle_closed_by, describe_cycle, find_cycle
from playlists.selectors import students_working_on
from plp.recompute import students_mark_dirty
from plp.tenancy.context import current_school_id


@dataclass
class ImportReport:
    framework: Framework | None = None
    created: int = 0
    updated: int = 0
    prerequisites: int = 0
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _subject(name: str, cache: dict[str, Subject]) -> Subject:
    name = name.strip()[:120]
    if name not in cache:
        subject = Subject.objects.filter(name=name).first()
        if subject is None:
            subject = Subject(school_id=current_school_id(), name=name)
            subject.full_clean()
            subject.save()
        cache[name] = subject
    return cache[name]


@transaction.atomic
def framework_import(*, parsed: ParsedFramework, subject_name: str) -> ImportReport:
    """Create or update the framework of ``parsed`` in the active school, all or nothing.

    Competencies are matched by CASE identifier (CASE) or by code (CSV), so importing the same file again
    changes nothing; the framework's prerequisite edges become exactly those of the file.

    Long on purpose: one transaction in the order the writes depend on (framework, competencies, parents,
    prerequisite edges, the cycle check, the engine's dirty marks); each step reads the rows the one
    before wrote."""
    report = ImportReport(errors=list(parsed.errors), warnings=list(parsed.warnings))
    if not subject_name.strip():
        report.errors.append(Problem("form", "subject", "is required"))
    if not report.ok:
        return report
    school_id = current_school_id()
    subjects: dict[str, Subject] = {}
    subject = _subject(subject_name, subjects)
    framework = None
    if parsed.case_identifier:
        framework = Framework.objects.filter(case_identifier=parsed.case_identifier).first()
    if framework is None:
        framework = Framework.objects.filter(title=parsed.title).first()
        if framework and framework.case_identifier and framework.case_identifier != parsed.case_identifier:
            report.errors.append(
                Problem("CFDocument", "title", f"another framework is already called “{parsed.title[:120]}”")
            )
            return report
    if framework is None:
        framework = Framework(school_id=school_id, subject=subject, title=parsed.title)
    framework.title, framework.subject = parsed.title, subject
    framework.case_identifier, framework.case_uri = parsed.case_identifier, parsed.case_uri
    try:
        if parsed.case_uri:
            URLValidator()(parsed.case_uri)
    except ValidationError:
        report.warnings.append(
            Problem("CFDocument", "uri", f"{parsed.case_uri[:120]} is not a web address: not kept")
        )
        framework.case_uri = ""
    try:
        framework.full_clean()
    except ValidationError as exc:
        report.errors.extend(
            Problem("CFDocument", name, " ".join(msgs)) for name, msgs in exc.message_dict.items()
        )
        return report
    framework.save()

    existing = list(Competency.objects.filter(framework=framework))
    by_case = {c.case_identifier: c for c in existing if c.case_identifier}
    by_code = {c.code: c for c in existing}
    fields = ["code", "title", "description", "grade_band", "item_type", "case_identifier", "standard_codes"]
    fields += ["position", "subject"]

    def values(row: Competency) -> tuple:
        return tuple(getattr(row, "subject_id" if name == "subject" else name) for name in fields)

    rows: dict[str, Competency] = {}
    old_parent: dict[int, int | None] = {}
    to_create, changed = [], []
    for parsed_competency in parsed.competencies:
        row = by_case.get(parsed_competency.case_identifier) if parsed_competency.case_identifier else None
        row = row or by_code.get(parsed_competency.code)
        before = None
        if row is None:
            row = Competency(school_id=school_id, framework=framework)
            to_create.append(row)
        else:
            before, old_parent[row.pk] = values(row), row.parent_id
            report.updated += 1
        row.subject = _subject(parsed_competency.subject, subjects) if parsed_competency.subject else subject
        for name in fields[:-1]:
            setattr(row, name, getattr(parsed_competency, name))
        if before is not None and values(row) != before:
            changed.append(row)
        rows[parsed_competency.key] = row
    try:
        with transaction.atomic():  # a savepoint: a clash is reported, not a server error
            Competency.objects.bulk_update(changed, fields, batch_size=500)
            Competency.objects.bulk_create(to_create, batch_size=500)
    except IntegrityError:
        transaction.set_rollback(True)
        report.updated = 0
        report.errors.append(
            Problem("file", "codes", "codes or identifiers clash with this framework's existing competencies")
        )
        return report
    left_out = len(existing) - report.updated
    if left_out:
        report.warnings.append(
            Problem("file", "items", f"{left_out} competencies of this framework are not in the file: kept")
        )
    moved = []
    for parsed_competency in parsed.competencies:
        row = rows[parsed_competency.key]
        parent = rows[parsed_competency.parent_key] if parsed_competency.parent_key else None
        if (parent.pk if parent else None) != old_parent.get(row.pk):
            row.parent = parent
            moved.append(row)
    Competency.objects.bulk_update(moved, ["parent"], batch_size=500)

    old_edges = set(
        CompetencyPrerequisite.objects.filter(competency__framework=framework).values_list(
            "competency_id", "prerequisite_id"
        )
    )
    CompetencyPrerequisite.objects.filter(competency__framework=framework).delete()
    edges = [
        CompetencyPrerequisite(school_id=school_id, competency=rows[a], prerequisite=rows[b])
        for a, b in parsed.prerequisites
    ]
    CompetencyPrerequisite.objects.bulk_create(edges, batch_size=500)
    cycle = _school_prerequisite_cycle()
    if cycle:
        transaction.set_rollback(True)
        report.errors.append(Problem("prerequisites", "precedes", f"would close a cycle: {cycle}"))
        return report
    # Edges gained or lost may lock or unlock items: the engine's sweep recomputes those students.
    new_edges = {(edge.competency_id, edge.prerequisite_id) for edge in edges}
    touched = {competency_id for edge in old_edges ^ new_edges for competency_id in edge}
    if touched:
        students_mark_dirty(student_ids=students_working_on(competency_ids=touched))
    report.framework, report.created = framework, len(to_create)
    report.prerequisites = len(edges)
    return report


def _school_prerequisite_cycle() -> str | None:
    """A prerequisite cycle anywhere in the active school, named by codes, or None."""
    edges = list(CompetencyPrerequisite.objects.values_list("prerequisite_id", "competency_id"))
    cycle = find_cycle((str(a), str(b)) for a, b in edges)
    if cycle is None:
        return None
    codes = dict(Competency.objects.filter(pk__in=[int(k) for k in cycle]).values_list("pk", "code"))
    return describe_cycle(cycle, {str(pk): code for pk, code in codes.items()})


def _lock_prerequisite_graph() -> None:
    """One writer of the school's prerequisite graph at a time: two new edges, each checked alone, could
    close a cycle together. The school's framework rows are the lock (in id order, so writers queue
    instead of deadlocking; an import holds its own framework's row from its update on)."""
    list(Framework.objects.select_for_update().order_by("pk").values_list("pk", flat=True))


@transaction.atomic
def competency_prerequisite_add(
    *, competency: Competency, prerequisite: Competency
) -> CompetencyPrerequisite:
    """``prerequisite`` must be mastered before ``competency`` (any framework of the school).

    Refused, with nothing saved: the competency itself, an edge it already has, and an edge that would
    close a cycle (named by codes, from the new edge). Students whose locked items may change are marked
    dirty for the engine's sweep."""
    if competency.pk == prerequisite.pk:
        raise ValidationError(f"{competency.code} cannot be its own prerequisite.")
    _lock_prerequisite_graph()
    edges = set(CompetencyPrerequisite.objects.values_list("prerequisite_id", "competency_id"))
    if (prerequisite.pk, competency.pk) in edges:
        raise ValidationError(f"{competency.code} already requires {prerequisite.code}.")
    cycle = cycle_closed_by(sorted(edges), before=prerequisite.pk, after=competency.pk)
    if cycle:
        codes = dict(Competency.objects.filter(pk__in=cycle).values_list("pk", "code"))
        raise ValidationError(f"This prerequisite would close a cycle: {describe_cycle(cycle, codes)}.")
    edge = CompetencyPrerequisite(
        school_id=competency.school_id, competency=competency, prerequisite=prerequisite
    )
    edge.full_clean()
    edge.save()
    students_mark_dirty(student_ids=students_working_on(competency_ids=[competency.pk, prerequisite.pk]))
    return edge


@transaction.atomic
def competency_prerequisite_remove(*, edge: CompetencyPrerequisite) -> None:
    """Drop one prerequisite (a removal never closes a cycle) and mark the students it may unlock dirty."""
    competency_ids = [edge.competency_id, edge.prerequisite_id]
    edge.delete()
    students_mark_dirty(student_ids=students_working_on(competency_ids=competency_ids))
