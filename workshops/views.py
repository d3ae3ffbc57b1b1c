"""Pages of the workshops app, under /s/<school_slug>/workshops/, and the calendar feed (no school in
its address: the private token names the person and the school). Thin: selectors read, services write."""

import datetime as dt
import zoneinfo

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from audit.models import AuditEntry
from audit.recorder import audits
from plp.tenancy.context import school_scope, sees_all_schools
from plp.tenancy.decorators import school_roles_required
from schools.access import sections_taught, student_access_get, students_taught_by
from schools.guards import POST, method_then_role, role_required
from schools.models import Membership
from schools.roles import DISTRICT_ADMIN, SCHOOL_WIDE_ROLES, Role
from workshops import calendar, forms, policy, selectors, services
from workshops.models import Workshop

ADMINS = (Role.SCHOOL_ADMIN, DISTRICT_ADMIN)
WEEK_ROLES = (Role.STUDENT, Role.TEACHER)


def _refusal(form, error: ValidationError) -> None:
    """A service's refusal next to the field it is about (or above the form)."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


# --- blocks ---------------------------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
@school_roles_required(*ADMINS)
def blocks(request, school_slug: str):
    """The school's personalized-learning blocks, and a form to add one (school admins)."""
    form = forms.BlockForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.block_save(**form.cleaned_data)
        except ValidationError as error:
            _refusal(form, error)
        else:
            messages.success(request, "Block added.")
            return redirect("workshops:blocks", school_slug)
    return render(request, "workshops/blocks.html", {"blocks": list(selectors.blocks()), "form": form})


def _admin_block(request, block_id: int):
    """The block, looked up first (another school's id is a 404 for anyone), then the role (403)."""
    block = selectors.block_get(block_id=block_id)
    role_required(request, ADMINS, refusal="School admins set the blocks.")
    return block


@require_http_methods(["GET", "HEAD", "POST"])
def block_edit(request, school_slug: str, block_id: int):
    block = _admin_block(request, block_id)
    initial = {"weekday": block.weekday, "starts": block.starts, "ends": block.ends, "label": block.label}
    form = forms.BlockForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.block_save(block=block, **form.cleaned_data)
        except ValidationError as error:
            _refusal(form, error)
        else:
            messages.success(request, "Block saved.")
            return redirect("workshops:blocks", school_slug)
    return render(request, "workshops/block_edit.html", {"block": block, "form": form})


def block_delete(request, school_slug: str, block_id: int):
    block = _admin_block(request, block_id)
    if refused := method_then_role(
        request, methods=POST
    ):  # after the lookup: another school's id is a 404 for any method
        return refused
    services.block_delete(block=block)
    messages.success(request, "Block removed; workshops already scheduled in it keep their times.")
    return redirect("workshops:blocks", school_slug)


# --- workshops ------------------------------------------------------------------------------------------


@require_safe
@school_roles_required(Role.TEACHER, Role.STUDENT, *ADMINS)
def index(request, school_slug: str):
    """A teacher's upcoming workshops; a student's seats and the workshops they may still join."""
    now = timezone.now()
    context = {"is_teacher": Role.TEACHER in request.school_roles}
    if context["is_teacher"]:
        context["taught"] = selectors.workshops_taught(teacher=request.user, now=now)
        context["to_record"] = selectors.attendance_to_record(teacher=request.user, now=now)
    if not request.school_roles.isdisjoint(SCHOOL_WIDE_ROLES):
        context["school_workshops"] = selectors.school_workshops(now=now)
    if Role.STUDENT in request.school_roles:
        context["mine"] = list(selectors.upcoming_seats(student_ids=[request.user.pk], now=now))
        context["open"] = selectors.open_workshops(student=request.user, now=now)
    return render(request, "workshops/index.html", context)


def _int_list(values) -> list[int]:
    return [int(v) for v in values if str(v).isdigit()][:200]


