"""Pages: a student's Next up as the engine ranked it, and the teacher's pins and vetoes."""

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from audit.models import AuditEntry
from audit.recorder import audits
from engine import selectors, services
from engine.forms import DirectiveForm
from learners.selectors import student_access_get
from playlists.models import ContentItem


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
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    services.directive_end(directive=directive, by=request.user)
    return redirect(reverse("engine:student_next_up", args=[school_slug, student_id]))
