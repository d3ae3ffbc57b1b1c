"""Writes: a school's LMS registrations and keys, and signing in a person an LMS launched."""

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone

from lti import keys
from lti.claims import LaunchCourse, LaunchPerson, LaunchPlace
from lti.matching import people_match
from lti.models import (
    LtiContext,
    LtiDeployment,
    LtiRegistration,
    LtiResourceLink,
    LtiToolKey,
    LtiUserLink,
    SigningKey,
)
from lti.refusals import LtiRefused
from playlists.models import Competency, Playlist
from playlists.selectors import student_assignments
from playlists.services import playlist_assign
from plp.tenancy.context import school_scope
from schools.models import Membership
from schools.roles import Role


def registration_save(*, registration: LtiRegistration, deployment_ids: list[str]) -> LtiRegistration:
    """Save a registration and its deployment ids (exactly these); a new one gets its first key."""
    with school_scope(registration.school_id), transaction.atomic():
        is_new = registration.pk is None
        registration.full_clean()
        registration.save()
        registration.deployments.exclude(deployment_id__in=deployment_ids).delete()
        have = set(registration.deployments.values_list("deployment_id", flat=True))
        LtiDeployment.objects.bulk_create(
            LtiDeployment(school_id=registration.school_id, registration=registration, deployment_id=d)
            for d in deployment_ids
            if d not in have
        )
        if is_new:
            registration_key_rotate(registration=registration)
    return registration


def registration_delete(*, registration: LtiRegistration) -> None:
    with school_scope(registration.school_id), transaction.atomic():
        LtiUserLink.objects.filter(registration=registration).delete()
        registration.delete()


def signing_key_rotate(*, model: type[SigningKey], school_id: int, **owner) -> SigningKey:
    """A new signing key of ``model`` (a registration's as a tool, the school's as a platform): the newest
    previous key stays published until the next rotation retires it (so whoever cached the key set can
    still check what was signed just before); older ones are retired now."""
    kid, encrypted, public = keys.key_pair_make()
    with school_scope(school_id), transaction.atomic():
        current = list(model.objects.select_for_update().filter(retired_at__isnull=True, **owner))
        for old in current[1:]:  # keep the newest previous key published, retire the rest
            old.retired_at = timezone.now()
            old.save(update_fields=["retired_at"])
        return model.objects.create(
            school_id=school_id, kid=kid, private_key_encrypted=encrypted, public_jwk=public, **owner
        )


def registration_key_rotate(*, registration: LtiRegistration) -> LtiToolKey:
    """A new signing key for the registration (:func:`signing_key_rotate`)."""
    return signing_key_rotate(model=LtiToolKey, school_id=registration.school_id, registration=registration)


def launch_sign_in_match(*, registration: LtiRegistration, person: LaunchPerson):
    """The PLP person an LMS launched, or LtiRefused. Matched as lti.matching says (the LMS user id
    linked at an earlier launch, else the registration's rule); the person must belong to this school
    and be active there. Nobody is ever created: an unknown person is refused."""
    school = registration.school
    context = {"school": school.name, "lms": registration.name, "who": person.who}
    if not person.lms_user_id:
        raise LtiRefused("no_identity", {**context, "what": "user id"})
    with school_scope(school):
        match = people_match(registration=registration, people=[person]).get(person.lms_user_id)
        if match is None:
            if not person.key(registration.match_by):
                raise LtiRefused("no_identity", {**context, "what": registration.get_match_by_display()})
            raise LtiRefused("no_match", context)
        if not match.belongs:  # an account of another school only: never linked here
            raise LtiRefused("no_match", context)
        user = match.user
        if not match.active or not user.is_active:
            raise LtiRefused("inactive", context)
        _link_record(registration=registration, person=person, user=user, link=match.link)
    return user


def _link_record(*, registration, person: LaunchPerson, user, link) -> None:
    now = timezone.now()
    if link is not None:
        link.last_launch_at = now
        link.save(update_fields=["last_launch_at"])
        return
    try:
        with transaction.atomic():
            LtiUserLink.objects.create(
                school_id=registration.school_id,
                registration=registration,
                lms_user_id=person.lms_user_id,
                user=user,
                last_launch_at=now,
            )
    except IntegrityError:  # two first launches at once: the other one linked
        pass


def resource_link_record(*, registration: LtiRegistration, place: LaunchPlace) -> LtiResourceLink:
    """Create or update the resource link a launch came from. A playlist or competency id in its custom
    parameters counts only when it is this school's (another school's id is ignored, never linked)."""
    with school_scope(registration.school_id), transaction.atomic():
        playlist = Playlist.objects.filter(pk=place.playlist_id).first() if place.playlist_id else None
        competency = (
            Competency.objects.filter(pk=place.competency_id).first() if place.competency_id else None
        )
        values = {
            "context_id": place.context_id,
            "title": place.title,
            "playlist": playlist,
            "competency": None if playlist else competency,
            "lineitem": place.lineitem,
            "ags_scopes": list(place.ags_scopes),
        }
        link, _ = LtiResourceLink.objects.update_or_create(
            school_id=registration.school_id,
            registration=registration,
            resource_link_id=place.resource_link_id,
            defaults=values,
        )
    return link


PLACED_PLAYLIST_DAYS = (
    28  # the pace of a playlist a student takes up from an LMS course, until a teacher sets one
)


def placed_playlist_take_up(*, link: LtiResourceLink, student) -> bool:
    """A student who opens a playlist their teacher placed in an LMS course gets it assigned (once, by
    nobody in PLP: the LMS course placed it), so the link lands on their playlist, not a 404. Only the
    school's own students; True when it was assigned now."""
    if link.playlist_id is None:
        return False
    with school_scope(link.school_id), transaction.atomic():
        if student_assignments(student=student).filter(playlist_id=link.playlist_id).exists():
            return False
        if not Membership.objects.filter(user=student, role=Role.STUDENT, is_active=True).exists():
            return False
        today = timezone.localdate()
        playlist_assign(
            playlist=link.playlist,
            student=student,
            start_date=today,
            target_date=today + dt.timedelta(days=PLACED_PLAYLIST_DAYS),
        )
    return True


def course_record(*, registration: LtiRegistration, course: LaunchCourse, user, is_staff: bool) -> LtiContext:
    """Create or update the LMS course a launch came from (its roster address); an adult of the school
    launched from it becomes the teacher who may preview its roster."""
    values = {"title": course.title, "memberships_url": course.memberships_url}
    if is_staff:
        values["launched_by"] = user
    with school_scope(registration.school_id), transaction.atomic():
        context, _ = LtiContext.objects.update_or_create(
            school_id=registration.school_id,
            registration=registration,
            context_id=course.context_id,
            defaults=values,
        )
    return context
