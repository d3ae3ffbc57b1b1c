"""Pages: the mentor's mentee list, a student's goals (the weekly loop), check-ins, timeline and brief."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from audit.models import AuditEntry
from audit.recorder import audits
from mentoring import selectors, services
from mentoring.brief import brief_build
from mentoring.forms import CheckInEditForm, CheckInForm, LongRangeGoalForm, ReflectionForm, WeeklyGoalsForm
from mentoring.selectors import MAX_WEEKLY_GOALS
from plp import self_direction
from plp.htmx import htmx_redirect
from plp.tenancy.decorators import school_roles_required
from schools.access import student_access_get
from schools.guards import POST, method_then_role
from schools.roles import Role

MENTEES_PER_PAGE = 50
CHECK_INS_PER_PAGE = 10


def _access(request, student_id: int):
    return student_access_get(user=request.user, roles=request.school_roles, student_id=student_id)


@require_safe
@school_roles_required(Role.MENTOR)
def mentee_list(request, school_slug: str):
    """My mentees, overdue for a check-in first."""
    rows = selectors.mentee_list(mentor=request.user, today=timezone.localdate())
    page = Paginator(rows, MENTEES_PER_PAGE).get_page(request.GET.get("page"))
    # Each mentee's level and whether to promote them (agency): a fixed number of queries per page.
    levels = self_direction.mentee_levels(student_ids=[row.student.pk for row in page.object_list])
    for row in page.object_list:
        row.level, row.promotion_suggested = levels[row.student.pk]
    due_days, grace_days = selectors.school_cadence()
    context = {"page": page, "due_days": due_days, "grace_days": grace_days}
    return render(request, "mentoring/mentee_list.html", context)


@school_roles_required(Role.STUDENT)
def my_goals(request, school_slug: str):
    """The student's own goals, at a stable address for the navigation."""
    return goals(request, school_slug=school_slug, student_id=request.user.pk)


def _weekly_form(board: dict, week: str, data, action: str, student, today):
    """The form for this week's goals (``week="this"``) or next week's (``"next"``, prefixed): as many
    goal fields as the week has slots left; None when it has none, or next week is not planned yet."""
    if week == "next" and not board["plans_next_week"]:
        return None
    slots = MAX_WEEKLY_GOALS - len(board["this_week" if week == "this" else "next_week"])
    if slots <= 0:
        return None
    posted = action == ("weekly" if week == "this" else "weekly_next")
    prefix = None if week == "this" else "next"
    return WeeklyGoalsForm(data if posted else None, slots=slots, student=student, today=today, prefix=prefix)


def _goal_forms(board: dict, data=None, action: str = "", *, student=None, today=None):
    weekly = _weekly_form(board, "this", data, action, student, today)
    weekly_next = _weekly_form(board, "next", data, action, student, today)
    long_range = LongRangeGoalForm(data if action == "long_range" else None)
    return weekly, weekly_next, long_range


@require_http_methods(["GET", "HEAD", "POST"])
@audits(AuditEntry.Kind.GOALS)
def goals(request, school_slug: str, student_id: int):
    """A student's goals: set this week's (one to three), reflect on them, long-range goals, overdue ones.

    Long on purpose: the page's three forms share one POST, one board and one context; split, each piece
    would need all three."""
    access = _access(request, student_id)
    today = timezone.localdate()
    board = selectors.goal_board(student=access.student, today=today)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    if request.method == "POST" and not access.manages_goals:
        raise PermissionDenied("Only the student and their mentors set goals.")
    weekly_form, next_week_form, long_form = _goal_forms(
        board, request.POST, action, student=access.student, today=today
    )
    posted_weekly, week_of = {
        "weekly": (weekly_form, board["monday"]),
        "weekly_next": (next_week_form, board["next_monday"]),
    }.get(action, (None, None))
    if posted_weekly is not None and posted_weekly.is_valid():
        try:
            services.weekly_goals_set(
                access=access,
                actor=request.user,
                week_of=week_of,
                texts=posted_weekly.cleaned_data["texts"],
                competencies=list(posted_weekly.cleaned_data["competencies"]),
                items=list(posted_weekly.cleaned_data["items"]),
                today=today,
            )
        except ValidationError as error:
            posted_weekly.add_error(None, error)
        else:
            messages.success(
                request, "Goals set for the week." if action == "weekly" else "Goals set for next week."
            )
            return htmx_redirect(request, request.path)
    elif action == "long_range" and long_form.is_valid():
        try:
            services.long_range_goal_create(access=access, actor=request.user, **long_form.cleaned_data)
        except ValidationError as error:
            long_form.add_error(None, error)
        else:
            messages.success(request, "Long-range goal added.")
            return htmx_redirect(request, request.path)
    # The student's self-direction level may leave some goals to their mentor: those forms are not offered,
    # and the page says why (agency.services refuses them anyway).
    level_notes = []
    for name, week in (("weekly", board["monday"]), ("weekly_next", board["next_monday"]), ("long", None)):
        refusal = self_direction.goal_setting_refusal(
            access=access, week_of=week, this_monday=board["monday"]
        )
        if refusal:
            level_notes.append(refusal)
            weekly_form = None if name == "weekly" else weekly_form
            next_week_form = None if name == "weekly_next" else next_week_form
            long_form = None if name == "long" else long_form
    context = {
        "access": access,
        "student": access.student,
        "board": board,
        "level_notes": list(dict.fromkeys(level_notes)),
        "weekly_form": weekly_form if access.manages_goals else None,
        "next_week_form": next_week_form if access.manages_goals else None,
        "long_form": long_form if access.manages_goals else None,
        "reflection_form": ReflectionForm() if access.is_self else None,
        "max_weekly": MAX_WEEKLY_GOALS,
        "today": today,
    }
    template = "mentoring/goals.html"
    partials = {"weekly": "#weekly-form", "weekly_next": "#next-week-form", "long_range": "#long-form"}
    if request.htmx and action in partials:
        template += partials[action]
    return render(request, template, context)