@require_http_methods(["GET", "HEAD", "POST"])
@school_roles_required(Role.TEACHER)
def new(request, school_slug: str):
    """Schedule a workshop. From a dashboard's small group, the address carries its section, competency
    and students, and the form starts with them (invited)."""
    sections = sections_taught(user=request.user)
    taught = list(students_taught_by(user=request.user).values_list("pk", flat=True))
    if request.method == "POST":
        form = forms.WorkshopForm(request.POST, sections=sections, student_ids=taught)
    else:
        students = [s for s in _int_list(request.GET.getlist("students")) if s in set(taught)]
        initial = {"students": students, "capacity": max(4, len(students) + 2)}
        for name in ("competency", "section"):
            value = request.GET.get(name, "")
            if value.isdigit():
                initial[name] = int(value)
        form = forms.WorkshopForm(initial=initial, sections=sections, student_ids=taught)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            workshop = services.workshop_create(
                teacher=request.user,
                competency=data["competency"],
                block=data["block"],
                day=data["day"],
                starts=data["starts"],
                ends=data["ends"],
                location=data["location"],
                capacity=data["capacity"],
                note=data["note"],
                section=data["section"],
                invite_ids=[s.pk for s in data["students"]],
            )
        except ValidationError as error:
            _refusal(form, error)
        else:
            messages.success(request, "Workshop scheduled: the invited students see it in their Next up.")
            return redirect("workshops:detail", school_slug, workshop.pk)
    no_blocks = not selectors.blocks().exists()
    return render(request, "workshops/new.html", {"form": form, "no_blocks": no_blocks})


def _workshop(request, workshop_id: int) -> Workshop:
    return selectors.workshop_get(user=request.user, roles=request.school_roles, workshop_id=workshop_id)


def _runs(request, workshop: Workshop) -> bool:
    """The workshop's own teacher, or a school-wide admin, runs its roster and attendance."""
    return workshop.teacher_id == request.user.pk or not request.school_roles.isdisjoint(SCHOOL_WIDE_ROLES)


def _detail_context(request, workshop: Workshop, attendance_form=None) -> dict:
    now = timezone.now()
    context = {"workshop": workshop, "runs": _runs(request, workshop), "now": now,
               "seats_left": max(0, workshop.capacity - workshop.taken)}  # fmt: skip
    if context["runs"]:
        roster = selectors.workshop_roster(workshop=workshop)
        context["roster"] = roster
        if workshop.starts_at <= now and roster:
            context["attendance_form"] = attendance_form or forms.AttendanceForm(seats=roster)
    if Role.STUDENT in request.school_roles:
        seat = selectors.seat_of(workshop=workshop, student=request.user)
        context["seat"] = seat if seat and seat.is_active else None
        if context["seat"] is None:
            level = selectors.level_of(student=request.user, competency=workshop.competency)
            context["refusal"] = policy.signup_refusal(level, code=workshop.competency.code)
    return context


@require_safe
def detail(request, school_slug: str, workshop_id: int):
    workshop = _workshop(request, workshop_id)
    return render(request, "workshops/detail.html", _detail_context(request, workshop))


def _workshop_post(request, workshop_id: int):
    """A POST about a workshop: the workshop first (404 for one the caller may not see), then the method
    (the 405 response, else None)."""
    workshop = _workshop(request, workshop_id)
    return workshop, method_then_role(request, methods=POST)


def signup(request, school_slug: str, workshop_id: int):
    workshop, refused = _workshop_post(request, workshop_id)
    if refused:
        return refused
    if Role.STUDENT not in request.school_roles:
        raise PermissionDenied("Students sign up for workshops.")
    try:
        services.workshop_signup(workshop_id=workshop.pk, student=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "You have a seat. It is in your week and your Next up.")
    return redirect("workshops:detail", school_slug, workshop.pk)


def leave(request, school_slug: str, workshop_id: int):
    workshop, refused = _workshop_post(request, workshop_id)
    if refused:
        return refused
    seat = selectors.seat_of(workshop=workshop, student=request.user)
    if seat is None or not seat.is_active:
        messages.error(request, "You have no seat in this workshop.")
    else:
        try:
            services.seat_leave(seat=seat)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "You gave up your seat: someone else may take it.")
    return redirect("workshops:detail", school_slug, workshop.pk)


def attendance(request, school_slug: str, workshop_id: int):
    workshop, refused = _workshop_post(request, workshop_id)
    if refused:
        return refused
    if not _runs(request, workshop):
        raise PermissionDenied("The workshop's teacher records its attendance.")
    form = forms.AttendanceForm(request.POST, seats=selectors.workshop_roster(workshop=workshop))
    if form.is_valid():
        try:
            written = services.attendance_record(workshop=workshop, by=request.user, marks=form.marks())
        except ValidationError as error:
            _refusal(form, error)
        else:
            messages.success(
                request, f"Attendance recorded ({written} changed): it is in each student's evidence."
            )
            return redirect("workshops:detail", school_slug, workshop.pk)
    return render(request, "workshops/detail.html", _detail_context(request, workshop, form), status=200)


