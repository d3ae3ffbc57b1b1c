"""The student drill-down page."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from agency.selectors import level_of
from audit.models import AuditEntry
from audit.recorder import audits
from dashboard.charts import progress_vs_plan
from dashboard.selectors.student import Timeline, drilldown_student_get, student_drilldown
from engine.selectors import directives_for, may_direct
from submissions.selectors import item_files_of_student

PER_PAGE = 25


@require_safe
@audits(AuditEntry.Kind.STUDENT_RECORD)
def student(request, school_slug: str, student_id: int):
    access = drilldown_student_get(user=request.user, roles=request.school_roles, student_id=student_id)
    today = timezone.localdate()
    context = student_drilldown(student=access.student, today=today)
    context["student"] = access.student
    context["can_direct"] = may_direct(access)
    context["directives"] = [d for d in directives_for(student=access.student) if d.is_active]
    context["level"] = level_of(student=access.student)  # self-direction (agency): 3 small queries
    context["item_files"] = item_files_of_student(student=access.student)  # whoever sees this may open them
    context["page"] = Paginator(Timeline(student=access.student), PER_PAGE).get_page(request.GET.get("page"))
    context["charts"] = [
        (
            plan,
            progress_vs_plan(
                plan.points, start=plan.start, target=plan.target, needed=plan.needed_units, today=today,
                title=f"{access.student}: progress on {plan.title} against the plan",
                desc=f"Units done over time (solid) against the plan (dashed) from {plan.start} to "
                f"{plan.target}: {plan.done_units} of {plan.needed_units} done, {plan.pace.label.lower()}.",
            ),
        )
        for plan in context["plans"]
    ]  # fmt: skip
    if request.htmx and request.htmx.target == "timeline":
        return render(request, "dashboard/student.html#timeline", context)
    return render(request, "dashboard/student.html", context)
