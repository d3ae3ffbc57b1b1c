"""Writes: a school's providers and policy, and signing a person in from what a provider said."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from accounts.models import normalize_email_address
from plp.tenancy.context import school_scope
from schools.models import Membership, School
from schools.people_matching import account_ids_by_key, places_of
from schools.roles import Role
from sso import policy
from sso.crypto import secret_encrypt
from sso.models import SamlAssertionSeen, SsoPolicy, SsoProvider
from sso.refusals import SsoRefused
from sso.selectors import password_admins_after, sso_policy_get


def sso_provider_save(*, provider: SsoProvider, client_secret: str = "") -> SsoProvider:
    """Save a provider (new or changed); a typed client secret replaces the stored one, a blank keeps
    it. The form has already read the provider's discovery document or SAML metadata."""
    if client_secret:
        provider.client_secret_encrypted = secret_encrypt(client_secret)
    with school_scope(provider.school_id):
        provider.full_clean()
        provider.save()
    return provider


def sso_provider_delete(*, provider: SsoProvider) -> None:
    with school_scope(provider.school_id), transaction.atomic():
        provider.delete()


LOCKOUT_REFUSED = (
    "This would leave {school} with no admin who can sign in with a password: if the sign-in provider "
    "failed, nobody could sign in to fix it. Keep at least one school admin (or a district admin) on the "
    "password login: leave “School admin” (and the other roles your admins hold) unticked, or add an admin "
    "who signs in with a password first."
)


def sso_policy_save(*, sso_policy: SsoPolicy) -> SsoPolicy:
    """Save the school's policy, refused (a ``required_roles`` error) when it would leave the school with
    no admin able to sign in with a password (``selectors.password_admins_after``): the break-glass is that
    such a policy is never saved."""
    with school_scope(sso_policy.school_id):
        sso_policy.full_clean()
        school = sso_policy.school
        if sso_policy.required_roles and not password_admins_after(
            school=school, required_roles=sso_policy.required_roles
        ):
            raise ValidationError({"required_roles": LOCKOUT_REFUSED.format(school=school.name)})
        sso_policy.save()
    return sso_policy


def sso_sign_in_match(*, school: School, identity: policy.Identity):
    """The person of ``school`` that ``identity`` is, by the school's rule, or SsoRefused.

    Order: the domain first (an account of another organization is refused whatever it matches), then
    the school's key (missing: refused), then the person must belong to this school (an account of
    another school only is no match here), and be active there."""
    sso_policy = sso_policy_get(school=school)
    who = identity.email or identity.username or identity.sourced_id or identity.subject
    context = {"school": school.name, "who": who}
    if sso_policy.domains and not policy.domain_allowed(email=identity.email, domains=sso_policy.domains):
        raise SsoRefused("wrong_domain", {**context, "domains": ", ".join(sso_policy.domains)})
    key = identity.key(sso_policy.match_by)
    if not key:
        raise SsoRefused("no_identity", {**context, "what": sso_policy.get_match_by_display().lower()})
    with school_scope(school):
        user_id = account_ids_by_key(match_by=sso_policy.match_by, keys=[key]).get(key)
        user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
        if user is None:
            if sso_policy.create_accounts and identity.email:
                return _account_create(school=school, identity=identity, context=context)
            raise SsoRefused("no_match", context)
        place = places_of(organization_id=school.organization_id, user_ids=[user.pk])[user.pk]
        if not place.belongs:  # an account of another school only: never linked here by a sign-in
            raise SsoRefused("no_match", context)
        if not place.active or not user.is_active:
            raise SsoRefused("inactive", context)
    return user


def _account_create(*, school: School, identity: policy.Identity, context: dict):
    """A new student of the school, with the identity's email (the admin allowed it). No password: they
    sign in through the provider. An account that already has the email (in another school) is not
    joined to this one by a sign-in: refused, the admin adds such a person."""
    User = get_user_model()
    if User.objects.filter(email=normalize_email_address(identity.email)).exists():
        raise SsoRefused("no_match", context)
    try:
        with transaction.atomic():
            user = User(
                email=identity.email, given_name=identity.given_name, family_name=identity.family_name
            )
            user.set_unusable_password()
            user.full_clean(exclude=["password"])
            user.save()
            membership = Membership(school=school, user=user, role=Role.STUDENT)
            membership.full_clean()
            membership.save()
    except IntegrityError:  # the same person's first two sign-ins at once: the other one made it
        user = User.objects.get(email=identity.email)
    return user


def saml_assertion_use(*, provider: SsoProvider, assertion_id: str) -> None:
    """Record an assertion as used; the second use of one raises SsoRefused("replayed")."""
    with school_scope(provider.school_id):
        try:
            with transaction.atomic():
                SamlAssertionSeen.objects.create(
                    school_id=provider.school_id, provider=provider, assertion_id=assertion_id[:200]
                )
        except IntegrityError:
            raise SsoRefused("replayed", {"school": provider.school.name}) from None
