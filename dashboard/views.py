"""Pages of the dashboards. Thin: selectors compute, templates show, engine services handle flags."""

import csv
import secrets
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseNotAllowed, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_safe

from audit.models import AuditEntry
from audit.recorder import export_recorded
from dashboard import forms, page_cache, selectors
from dashboard.charts import cumulative, step_line
from dashboard.rendering import STATE_CLASS, grid_rows, ready_list
from engine.policy.pace import pace_definition
from engine.selectors import flag_get_for_adult
from engine.services import flag_acknowledge, flag_resolve
from plp.tenancy.decorators import school_roles_required
from schools.roles import DISTRICT_ADMIN, Role

DASHBOARD_ROLES = (Role.TEACHER, Role.SCHOOL_ADMIN, DISTRICT_ADMIN)
MAX_GROUPS_SHOWN = 8  # the biggest and most flagged first: more than a class period can hold
# Where the cached body goes in the page's shell (base template, per request): no HTML-special characters,
# random per process so that no school or person name can contain it.
_BODY_MARK = "plp-body-" + secrets.token_hex(8)


@require_safe
@school_roles_required(*DASHBOARD_ROLES)
def index(request, school_slug: str):
    sections = selectors.dashboard_sections(user=request.user, roles=request.school_roles)
    return render(request, "dashboard/index.html", {"sections": list(sections)})


def _dashboard(request, section_id: int, stamp: str | None = None):
    """The section's dashboard, its filter form and the rows it asks for. With a stamp (the caller is
    authorized), the dashboard built for that stamp is reused: every sort and filter of the same data
    renders from one build."""

    def build():
        return selectors.section_dashboard_get(
            user=request.user, roles=request.school_roles, section_id=section_id, today=timezone.localdate()
        )

    dashboard = (
        build()
        if stamp is None
        else page_cache.built_get_or_build((request.school.pk, section_id, stamp), build)
    )
    form = forms.GridFilterForm(request.GET or None, competencies=dashboard.competencies)
    filters = form.values()
    rows = selectors.dashboard_rows(dashboard, **filters)
    return dashboard, form, filters, rows


def _query(request) -> str:
    """The sort and filter part of the URL (the polling digest left out), in a stable order."""
    query = request.GET.copy()
    query.pop("digest", None)
    return urlencode(sorted(query.lists()), doseq=True)


def _stamp(request, section_id: int) -> str | None:
    return selectors.section_stamp(
        user=request.user, roles=request.school_roles, section_id=section_id, today=timezone.localdate()
    )


def _rendered(request, section_id: int, part: str, stamp: str | None) -> page_cache.Rendered:
    """The page (``part="page"``) or the polled grid (``"grid"``), rendered once per stamp, sort and
    filter: what the caller may see was checked by the stamp's query (no stamp: built, not cached)."""
    query = _query(request)
    key = stamp and page_cache.cache_key(
        school_id=request.school.pk, section_id=section_id, part=part, stamp=stamp, query=query
    )

    def shared(name: tuple, render: Callable[[], str]) -> str:
        """A part that every sort and filter of this stamp shows the same, rendered once."""
        if stamp is None:
            return render()
        return page_cache.FRAGMENTS.get_or_build((request.school.pk, section_id, stamp, *name), render)

    def build(placeholder: str) -> tuple[str, str]:
        dashboard, form, _filters, rows = _dashboard(request, section_id, stamp)
        context = {
            "school": request.school,
            "csrf_token": placeholder,
            "dashboard": dashboard,
            "digest": stamp or "",
            "form": form,
            "rows_html": grid_rows(dashboard, rows, request.school.slug),
            "attention": selectors.needs_attention(dashboard),
            "watch": selectors.watch(dashboard),
            "oob": part == "grid",  # a polled grid brings "Needs attention" (above the filters) along
            "ready_html": ready_list(dashboard, request.school.slug),
            "shown": len(rows),
            "query": query,
            "states": STATE_CLASS.values(),
            "pace_definition": pace_definition(dashboard.pace_margin),
            "poll_seconds": getattr(settings, "DASHBOARD_POLL_SECONDS", 20),
        }
        if part == "grid":
            return "", render_to_string("dashboard/_section_body.html#grid", context)
        mastered = cumulative(dashboard.mastered_days)
        context["chart"] = step_line(
            mastered,
            title=f"Competencies mastered in {dashboard.section.name} over time",
            desc="Running count of student × competency masteries, by day.",
        )
        context["chart_rows"] = mastered
        context["form_html"] = shared(("form", query), form.as_div)
        groups = selectors.group_views(dashboard)
        context["groups"], context["more_groups"] = (
            groups[:MAX_GROUPS_SHOWN],
            max(len(groups) - MAX_GROUPS_SHOWN, 0),
        )
        title = f"Dashboard · {dashboard.section.name}"
        return title, render_to_string("dashboard/_section_body.html", context)

    return page_cache.rendered_get_or_build(key, build)


