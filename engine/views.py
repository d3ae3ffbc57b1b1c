"""Pages: a student's Next up as the engine ranked it, and the teacher's pins and vetoes."""

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from audit.models import AuditEntry
from audit.recorder import audits
from engine import sandbox, selectors, services
from engine.forms import DirectiveForm, SandboxForm
from playlists.models import ContentItem
from plp.tenancy.decorators import school_roles_required
from schools.access import student_access_get
from schools.guards import POST, method_then_role, role_required
from schools.roles import DISTRICT_ADMIN, SCHOOL_WIDE_ROLES, Role


def _adult_access(request, student_id: int):
    """Adults who look after the student (their teachers, mentors, school and district admins); 404 else."""
    access = student_access_get(user=request.user, roles=request.school_roles, student_id=student_id)
    if not access.is_staff:
        raise Http404("No such student.")
    return access


def _form(student, data=None) -> DirectiveForm:
    placements = selectors.pinnable_items(student=student)
    blockers = selectors.pin_blockers(student=student, item_ids={p.item_id for p in placements})
    return DirectiveForm(data, placements=placements, blockers=blockers)


def _page(request, access, form=None, status=200):
    student = access.student
    directs = selectors.may_direct(access)
    context = {
        "student": student,
        "recommendations": selectors.recommendations_for(student=student),
        "directives": selectors.directives_for(student=student),
        "can_direct": directs,
        "form": form or (_form(student) if directs else None),
    }
    return render(request, "engine/next_up.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
@audits(AuditEntry.Kind.NEXT_UP)
def student_next_up(request, school_slug: str, student_id: int):
    """What the engine chose for the student and why; teachers pin or veto items here."""
    access = _adult_access(request, student_id)
    if request.method != "POST":
        return _page(request, access)
    if not selectors.may_direct(access):
        raise Http404("No such student.")
    form = _form(access.student, request.POST)
    if form.is_valid():
        item = ContentItem.objects.filter(pk=form.cleaned_data["item"]).first()
        try:
            services.directive_add(
                student=access.student,
                item=item,
                kind=form.cleaned_data["kind"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                form.add_error(field if field in form.fields else None, messages)
        else:
            return redirect(reverse("engine:student_next_up", args=[school_slug, student_id]))
    return _page(request, access, form=form, status=400)


@audits(AuditEntry.Kind.NEXT_UP)
def directive_end(request, school_slug: str, student_id: int, directive_id: int):
    """POST only; the student and the directive are looked up first, so a foreign id is a 404, never a 405."""
    access = _adult_access(request, student_id)
    if not selectors.may_direct(access):
        raise Http404("No such student.")
    directive = selectors.directive_get(student=access.student, directive_id=directive_id)
    if refused := method_then_role(request, methods=POST):
        return refused
    services.directive_end(directive=directive, by=request.user)
    return redirect(reverse("engine:student_next_up", args=[school_slug, student_id]))


def _sandbox_form(request, data=None):
    sections = selectors.sandbox_sections(user=request.user, roles=request.school_roles)
    row = sandbox.thresholds_row()
    form = SandboxForm(
        data,
        fields=list(sandbox.FIELDS.items()),
        current={name: getattr(row, name) for name in sandbox.FIELDS},
        sections=sections,
        whole_school=not request.school_roles.isdisjoint(SCHOOL_WIDE_ROLES),
    )
    return form, {s.pk: s for s in sections}, row


@require_http_methods(["GET", "HEAD", "POST"])
@school_roles_required(Role.SCHOOL_ADMIN, DISTRICT_ADMIN, Role.TEACHER)
def sandbox_home(request, school_slug: str):
    """Pick a rule change and replay it on the school's last weeks; past what-ifs below."""
    form, sections, current = _sandbox_form(request, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            run = sandbox.sandbox_run_start(
                by=request.user,
                roles=request.school_roles,
                field=data["field"],
                value=data["value"],
                weeks=data["weeks"],
                section=sections.get(data["section"]) if data["section"] else None,
                current=current,  # the settings the form was read with: read once
            )
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, messages)
        else:
            return redirect("engine:sandbox_run", school_slug=request.school.slug, run_id=run.pk)
    runs = selectors.sandbox_runs_visible(user=request.user, roles=request.school_roles)[:20]
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "engine/sandbox.html", {"form": form, "runs": runs}, status=status)


def _run_context(request, run):
    changes = selectors.sandbox_changes(run=run) if run.status == run.Status.DONE else []
    return {
        "run": run,
        "label": sandbox.FIELDS.get(run.field, run.field),
        "decides": sandbox.DECIDES.get(run.field, ""),
        "rule_flag_only": run.field in sandbox.RULE_FLAG_ONLY,
        "limit": sandbox.LIMITS.get(run.field, ""),
        "changes": changes,
        "next_up_summary": selectors.sandbox_next_up_summary(changes=changes),
        "can_apply": not request.school_roles.isdisjoint(SCHOOL_WIDE_ROLES),
    }


@require_http_methods(["GET", "HEAD", "POST"])
def sandbox_run(request, school_slug: str, run_id: int):
    """A what-if: its progress while it replays, then who would change and why; a school admin applies it."""
    run = selectors.sandbox_run_get(user=request.user, roles=request.school_roles, run_id=run_id)
    error = ""
    if request.method == "POST":
        role_required(
            request, SCHOOL_WIDE_ROLES, refusal="Only a school admin changes the school's settings."
        )
        try:
            sandbox.sandbox_apply(run=run, by=request.user)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            return redirect("engine:sandbox_run", school_slug=request.school.slug, run_id=run.pk)
    context = {**_run_context(request, run), "error": error}
    return render(request, "engine/sandbox_run.html", context, status=400 if error else 200)


@require_safe
def sandbox_progress(request, school_slug: str, run_id: int):
    """The progress bar, polled by htmx every second; a finished replay reloads the page for its results."""
    run = selectors.sandbox_run_get(user=request.user, roles=request.school_roles, run_id=run_id)
    if run.is_finished:
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    return render(request, "engine/sandbox_run.html#progress", _run_context(request, run))
