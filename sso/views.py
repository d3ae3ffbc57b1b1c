"""The admin's single sign-on pages of a school (school admins and the district's admins): providers
from presets, the school's policy, and the addresses to give each provider."""

import uuid

from django.contrib import messages
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse

from plp.tenancy.decorators import school_roles_required
from schools.guards import POST, READ_WRITE, admins_only, method_then_role
from schools.roles import DISTRICT_ADMIN, SCHOOL_WIDE_ROLES
from sso import saml, selectors, services
from sso.forms import PolicyForm, ProviderForm, provider_initial
from sso.models import SsoProvider
from sso.presets import OIDC, PRESETS

DISTRICTS_OWN = (
    "Your district offers this sign-in at every school of the district. Only a district admin changes or "
    "removes it."
)


def _base_url(request) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _addresses(request, provider: SsoProvider) -> dict:
    """What the admin types into the provider's console for this provider."""
    base = _base_url(request)
    if provider.kind == OIDC:
        return {"Redirect URI": base + reverse("sso:oidc_callback", kwargs={"provider": provider.public_id})}
    entity_id, acs = saml.sp_urls(provider=provider, base_url=base)
    return {"SP metadata URL (also the entity ID)": entity_id, "Assertion Consumer Service (POST)": acs}


@school_roles_required(*SCHOOL_WIDE_ROLES)
def sso_settings(request, school_slug: str):
    """The school's providers and its policy (POST saves the policy)."""
    school = request.school
    sso_policy = selectors.sso_policy_get(school=school)
    form = PolicyForm(request.POST if request.method == "POST" else None, instance=sso_policy)
    if request.method == "POST" and form.is_valid():
        try:
            services.sso_policy_save(sso_policy=form.save(commit=False))
        except ValidationError as refused:  # e.g. it would lock every admin out of the password login
            form.add_error(None, refused)
        else:
            messages.success(request, "Single sign-on settings saved.")
            return redirect("sso:settings", school_slug=school.slug)
    providers = selectors.sso_provider_list(school=school)
    from_district = [p for p in selectors.sign_in_provider_list(school=school) if p.school_id != school.pk]
    context = {
        "from_district": from_district,
        "form": form,
        "providers": [(p, _addresses(request, p)) for p in providers],
        "presets": list(PRESETS.values()),
        "sign_in_url": request.build_absolute_uri(reverse("sso:school", kwargs={"school": school.slug})),
    }
    return render(request, "sso/settings.html", context, status=400 if form.errors else 200)


@school_roles_required(*SCHOOL_WIDE_ROLES)
def provider_new(request, school_slug: str):
    preset_key = request.GET.get("preset", "")
    if preset_key not in PRESETS:  # which kind first
        return render(request, "sso/provider_choose.html", {"presets": list(PRESETS.values())})
    preset = PRESETS[preset_key]
    public_id = _public_id_for_new(request)
    provider = SsoProvider(school=request.school, kind=preset.kind, preset=preset.key, public_id=public_id)
    form = ProviderForm(
        request.POST if request.method == "POST" else None,
        instance=provider,
        kind=preset.kind,
        can_share=DISTRICT_ADMIN in request.school_roles,
        initial=provider_initial(preset_key),
    )
    if request.method == "POST" and form.is_valid():
        provider = services.sso_provider_save(
            provider=form.apply(), client_secret=form.cleaned_data.get("client_secret", "")
        )
        messages.success(request, f"{provider.name} added. Give the provider the addresses below.")
        return redirect("sso:provider_edit", school_slug=request.school.slug, sso_provider_id=provider.pk)
    context = {
        "form": form,
        "preset": preset,
        "provider": None,
        "addresses": _addresses(request, provider),
        "public_id_token": signing.dumps(str(public_id), salt=_public_id_salt(request)),
    }
    return render(request, "sso/provider.html", context)


PUBLIC_ID_MAX_AGE = 7 * 24 * 3600  # seconds an unsaved new provider's addresses stay its own


def _public_id_salt(request) -> str:
    return f"sso.provider.public_id:{request.school.pk}"


def _public_id_for_new(request) -> uuid.UUID:
    """The public id of the provider being added, chosen when its page is first shown: the addresses
    to register with the provider (the redirect URI, the SP entity id) are on the page before the admin
    has the client id and secret the provider gives in exchange. The page carries it signed, so an admin
    cannot pick one; a fresh one when it is missing, stale, or already taken."""
    try:
        public_id = uuid.UUID(
            signing.loads(
                request.POST.get("public_id_token", ""),
                salt=_public_id_salt(request),
                max_age=PUBLIC_ID_MAX_AGE,
            )
        )
    except (signing.BadSignature, ValueError):
        return uuid.uuid4()
    # The token is signed for this school only, so a taken id can only be this school's (a form posted
    # twice, or a tab kept open after the provider was added).
    if SsoProvider.objects.filter(public_id=public_id).exists():
        return uuid.uuid4()
    return public_id


def _provider(request, provider_id: int) -> SsoProvider:
    """A provider of this school for its admins; for anyone else, like another school's id, a 404
    (the id says nothing about whether it exists)."""
    admins_only(request, missing="No such provider.")
    return selectors.sso_provider_get(school=request.school, provider_id=provider_id)


def _districts_own(request, provider: SsoProvider) -> bool:
    """A district-wide provider signs people into every school of the district: only a district admin
    changes or removes it; its host school's admins read it."""
    return provider.district_wide and DISTRICT_ADMIN not in request.school_roles


def provider_edit(request, school_slug: str, sso_provider_id: int):
    provider = _provider(request, sso_provider_id)
    if _districts_own(request, provider):
        if refused := method_then_role(request, methods=READ_WRITE):
            return refused
        if request.method == "POST":
            raise PermissionDenied(DISTRICTS_OWN)
        context = {
            "form": None,
            "preset": PRESETS[provider.preset],
            "provider": provider,
            "addresses": _addresses(request, provider),
            "districts_own": DISTRICTS_OWN,
        }
        return render(request, "sso/provider.html", context)
    form = ProviderForm(
        request.POST if request.method == "POST" else None,
        instance=provider,
        kind=provider.kind,
        can_share=DISTRICT_ADMIN in request.school_roles,  # a district's choice, not one school's
    )
    if request.method == "POST" and form.is_valid():
        services.sso_provider_save(
            provider=form.apply(), client_secret=form.cleaned_data.get("client_secret", "")
        )
        messages.success(request, f"{provider.name} saved.")
        return redirect("sso:provider_edit", school_slug=request.school.slug, sso_provider_id=provider.pk)
    context = {
        "form": form,
        "preset": PRESETS[provider.preset],
        "provider": provider,
        "addresses": _addresses(request, provider),
    }
    return render(request, "sso/provider.html", context)


def provider_delete(request, school_slug: str, sso_provider_id: int):
    provider = _provider(request, sso_provider_id)
    if refused := method_then_role(  # looked up first: another school's id is a 404 whatever the method
        request,
        methods=POST,
        roles=[DISTRICT_ADMIN] if _districts_own(request, provider) else None,
        refusal=DISTRICTS_OWN,
    ):
        return refused
    services.sso_provider_delete(provider=provider)
    messages.success(request, f"{provider.name} removed: its button is gone from the sign-in page.")
    return redirect("sso:settings", school_slug=request.school.slug)