@require_safe
@gzip_page  # for clients that do not accept deflate; the spliced response is compressed already
def section(request, school_slug: str, section_id: int):
    stamp = _stamp(request, section_id)
    if request.htmx and request.htmx.target == "grid":
        return page_cache.response(request, _rendered(request, section_id, "grid", stamp))
    page = _rendered(request, section_id, "page", stamp)
    shell = render_to_string(
        "dashboard/section.html", {"title": page.title, "body": _BODY_MARK, "section_id": section_id}, request
    )
    before, after = shell.split(_BODY_MARK)
    return page_cache.response(request, page, before=before, after=after)


@require_safe
@gzip_page
def section_grid(request, school_slug: str, section_id: int):
    """The polled grid: 204 (no body, nothing swapped) while the digest the client holds is the section's
    current stamp, decided by the stamp's queries before anything is built."""
    stamp = _stamp(request, section_id)
    if stamp is not None and request.GET.get("digest") == stamp:
        return HttpResponse(status=204)
    return page_cache.response(request, _rendered(request, section_id, "grid", stamp))


@require_safe
def section_flags(request, school_slug: str, section_id: int):
    """The live flags on this section's dashboard with their evidence and forms (``?student=`` one
    student's): fetched when a teacher opens them, not rendered into every load of the page. Reads the
    dashboard built for the current stamp, as the page does."""
    stamp = _stamp(request, section_id)
    dashboard, _form, _filters, _rows = _dashboard(request, section_id, stamp)
    flags = dashboard.flags
    student = request.GET.get("student", "")
    if student:
        if not student.isdigit():
            raise Http404("No such student.")
        flags = [flag for flag in flags if flag.student_id == int(student)]
    section_url = reverse(
        "dashboard:section", kwargs={"school_slug": request.school.slug, "section_id": dashboard.section.pk}
    )
    context = {
        "school": request.school,
        "flags": flags,
        "next_url": section_url,
        "section": dashboard.section,
    }
    template = "dashboard/_flags.html" if request.htmx else "dashboard/flags_page.html"
    return render(request, template, context)


def _csv_cell(value) -> str:
    """No formula injection: a cell a spreadsheet would evaluate is prefixed with a quote."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


class _Echo:
    def write(self, value):
        return value


# "done" and "needed" are the required items of the playlist that sets the student's pace (their slowest).
CSV_COLUMNS = ["student", "email", "pace", "done", "needed", "pace: why", "last active", "open flags"]


@require_safe
def section_csv(request, school_slug: str, section_id: int):
    dashboard, _form, _filters, rows = _dashboard(request, section_id)
    export_recorded(  # one audit entry per student in the file (one INSERT for all of them)
        kind=AuditEntry.Kind.CSV_EXPORT,
        student_ids=[row.student.pk for row in rows],
        object_type="section",
        object_id=dashboard.section.pk,
    )
    writer = csv.writer(_Echo())

    def lines():
        yield writer.writerow(
            [
                _csv_cell(v)
                for v in [
                    "student",
                    "email",
                    "pace",
                    "done",
                    "needed",
                    "pace: why",
                    "last active",
                    "open flags",
                ]
            ]
            + [_csv_cell(c.code) for c in dashboard.competencies]
        )
        for row in rows:
            yield writer.writerow(
                [
                    _csv_cell(v)
                    for v in (
                        str(row.student),
                        row.student.email,
                        row.pace.label,
                        row.done_units,
                        row.needed_units,
                        row.reading.explanation,
                        row.last_active.isoformat() if row.last_active else "",
                        len(row.flags),
                    )
                ]
                + [f"{status}" + ("" if p is None else f" {p:.2f}") for status, p in row.cells]
            )

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="dashboard-section-{dashboard.section.pk}.csv"'
    return response


def _flag_view(request, flag_id: int, handle):
    # The flag first: an id the caller may not see is a 404 whatever the method or role.
    flag = flag_get_for_adult(
        user=request.user, roles=request.school_roles, flag_id=selectors.object_id(flag_id)
    )
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = forms.FlagNoteForm(request.POST)
    error = ""
    if form.is_valid():
        try:
            flag = handle(flag=flag, by=request.user, note=form.cleaned_data["note"])
        except ValidationError as exc:
            error = " ".join(exc.messages)
    else:
        error = " ".join(e for errors in form.errors.values() for e in errors)
    context = {"flag": flag, "error": error, "note": request.POST.get("note", "")}  # kept whole, as typed
    if request.htmx:
        # From a "Needs attention" row: that row's form for the flag, saying what became of it or why not
        # (the grid's refresh on the event below brings the list up to date); from a flag's card: the card.
        in_row = request.POST.get("in") == "attention"
        template = "dashboard/_attention_flag.html" if in_row else "dashboard/_flag.html"
        response = render(request, template, {**context, "school": request.school})
        if not error:
            response["HX-Trigger"] = "dashboardChanged"
        return response
    if error:
        return render(request, "dashboard/flag_page.html", context, status=400)
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("dashboard:index", kwargs={"school_slug": school_slug_of(request)})
    return redirect(target)


def school_slug_of(request) -> str:
    return request.school.slug


def flag_acknowledge_view(request, school_slug: str, flag_id: int):
    return _flag_view(request, flag_id, flag_acknowledge)


def flag_resolve_view(request, school_slug: str, flag_id: int):
    return _flag_view(request, flag_id, flag_resolve)
