"""Writes of PLP as an LTI platform: tools and their items, a student's launch, the id_token answering the
tool's authorization request, access tokens, and the scores a tool posts back (evidence in the mastery
ledger through mastery.services, the item done through playlists.services)."""

import contextlib
import secrets
import time
from urllib.parse import urlencode

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from lti.refusals import LtiRefused
from lti_platform import messages, signing
from lti_platform.models import ToolItem, ToolLaunch, ToolRegistration, ToolScore, ToolSubject
from mastery.services import evidence_record_tool_scores
from playlists.models import ContentItem, ItemProgress, Playlist, PlaylistItem
from playlists.selectors import student_assignments
from playlists.services import content_item_save, item_complete, playlist_item_add
from plp.recompute import students_mark_dirty
from plp.tenancy.context import school_scope
from schools.models import Enrollment, Section

LAUNCH_SECONDS = 600  # from the student's click to the tool's authorization request
_LAUNCH_KEY = "plp-ltip-launch:"


def tool_save(*, tool: ToolRegistration) -> ToolRegistration:
    """Save a tool registration; the school gets its platform key the first time."""
    with school_scope(tool.school_id), transaction.atomic():
        tool.full_clean()
        tool.save()
    signing.platform_key_current(school_id=tool.school_id)
    return tool


def tool_delete(*, tool: ToolRegistration) -> int:
    """Delete a tool for good (switching it off keeps everything). Its items go too: taken out of every
    playlist and deleted, with the students' progress on them and the scores, launches and opaque ids the
    tool was given. The evidence those scores gave stays in the mastery ledger (it names no item or tool
    row), so no student's mastery changes; the students whose next item may change are marked for a
    recompute. Returns the number of items deleted."""
    with school_scope(tool.school_id), transaction.atomic():
        tool = ToolRegistration.objects.select_for_update().get(pk=tool.pk)
        item_ids = list(ToolItem.objects.filter(tool=tool).values_list("item_id", flat=True))
        student_ids = set(
            ToolLaunch.objects.filter(tool_item__tool=tool).values_list("student_id", flat=True)
        ) | set(ItemProgress.objects.filter(item_id__in=item_ids).values_list("student_id", flat=True))
        PlaylistItem.objects.filter(item_id__in=item_ids).delete()
        ContentItem.objects.filter(pk__in=item_ids).delete()  # its tool item, scores, launches, progress
        tool.delete()  # the opaque ids (ToolSubject)
        if student_ids:
            students_mark_dirty(student_ids=sorted(student_ids))
    return len(item_ids)


@transaction.atomic
def tool_item_create(
    *,
    tool: ToolRegistration,
    title: str,
    competencies: list,
    playlist: Playlist | None,
    score_maximum: float = 10,
    estimated_minutes: int = 20,
    actor=None,
) -> ContentItem:
    """A content item that launches ``tool``, aligned to ``competencies``; appended to ``playlist``."""
    item = content_item_save(
        competencies=competencies,
        actor=actor,
        title=title,
        kind=ContentItem.Kind.LTI_TOOL,
        url=tool.launch_url,
        estimated_minutes=estimated_minutes,
    )
    tool_item = ToolItem(school_id=item.school_id, item=item, tool=tool, score_maximum=score_maximum)
    tool_item.full_clean()
    tool_item.save()
    if playlist is not None:
        playlist_item_add(playlist=playlist, item=item)
    return item


def subject_for(*, tool: ToolRegistration, user) -> str:
    """The opaque id the tool knows ``user`` by (made at their first launch of it)."""
    row = ToolSubject.objects.filter(tool=tool, user=user).first()
    if row is None:
        try:
            with transaction.atomic():
                row = ToolSubject.objects.create(school_id=tool.school_id, tool=tool, user=user)
        except IntegrityError:  # two first launches at once
            row = ToolSubject.objects.get(tool=tool, user=user)
    return row.sub


