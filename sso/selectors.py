"""Reads: a school's providers and policy, the provider a public sign-in URL names, and whether a person
must sign in with single sign-on."""

from dataclasses import dataclass

from django.http import Http404

from plp.tenancy.context import school_scope
from schools.models import Membership, School
from sso.models import SsoPolicy, SsoProvider


def sso_policy_get(*, school: School) -> SsoPolicy:
    """The school's policy; an unsaved default one when the school never set it (match by email, any
    domain, no new accounts, nobody required)."""
    with school_scope(school):
        return SsoPolicy.objects.filter(school=school).first() or SsoPolicy(school=school)


def sso_provider_list(*, school: School, enabled_only: bool = False) -> list[SsoProvider]:
    with school_scope(school):
        providers = SsoProvider.objects.all()
        if enabled_only:
            providers = providers.filter(is_enabled=True)
        return list(providers)


def sso_provider_get(*, school: School, provider_id: int) -> SsoProvider:
    """A provider of the active school by id, for its admin pages: another school's id is a 404."""
    with school_scope(school):
        provider = SsoProvider.objects.filter(pk=provider_id).first()
    if provider is None:
        raise Http404("No such provider.")
    return provider


def sign_in_school_get(*, school_slug: str) -> School:
    """The school a public sign-in page names (active schools only)."""
    school = School.objects.filter(slug=school_slug, is_active=True).select_related("organization").first()
    if school is None:
        raise Http404("No such school.")
    return school


def sign_in_provider_get(*, public_id, school: School | None = None) -> SsoProvider:
    """The enabled provider a public sign-in URL names, with its school; a 404 when it is disabled, its
    school is inactive, or (given ``school``) it belongs to another school: a provider of school B can
    never sign anyone into school A."""
    # unscoped: the public sign-in URLs name a provider before any school is known; its own school is
    # read from the row and everything after runs inside that school.
    provider = (
        SsoProvider.objects.unscoped()
        .filter(public_id=public_id, is_enabled=True, school__is_active=True)
        .select_related("school")
        .first()
    )
    if provider is None or (school is not None and provider.school_id != school.pk):
        raise Http404("No such sign-in.")
    return provider


def schools_with_sso_search(*, query: str, limit: int = 10) -> list[School]:
    """Schools whose name contains ``query`` (3 characters at least) and that offer single sign-on, for
    the "Sign in with your school account" finder: what a school calls itself, nothing of its setup."""
    query = query.strip()
    if len(query) < 3:
        return []
    # unscoped: which schools have an enabled provider, across schools, for the public finder.
    with_sso = SsoProvider.objects.unscoped().filter(is_enabled=True).values("school_id")
    return list(
        School.objects.filter(is_active=True, name__icontains=query, pk__in=with_sso).order_by("name")[:limit]
    )


@dataclass(frozen=True)
class SsoRequired:
    """A school that signs this person in with its providers only (for one of their roles there)."""

    school: School
    role_label: str
    providers: list[str]


def sso_required_for(*, user) -> SsoRequired | None:
    """The first school where one of the person's active roles must use single sign-on and that has an
    enabled provider (a school with none cannot lock anyone out of the password login). Two queries."""
    # unscoped: a person's memberships in every school, at sign-in, before any school is active.
    memberships = list(
        Membership.objects.unscoped()
        .filter(user=user, is_active=True, school__is_active=True)
        .select_related("school")
        .order_by("school__name", "role")
    )
    if not memberships:
        return None
    # unscoped: the policies of exactly the schools the person belongs to (ids from the rows above).
    policies = {
        p.school_id: p
        for p in SsoPolicy.objects.unscoped().filter(school_id__in={m.school_id for m in memberships})
        if p.required_roles
    }
    required = [m for m in memberships if m.role in policies.get(m.school_id, SsoPolicy()).required_roles]
    if not required:
        return None
    # unscoped: the enabled providers' names of those schools, for the message.
    names: dict[int, list[str]] = {}
    for school_id, name in (
        SsoProvider.objects.unscoped()
        .filter(school_id__in={m.school_id for m in required}, is_enabled=True)
        .order_by("name")
        .values_list("school_id", "name")
    ):
        names.setdefault(school_id, []).append(name)
    for membership in required:
        if names.get(membership.school_id):
            return SsoRequired(
                school=membership.school,
                role_label=membership.get_role_display(),
                providers=names[membership.school_id],
            )
    return None
