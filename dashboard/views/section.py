"""A section's dashboard pages (the grid, its polls, flags and CSV export). Thin: selectors compute,
templates show, engine services handle flags."""

import csv

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.safestring import mark_safe
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_safe

from audit.models import AuditEntry
from audit.recorder import export_recorded
from dashboard import forms, row_cache
from dashboard.charts import cumulative, step_line
from dashboard.rendering import STATE_CLASS, chart_table, ready_list
from dashboard.selectors import access, display, grid
from engine.policy.pace import pace_definition
from engine.selectors import flag_get_for_adult
from engine.services import flag_acknowledge, flag_resolve
from plp.tenancy.decorators import school_roles_required
from schools.guards import POST, method_then_role
from schools.roles import DISTRICT_ADMIN, Role

DASHBOARD_ROLES = (Role.TEACHER, Role.SCHOOL_ADMIN, DISTRICT_ADMIN)
MAX_GROUPS_SHOWN = 8  # the biggest and most flagged first: more than a class period can hold


@require_safe
@school_roles_required(*DASHBOARD_ROLES)
def index(request, school_slug: str):
    sections = access.dashboard_sections(user=request.user, roles=request.school_roles)
    return render(request, "dashboard/index.html", {"sections": list(sections)})


def _query(request) -> str:
    """The sort and filter part of the URL (the polling digest left out), in a stable order."""
    query = request.GET.copy()
    query.pop("digest", None)
    return urlencode(sorted(query.lists()), doseq=True)


def _board(request, section_id: int) -> row_cache.Board:
    return row_cache.board_get(
        user=request.user,
        roles=request.school_roles,
        school_id=request.school.pk,
        section_id=section_id,
        today=timezone.localdate(),
    )


def _context(request, assembled: row_cache.Assembled, form, rows, query: str) -> dict:
    """What the grid and the lists above it show, from the cached rows."""
    dashboard, board = assembled.dashboard, assembled.board
    attention, watch = assembled.attention_lists()
    ready_html = ready_list(dashboard, request.school.slug)
    shown = [row.student.pk for row in rows]
    return {
        "shown_state": row_cache.shown_of(assembled, shown, (attention, watch), ready_html),
        "school": request.school,
        "dashboard": dashboard,
        "digest": board.digest,
        "form": form,
        "rows_html": mark_safe("".join(assembled.rows[row.student.pk].html for row in rows)),
        "attention_html": mark_safe("".join(assembled.rows[pk].attention for pk in attention)),
        "attention_count": len(attention),
        "watch_html": mark_safe("".join(assembled.rows[pk].attention for pk in watch)),
        "watch_count": len(watch),
        "ready_html": ready_html,
        "shown": len(rows),
        "query": query,
        "states": STATE_CLASS.values(),
        "pace_definition": pace_definition(dashboard.pace_margin),
        "poll_seconds": getattr(settings, "DASHBOARD_POLL_SECONDS", 5),
    }


def _assembled(request, board: row_cache.Board):
    """The dashboard from its cached rows, the filter form and the rows it asks for."""
    assembled = row_cache.assemble(board=board, school=request.school)
    form = forms.GridFilterForm(request.GET or None, competencies=assembled.dashboard.competencies)
    rows = display.dashboard_rows(assembled.dashboard, **form.values())
    return assembled, form, rows


def _grid(board: row_cache.Board, query: str, context: dict, *, oob: bool) -> str:
    """The grid (and, polled, the lists above it out of band), remembering what it showed."""
    row_cache.shown_set(board, query, context["shown_state"])
    return render_to_string("dashboard/_section_body.html#grid", {**context, "oob": oob})


