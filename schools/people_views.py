"""People page for school admins: search, filter by role, grade, section; deactivate, reactivate, invite;
account recovery (set an email, send a reset link, unlock sign-in, see the last sign-in)."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_safe

from accounts.emails import is_placeholder_email
from accounts.lockout import locked_user_ids, lockout_clear
from accounts.models import ApiToken
from accounts.passwords import password_reset_send
from accounts.selectors import live_token_counts
from accounts.services import sign_out_everywhere
from plp.ids import id_or_none
from plp.search import pager_query, search_term
from plp.tenancy.decorators import school_roles_required
from schools import selectors
from schools.forms import GRADE_CHOICES, PersonEmailForm, SectionForm
from schools.guards import POST, READ_WRITE, admins_only, method_then_role
from schools.invitations import invitation_send, invitations_pending
from schools.models import Section
from schools.onboarding import membership_set_active, section_update
from schools.roles import ROLE_LABELS, SCHOOL_WIDE_ROLES, Role
from schools.services import person_email_set, person_password_set
from schools.tasks import invitations_send_pending

PEOPLE_PER_PAGE = 50


@require_safe
@school_roles_required(*SCHOOL_WIDE_ROLES)
def people(request, school_slug: str):
    search = search_term(request)
    role = request.GET.get("role", "")
    grade = request.GET.get("grade", "")
    grade = grade if grade in dict(GRADE_CHOICES) else ""
    section_id = id_or_none(request.GET.get("section"))
    found = selectors.people_list(
        roles=request.school_roles, search=search, role=role, grade=grade, section_id=section_id
    )
    page = Paginator(found, PEOPLE_PER_PAGE).get_page(request.GET.get("page"))
    extras = selectors.people_extras(user_ids=[m.user_id for m in page.object_list])
    for user_id, lock in locked_user_ids(user_ids=list(extras)).items():  # the cache, not the database
        extras[user_id]["locked"] = lock
    for user_id, count in live_token_counts(user_ids=list(extras), school_id=request.school.pk).items():
        extras[user_id]["tokens"] = count
    rows = [(m, extras.get(m.user_id, {})) for m in page.object_list]
    context = {
        "page": page,
        "rows": rows,
        "search": search,
        "role": role if role in Role.values else "",
        "grade": grade,
        "section_id": section_id,
        "roles": [(value, ROLE_LABELS[value]) for value in Role.values],
        "grades": GRADE_CHOICES,
        "sections": Section.objects.select_related("term").order_by("name")[:500],
        "query": pager_query(request),
    }
    template = "schools/people.html#results" if request.htmx else "schools/people.html"
    return render(request, template, context)


def _person_page(*, methods):
    """Pages about one person's role in the school: the membership first (another school's id is a 404
    whatever the method), then the method; the view gets the membership."""

    def decorate(view):
        @wraps(view)
        def wrapper(request, school_slug: str, membership_id: int):
            membership = selectors.membership_get(roles=request.school_roles, membership_id=membership_id)
            if refused := method_then_role(request, methods=methods):
                return refused
            return view(request, membership)

        return wrapper

    return decorate


@_person_page(methods=POST)
def person_active(request, membership):
    """Deactivate or reactivate one role of one person (POST is_active=0/1)."""
    active = request.POST.get("is_active") == "1"
    if membership.user_id == request.user.pk and not active:
        messages.error(request, "You cannot deactivate yourself.")
    else:
        membership_set_active(membership=membership, is_active=active)
        state = "reactivated" if active else "deactivated"
        messages.success(request, f"{membership.user} ({membership.get_role_display()}) {state}.")
    return redirect(_back(request))


@_person_page(methods=POST)
def person_invite(request, membership):
    """Send (or resend) the invitation to set a password."""
    return _mail_and_report(
        request,
        lambda: invitation_send(
            user=membership.user, sent_by=request.user, base_url=request.build_absolute_uri("/")
        ),
        sent=f"Invitation sent to {membership.user.email}.",
    )


def _mail_and_report(request, send, *, sent: str):
    """Mail the person (``send``), then back to the list saying it went, or the first reason it could not."""
    try:
        send()
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, sent)
    return redirect(_back(request))


@_person_page(methods=POST)
def person_sign_out(request, membership):
    """End every session of the person (a lost or shared device, a left-open computer) and revoke their API
    tokens that reach this school."""
    revoked = sign_out_everywhere(
        user=membership.user, reason=ApiToken.Ended.ADMIN, school_id=request.school.pk
    )
    tokens = f" and {revoked} API token{pluralize(revoked)} revoked" if revoked else ""
    messages.success(request, f"{membership.user} is signed out everywhere{tokens}.")
    return redirect(_back(request))


@_person_page(methods=POST)
def person_reset(request, membership):
    """Mail the person a link to choose a new password (they forgot it and cannot reach the login page's)."""
    return _mail_and_report(
        request,
        lambda: password_reset_send(user=membership.user, request=request, school=request.school),
        sent=f"A reset link is on its way to {membership.user.email}.",
    )


@_person_page(methods=POST)
def person_unlock(request, membership):
    """Lift a sign-in lock (too many failed attempts) at once, say after checking with the person."""
    lockout_clear(user_id=membership.user_id)
    messages.success(request, f"{membership.user} can sign in again.")
    return redirect(_back(request))


@_person_page(methods=READ_WRITE)
def person_email(request, membership):
    """Set or correct a person's email (the roster gave none, or a wrong one); typed values stay on error."""
    user = membership.user
    initial = {} if is_placeholder_email(user.email) else {"email": user.email}
    form = PersonEmailForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            person_email_set(membership=membership, email=form.cleaned_data["email"], actor=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)  # {"email": …} lands on the field, anything else above the form
        else:
            messages.success(request, f"{user}'s email is now {user.email}.")
            return redirect(_back(request))
    return render(request, "schools/person_email.html", {"form": form, "membership": membership})


@sensitive_post_parameters("new_password1", "new_password2")
@_person_page(methods=READ_WRITE)
def person_password(request, membership):
    """Set the password of a person without an email (they sign in with their roster username)."""
    user = membership.user
    form = SetPasswordForm(user, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            person_password_set(
                membership=membership, password=form.cleaned_data["new_password1"], actor=request.user
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                f"{user} signs in with the username {user.username} and the password you set. Tell them in "
                "person; they can change it on their account page.",
            )
            return redirect(_back(request))
    return render(request, "schools/person_password.html", {"form": form, "membership": membership})


def _back(request) -> str:
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return back
    return reverse("schools:people", kwargs={"school_slug": request.school.slug})


@require_http_methods(["GET", "POST"])
def section_edit(request, school_slug: str, section_id: int):
    """School admins edit a section's name, code, subject and term. Others do not find the page (404)."""
    admins_only(request, missing="No such section.")
    section = selectors.section_get(user=request.user, roles=request.school_roles, section_id=section_id)
    form = SectionForm(request.POST if request.method == "POST" else None, instance=section)
    if request.method == "POST" and form.is_valid():
        try:
            section_update(form=form)
        except ValidationError as exc:  # the per-school unique name, which the form cannot see
            form.add_error("name", exc.messages)
        else:
            messages.success(request, "Section saved.")
            return redirect("schools:section_detail", school_slug=request.school.slug, section_id=section.pk)
    return render(request, "schools/section_edit.html", {"form": form, "section": section})


@require_http_methods(["GET", "POST"])
@school_roles_required(*SCHOOL_WIDE_ROLES)
def invite_pending(request, school_slug: str):
    """Invite, in the background, everyone who cannot log in yet and was never invited here."""
    count = invitations_pending().count()
    if request.method == "POST":
        kwargs = {
            "school_id": request.school.pk,
            "sent_by_id": request.user.pk,
            "base_url": request.build_absolute_uri("/"),
        }
        transaction.on_commit(lambda: invitations_send_pending.delay(**kwargs))
        messages.success(request, f"Invitations are on their way to {count} people.")
        return redirect("schools:people", school_slug=request.school.slug)
    return render(request, "schools/invite_pending.html", {"count": count})
