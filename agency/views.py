"""Pages about self-direction levels: the student's "My work" (their playlists under the engine's ranking
and the choices their level leaves them), the student's own level and what earns the next one; a student's
evidence, the rule's suggestion and the decision for their mentors, teachers and admins; the school's ladder.

Object pages look the student up first (404 for anyone not in the caller's care, another school's id
included), then the method (405), then whether they may decide (403): schools/guards.py's order."""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from agency import forms, selectors, services
from audit.models import AuditEntry
from audit.recorder import audits
from engine.my_work import my_work as my_work_for
from playlists.projects.selectors import student_projects
from playlists.selectors import items_done_since, unmet_prerequisites
from plp.tenancy.decorators import school_roles_required
from schools.access import section_overseen_get, student_access_get
from schools.guards import POST, SAFE, method_then_role
from schools.roles import SCHOOL_WIDE_ROLES, Role


def _access(request, student_id: int):
    return student_access_get(user=request.user, roles=request.school_roles, student_id=student_id)


def _decision_post(request, student_id: int, *, doing: str):
    """A decision's preamble in the guards' order: the student (404), then POST only (the 405 response,
    else None), then a caller who may decide (403)."""
    access = _access(request, student_id)
    if refused := method_then_role(request, methods=POST):
        return access, refused
    services.decider_required(access, doing=doing)
    return access, None


def _student_context(request, access, *, change_form=None, decline_form=None) -> dict:
    evidence = selectors.evidence_for(student=access.student, today=timezone.localdate())
    level = evidence.level
    suggestion = evidence.suggestion
    if change_form is None:
        change_form = forms.LevelChangeForm(
            rungs=level.rungs,
            initial={"to_rank": suggestion.to_rank if suggestion.changes else level.rung.rank},
        )
    return {
        "access": access,
        "student": access.student,
        "evidence": evidence,
        "level": level,
        "suggestion": suggestion,
        "decides": services.may_decide(access),
        "change_form": change_form,
        "decline_form": decline_form or forms.DeclineForm(),
        "decisions": selectors.decisions_of(student=access.student),
    }


