"""Pages: students list, profiles (view and edit), personal learning plans and career exploration."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from audit.models import AuditEntry
from audit.recorder import audits
from learners import selectors, services
from learners.forms import CareerForm, PlanFocusForm, PlanForm, ProfileForm
from plp.htmx import htmx_redirect
from plp.search import search_term
from plp.tenancy.decorators import school_roles_required
from schools import access
from schools.guards import POST, method_then_role, role_required
from schools.models import Term
from schools.roles import DISTRICT_ADMIN, STAFF_ROLES, Role

STUDENTS_PER_PAGE = 25
CHANGES_SHOWN = 20


def _access(request, student_id: int) -> access.StudentAccess:
    return access.student_access_get(user=request.user, roles=request.school_roles, student_id=student_id)


@require_safe
@school_roles_required(Role.TEACHER, Role.MENTOR, Role.SCHOOL_ADMIN, DISTRICT_ADMIN)
def student_list(request, school_slug: str):
    search = search_term(request)
    students = selectors.student_list(user=request.user, roles=request.school_roles, search=search)
    page = Paginator(students, STUDENTS_PER_PAGE).get_page(request.GET.get("page"))
    template = "learners/student_list.html" + ("#results" if request.htmx else "")
    return render(request, template, {"page": page, "search": search})


@school_roles_required(Role.STUDENT)
def my_profile(request, school_slug: str):
    """The student's own profile, at a stable address for the navigation."""
    return profile(request, school_slug=school_slug, student_id=request.user.pk)


@require_http_methods(["GET", "HEAD", "POST"])
@audits(AuditEntry.Kind.PROFILE, shows=("accommodations",))
def profile(request, school_slug: str, student_id: int):
    """The profile; whoever may edit some of its fields gets a form for those only, kept on error."""
    access = _access(request, student_id)
    profile = selectors.profile_for(student=access.student)
    fields = services.editable_profile_fields(access=access)
    if request.method == "POST":
        if not fields:
            raise PermissionDenied("You may not edit this profile.")
        form = ProfileForm(request.POST, fields=fields)
        if form.is_valid():
            services.profile_update(access=access, actor=request.user, data=form.cleaned_data)
            messages.success(request, "Profile saved.")
            return htmx_redirect(request, request.path)
    else:
        form = (
            ProfileForm(fields=fields, initial=ProfileForm.initial_from(profile, fields)) if fields else None
        )
    context = {
        "access": access,
        "student": access.student,
        "profile": profile,
        "form": form,
        "changes": list(
            selectors.profile_changes(profile=profile, include_staff_only=access.sees_staff_fields)[
                :CHANGES_SHOWN
            ]
        )
        if profile.pk
        else [],
    }
    template = "learners/profile.html" + (
        "#profile-form" if request.htmx and request.method == "POST" else ""
    )
    return render(request, template, context)


def _term_from(request) -> Term | None:
    term_id = request.GET.get("term") or request.POST.get("term")
    if term_id:
        try:
            return Term.objects.get(pk=int(term_id))
        except (ValueError, Term.DoesNotExist):
            raise Http404("No such term.") from None
    return selectors.current_term()


@school_roles_required(Role.STUDENT)
def my_plan(request, school_slug: str):
    """ "My plan": the student's own plan for the current term."""
    return plan(request, school_slug=school_slug, student_id=request.user.pk)


@require_http_methods(["GET", "HEAD", "POST"])
@audits(AuditEntry.Kind.LEARNING_PLAN)
def plan(request, school_slug: str, student_id: int):
    """A student's plan for a term: long-range goals, courses, focus competencies with target dates."""
    access = _access(request, student_id)
    term = _term_from(request)
    plan = selectors.plan_for(student=access.student, term=term) if term else None
    can_edit = access.is_self or access.is_mentor or access.is_school_wide
    form = focus_form = None
    if can_edit and term:
        if request.method == "POST" and request.POST.get("action") == "focus":
            focus_form = PlanFocusForm(request.POST)
            if focus_form.is_valid():
                try:
                    services.plan_focus_add(access=access, term=term, **focus_form.cleaned_data)
                except ValidationError as error:
                    focus_form.add_error(None, error)
                else:
                    messages.success(request, "Focus added.")
                    return htmx_redirect(request, f"{request.path}?term={term.pk}")
        elif request.method == "POST":
            form = PlanForm(request.POST)
            if form.is_valid():
                services.plan_save(access=access, term=term, **form.cleaned_data)
                messages.success(request, "Plan saved.")
                return htmx_redirect(request, f"{request.path}?term={term.pk}")
        form = form or PlanForm(
            initial={
                "college_goal": plan.college_goal if plan else "",
                "career_goal": plan.career_goal if plan else "",
                "courses_to_take": "\n".join(plan.courses_to_take) if plan else "",
            }
        )
        focus_form = focus_form or PlanFocusForm()
    elif request.method == "POST":
        raise PermissionDenied("You may not edit this plan.")
    profile = selectors.profile_for(student=access.student)
    context = {
        "access": access,
        "student": access.student,
        "term": term,
        "terms": Term.objects.order_by("-start_date"),
        "plan": plan,
        "form": form,
        "focus_form": focus_form,
        "can_edit": can_edit,
        "careers": profile.aspiration_list,
    }
    return render(request, "learners/plan.html", context)