def _section_id(*, student, playlist_id: int) -> int | None:
    """The section the launch happens in (the LTI context): the one the playlist is assigned to, else the
    student's first class."""
    assignment = student_assignments(student=student).filter(playlist_id=playlist_id, section__isnull=False)
    section_id = assignment.values_list("section_id", flat=True).first()
    if section_id is None:
        section_id = (
            Enrollment.objects.filter(user=student, role=Enrollment.SectionRole.STUDENT, is_active=True)
            .order_by("section_id")
            .values_list("section_id", flat=True)
            .first()
        )
    return section_id


def launch_start(*, student, placement: PlaylistItem, tool_item: ToolItem, issuer: str) -> str:
    """Third-party initiated login: the address of the tool's OIDC login initiation for this student and
    item. The ``lti_message_hint`` is a single-use key to what is launched, for whom; ``login_hint`` is the
    student's opaque id at this tool (the authorization request must come back with both)."""
    tool = tool_item.tool
    sub = subject_for(tool=tool, user=student)
    hint = secrets.token_urlsafe(24)
    cache.set(
        _LAUNCH_KEY + hint,
        {
            "school": tool.school_id,
            "tool": tool.pk,
            "tool_item": tool_item.pk,
            "student": student.pk,
            "sub": sub,
            "playlist": placement.playlist_id,
            "section": _section_id(student=student, playlist_id=placement.playlist_id),
        },
        LAUNCH_SECONDS,
    )
    params = {
        "iss": issuer,
        "login_hint": sub,
        "lti_message_hint": hint,
        "target_link_uri": tool.launch_url,
        "client_id": tool.client_id,
        "lti_deployment_id": tool.deployment_id,
    }
    separator = "&" if "?" in tool.login_url else "?"
    return tool.login_url + separator + urlencode(params)


def auth_answer(
    *, tool: ToolRegistration, user, params: dict, issuer: str, lineitem_url_for
) -> tuple[str, str, str]:
    """The id_token answering the tool's OIDC authorization request: (redirect_uri, id_token, state), or
    LtiRefused. The launch it names must be this browser's person's, for this tool, and unused (the message
    hint is taken out of the cache: a replayed request finds nothing); the nonce is single use."""
    key = _LAUNCH_KEY + str(params.get("lti_message_hint", ""))[:64]
    launch = cache.get(key)
    if not isinstance(launch, dict) or launch.get("tool") != tool.pk:
        raise LtiRefused("replayed", {"detail": "unknown or used launch"})
    if user is None or not user.is_authenticated or user.pk != launch["student"]:
        raise LtiRefused("invalid", {"detail": "the launch is another person's"})
    problem = messages.auth_request_problem(
        params, client_id=tool.client_id, redirect_uris=tool.allowed_redirect_uris, login_hint=launch["sub"]
    )
    if problem:
        raise LtiRefused("invalid", {"detail": problem})
    if not cache.delete(key):  # taken by a concurrent request
        raise LtiRefused("replayed", {"detail": "unknown or used launch"})
    if not cache.add(f"plp-ltip-nonce:{tool.pk}:{params['nonce']}"[:240], 1, messages.ID_TOKEN_SECONDS * 2):
        raise LtiRefused("replayed", {"detail": "nonce already used"})
    with school_scope(tool.school_id), transaction.atomic():
        tool_item = ToolItem.objects.select_related("item").get(pk=launch["tool_item"])
        section = None
        if launch["section"]:
            section = Section.objects.filter(pk=launch["section"]).first()
        now = timezone.now()
        ToolLaunch.objects.update_or_create(
            school_id=tool.school_id,
            tool_item=tool_item,
            student=user,
            defaults={"last_launch_at": now, "section": section},
        )
        facts = messages.LaunchFacts(
            issuer=issuer,
            client_id=tool.client_id,
            deployment_id=tool.deployment_id,
            sub=launch["sub"],
            target_link_uri=tool.launch_url,
            resource_link_id=str(tool_item.public_id),
            resource_link_title=tool_item.item.title,
            context_id=f"section-{section.pk}" if section else "",
            context_title=section.name if section else "",
            lineitem_url=lineitem_url_for(tool_item),
            score_maximum=tool_item.score_maximum,
            name=user.get_full_name() if tool.share_name_email else "",
            email=user.email if tool.share_name_email else "",
        )
    claims = messages.id_token_claims(facts, nonce=params["nonce"], now=int(time.time()))
    token = signing.sign(school_id=tool.school_id, claims=claims)
    return params["redirect_uri"], token, params["state"]


