"""The course roster pages (Names and Role Provisioning): the LMS courses PLP was launched from, the preview
of one course's roster against the school, and handing its new people to the roster import."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from lti import nrps, selectors
from plp.tenancy.decorators import school_roles_required
from schools.guards import POST, SAFE, method_then_role
from schools.roles import SCHOOL_WIDE_ROLES, Role

VIEWERS = (Role.TEACHER, *SCHOOL_WIDE_ROLES)


@require_safe
@school_roles_required(*VIEWERS)
def courses(request, school_slug: str):
    found = selectors.course_list(school=request.school, user=request.user, roles=request.school_roles)
    return render(request, "lti/courses.html", {"courses": found})


def _course(request, lti_context_id: int):
    """A course this person may see the roster of; any other (another school's, a course a teacher did
    not launch from, any course for a student or mentor) is a 404 whatever the method."""
    if request.school_roles.isdisjoint(VIEWERS):
        raise Http404("No such course.")
    return selectors.course_get(
        school=request.school, user=request.user, roles=request.school_roles, course_id=lti_context_id
    )


def course_roster(request, school_slug: str, lti_context_id: int):
    """The preview: read the course's roster from the LMS now and sort it against the school."""
    course = _course(request, lti_context_id)
    if refused := method_then_role(request, methods=SAFE):
        return refused
    context = {"course": course, "can_apply": not request.school_roles.isdisjoint(SCHOOL_WIDE_ROLES)}
    try:
        members = nrps.memberships_read(context=course)
    except nrps.RosterUnavailable as error:
        return render(request, "lti/course_roster.html", {**context, "error": str(error)})
    context["preview"] = nrps.roster_preview(context=course, members=members)
    return render(request, "lti/course_roster.html", context)


def course_roster_apply(request, school_slug: str, lti_context_id: int):
    """The admin applies the preview: the new people go to the roster import's dry run (its report, then
    the admin's confirmation there), never straight into the school."""
    course = _course(request, lti_context_id)
    refusal = "A school admin adds people to the school; you can preview the course's roster."
    if refused := method_then_role(request, methods=POST, roles=SCHOOL_WIDE_ROLES, refusal=refusal):
        return refused
    try:
        run = nrps.roster_apply(context=course, user=request.user)
    except (nrps.RosterUnavailable, ValueError, ValidationError) as error:
        text = error.messages[0] if isinstance(error, ValidationError) else str(error)
        messages.error(request, text)
        return redirect("lti:course_roster", school_slug=request.school.slug, lti_context_id=course.pk)
    messages.success(
        request, "The course's new people and its section are ready to import: check the report and confirm."
    )
    return redirect("schools:import_detail", school_slug=request.school.slug, import_run_id=run.pk)