@require_safe
@school_roles_required(Role.STUDENT)
def my_work(request, school_slug: str):
    """The student's day: the engine's ranking of their playlists (``engine.my_work``), the choices their
    level leaves them, their projects, and which of the items shown are locked and why."""
    work = my_work_for(student=request.user, today=timezone.localdate())
    projects = student_projects(student=request.user)
    level = selectors.level_of(student=request.user)
    choices = selectors.choices_from(rung=level.rung, work=work)
    shown = [placement.item_id for _, placement, _ in choices.offered]
    if work.next_up:
        shown.append(work.next_up[1].item_id)
    locked = unmet_prerequisites(student=request.user, item_ids=shown)
    context = {"work": work, "projects": projects, "locked": locked, "level": level, "choices": choices}
    context["week_done"] = (
        items_done_since(
            student=request.user,
            since=timezone.localdate() - timedelta(days=timezone.localdate().weekday()),
            playlists=work.playlists,  # their mastery credit, read once for the page
        )
        if level.pace_target
        else None
    )
    return render(request, "agency/my_work.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@school_roles_required(Role.STUDENT)
def my_level(request, school_slug: str):
    """The student's own level, what earns the next one, their history; POST sets their own pace target
    (at a level that allows it)."""
    access = student_access_get(user=request.user, roles=request.school_roles, student_id=request.user.pk)
    status = 200
    if request.method == "POST":
        form = forms.PaceTargetForm(request.POST)
        if form.is_valid():
            try:
                services.pace_target_set(
                    access=access, actor=request.user, items_per_week=form.cleaned_data["pace_target"]
                )
            except ValidationError as error:
                form.add_error("pace_target" if hasattr(error, "error_dict") else None, error)
            else:
                messages.success(request, "Your pace target is set.")
                return redirect("agency:my_level", school_slug=school_slug)
        status = 400
    context = _student_context(request, access)
    if request.method != "POST":
        form = forms.PaceTargetForm(initial={"pace_target": context["level"].pace_target})
    context["pace_form"] = form
    return render(request, "agency/my_level.html", context, status=status)


@audits(AuditEntry.Kind.STUDENT_DATA)
def student_level(request, school_slug: str, student_id: int):
    access = _access(request, student_id)
    if refused := method_then_role(request, methods=SAFE):
        return refused
    if access.is_self and not access.is_staff:
        return redirect("agency:my_level", school_slug=school_slug)
    return render(request, "agency/student_level.html", _student_context(request, access))


@audits(AuditEntry.Kind.STUDENT_DATA)
def level_change(request, school_slug: str, student_id: int):
    access, refused = _decision_post(request, student_id, doing="change their level")
    if refused:
        return refused
    level = selectors.level_of(student=access.student)
    form = forms.LevelChangeForm(request.POST, rungs=level.rungs)
    if form.is_valid():
        try:
            decision = services.level_change(
                access=access,
                actor=request.user,
                to_rank=form.cleaned_data["to_rank"],
                reason=form.cleaned_data["reason"],
                today=timezone.localdate(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{access.student} is now at {decision.to_name}.")
            return redirect("agency:student_level", school_slug=school_slug, student_id=student_id)
    context = _student_context(request, access, change_form=form)
    return render(request, "agency/student_level.html", context, status=400)


@audits(AuditEntry.Kind.STUDENT_DATA)
def suggestion_decline(request, school_slug: str, student_id: int):
    access, refused = _decision_post(request, student_id, doing="decide on levels")
    if refused:
        return refused
    form = forms.DeclineForm(request.POST)
    if form.is_valid():
        try:
            services.suggestion_decline(
                access=access, actor=request.user, reason=form.cleaned_data["decline_reason"],
                today=timezone.localdate(),
            )  # fmt: skip
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Suggestion declined; the reason is kept with the evidence.")
            return redirect("agency:student_level", school_slug=school_slug, student_id=student_id)
    context = _student_context(request, access, decline_form=form)
    return render(request, "agency/student_level.html", context, status=400)


def _rung_initial(rungs) -> list[dict]:
    return [
        {"name": r.name, "description": r.description, "picks": r.picks.value, "goals": r.goals.value,
         "checks": r.checks.value, "own_pace_target": r.own_pace_target}
        for r in rungs
    ]  # fmt: skip


@require_http_methods(["GET", "HEAD", "POST"])
@school_roles_required(*SCHOOL_WIDE_ROLES)
def ladder_page(request, school_slug: str):
    """The school's ladder (its levels and what each allows), where new students start, and how many weeks
    of evidence the suggestion reads. Two forms: ``action=rungs`` saves the levels, else the settings."""
    rungs = selectors.ladder()
    current = selectors.ladder_settings()
    action = request.POST.get("action", "") if request.method == "POST" else ""
    form = forms.LadderSettingsForm(
        request.POST if request.method == "POST" and action != "rungs" else None,
        rungs=rungs,
        initial={
            "start_rank": current.start_rank if current else None,
            "weeks": current.weeks if current else selectors.DEFAULT_CRITERIA.weeks,
        },
    )
    rung_forms = forms.RungFormSet(
        request.POST if action == "rungs" else None, initial=_rung_initial(rungs), prefix="rung"
    )
    ladder_errors: list[str] = []
    if action == "rungs" and rung_forms.is_valid():
        try:
            services.ladder_save(actor=request.user, rungs=[f.cleaned_data for f in rung_forms.forms])
        except ValidationError as error:
            ladder_errors = error.messages
        else:
            messages.success(request, "Ladder saved. Every student keeps their level's place.")
            return redirect("agency:ladder", school_slug=school_slug)
    elif request.method == "POST" and action != "rungs" and form.is_valid():
        try:
            services.ladder_settings_save(
                actor=request.user,
                start_rank=form.cleaned_data["start_rank"],
                weeks=form.cleaned_data["weeks"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Ladder settings saved.")
            return redirect("agency:ladder", school_slug=school_slug)
    status = 400 if request.method == "POST" else 200
    context = {"rungs": rungs, "form": form, "rung_forms": rung_forms, "ladder_errors": ladder_errors}
    return render(request, "agency/ladder.html", context, status=status)


@require_http_methods(["GET", "HEAD"])
def section_levels(request, school_slug: str, section_id: int):
    """Each student of a section at their level (the section dashboard opens it in place): its teachers and
    school admins, like the dashboard itself; anyone else 404."""
    section = section_overseen_get(user=request.user, roles=request.school_roles, section_id=section_id)
    rows = selectors.section_levels(section=section)
    template = "agency/section_levels.html" + ("#levels" if request.htmx else "")
    return render(request, template, {"section": section, "rows": rows})
