"""Signing in through a school's identity providers: public pages (nobody is signed in yet).

The school's sign-in page lists its enabled providers; a button starts the provider's flow; its answer
comes back to the callback (OpenID Connect) or the ACS (SAML), where the identity is verified, matched
by the school's rule and signed in, landing on the school's home. Any refusal goes to one page that says
why and what to do (after a redirect, so the answer's code or assertion does not stay in the address bar).
"""

from django.contrib.auth import login
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from plp.cross_site import cross_site_endpoint, refused_page
from plp.search import search_term
from plp.tenancy.context import sees_all_schools
from schools.models import School
from sso import oidc, saml, selectors
from sso.models import SsoProvider
from sso.presets import OIDC
from sso.refusals import SsoRefused, refusal_text
from sso.services import sso_sign_in_match

REFUSAL_KEY = "plp_sso_refusal"
SCHOOL_KEY = "plp_sso_school"  # provider public id → the school this browser is signing into
MAX_SAML_RESPONSE = 200_000  # characters of base64: far above a real assertion, far below a flood


def _base_url(request) -> str:
    return request.build_absolute_uri("/").rstrip("/")


@sees_all_schools
@require_safe
def find_school(request):
    """ "Sign in with your school account": type part of the school's name, pick it."""
    query = search_term(request)
    schools = selectors.schools_with_sso_search(query=query)
    return render(request, "sso/find.html", {"query": query, "schools": schools})


@sees_all_schools
@require_safe
def school_sign_in(request, school: str):
    """A school's own sign-in page: one button per enabled provider (the address a school hands out)."""
    the_school = selectors.sign_in_school_get(school_slug=school)
    providers = selectors.sign_in_provider_list(school=the_school)
    return render(request, "sso/school.html", {"the_school": the_school, "providers": providers})


@sees_all_schools
@never_cache
@require_safe
def start(request, school: str, provider):
    """Off to the provider. A GET (a link): the CSP's form-action would stop a form from redirecting to
    another origin, and starting a sign-in changes nothing here but this browser's session."""
    the_school = selectors.sign_in_school_get(school_slug=school)
    the_provider = selectors.sign_in_provider_get(public_id=provider, school=the_school)
    try:
        if the_provider.kind == OIDC:
            callback = request.build_absolute_uri(
                reverse("sso:oidc_callback", kwargs={"provider": the_provider.public_id})
            )
            response = oidc.oidc_start(request=request, provider=the_provider, redirect_uri=callback)
            signing_into = request.session.get(SCHOOL_KEY, {})
            signing_into[str(the_provider.public_id)] = the_school.pk
            request.session[SCHOOL_KEY] = signing_into
            return response
        location = saml.saml_start(provider=the_provider, base_url=_base_url(request), school=the_school)
        return redirect(location)
    except SsoRefused as refused:
        return _refuse(request, refused, the_school)


def _sign_in(request, provider: SsoProvider, identity, school: School):
    """Into ``school`` (the provider's own, or a school of its district when it is district-wide)."""
    if not selectors.provider_offered_at(provider=provider, school=school):
        return _refuse(request, SsoRefused("invalid", {"school": school.name}), school)
    try:
        user = sso_sign_in_match(school=school, identity=identity)
    except SsoRefused as refused:
        return _refuse(request, refused, school)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    return redirect("schools:home", school_slug=school.slug)


def _refuse(request, refused: SsoRefused, school: School | None):
    context = {key: str(value) for key, value in refused.context.items()}
    request.session[REFUSAL_KEY] = {
        "reason": refused.reason,
        "context": context,
        "school_slug": school.slug if school else "",
    }
    return redirect("sso:refused")


@sees_all_schools
@never_cache
@require_safe
def oidc_callback(request, provider):
    the_provider = selectors.sign_in_provider_get(public_id=provider)
    school_id = request.session.get(SCHOOL_KEY, {}).get(str(the_provider.public_id))
    school = School.objects.filter(pk=school_id).first() or the_provider.school
    if the_provider.kind != OIDC:
        return _refuse(request, SsoRefused("invalid", {"school": school.name}), school)
    try:
        identity = oidc.oidc_finish(request=request, provider=the_provider, school=school)
    except SsoRefused as refused:
        return _refuse(request, refused, school)
    return _sign_in(request, the_provider, identity, school)


@sees_all_schools
@require_safe
def saml_metadata(request, provider):
    the_provider = selectors.sign_in_provider_get(public_id=provider)
    if the_provider.kind == OIDC:
        return _refuse(
            request, SsoRefused("invalid", {"school": the_provider.school.name}), the_provider.school
        )
    xml = saml.sp_metadata(provider=the_provider, base_url=_base_url(request))
    return HttpResponse(xml, content_type="application/samlmetadata+xml")


# The IdP posts here from its own origin: the signed, solicited, single-use assertion is the check.
@cross_site_endpoint(methods=("POST",))
def saml_acs(request, provider):
    the_provider = selectors.sign_in_provider_get(public_id=provider)
    saml_response = request.POST.get("SAMLResponse", "")
    try:
        if the_provider.kind == OIDC or not saml_response or len(saml_response) > MAX_SAML_RESPONSE:
            raise SsoRefused("invalid", {"school": the_provider.school.name})
        identity, school = saml.saml_finish(
            provider=the_provider, base_url=_base_url(request), saml_response=saml_response
        )
    except SsoRefused as refused:
        return _refuse(request, refused, the_provider.school)
    return _sign_in(request, the_provider, identity, school)


@sees_all_schools
@require_safe
def refused(request):
    """Why a sign-in was refused, once (read from the session); a plain page when there is nothing."""
    return refused_page(request, session_key=REFUSAL_KEY, text=refusal_text, more=_retry)


def _retry(refusal: dict) -> dict:
    """Start again: at the school's own sign-in page when the refusal names it, else at finding one."""
    slug = refusal.get("school_slug") or ""
    return {"retry": reverse("sso:school", kwargs={"school": slug}) if slug else reverse("sso:find")}
