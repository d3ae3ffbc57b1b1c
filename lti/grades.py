"""Assignment and Grade Services: a student's mastery sent to the LMS gradebook.

A resource link stands for a playlist (score: its competencies the student mastered, out of all of them) or
one competency (1 out of 1 when mastered). After every recompute of a student (engine.tasks) the scores of
their linked resource links are computed here; only a changed one is sent (LtiScoreSent keeps the last),
by pylti1p3's AGS client with a token the LMS grants for PLP's signed client assertion. The LMS user id is
the one linked at the student's launch: a student never launched from that LMS has no column to fill.
"""

import logging
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone
from pylti1p3.assignments_grades import AssignmentsGradesService
from pylti1p3.exception import LtiException, LtiServiceException
from pylti1p3.grade import Grade
from pylti1p3.service_connector import ServiceConnector

from lti.models import LtiRegistration, LtiResourceLink, LtiScoreSent, LtiUserLink
from lti.tool import SchoolToolConf
from mastery.models import MasteryState, MasteryStatus
from playlists.models import PlaylistItem
from plp import outbound
from plp.sharing import sharing_refusals

logger = logging.getLogger(__name__)

SCORE_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"


@dataclass(frozen=True)
class Score:
    given: float
    maximum: float

    @property
    def complete(self) -> bool:
        return self.maximum > 0 and self.given >= self.maximum


class PassbackFailed(RuntimeError):
    """The LMS did not take a score (down, or it refused the token): the task retries later."""


def _competencies_by_link(links: list[LtiResourceLink]) -> dict[int, set[int]]:
    """Each link's competencies: its own, or those of its playlist's items (two queries in all)."""
    playlist_ids = {link.playlist_id for link in links if link.playlist_id}
    by_playlist: dict[int, set[int]] = {}
    rows = PlaylistItem.objects.filter(playlist_id__in=playlist_ids).values_list(
        "playlist_id", "item__competencies"
    )
    for playlist_id, competency_id in rows:
        if competency_id is not None:
            by_playlist.setdefault(playlist_id, set()).add(competency_id)
    return {
        link.pk: ({link.competency_id} if link.competency_id else by_playlist.get(link.playlist_id, set()))
        for link in links
    }


def pending_scores(*, student_ids: list[int]) -> list[tuple[LtiResourceLink, int, str, Score]]:
    """(link, student id, LMS user id, score) for every score that differs from the last one sent. Inside
    the school's scope; a constant number of queries whatever the number of students or links."""
    user_links = list(LtiUserLink.objects.filter(user_id__in=student_ids).values_list(
        "registration_id", "user_id", "lms_user_id"))  # fmt: skip
    if not user_links:
        return []
    registrations = {registration_id for registration_id, _, _ in user_links}
    links = list(
        LtiResourceLink.objects.filter(registration_id__in=registrations)
        .exclude(lineitem="")
        .filter(Q(playlist__isnull=False) | Q(competency__isnull=False))
        .select_related("registration")
    )
    if not links:
        return []
    competencies = _competencies_by_link(links)
    wanted = set().union(*competencies.values())
    mastered = set(
        MasteryState.objects.filter(
            student_id__in=student_ids, competency_id__in=wanted, status=MasteryStatus.MASTERED
        ).values_list("student_id", "competency_id")
    )
    sent = {
        (row.resource_link_id, row.student_id): Score(row.score_given, row.score_maximum)
        for row in LtiScoreSent.objects.filter(resource_link__in=links, student_id__in=student_ids)
    }
    pending = []
    for link in links:
        targets = competencies[link.pk]
        for registration_id, student_id, lms_user_id in user_links:
            if registration_id != link.registration_id or not targets:
                continue
            given = sum((student_id, competency_id) in mastered for competency_id in targets)
            score = Score(float(given), float(len(targets)))
            if sent.get((link.pk, student_id)) != score:
                pending.append((link, student_id, lms_user_id, score))
    return pending


def service_connector(link: LtiResourceLink) -> ServiceConnector:
    """pylti1p3's client of the LMS's services for the link's registration (it keeps the access token)."""
    return registration_connector(link.registration)


def registration_connector(lti_registration: LtiRegistration) -> ServiceConnector:
    """pylti1p3's client of an LMS's services (AGS, NRPS): it gets an access token for PLP's client
    assertion signed with the registration's key, and keeps it."""
    conf = SchoolToolConf(lti_registration)
    registration = conf.find_registration_by_params(lti_registration.issuer, lti_registration.client_id)
    if registration is None or registration.get_tool_private_key() is None:
        raise PassbackFailed("PLP has no readable key for this registration (rotate it)")
    return ServiceConnector(registration, requests_session=outbound.session())  # screened: plp/outbound.py


def score_send(*, connector: ServiceConnector, link: LtiResourceLink, lms_user_id: str, score: Score) -> None:
    """POST the score to the link's line item (AGS), or PassbackFailed."""
    ags = AssignmentsGradesService(connector, {"scope": link.ags_scopes, "lineitem": link.lineitem})
    grade = (
        Grade()
        .set_score_given(score.given)
        .set_score_maximum(score.maximum)
        .set_timestamp(timezone.now().isoformat())
        .set_activity_progress("Completed" if score.complete else "InProgress")
        .set_grading_progress("FullyGraded")
        .set_user_id(lms_user_id)
    )
    try:
        ags.put_grade(grade)
    except (LtiException, LtiServiceException, OSError) as error:
        raise PassbackFailed(str(error)[:200]) from error


def passback_withhold(*, student_ids: list[int]) -> list[int]:
    """The students among ``student_ids`` whose grades may go to an LMS; the others' links record why not
    (the privacy app's one consent rule: under 13 without their parent's consent), for the admins' page. A
    student allowed again has the mark cleared."""
    refusals = sharing_refusals(student_ids=student_ids)
    now = timezone.now()
    for reason in set(refusals.values()):
        LtiUserLink.objects.filter(
            user_id__in=[sid for sid, why in refusals.items() if why == reason]
        ).exclude(passback_withheld=reason).update(passback_withheld=reason, passback_withheld_at=now)
    allowed = [student_id for student_id in student_ids if student_id not in refusals]
    LtiUserLink.objects.filter(user_id__in=allowed).exclude(passback_withheld="").update(
        passback_withheld="", passback_withheld_at=None
    )
    return allowed


def scores_pass_back(*, student_ids: list[int]) -> int:
    """Send every changed score of these students (inside their school's scope); how many were sent. A
    failure stops the batch with PassbackFailed after recording what was sent (a retry sends the rest).
    Nothing is sent for a student whose records may not leave PLP (:func:`passback_withhold`)."""
    sent, connectors = 0, {}
    student_ids = passback_withhold(student_ids=student_ids)
    for link, student_id, lms_user_id, score in pending_scores(student_ids=student_ids):
        if SCORE_SCOPE not in link.ags_scopes:
            continue
        if link.registration_id not in connectors:
            connectors[link.registration_id] = service_connector(link)
        score_send(
            connector=connectors[link.registration_id], link=link, lms_user_id=lms_user_id, score=score
        )
        LtiScoreSent.objects.update_or_create(
            school_id=link.school_id,
            resource_link=link,
            student_id=student_id,
            defaults={"score_given": score.given, "score_maximum": score.maximum, "sent_at": timezone.now()},
        )
        sent += 1
    return sent
