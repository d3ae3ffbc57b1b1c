"""Writes about schools, memberships, terms, sections and enrollments. One transaction per use case."""

import datetime as dt

from django.db import transaction

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
    term = Term.objects.filter(name=name).first() or Term(school_id=current_school_id(), name=name)
    term.start_date, term.end_date = start_date, end_date
    term.full_clean()
    term.save()
    return term


def section_upsert(*, term: Term, name: str, code: str = "", subject: str = "") -> Section:
    section = Section.objects.filter(term=term, name=name).first() or Section(
        school_id=current_school_id(), term=term, name=name
    )
    section.code, section.subject = code, subject
    section.full_clean()
    section.save()
    return section


def enrollment_upsert(*, section: Section, user, role: str) -> Enrollment:
    enrollment = Enrollment.objects.filter(section=section, user=user).first() or Enrollment(
        school_id=current_school_id(), section=section, user=user
    )
    enrollment.role, enrollment.is_active = role, True
    enrollment.full_clean()
    enrollment.save()
    return enrollment
