"""What an LTI launch says about the person and the place (pure: no Django)."""

from dataclasses import dataclass

LTI = "https://purl.imsglobal.org/spec/lti/claim/"
MESSAGE_TYPE = LTI + "message_type"
DEPLOYMENT_ID = LTI + "deployment_id"
TARGET_LINK_URI = LTI + "target_link_uri"
LIS = LTI + "lis"
ROLES = LTI + "roles"
CONTEXT = LTI + "context"
RESOURCE_LINK = LTI + "resource_link"
CUSTOM = LTI + "custom"
RESOURCE_LINK_REQUEST = "LtiResourceLinkRequest"
DEEP_LINKING_REQUEST = "LtiDeepLinkingRequest"


@dataclass(frozen=True)
class LaunchPerson:
    lms_user_id: str
    email: str = ""
    sourced_id: str = ""
    name: str = ""

    def key(self, match_by: str) -> str:
        return {"email": self.email, "sourced_id": self.sourced_id}.get(match_by, "")

    @property
    def who(self) -> str:
        return self.email or self.sourced_id or self.name or self.lms_user_id


def _text(value) -> str:
    return value.strip() if isinstance(value, str) else ""


def launch_person(claims: dict) -> LaunchPerson:
    """The person the LMS launched: its user id (``sub``), email and roster sourcedId when shared."""
    lis = claims.get(LIS) if isinstance(claims.get(LIS), dict) else {}
    return LaunchPerson(
        lms_user_id=_text(claims.get("sub"))[:255],
        email=_text(claims.get("email")).lower(),
        sourced_id=_text(lis.get("person_sourcedid")),
        name=_text(claims.get("name")),
    )


def local_target(*, target_link_uri: str, host: str, school_slug: str) -> str | None:
    """The path of ``target_link_uri`` when it is a page of this school on this host, else None (the
    launch lands on the school's home rather than wherever a link says)."""
    from urllib.parse import urlsplit

    parts = urlsplit(target_link_uri or "")
    if parts.netloc != host or not parts.path.startswith(f"/s/{school_slug}/"):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


AGS_ENDPOINT = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"
CUSTOM_PLAYLIST, CUSTOM_COMPETENCY = "plp_playlist_id", "plp_competency_id"


@dataclass(frozen=True)
class LaunchPlace:
    """Where in the LMS the launch came from, what of PLP it names, and its gradebook column."""

    resource_link_id: str
    context_id: str = ""
    title: str = ""
    playlist_id: int | None = None
    competency_id: int | None = None
    lineitem: str = ""
    ags_scopes: tuple[str, ...] = ()


def _positive_int(value) -> int | None:
    text = str(value).strip() if isinstance(value, str | int) else ""
    return int(text) if text.isdigit() and 0 < int(text) < 2**31 else None


def launch_place(claims: dict) -> LaunchPlace | None:
    """The resource link of a resource-link launch (None for other messages or without an id)."""
    link = claims.get(RESOURCE_LINK) if isinstance(claims.get(RESOURCE_LINK), dict) else {}
    if claims.get(MESSAGE_TYPE) != RESOURCE_LINK_REQUEST or not _text(link.get("id")):
        return None
    context = claims.get(CONTEXT) if isinstance(claims.get(CONTEXT), dict) else {}
    custom = claims.get(CUSTOM) if isinstance(claims.get(CUSTOM), dict) else {}
    ags = claims.get(AGS_ENDPOINT) if isinstance(claims.get(AGS_ENDPOINT), dict) else {}
    scopes = ags.get("scope") if isinstance(ags.get("scope"), list) else []
    lineitem = _text(ags.get("lineitem"))
    return LaunchPlace(
        resource_link_id=_text(link.get("id"))[:255],
        context_id=_text(context.get("id"))[:255],
        title=_text(link.get("title"))[:255],
        playlist_id=_positive_int(custom.get(CUSTOM_PLAYLIST)),
        competency_id=_positive_int(custom.get(CUSTOM_COMPETENCY)),
        lineitem=lineitem if lineitem.startswith(("https://", "http://")) and len(lineitem) <= 1000 else "",
        ags_scopes=tuple(s for s in scopes if isinstance(s, str))[:10],
    )


NRPS = "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice"


@dataclass(frozen=True)
class LaunchCourse:
    """The LMS course of a launch and the address of its roster (Names and Role Provisioning)."""

    context_id: str
    title: str
    memberships_url: str


def launch_course(claims: dict) -> LaunchCourse | None:
    """The course of a launch that carries the NRPS claim with a web address (None otherwise)."""
    context = claims.get(CONTEXT) if isinstance(claims.get(CONTEXT), dict) else {}
    nrps = claims.get(NRPS) if isinstance(claims.get(NRPS), dict) else {}
    url = _text(nrps.get("context_memberships_url"))
    if not _text(context.get("id")) or not url.startswith(("https://", "http://")) or len(url) > 1000:
        return None
    return LaunchCourse(
        context_id=_text(context.get("id"))[:255],
        title=_text(context.get("title") or context.get("label"))[:255],
        memberships_url=url,
    )