@audits(AuditEntry.Kind.LEARNING_PLAN)
def plan_focus_delete(request, school_slug: str, student_id: int, focus_id: int):
    access = _access(request, student_id)  # looked up first: another school's id is a 404 for any method
    if refused := method_then_role(request, methods=POST):
        return refused
    try:
        services.plan_focus_remove(access=access, focus_id=focus_id)
    except ValidationError:
        raise Http404("No such focus.") from None
    messages.success(request, "Focus removed.")
    return htmx_redirect(request, reverse("learners:plan", args=[school_slug, student_id]))


@require_safe
def career_list(request, school_slug: str):
    """Careers of the school's catalogue; for a student, those matching their interests come first."""
    chosen_ids: set[int] = set()
    interests: list[str] = []
    if Role.STUDENT in request.school_roles:
        profile = selectors.profile_for(student=request.user)
        interests = profile.interests + profile.passions
        chosen_ids = {c.pk for c in profile.aspiration_list}
    careers = selectors.careers_for(interests=interests)
    page = Paginator(careers, 30).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "interests": interests,
        "chosen_ids": chosen_ids,
        "edits_careers": not request.school_roles.isdisjoint(CAREER_EDITORS),
    }
    return render(request, "learners/career_list.html", context)


CAREER_EDITORS = (Role.SCHOOL_ADMIN, DISTRICT_ADMIN)


def _career_form_page(request, school_slug: str, career=None):
    if request.method == "POST":
        form = CareerForm(request.POST)
        if form.is_valid():
            try:
                career = services.career_save(career=career, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, "Career saved.")
                return htmx_redirect(
                    request, reverse("learners:career_detail", args=[school_slug, career.pk])
                )
    elif career is not None:
        form = CareerForm(
            initial={
                "name": career.name,
                "description": career.description,
                "interest_tags": ", ".join(career.interest_tags),
                "needed_courses": "\n".join(career.needed_courses),
                "competencies": career.competency_list,
            }
        )
    else:
        form = CareerForm()
    template = "learners/career_form.html" + (
        "#career-form" if request.htmx and request.method == "POST" else ""
    )
    return render(request, template, {"form": form, "career": career})


@require_http_methods(["GET", "HEAD", "POST"])
@school_roles_required(*CAREER_EDITORS)
def career_new(request, school_slug: str):
    """School admins grow the school's career catalogue."""
    return _career_form_page(request, school_slug)


@require_http_methods(["GET", "HEAD", "POST"])
def career_edit(request, school_slug: str, career_id: int):
    career = selectors.career_get(career_id=career_id)  # 404 before 403: no existence oracle
    role_required(request, CAREER_EDITORS, refusal="Only school admins edit the career catalogue.")
    return _career_form_page(request, school_slug, career)


@require_safe
def career_detail(request, school_slug: str, career_id: int):
    career = selectors.career_get(career_id=career_id)
    context = {"career": career, "is_student": Role.STUDENT in request.school_roles}
    if context["is_student"]:
        profile = selectors.profile_for(student=request.user)
        term = selectors.current_term()
        plan = selectors.plan_for(student=request.user, term=term) if term else None
        context.update(
            chosen=profile.pk and profile.aspiration_careers.filter(pk=career.pk).exists(),
            gaps=selectors.plan_gaps(career=career, plan=plan),
            term=term,
        )
    context["is_staff"] = not request.school_roles.isdisjoint(STAFF_ROLES)
    context["edits_careers"] = not request.school_roles.isdisjoint(CAREER_EDITORS)
    return render(request, "learners/career_detail.html", context)


def career_toggle(request, school_slug: str, career_id: int):
    """Add the career to my aspirations (at most two), or take it off."""
    career = selectors.career_get(career_id=career_id)  # 404 before 403 or 405: no existence oracle
    if refused := method_then_role(request, methods=POST):
        return refused
    if Role.STUDENT not in request.school_roles:
        raise PermissionDenied("Only students choose career aspirations.")
    access = _access(request, request.user.pk)
    try:
        services.profile_career_toggle(access=access, actor=request.user, career=career)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return htmx_redirect(request, reverse("learners:career_detail", args=[school_slug, career.pk]))
