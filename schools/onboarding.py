"""Onboarding writes: a school's details, a new school in a district with its first admin, people's status."""

import datetime as dt

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction

from accounts.models import normalize_email_address
from accounts.services import access_ended
from plp.tenancy.context import school_scope
from schools import services
from schools.invitations import invitation_send
from schools.models import Membership, Organization, School, Section
from schools.roles import Role


@transaction.atomic
def school_details_update(
    *,
    school: School,
    name: str,
    timezone: str,
    grade_levels: list[str],
    term: tuple[str, dt.date, dt.date] | None = None,
    idle_minutes_staff: int | None = None,
    idle_minutes_students: int | None = None,
) -> School:
    """Step one of the wizard: the school's name, time zone and grade levels, how long an idle session lasts
    (staff, students; unchanged when not given), and optionally a term. A new idle limit reaches signed-in
    people within a minute (the idle check re-reads it when it notes their activity)."""
    school.name, school.timezone, school.grade_levels = name, timezone, list(grade_levels)
    if idle_minutes_staff is not None:
        school.idle_minutes_staff = idle_minutes_staff
    if idle_minutes_students is not None:
        school.idle_minutes_students = idle_minutes_students
    school.full_clean()
    school.save(
        update_fields=["name", "timezone", "grade_levels", "idle_minutes_staff", "idle_minutes_students"]
    )
    if term is not None:
        with school_scope(school):
            services.term_upsert(name=term[0], start_date=term[1], end_date=term[2])
    return school


def school_create(
    *,
    organization: Organization,
    name: str,
    slug: str,
    timezone: str,
    admin_email: str,
    admin_given_name: str,
    admin_family_name: str,
    created_by,
    base_url: str,
) -> School:
    """A district admin opens a school in their organization and names its first school admin: an existing
    account (same email) gets the membership; a new person gets an account and an invitation."""
    User = get_user_model()
    email = normalize_email_address(admin_email)
    with transaction.atomic():
        school = School(organization=organization, name=name, slug=slug, timezone=timezone)
        school.full_clean()
        school.save()
        admin = User.objects.filter(email=email).first()
        if admin is None:
            admin = User(
                email=email,
                given_name=admin_given_name,
                family_name=admin_family_name,
                password=make_password(None),
            )
            admin.full_clean()
            admin.save()
        with school_scope(school):
            services.membership_grant(user=admin, role=Role.SCHOOL_ADMIN)
            if not admin.has_usable_password():
                invitation_send(user=admin, sent_by=created_by, base_url=base_url)
    return school


@transaction.atomic
def membership_set_active(*, membership: Membership, is_active: bool) -> Membership:
    """Deactivate or reactivate one role of one person in this school (the row and its history stay). A
    deactivation ends the person's sessions and revokes their tokens that reach the school
    (``accounts.services.access_ended``): what they had open does not outlive the decision."""
    was_active = membership.is_active
    membership.is_active = is_active
    membership.save(update_fields=["is_active"])
    if was_active and not is_active:
        access_ended(user_ids=[membership.user_id], school_id=membership.school_id)
    return membership


def section_update(*, form) -> Section:
    """Save a checked SectionForm (ModelForm validation ran full_clean inside the school)."""
    section = form.save(commit=False)
    section.full_clean()
    section.save(update_fields=["name", "code", "subject", "term"])
    return section