@audits(AuditEntry.Kind.GOALS)
def goal_reflect(request, school_slug: str, goal_id: int):
    goal, access = selectors.goal_get(user=request.user, roles=request.school_roles, goal_id=goal_id)
    if refused := method_then_role(
        request, methods=POST
    ):  # after the lookup: another school's id is a 404 for any method
        return refused
    if not access.is_self:
        raise PermissionDenied("Only the student reflects on their own goals.")
    form = ReflectionForm(request.POST)
    if form.is_valid():
        try:
            services.goal_reflect(access=access, actor=request.user, goal=goal, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Reflection saved.")
            return htmx_redirect(request, reverse("mentoring:goals", args=[school_slug, goal.student_id]))
    goal.is_overdue = goal.is_overdue_on(timezone.localdate())
    context = {"goal": goal, "form": form, "student": access.student}
    template = "mentoring/reflect.html" + ("#reflect-form" if request.htmx else "")
    return render(request, template, context)


@require_safe
@audits(AuditEntry.Kind.CHECK_INS, shows=("private_notes",))
def timeline(request, school_slug: str, student_id: int):
    """A student's check-ins (shared notes; private ones for mentors and admins) and goal history."""
    access = _access(request, student_id)
    check_ins = selectors.check_ins_of(student=access.student, access=access)
    page = Paginator(check_ins, CHECK_INS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "access": access,
        "student": access.student,
        "page": page,
        "history": selectors.goal_history(student=access.student),
    }
    return render(request, "mentoring/timeline.html", context)


@require_safe
@audits(AuditEntry.Kind.BRIEF, shows=("private_notes",))
def brief(request, school_slug: str, student_id: int):
    access = _access(request, student_id)
    if not access.is_staff:
        raise PermissionDenied("The brief is for the student's mentors and teachers.")
    parts = brief_build(access=access, today=timezone.localdate())
    return render(
        request, "mentoring/brief.html", {"access": access, "student": access.student, "parts": parts}
    )


def _check_in_form_page(request, context: dict):
    """The check-in form (new or a correction); an htmx POST that failed gets only the form back, with
    everything typed kept."""
    template = "mentoring/check_in_form.html" + (
        "#check-in-form" if request.htmx and request.method == "POST" else ""
    )
    return render(request, template, context)


def _check_in_saved(request, school_slug: str, check_in, *, said: str):
    """After a check-in is saved: say so, and go to it."""
    messages.success(request, said)
    return htmx_redirect(request, reverse("mentoring:check_in_detail", args=[school_slug, check_in.pk]))


@require_http_methods(["GET", "HEAD", "POST"])
@audits(AuditEntry.Kind.CHECK_INS, shows=("private_notes",))
def check_in_new(request, school_slug: str, student_id: int):
    """The check-in form. A validation error re-renders it with everything typed kept."""
    access = _access(request, student_id)
    if not access.records_check_ins:
        raise PermissionDenied("Only the student's mentors record check-ins.")
    today = timezone.localdate()
    goals_to_review = selectors.goals_to_review(student=access.student, today=today)
    if request.method == "POST":
        form = CheckInForm(request.POST, goals=goals_to_review)
        if form.is_valid():
            try:
                check_in = services.check_in_record(
                    access=access, actor=request.user, data=form.check_in_data(), reviews=form.reviews()
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                return _check_in_saved(request, school_slug, check_in, said="Check-in saved.")
    else:
        form = CheckInForm(initial={"date": today}, goals=goals_to_review)
    context = {"access": access, "student": access.student, "form": form}
    return _check_in_form_page(request, context)


@require_safe
@audits(AuditEntry.Kind.CHECK_INS, shows=("private_notes",))
def check_in_detail(request, school_slug: str, check_in_id: int):
    """One check-in and its corrections. Private notes (and their changes) only for the student's mentors
    and school admins."""
    check_in, access = selectors.check_in_with_history(
        user=request.user, roles=request.school_roles, check_in_id=check_in_id
    )
    return render(request, "mentoring/check_in_detail.html", {"check_in": check_in, "access": access})


@require_http_methods(["GET", "HEAD", "POST"])
@audits(AuditEntry.Kind.CHECK_INS, shows=("private_notes",))
def check_in_edit(request, school_slug: str, check_in_id: int):
    """Correct a recorded check-in (not its goal reviews). Those who may see it but not record check-ins
    get 403; anyone else 404. A validation error re-renders the form with everything typed kept."""
    check_in, access = selectors.check_in_get(
        user=request.user, roles=request.school_roles, check_in_id=check_in_id
    )
    if not access.records_check_ins:
        raise PermissionDenied("Only the student's mentors correct their check-ins.")
    form = CheckInEditForm(request.POST if request.method == "POST" else None, instance=check_in)
    if request.method == "POST" and form.is_valid():
        try:
            services.check_in_update(
                access=access,
                actor=request.user,
                check_in=check_in,
                data=form.check_in_data(),
                expected_version=form.expected_version(),
            )
        except services.CheckInChangedMeanwhile as error:
            form.add_error(None, error)
            form.reopen_on(error.current_version)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return _check_in_saved(request, school_slug, check_in, said="Check-in updated.")
    context = {"access": access, "student": access.student, "check_in": check_in, "form": form}
    return _check_in_form_page(request, context)
