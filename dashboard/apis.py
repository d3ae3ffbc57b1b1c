"""Dashboard API: a section's summary and a student's summary, scoped to the school and to what the
caller may see (the same selectors as the pages: 404 outside them)."""

from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views.decorators.gzip import gzip_page
from drf_spectacular.utils import OpenApiParameter, PolymorphicProxySerializer, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from audit.models import AuditEntry
from audit.recorder import audits
from dashboard import row_cache
from dashboard.selectors.student import drilldown_student_get, student_drilldown
from dashboard.serializers import (
    STATUSES,
    DashboardSectionCompactSerializer,
    DashboardSectionSummarySerializer,
    DashboardStudentSummarySerializer,
)
from plp.api.views import SchoolScopedAPIMixin

PARTS = ("competencies", "students", "ready", "groups", "flags")
SHAPE_SERIALIZERS = {"full": DashboardSectionSummarySerializer, "compact": DashboardSectionCompactSerializer}
SHAPES = tuple(SHAPE_SERIALIZERS)


def _students_full(dashboard) -> list[dict]:
    columns = [c.pk for c in dashboard.competencies]
    return [
        {
            "id": row.student.pk,
            "name": str(row.student),
            "pace": row.pace.value,
            "pace_explanation": row.reading.explanation,
            "done_units": row.done_units,
            "needed_units": row.needed_units,
            "last_active": row.last_active,
            "mastered": row.mastered,
            "open_flags": len(row.flags),
            "cells": [
                {"competency": pk, "status": status, "p_mastered": p}
                for pk, (status, p) in zip(columns, row.cells, strict=True)
            ],
        }
        for row in dashboard.rows
    ]


def _students_compact(dashboard) -> dict:
    """The students as columns: each field once, as a list in student order; the cells as two matrices
    (student × competency, in ``competencies`` order) of status indexes into ``statuses`` and estimates
    rounded to three places. A class of 100 × 60 is a quarter of the full shape, half of it again gzipped."""
    index = {status: i for i, status in enumerate(STATUSES)}
    rows = dashboard.rows
    return {
        "id": [row.student.pk for row in rows],
        "name": [str(row.student) for row in rows],
        "pace": [row.pace.value for row in rows],
        "pace_explanation": [row.reading.explanation for row in rows],
        "done_units": [row.done_units for row in rows],
        "needed_units": [row.needed_units for row in rows],
        "last_active": [row.last_active for row in rows],
        "mastered": [row.mastered for row in rows],
        "open_flags": [len(row.flags) for row in rows],
        "status": [[index[status] for status, _p in row.cells] for row in rows],
        "p_mastered": [[None if p is None else round(p, 3) for _status, p in row.cells] for row in rows],
    }


@method_decorator(gzip_page, name="dispatch")
class SectionSummaryApi(SchoolScopedAPIMixin, APIView):
    """The section dashboard as data: students × competencies, pace, flags, ready list, small groups.

    Read from the same cached rows as the page (dashboard/row_cache.py): a constant number of queries, and
    only the students whose rows changed are rebuilt. ``?shape=compact`` gives the students as columns and
    the cells as matrices; ``?fields=students,competencies`` only the parts named. Gzipped for clients
    that accept it."""

    @extend_schema(
        parameters=[
            OpenApiParameter("shape", str, enum=SHAPES, description="full (default): one object per student "
                             "and per cell; compact: the students as columns, the cells as matrices."),
            OpenApiParameter("fields", str, description="Comma-separated parts to include, of: "
                             + ", ".join(PARTS) + " (default: all)."),
        ],
        responses=PolymorphicProxySerializer(
            component_name="DashboardSectionSummaryAnyShape",
            serializers=SHAPE_SERIALIZERS,
            resource_type_field_name="shape",
        ),
    )  # fmt: skip
    def get(self, request, school_slug: str, section_id: int):
        shape = request.query_params.get("shape") or "full"
        wanted = [part for part in (request.query_params.get("fields") or "").split(",") if part]
        if shape not in SHAPES or not set(wanted) <= set(PARTS):
            raise ValidationError(
                {"shape": f"One of {', '.join(SHAPES)}.", "fields": f"Of {', '.join(PARTS)}."}
            )
        board = row_cache.board_get(
            user=request.user,
            roles=request.school_roles,
            school_id=request.school.pk,
            section_id=section_id,
            today=timezone.localdate(),
        )
        dashboard = row_cache.assemble(board=board, school=request.school).dashboard
        parts = set(wanted or PARTS)
        data = {
            "section": dashboard.section.pk,
            "name": dashboard.section.name,
            "digest": board.digest,
            "shape": shape,
        }
        if "competencies" in parts:
            data["competencies"] = dashboard.competencies
        if "students" in parts:
            data["students"] = (
                _students_compact(dashboard) if shape == "compact" else _students_full(dashboard)
            )
        if "ready" in parts:
            data["ready"] = [
                {"student": student.pk, "competency": competency.pk, "p_mastered": p}
                for student, competency, p in dashboard.ready
            ]
        if "groups" in parts:
            data["groups"] = [
                {"competency": g.competency_id, "students": list(g.student_ids), "items": list(g.item_ids)}
                for g in dashboard.groups
            ]
        if "flags" in parts:
            data["flags"] = dashboard.flags
        serializer = (
            DashboardSectionCompactSerializer if shape == "compact" else DashboardSectionSummarySerializer
        )
        return Response(serializer(data).data)


@audits(AuditEntry.Kind.STUDENT_RECORD)
class StudentSummaryApi(SchoolScopedAPIMixin, APIView):
    """One student in the caller's care: mastery, flags with evidence, next up, goals, shared check-ins."""

    @extend_schema(responses=DashboardStudentSummarySerializer)
    def get(self, request, school_slug: str, student_id: int):
        access = drilldown_student_get(user=request.user, roles=request.school_roles, student_id=student_id)
        detail = student_drilldown(student=access.student, today=timezone.localdate())
        data = {
            "student": access.student.pk,
            "name": str(access.student),
            "mastery": detail["states"],
            "flags": detail["flags"],
            "next_up": detail["next_up"],
            "goals": detail["goals"],
            "check_ins": detail["check_ins"],
        }
        return Response(DashboardStudentSummarySerializer(data).data)
