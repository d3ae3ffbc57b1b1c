"""Writes about schools, memberships, terms, sections and enrollments. One transaction per use case."""

import datetime as dt

from django.db import transaction

from accounts.emails import is_placeholder_email
from accounts.lockout import lockout_clear
from accounts.models import normalize_email_address
from accounts.services import sessions_ended_note
from plp.saving import validated_upsert
from plp.tenancy.context import current_school_id
from schools.models import (
    Enrollment,
    Membership,
    Organization,
    OrganizationAdmin,
    School,
    Section,
    Term,
)
from schools.roles import Role
from schools.rostering.plan import shared_user_ids


@transaction.atomic
def organization_upsert(*, slug: str, name: str, kind: str = Organization.Kind.DISTRICT) -> Organization:
    organization = Organization.objects.filter(slug=slug).first() or Organization(slug=slug)
    organization.name, organization.kind = name, kind
    organization.full_clean()
    organization.save()
    return organization


@transaction.atomic
def organization_admin_grant(*, organization: Organization, user) -> OrganizationAdmin:
    admin, _ = OrganizationAdmin.objects.get_or_create(organization=organization, user=user)
    return admin


@transaction.atomic
def school_upsert(*, organization: Organization, slug: str, name: str, timezone: str) -> School:
    school = School.objects.filter(slug=slug).first() or School(slug=slug)
    school.organization, school.name, school.timezone = organization, name, timezone
    school.full_clean()
    school.save()
    return school


def membership_grant(*, user, role: str) -> Membership:
    """Give ``user`` a role in the active school (reactivating it if it had been revoked)."""
    membership, created = Membership.objects.get_or_create(
        school_id=current_school_id(), user=user, role=role, defaults={"is_active": True}
    )
    if not created and not membership.is_active:
        membership.is_active = True
        membership.save(update_fields=["is_active"])
    return membership


def term_upsert(*, name: str, start_date: dt.date, end_date: dt.date) -> Term:
    return validated_upsert(
        Term, lookup={"name": name}, values={"start_date": start_date, "end_date": end_date}
    )


def section_upsert(*, term: Term, name: str, code: str = "", subject: str = "") -> Section:
    return validated_upsert(
        Section, lookup={"term": term, "name": name}, values={"code": code, "subject": subject}
    )


def enrollment_upsert(*, section: Section, user, role: str) -> Enrollment:
    return validated_upsert(
        Enrollment, lookup={"section": section, "user": user}, values={"role": role, "is_active": True}
    )


def person_email_set(*, membership: Membership, email: str, actor) -> None:
    """A school admin sets or corrects the email of a person of their school (one who has none from the
    roster, or a wrong one), so they can be invited or sent a reset link. Refused for accounts the school
    does not own alone (people of other schools or organizations, platform staff: the roster's rule) and for
    another admin of the school (their email is their account: the platform staff change it)."""
    from django.core.exceptions import ValidationError
    from django.db import IntegrityError

    user = membership.user
    if user.pk in shared_user_ids(membership.school, [user.pk]):
        raise ValidationError(
            "This person also belongs to another school or organization: "
            "the platform staff can change their email."
        )
    if user.pk != actor.pk and Membership.objects.filter(user=user, role=Role.SCHOOL_ADMIN).exists():
        raise ValidationError("Another admin's email is changed by the platform staff.")
    email = normalize_email_address(email)
    if is_placeholder_email(email):
        raise ValidationError({"email": "Type the person's real email address."})
    if type(user).objects.filter(email=email).exclude(pk=user.pk).exists():
        raise ValidationError({"email": "Another account uses this email address."})
    user.email = email
    # Only the email is checked (and that it is unique): the rest of the account is not this page's business.
    user.full_clean(exclude=[field.name for field in user._meta.fields if field.name != "email"])
    try:
        with transaction.atomic():
            user.save(update_fields=["email"])
    except IntegrityError:  # the same address saved by someone else a moment ago
        raise ValidationError({"email": "Another account uses this email address."}) from None


def person_password_set(*, membership: Membership, password: str, actor) -> None:
    """A school admin sets the password of a person the roster gives no email, who signs in with their
    roster username: they can be neither invited nor sent a reset link, so this is how they get a first
    password and how a forgotten one is replaced. People with an email choose their own; accounts the
    school does not own alone and other admins are refused as for the email. The new password ends the
    person's sessions and revokes their API tokens (``User.save``) and lifts a sign-in lock."""
    from django.core.exceptions import ValidationError

    user = membership.user
    if not is_placeholder_email(user.email):
        raise ValidationError(
            "This person has an email address: they choose their own password from a reset link or their "
            "invitation."
        )
    if not user.username:
        raise ValidationError(
            "The roster gives this person no username and no email, so nothing would sign them in with a "
            "password: add their email instead."
        )
    if user.pk in shared_user_ids(membership.school, [user.pk]):
        raise ValidationError(
            "This person also belongs to another school or organization: the platform staff can set it."
        )
    if user.pk != actor.pk and Membership.objects.filter(user=user, role=Role.SCHOOL_ADMIN).exists():
        raise ValidationError("Another admin's password is set by the platform staff.")
    user.set_password(password)
    user.save()
    if user.pk != actor.pk:  # their own password, set here, signs out nobody else
        sessions_ended_note(user_ids=[user.pk], why=user.SignedOut.PASSWORD)
    lockout_clear(user_id=user.pk)