def token_issue(*, tool: ToolRegistration, params: dict, token_url: str) -> dict:
    """OAuth2 client credentials with the tool's signed assertion: a short-lived bearer token for the
    scopes PLP grants (score; line item and results, read only), or PlatformRefused."""
    if params.get("grant_type") != "client_credentials":
        raise signing.PlatformRefused(400, "unsupported_grant_type", "client_credentials only")
    if params.get("client_assertion_type") != messages.ASSERTION_TYPE or not params.get("client_assertion"):
        raise signing.PlatformRefused(400, "invalid_request", "a JWT client assertion is required")
    if not tool.is_enabled:
        raise signing.PlatformRefused(401, "invalid_client", "this tool is switched off")
    signing.client_assertion_check(tool=tool, assertion=params["client_assertion"], token_url=token_url)
    scopes = messages.scopes_granted(str(params.get("scope", "")))
    if not scopes:
        raise signing.PlatformRefused(
            400, "invalid_scope", "PLP grants the score, line item (read) and result (read) scopes only"
        )
    token = signing.access_token_issue(tool=tool, scopes=scopes)
    return {
        "access_token": token,
        "token_type": "Bearer",
        "expires_in": signing.ACCESS_TOKEN_SECONDS,
        "scope": " ".join(scopes),
    }


def score_receive(*, tool_item: ToolItem, score: messages.Score) -> tuple[ToolScore, bool]:
    """Take a tool's score for a student who launched the item: (the score kept, whether it changed). The
    same timestamp again changes nothing; an older one is refused (409). A completed, fully graded score is
    evidence for each of the item's competencies (mastery's graded-score rule, as a rubric score) and marks
    the item done for the student."""
    with school_scope(tool_item.school_id), transaction.atomic():
        subject = ToolSubject.objects.filter(tool_id=tool_item.tool_id, sub=score.user_id).first()
        launched = (
            subject is not None
            and ToolLaunch.objects.filter(tool_item=tool_item, student_id=subject.user_id).exists()
        )
        if not launched:
            raise signing.PlatformRefused(
                422, "unknown_user", "userId is not a student who launched this item"
            )
        student = subject.user
        kept = ToolScore.objects.select_for_update().filter(tool_item=tool_item, student=student).first()
        if kept is not None and kept.timestamp == score.timestamp:
            return kept, False
        if kept is not None and kept.timestamp > score.timestamp:
            raise signing.PlatformRefused(409, "conflict", "a later score is already recorded")
        values = {
            "score_given": score.score_given,
            "score_maximum": score.score_maximum,
            "activity_progress": score.activity_progress,
            "grading_progress": score.grading_progress,
            "comment": score.comment,
            "timestamp": score.timestamp,
            "received_at": timezone.now(),
        }
        kept, _ = ToolScore.objects.update_or_create(
            school_id=tool_item.school_id, tool_item=tool_item, student=student, defaults=values
        )
        if score.final:
            item = tool_item.item
            evidence_record_tool_scores(  # in bulk: constant in the number of the item's competencies
                student=student,
                competencies=list(item.competencies.all()),
                score=score.score_given,
                maximum=score.score_maximum,
                source_id=f"lti-item:{tool_item.pk}",
                detail={"tool": tool_item.tool_id, "timestamp": score.timestamp.isoformat()},
            )
            # the student's level may have closed the item since: the evidence still counts
            with contextlib.suppress(PermissionDenied):
                item_complete(student=student, item=item)
    return kept, True