def cancel(request, school_slug: str, workshop_id: int):
    workshop, refused = _workshop_post(request, workshop_id)
    if refused:
        return refused
    if not _runs(request, workshop):
        raise PermissionDenied("The workshop's teacher cancels it.")
    services.workshop_cancel(workshop=workshop)
    messages.success(request, "Workshop cancelled: it leaves everyone's week.")
    return redirect("workshops:index", school_slug)


# --- the week -------------------------------------------------------------------------------------------


def _monday(request) -> dt.date:
    try:
        day = dt.date.fromisoformat(request.GET.get("week", ""))
    except ValueError:
        day = timezone.localdate()
    return selectors.week_start(max(dt.date(2000, 1, 3), min(day, dt.date(2100, 1, 1))))


def _week_context(request, *, person, roles) -> dict:
    monday = _monday(request)
    return {
        "days": selectors.week_days(person=person, roles=roles, school=request.school, monday=monday),
        "monday": monday,
        "sunday": monday + dt.timedelta(days=6),
        "previous": monday - dt.timedelta(days=7),
        "next": monday + dt.timedelta(days=7),
        "this_week": selectors.week_start(timezone.localdate()),
        "zone": request.school.timezone,
    }


@require_safe
@school_roles_required(*WEEK_ROLES)
def week(request, school_slug: str):
    """My week: the school's blocks, my workshops, check-ins and goal deadlines; for a teacher, the
    workshops they run and who is coming. With the private calendar address to subscribe to."""
    context = _week_context(request, person=request.user, roles=request.school_roles)
    context["is_self"] = True
    feed = selectors.live_feed(user=request.user)
    context["feed_url"] = (
        request.build_absolute_uri(reverse("calendar_feed", args=[feed.token])) if feed else ""
    )
    return render(request, "workshops/week.html", context)


@audits(AuditEntry.Kind.STUDENT_DATA)
@require_safe
def student_week(request, school_slug: str, student_id: int):
    """A student's week as their teachers, mentors and admins see it (no calendar address: it is theirs)."""
    access = student_access_get(user=request.user, roles=request.school_roles, student_id=student_id)
    context = _week_context(request, person=access.student, roles=frozenset({Role.STUDENT}))
    context.update({"is_self": access.is_self, "student": access.student})
    return render(request, "workshops/week.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@school_roles_required(*WEEK_ROLES)
def feed_new(request, school_slug: str):
    """A new private calendar address (GET asks first; the week page posts here directly)."""
    if request.method != "POST":
        return render(request, "workshops/feed_confirm.html", {"action": "new"})
    services.feed_issue(user=request.user)
    messages.success(request, "A new private calendar address: the old one, if any, no longer works.")
    return redirect("workshops:week", school_slug)


@require_http_methods(["GET", "HEAD", "POST"])
@school_roles_required(*WEEK_ROLES)
def feed_revoke(request, school_slug: str):
    if request.method != "POST":
        return render(request, "workshops/feed_confirm.html", {"action": "revoke"})
    services.feed_revoke(user=request.user)
    messages.success(request, "Calendar address revoked: calendars subscribed to it stop updating.")
    return redirect("workshops:week", school_slug)


@sees_all_schools
@require_safe
def feed(request, token: str):
    """The iCalendar feed of one person's week at one school, for Google, Outlook or Apple calendars.

    No login (a calendar server cannot log in): the random token is the key. An unknown or revoked token,
    or a person who has since left the school, is a 404 like any other missing page."""
    found = (
        selectors.feed_of(token=token)
        if len(token) <= 64 and token.isascii() and token.isprintable()
        else None
    )
    if found is None:
        raise Http404("No such calendar.")
    with school_scope(found.school), timezone.override(zoneinfo.ZoneInfo(found.school.timezone)):
        roles = frozenset(
            Membership.objects.filter(user=found.user, is_active=True).values_list("role", flat=True)
        ) & frozenset(WEEK_ROLES)
        if not roles:
            raise Http404("No such calendar.")
        body = calendar.week_feed(person=found.user, roles=roles, school=found.school)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="my-week.ics"'
    response["Cache-Control"] = "private, max-age=900"
    response["X-Robots-Tag"] = "noindex"
    return response
