"""Dashboard API: a section's summary and a student's summary, scoped to the school and to what the
caller may see (the same selectors as the pages: 404 outside them)."""

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from dashboard import row_cache, selectors
from dashboard.serializers import DashboardSectionSummarySerializer, DashboardStudentSummarySerializer
from dashboard.student_selectors import drilldown_student_get, student_drilldown
from plp.api.views import SchoolScopedAPIMixin


class SectionSummaryApi(SchoolScopedAPIMixin, APIView):
    """The section dashboard as data: students × competencies, pace, flags, ready list, small groups."""

    @extend_schema(responses=DashboardSectionSummarySerializer)
    def get(self, request, school_slug: str, section_id: int):
        today = timezone.localdate()
        dashboard = selectors.section_dashboard_get(
            user=request.user, roles=request.school_roles, section_id=section_id, today=today
        )
        digest = row_cache.board_get(
            user=request.user, roles=request.school_roles, section_id=section_id, today=today
        ).digest
        columns = [c.pk for c in dashboard.competencies]
        data = {
            "section": dashboard.section.pk,
            "name": dashboard.section.name,
            "digest": digest or "",
            "competencies": dashboard.competencies,
            "students": [
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
            ],
            "ready": [
                {"student": student.pk, "competency": competency.pk, "p_mastered": p}
                for student, competency, p in dashboard.ready
            ],
            "groups": [
                {"competency": g.competency_id, "students": list(g.student_ids), "items": list(g.item_ids)}
                for g in dashboard.groups
            ],
            "flags": dashboard.flags,
        }
        return Response(DashboardSectionSummarySerializer(data).data)


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
