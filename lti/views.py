"""The school admin's LTI pages (the LMSes that launch PLP, what to type into each LMS) and the teacher's
deep-linking page."""

from urllib.parse import urlsplit

from django.contrib import messages
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse

from lti import deep_linking, selectors, services
from lti.forms import RegistrationForm
from lti.models import LtiRegistration
from lti.refusals import LtiRefused
from plp.search import search_term
from plp.tenancy.decorators import school_roles_required
from schools.guards import admins_only
from schools.roles import SCHOOL_WIDE_ROLES, Role


def tool_addresses(request, registration: LtiRegistration) -> dict[str, str]:
    """What the admin types into the LMS when registering PLP (its developer key / tool config)."""

    def url(name: str) -> str:
        return request.build_absolute_uri(reverse(name, kwargs={"registration": registration.public_id}))

    return {
        "OIDC login initiation URL": url("lti:login"),
        "Redirect (launch) URL": url("lti:launch"),
        "Target link URI": url("lti:launch"),
        "Public key set (JWKS) URL": url("lti:jwks"),
    }


@school_roles_required(*SCHOOL_WIDE_ROLES)
def lti_settings(request, school_slug: str):
    registrations = selectors.registration_list(school=request.school)
    context = {"registrations": [(r, tool_addresses(request, r)) for r in registrations]}
    context["dynamic_registration_url"] = request.build_absolute_uri(reverse("lti:dynamic_registration"))
    context["withheld"] = selectors.passback_withheld_list(school=request.school)
    return render(request, "lti/settings.html", context)


@school_roles_required(*SCHOOL_WIDE_ROLES)
def registration_new(request, school_slug: str):
    registration = LtiRegistration(school=request.school)
    form = RegistrationForm(request.POST if request.method == "POST" else None, instance=registration)
    if request.method == "POST" and form.is_valid():
        registration = services.registration_save(
            registration=form.save(commit=False), deployment_ids=form.cleaned_data["deployment_ids"]
        )
        messages.success(request, f"{registration.name} added. Give the LMS the addresses below.")
        return redirect(
            "lti:registration_edit", school_slug=request.school.slug, lti_registration_id=registration.pk
        )
    return render(request, "lti/registration.html", {"form": form, "registration": None})


def _to_edit(request, registration: LtiRegistration):
    return redirect(
        "lti:registration_edit", school_slug=request.school.slug, lti_registration_id=registration.pk
    )


def _registration(request, registration_id: int) -> LtiRegistration:
    """A registration of this school for its admins; for anyone else, like another school's id, a 404."""
    admins_only(request, missing="No such registration.")
    return selectors.registration_get(school=request.school, registration_id=registration_id)


def registration_edit(request, school_slug: str, lti_registration_id: int):
    registration = _registration(request, lti_registration_id)
    form = RegistrationForm(request.POST if request.method == "POST" else None, instance=registration)
    if request.method == "POST" and form.is_valid():
        services.registration_save(
            registration=form.save(commit=False), deployment_ids=form.cleaned_data["deployment_ids"]
        )
        messages.success(request, f"{registration.name} saved.")
        return redirect(
            "lti:registration_edit", school_slug=request.school.slug, lti_registration_id=registration.pk
        )
    context = {
        "form": form,
        "registration": registration,
        "addresses": tool_addresses(request, registration),
    }
    return render(request, "lti/registration.html", context)


def registration_rotate_key(request, school_slug: str, lti_registration_id: int):
    registration = _registration(request, lti_registration_id)
    if request.method != "POST":  # looked up first: another school's id is a 404 whatever the method
        return HttpResponseNotAllowed(["POST"])
    services.registration_key_rotate(registration=registration)
    messages.success(request, "A new key signs from now on; the previous one stays published for a while.")
    return redirect(
        "lti:registration_edit", school_slug=request.school.slug, lti_registration_id=registration.pk
    )


def registration_delete(request, school_slug: str, lti_registration_id: int):
    registration = _registration(request, lti_registration_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    services.registration_delete(registration=registration)
    messages.success(request, f"{registration.name} removed: it can no longer launch PLP.")
    return redirect("lti:settings", school_slug=request.school.slug)


@school_roles_required(Role.TEACHER, *SCHOOL_WIDE_ROLES)
def deep_link(request, school_slug: str):
    """A teacher launched from the LMS to place content: choose a playlist or a competency check; the
    signed answer goes back to the LMS through this browser (a form the teacher sends)."""
    pending = request.session.get(deep_linking.SESSION_KEY)
    if not isinstance(pending, dict) or pending.get("school") != request.school.slug:
        return render(request, "lti/deep_link.html", {"pending": False})
    registration = selectors.public_registration_get(public_id=pending["registration"])
    if registration.school_id != request.school.pk:
        raise Http404("No such registration.")
    search = search_term(request)
    playlists, competencies = deep_linking.choices(
        school=request.school,
        search=search,
        playlist_page=request.GET.get("playlists_page"),
        competency_page=request.GET.get("competencies_page"),
    )
    context = {"pending": True, "registration": registration, "playlists": playlists,
               "competencies": competencies, "search": search}  # fmt: skip
    if request.method == "GET" and request.htmx:
        return render(request, "lti/deep_link.html#choices", context)
    if request.method == "POST":
        launch_url = request.build_absolute_uri(
            reverse("lti:launch", kwargs={"registration": registration.public_id})
        )
        try:
            return_url, token = deep_linking.response_jwt(
                request=request,
                registration=registration,
                launch_id=pending["launch_id"],
                choice=request.POST.get("choice", ""),
                launch_url=launch_url,
            )
        except LtiRefused:
            request.session.pop(deep_linking.SESSION_KEY, None)
            return render(request, "lti/deep_link.html", {"pending": False, "expired": True})
        request.session.pop(deep_linking.SESSION_KEY, None)
        response = render(
            request, "lti/deep_link_return.html", {"return_url": return_url, "jwt": token, **context}
        )
        # This one form posts to the LMS (the CSP's form-action allows only this site elsewhere).
        parts = urlsplit(return_url)
        response._csp_update = {"form-action": [f"{parts.scheme}://{parts.netloc}"]}
        return response
    return render(request, "lti/deep_link.html", context)
