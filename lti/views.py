"""The school admin's LTI pages: the LMSes that launch PLP, and what to type into each LMS."""

from django.contrib import messages
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse

from lti import selectors, services
from lti.forms import RegistrationForm
from lti.models import LtiRegistration
from plp.tenancy.decorators import school_roles_required
from schools.roles import SCHOOL_WIDE_ROLES


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
    if request.school_roles.isdisjoint(SCHOOL_WIDE_ROLES):
        raise Http404("No such registration.")
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
