"""Deep linking: a teacher, launched from the LMS to choose content, places a PLP playlist or competency
check in their course. The LMS's request is kept (pylti1p3's launch data, in the cache) under a launch id
that only this browser's session knows; the answer is a JWT signed with the registration's key, posted by
the teacher's browser back to the LMS, naming PLP's launch URL with the choice in its custom parameters
and a gradebook column (line item) for the mastery score."""

from django.core.paginator import Page, Paginator
from django.db.models import Q
from django.http import Http404
from pylti1p3.deep_link_resource import DeepLinkResource
from pylti1p3.exception import LtiException
from pylti1p3.lineitem import LineItem

from lti.claims import CUSTOM_COMPETENCY, CUSTOM_PLAYLIST
from lti.models import LtiRegistration
from lti.refusals import LtiRefused
from lti.tool import CacheStorage, SchoolMessageLaunch, SchoolToolConf
from playlists.models import Competency, Playlist, PlaylistItem
from plp import outbound
from plp.tenancy.context import school_scope

SESSION_KEY = "plp_lti_deep_link"


CHOICES_PER_PAGE = 20


def choices(*, school, search: str = "", playlist_page=None, competency_page=None) -> tuple[Page, Page]:
    """One page of the school's playlists (by title) and one of its competencies (by code), each matching
    ``search`` in its title (or code): four queries whatever the school holds."""
    with school_scope(school):
        playlists = Playlist.objects.order_by("title", "pk").only("pk", "title")
        competencies = Competency.objects.order_by("code", "pk").only("pk", "code", "title")
        if search:
            playlists = playlists.filter(title__icontains=search)
            competencies = competencies.filter(Q(code__icontains=search) | Q(title__icontains=search))
        return (
            _page(Paginator(playlists, CHOICES_PER_PAGE), playlist_page),
            _page(Paginator(competencies, CHOICES_PER_PAGE), competency_page),
        )


def _page(paginator: Paginator, number) -> Page:
    page = paginator.get_page(number)
    page.object_list = list(page.object_list)  # read inside the school's scope
    return page


def chosen(*, school, choice: str) -> tuple[str, int, str, int]:
    """(custom key, id, title, score maximum) of ``playlist:<id>`` or ``competency:<id>`` of this school."""
    kind, _, raw_id = choice.partition(":")
    if not raw_id.isdigit() or kind not in ("playlist", "competency"):
        raise Http404("No such choice.")
    with school_scope(school):
        if kind == "playlist":
            playlist = Playlist.objects.filter(pk=int(raw_id)).first()
            if playlist is None:
                raise Http404("No such playlist.")
            competencies = (
                PlaylistItem.objects.filter(playlist=playlist, item__competencies__isnull=False)
                .values("item__competencies")
                .distinct()
                .count()
            )
            return CUSTOM_PLAYLIST, playlist.pk, playlist.title, max(1, competencies)
        competency = Competency.objects.filter(pk=int(raw_id)).first()
        if competency is None:
            raise Http404("No such competency.")
        return CUSTOM_COMPETENCY, competency.pk, f"{competency.code} {competency.title}", 1


def response_jwt(*, request, registration: LtiRegistration, launch_id: str, choice: str, launch_url: str):
    """(the LMS's return URL, the signed deep-linking response) for the teacher's choice."""
    custom_key, object_id, title, maximum = chosen(school=registration.school, choice=choice)
    try:
        launch = SchoolMessageLaunch.from_cache(
            launch_id,
            request,
            SchoolToolConf(registration),
            launch_data_storage=CacheStorage(),
            requests_session=outbound.session(),
        )
        if not launch.is_deep_link_launch():
            raise LtiRefused("invalid", {"detail": "not a deep-linking launch"})
        deep_link = launch.get_deep_link()
        resource = (
            DeepLinkResource()
            .set_url(launch_url)
            .set_title(title[:255])
            .set_custom_params({custom_key: str(object_id)})
            .set_lineitem(LineItem().set_label(title[:255]).set_score_maximum(maximum))
        )
        return launch.get_launch_data()[DEEP_LINKING_SETTINGS][
            "deep_link_return_url"
        ], deep_link.get_response_jwt([resource])
    except (LtiException, KeyError, TypeError) as error:
        raise LtiRefused("expired", {"detail": str(error)[:160]}) from error


DEEP_LINKING_SETTINGS = "https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"
