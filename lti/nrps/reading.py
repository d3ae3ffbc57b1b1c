"""Reading an LMS course's roster (NRPS 2.0 membership container) with the registration's service token,
page by page, each member with the PLP role the roster import would give them. The next page's address
is read from the ``Link`` header here (pylti1p3 lower-cases it), and one on another origin is refused.
"""

import re
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from pylti1p3.exception import LtiException, LtiServiceException

from lti.claims import LaunchPerson
from lti.grades import PassbackFailed, registration_connector
from lti.models import LtiContext
from schools.roles import Role

SCOPE = "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly"


MEDIA_TYPE = "application/vnd.ims.lti-nrps.v2.membershipcontainer+json"


MAX_PAGES = 50


MAX_MEMBERS = 5000


_NEXT = re.compile(r'<([^>]*)>\s*;[^,]*\brel="?next"?', re.I)


LEARNER, INSTRUCTOR = "Learner", "Instructor"


class RosterUnavailable(Exception):
    """The LMS did not give the roster; the message says why, for the admin."""


@dataclass(frozen=True)
class Member:
    person: LaunchPerson
    given_name: str
    family_name: str
    role: str  # the PLP role the roster import would give: student, teacher, or "" (none)
    lms_roles: tuple[str, ...]
    active: bool  # the LMS's status (Inactive and Deleted members are not imported)

    @property
    def name(self) -> str:
        return self.person.name or " ".join(filter(None, (self.given_name, self.family_name)))


def _text(value) -> str:
    return value.strip() if isinstance(value, str) else ""


def _role_name(role: str) -> str:
    """``…/membership#Learner``, ``…/membership/Instructor#TeachingAssistant`` or ``Learner`` → its
    context role (the part after ``membership#``, or the short name)."""
    if "/membership#" in role:
        return role.rsplit("#", 1)[1]
    if "/membership/" in role:
        return role.split("/membership/", 1)[1].split("#", 1)[0]
    return role


def plp_role(lms_roles: tuple[str, ...]) -> str:
    names = {_role_name(role) for role in lms_roles}
    if INSTRUCTOR in names:
        return Role.TEACHER
    return Role.STUDENT if LEARNER in names else ""


def member_from(data) -> Member | None:
    """One NRPS member (pure); None without a user id."""
    if not isinstance(data, dict) or not _text(data.get("user_id")):
        return None
    roles = tuple(r for r in data.get("roles", []) if isinstance(r, str))[:20] if isinstance(
        data.get("roles"), list) else ()  # fmt: skip
    return Member(
        person=LaunchPerson(
            lms_user_id=_text(data["user_id"])[:255],
            email=_text(data.get("email")).lower()[:254],
            sourced_id=_text(data.get("lis_person_sourcedid"))[:255],
            name=_text(data.get("name"))[:150],
        ),
        given_name=_text(data.get("given_name"))[:150],
        family_name=_text(data.get("family_name"))[:150],
        role=plp_role(roles),
        lms_roles=roles,
        active=_text(data.get("status")) in ("", "Active"),
    )


def next_page(link_header: str, current: str) -> str | None:
    """The next page's address from a Link header, as written (case kept), resolved against ``current``."""
    for part in (link_header or "").split(","):
        match = _NEXT.search(part)
        if match:
            return urljoin(current, match.group(1).strip())
    return None


def _origin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.scheme, parts.netloc.lower()


def memberships_read(*, context: LtiContext) -> list[Member]:
    """Every member of the course, all pages, or RosterUnavailable."""
    lms = context.registration.name
    try:
        connector = registration_connector(context.registration)
    except PassbackFailed as error:
        raise RosterUnavailable(f"PLP cannot sign its request to {lms}: {error}.") from error
    url, members, pages, seen = context.memberships_url, [], 0, set()
    while url:
        if _origin(url) != _origin(context.memberships_url) or url in seen:
            raise RosterUnavailable(f"{lms} sent the roster's next page to another address; PLP stopped.")
        if pages >= MAX_PAGES or len(members) >= MAX_MEMBERS:
            raise RosterUnavailable(f"The course has more than {MAX_MEMBERS} members or {MAX_PAGES} pages.")
        seen.add(url)
        try:
            response = connector.make_service_request(
                [SCOPE], url, accept=MEDIA_TYPE, case_insensitive_headers=True
            )
        except LtiServiceException as error:
            status = error.response.status_code
            if error.response.url.split("?")[0] == context.registration.auth_token_url.split("?")[0]:
                raise RosterUnavailable(
                    f"{lms} refused PLP's access token (HTTP {status}): check that the registration's "
                    "client id is right and that the LMS allows PLP to read course rosters."
                ) from error
            raise RosterUnavailable(f"{lms} did not give the roster (HTTP {status}).") from error
        except (LtiException, OSError, ValueError) as error:
            raise RosterUnavailable(f"{lms} could not be reached ({type(error).__name__}).") from error
        body = response.get("body") if isinstance(response.get("body"), dict) else {}
        page = body.get("members") if isinstance(body.get("members"), list) else []
        members.extend(m for m in map(member_from, page) if m is not None)
        url = next_page(response["headers"].get("Link", ""), url)
        pages += 1
    unique = {}
    for member in members:
        unique.setdefault(member.person.lms_user_id, member)
    return list(unique.values())
