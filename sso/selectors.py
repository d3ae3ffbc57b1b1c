"""Reads: a school's providers and policy, the provider a public sign-in URL names, and whether a person
must sign in with single sign-on."""

from dataclasses import dataclass

from django.db.models import Q
from django.http import Http404

from plp.tenancy.context import all_schools, district_scope, school_scope
from plp.tenancy.lookups import public_object_get, school_object_get
from schools.models import Membership, OrganizationAdmin, School
from schools.roles import Role
from sso.models import SsoPolicy, SsoProvider


def sso_policy_get(*, school: School) -> SsoPolicy:
    """The school's policy; an unsaved default one when the school never set it (match by email, any
    domain, no new accounts, nobody required)."""
    with school_scope(school):
        return SsoPolicy.objects.filter(school=school).first() or SsoPolicy(school=school)


def sso_provider_list(*, school: School) -> list[SsoProvider]:
    """The school's own providers, for its admin page (enabled or not)."""
    with school_scope(school):
        return list(SsoProvider.objects.all())


def _offered_at(school: School) -> Q:
    """Providers offered at ``school``: its own, and its district's schools' district-wide ones."""
    return Q(school_id=school.pk) | Q(
        district_wide=True, school__organization_id=school.organization_id, school__is_active=True
    )


def sign_in_provider_list(*, school: School) -> list[SsoProvider]:
    """The buttons of a school's sign-in page: its enabled providers and its district's shared ones."""
    # unscoped: a district-wide provider belongs to another school of the same district (filter below);
    # the database shows the district's schools for that read (row-level security).
    with district_scope(school.organization_id):
        return list(
            SsoProvider.objects.unscoped().filter(_offered_at(school), is_enabled=True).order_by("name", "pk")
        )


def sso_provider_get(*, school: School, provider_id: int) -> SsoProvider:
    """A provider of the active school by id, for its admin pages: another school's id is a 404."""
    return school_object_get(SsoProvider, school=school, pk=provider_id, missing="No such provider.")


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
    provider = public_object_get(
        SsoProvider, public_id=public_id, missing="No such sign-in.", is_enabled=True
    )
    if school is not None and not provider_offered_at(provider=provider, school=school):
        raise Http404("No such sign-in.")
    return provider


def provider_offered_at(*, provider: SsoProvider, school: School) -> bool:
    """Whether ``provider`` may sign people into ``school``: its own school's, or district-wide in the
    same district (never across districts)."""
    if provider.school_id == school.pk:
        return True
    return (
        provider.district_wide
        and school.is_active
        and provider.school.organization_id == school.organization_id
    )


def schools_with_sso_search(*, query: str, limit: int = 10) -> list[School]:
    """Schools whose name contains ``query`` (3 characters at least) and that offer single sign-on, for
    the "Sign in with your school account" finder: what a school calls itself, nothing of its setup."""
    query = query.strip()
    if len(query) < 3:
        return []
    # unscoped: which schools and districts have an enabled provider, across schools, for the public finder.
    enabled = SsoProvider.objects.unscoped().filter(is_enabled=True, school__is_active=True)
    own = enabled.values("school_id")
    shared = enabled.filter(district_wide=True).values("school__organization_id")
    return list(
        School.objects.filter(is_active=True, name__icontains=query)
        .filter(Q(pk__in=own) | Q(organization_id__in=shared))
        .order_by("name")[:limit]
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
    with all_schools():  # the person's schools, at sign-in, before any school is active
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
        own: dict[int, list[str]] = {}
        shared: dict[int, list[str]] = {}
        offered = Q(school_id__in={m.school_id for m in required}) | Q(
            district_wide=True, school__organization_id__in={m.school.organization_id for m in required}
        )
        for school_id, organization_id, district_wide, name in (
            # unscoped: the enabled providers offered at those schools (their own and their districts'
            # shared ones), for the message.
            SsoProvider.objects.unscoped()
            .filter(offered, is_enabled=True, school__is_active=True)
            .order_by("name")
            .values_list("school_id", "school__organization_id", "district_wide", "name")
        ):
            own.setdefault(school_id, []).append(name)
            if district_wide:
                shared.setdefault(organization_id, []).append(name)
        for membership in required:
            school = membership.school
            names = sorted(set(own.get(school.pk, [])) | set(shared.get(school.organization_id, [])))
            if names:
                return SsoRequired(school=school, role_label=membership.get_role_display(), providers=names)
        return None


def password_admins_after(*, school: School, required_roles) -> list[int]:
    """Who could still administer ``school`` with a password if its policy required ``required_roles``:
    its active school admins and its district's admins (active accounts), less those single sign-on would
    take (a role of theirs required here under the new policy, or in another school of theirs under that
    school's). Whether a provider is enabled is left out on purpose: the day it is enabled, or breaks,
    someone must still be able to sign in and fix it. Four queries whatever the number of people."""
    required_here = set(required_roles)
    with all_schools():
        # unscoped: this school's admins, and its district's (district admins hold no membership here).
        admins = set(
            Membership.objects.unscoped()
            .filter(school=school, role=Role.SCHOOL_ADMIN, is_active=True, user__is_active=True)
            .values_list("user_id", flat=True)
        )
        admins |= set(
            OrganizationAdmin.objects.filter(
                organization_id=school.organization_id, user__is_active=True
            ).values_list("user_id", flat=True)
        )
        if not admins:
            return []
        # unscoped: every active role of those people, in every active school (any may require SSO).
        roles = list(
            Membership.objects.unscoped()
            .filter(user_id__in=admins, is_active=True, school__is_active=True)
            .values_list("user_id", "school_id", "role")
        )
        # unscoped: the policies of exactly those schools (ids from the rows above).
        policies = dict(
            SsoPolicy.objects.unscoped()
            .filter(school_id__in={school_id for _, school_id, _ in roles})
            .values_list("school_id", "required_roles")
        )
    policies[school.pk] = required_here
    taken = {user_id for user_id, school_id, role in roles if role in (policies.get(school_id) or ())}
    return sorted(admins - taken)
