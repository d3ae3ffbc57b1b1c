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
