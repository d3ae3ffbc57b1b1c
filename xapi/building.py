"""Outbox rows → xAPI statements: what the worker loads for a batch (a fixed handful of queries per batch,
whatever its size) before the pure builder (xapi/statements.py) writes each statement. The names of items,
competencies and questions come from the apps that own them, through ``xapi/objects.py``."""

import uuid

from django.conf import settings

from accounts.models import User
from plp.tenancy.context import current_school_id
from schools.models import Enrollment, School
from xapi import objects
from xapi import statements as xs
from xapi.models import LrsConnection, OutboxStatement

Kind = OutboxStatement.Kind


def site_url(connection: LrsConnection) -> str:
    return (getattr(settings, "PLP_BASE_URL", "") or connection.base_url or "http://localhost").rstrip("/")


def school_for(connection: LrsConnection) -> xs.School:
    school = School.objects.get(pk=current_school_id())
    return xs.School(
        home_page=f"{site_url(connection)}/s/{school.slug}/",
        name=school.name,
        salt=connection.salt,
        identify_by_email=connection.identify_by_email,
    )


def _ids(rows, kind: str) -> set[int]:
    return {row.object_id for row in rows if row.object_kind == kind}


def build_statements(*, connection: LrsConnection, rows: list[OutboxStatement]) -> list[dict]:
    """The xAPI statements of outbox rows for one LRS connection. Long on purpose: the people, items,
    questions, competencies and sections are read in bulk up front (a constant number of queries) and
    shared by every row of the loop."""
    school = school_for(connection)
    student_ids = {row.student_id for row in rows}
    students = {
        user.pk: xs.Student(user_id=user.pk, email=user.email, name=user.get_full_name())
        for user in User.objects.filter(pk__in=student_ids)
    }
    items = objects.items(_ids(rows, Kind.ITEM))  # (kind, title)
    prompts = objects.questions(_ids(rows, Kind.QUESTION))
    competency_ids = {row.competency_id for row in rows if row.competency_id} | _ids(rows, Kind.COMPETENCY)
    competencies = objects.competencies(competency_ids)  # (code, title)
    sections: dict[int, list[xs.Activity]] = {}
    for enrollment in Enrollment.objects.filter(
        user_id__in=student_ids, role=Enrollment.SectionRole.STUDENT, is_active=True
    ).select_related("section"):
        section = enrollment.section
        sections.setdefault(enrollment.user_id, []).append(
            school.activity("sections", section.pk, type="course", name=section.name)
        )
    voided = _voided_targets([row for row in rows if row.verb == xs.VOIDED])

    def competency_activity(pk):
        code_title = competencies.get(pk)
        name = " ".join(code_title) if code_title else f"Competency {pk}"
        return school.activity("competencies", pk, type="objective", name=name)

    built = []
    for row in rows:
        parent, registration, activity = None, None, None
        if row.object_kind == Kind.ITEM:
            kind, title = items.get(row.object_id, ("", f"Item {row.object_id}"))
            activity = school.activity(
                "items", row.object_id, type=xs.ITEM_TYPES.get(kind, "lesson"), name=title
            )
        elif row.object_kind == Kind.QUESTION:
            prompt = prompts.get(row.object_id)
            activity = school.activity(
                "questions",
                row.object_id,
                type="question",
                name=prompt[:120] if prompt is not None else f"Question {row.object_id}",
            )
            parent = competency_activity(row.competency_id)
        elif row.object_kind == Kind.CHECK:
            code_title = competencies.get(row.competency_id)
            activity = school.activity(
                "competency-checks",
                row.competency_id,
                type="assessment",
                name=f"Mastery check: {code_title[0] if code_title else row.competency_id}",
            )
            parent = competency_activity(row.competency_id)
            registration = xs.statement_id(school_id=row.school_id, key=f"check-attempt:{row.object_id}")
        else:
            activity = competency_activity(row.object_id)
        event = xs.Event(
            id=row.statement_id,
            verb=row.verb,
            timestamp=row.occurred_at,
            student=students.get(row.student_id) or xs.Student(user_id=row.student_id),
            object=activity,
            parent=parent,
            sections=tuple(sections.get(row.student_id, ())),
            result=row.data,
            registration=registration,
            voids=voided.get(row.pk),
        )
        built.append(xs.statement(school, event))
    return built


def _voided_targets(rows: list[OutboxStatement]) -> dict[int, uuid.UUID]:
    """For each "mastery withdrawn" row, the id of the ``mastered`` statement it takes back: the last
    ledger event before it that made the competency mastered. (Rare: one query per such row.)"""
    targets = {}
    for row in rows:
        gain = objects.mastered_by(
            student_id=row.student_id,
            competency_id=row.object_id,
            before_evidence_id=row.data.get("evidence_id", 0),
        )
        key = f"evidence:{gain}:mastered" if gain else f"evidence:none:{row.object_id}"
        targets[row.pk] = xs.statement_id(school_id=row.school_id, key=key)
    return targets
