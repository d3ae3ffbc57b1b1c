"""Reads: a school's LMS registrations, and the registration a public LTI URL names."""

from django.http import Http404

from lti.models import LtiContext, LtiRegistration, LtiToolKey, LtiUserLink
from plp.tenancy.context import school_scope
from plp.tenancy.lookups import public_object_get, school_object_get
from schools.models import Membership, School
from schools.roles import SCHOOL_WIDE_ROLES, Role


def registration_list(*, school: School) -> list[LtiRegistration]:
    with school_scope(school):
        return list(LtiRegistration.objects.prefetch_related("deployments"))


def passback_withheld_list(*, school: School) -> list[LtiUserLink]:
    """The school's people whose grades are not sent to an LMS now, with why (privacy), latest first."""
    with school_scope(school):
        return list(
            LtiUserLink.objects.exclude(passback_withheld="")
            .select_related("user", "registration")
            .order_by("-passback_withheld_at", "-pk")
        )


def registration_get(*, school: School, registration_id: int) -> LtiRegistration:
    """A registration of the school by id, for its admin pages: another school's id is a 404."""
    return school_object_get(
        LtiRegistration, school=school, pk=registration_id, missing="No such registration."
    )


def public_registration_get(*, public_id) -> LtiRegistration:
    """The registration a public LTI URL names (its school active), inside ``sees_all_schools``."""
    return public_object_get(LtiRegistration, public_id=public_id, missing="No such registration.")


def public_jwks(*, registration: LtiRegistration) -> dict:
    """The public keys PLP signs this registration's messages with (retired ones left out)."""
    with school_scope(registration.school_id):
        jwks = LtiToolKey.objects.filter(registration=registration, retired_at__isnull=True).values_list(
            "public_jwk", flat=True
        )
        return {"keys": list(jwks)}


def is_student(*, user, school: School) -> bool:
    with school_scope(school):
        return Membership.objects.filter(user=user, role=Role.STUDENT, is_active=True).exists()


def is_teacher(*, user, school: School) -> bool:
    """A teacher (or school admin) of the school: the launches that make someone a course's teacher."""
    with school_scope(school):
        return Membership.objects.filter(
            user=user, role__in=[Role.TEACHER, Role.SCHOOL_ADMIN], is_active=True
        ).exists()


def course_list(*, school: School, user, roles: frozenset[str]) -> list:
    """The LMS courses PLP was launched from that this person may see the roster of: all of them for the
    school's admins, the ones they launched from for a teacher."""
    with school_scope(school):
        courses = LtiContext.objects.select_related("registration")
        if roles.isdisjoint(SCHOOL_WIDE_ROLES):
            courses = courses.filter(launched_by=user)
        return list(courses)


def course_get(*, school: School, user, roles: frozenset[str], course_id: int):
    """One of :func:`course_list`'s courses by id; any other id (another school's too) is a 404."""
    with school_scope(school):
        courses = LtiContext.objects.select_related("registration", "registration__school")
        if roles.isdisjoint(SCHOOL_WIDE_ROLES):
            courses = courses.filter(launched_by=user)
        course = courses.filter(pk=course_id).first()
    if course is None:
        raise Http404("No such course.")
    return course