@require_safe
@gzip_page
def section(request, school_slug: str, section_id: int):
    """The section's dashboard: put together from the students' cached rows, the whole body cached by
    the digest of their versions and the sort and filter, the upcoming workshops beside it by the digest
    and the workshops' version. Unchanged, it costs no query beyond the session's user and the tenancy
    middleware's membership check."""
    board = _board(request, section_id)
    query = _query(request)
    if request.htmx and request.htmx.target == "grid":  # the filter form
        assembled, form, rows = _assembled(request, board)
        context = _context(request, assembled, form, rows, query)
        return HttpResponse(_grid(board, query, context, oob=False))
    page = row_cache.page_get(board, query)
    if page is None:
        assembled, form, rows = _assembled(request, board)
        dashboard = assembled.dashboard
        context = _context(request, assembled, form, rows, query)
        mastered = cumulative(dashboard.mastered_days)
        context["chart"] = step_line(
            mastered,
            title=f"Competencies mastered in {dashboard.section.name} over time",
            desc="Running count of student × competency masteries, by day.",
        )
        context["chart_rows"] = mastered
        context["chart_table"] = chart_table(mastered)
        context["form_html"] = row_cache.form_html(board, query, form)
        groups = display.group_views(dashboard)
        context["groups"], context["more_groups"] = (
            groups[:MAX_GROUPS_SHOWN],
            max(len(groups) - MAX_GROUPS_SHOWN, 0),
        )
        page = (
            f"Dashboard · {dashboard.section.name}",
            render_to_string("dashboard/_section_body.html", context),
        )
        row_cache.page_set(board, query, page)
        row_cache.shown_set(board, query, context["shown_state"])
    title, body = page
    workshops = row_cache.workshops_html(board, request.school, timezone.now())
    return render(
        request, "dashboard/section.html", {"title": title, "body": mark_safe(body), "workshops": workshops}
    )


def _oob(html: str) -> str:
    """An out-of-band swap of an element that cannot stand alone (a table row, a list item)."""
    return f"<template>{html.replace(' id=', ' hx-swap-oob=true id=', 1)}</template>"


@require_safe
@gzip_page
def section_grid(request, school_slug: str, section_id: int):
    """The poll. 204 while the digest the page holds is the present one (two queries and a read of the
    cache, nothing built); otherwise the rows that changed since, each swapped out of band, with the lists
    above the grid when they changed, and the poller with the new digest. The whole grid when the rows
    shown or their order changed, or the page's digest is no longer known."""
    board = _board(request, section_id)
    held = request.GET.get("digest", "")
    held = held if len(held) <= 64 and held.isalnum() else ""
    if held == board.digest:
        return HttpResponse(status=204)
    query = _query(request)
    # Every teacher with the page open holds the same digest: the answer from one digest to the next is
    # built once for all of them.
    answer_key = board.key("poll", held, board.digest, row_cache.query_hash(query))
    answer = row_cache.MEMO.get_many([answer_key]).get(answer_key)
    if isinstance(answer, str):
        return HttpResponse(answer)
    answer = _poll_answer(request, board, held, query)
    row_cache.MEMO.set_many({answer_key: answer})
    return HttpResponse(answer)


def _poll_answer(request, board: row_cache.Board, held: str, query: str) -> str:
    before = row_cache.shown_get(board, held, query) if held else None
    assembled, form, rows = _assembled(request, board)
    context = _context(request, assembled, form, rows, query)
    now = context["shown_state"]
    if before is None or before.school_version != now.school_version or before.shown != now.shown:
        return _grid(board, query, context, oob=True)
    row_cache.shown_set(board, query, now)
    changed = [pk for pk in now.shown if before.versions.get(pk) != now.versions.get(pk)]
    parts = [_oob(assembled.rows[pk].html) for pk in changed]
    lists_same = (before.attention, before.watch, before.flags) == (now.attention, now.watch, now.flags)
    if lists_same:
        listed = set(now.attention) | set(now.watch)
        parts += [_oob(assembled.rows[pk].attention) for pk in changed if pk in listed]
    else:
        parts.append(render_to_string("dashboard/_section_body.html#attention", {**context, "oob": True}))
    if before.ready != now.ready:
        parts.append(render_to_string("dashboard/_section_body.html#ready", {**context, "oob": True}))
    parts.append(render_to_string("dashboard/_section_body.html#poller", {**context, "oob": True}))
    return "".join(parts)


@require_safe
def section_flags(request, school_slug: str, section_id: int):
    """The live flags on this section's dashboard with their evidence and forms (``?student=`` one
    student's): fetched when a teacher opens them, not rendered into every load of the page. Reads the
    students' cached rows, as the page does."""
    assembled, _form, _rows = _assembled(request, _board(request, section_id))
    dashboard = assembled.dashboard
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
    """The grid as CSV, sorted and filtered as the page: built fresh from the same selector."""
    dashboard = grid.section_dashboard_get(
        user=request.user, roles=request.school_roles, section_id=section_id, today=timezone.localdate()
    )
    form = forms.GridFilterForm(request.GET or None, competencies=dashboard.competencies)
    rows = display.dashboard_rows(dashboard, **form.values())
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
        user=request.user, roles=request.school_roles, flag_id=access.object_id(flag_id)
    )
    if refused := method_then_role(request, methods=POST):
        return refused
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
