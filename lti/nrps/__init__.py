"""Names and Role Provisioning Services (NRPS 2.0): an LMS course's roster, read with the registration's
service token, shown as a preview of what the school's roster import would do, and applied through that
import (schools.rostering: a dry-run report per row, the admin confirms, one transaction).

The roster is read page by page (``Link: <…>; rel="next"``). pylti1p3 lower-cases the next page's address
when it parses the header, which breaks an LMS whose page cursor is case-sensitive: the header is read here
instead, and a next page on another origin is refused (the bearer token goes only to the LMS that issued
it). People are matched as a launch matches them (lti.matching), so the preview says who a launch would
sign in as.

A package, a module a job: ``reading`` (the roster from the LMS, page by page), ``preview`` (the members
sorted against the school and the course's section), ``files`` (the preview as OneRoster files) and
``apply`` (those files handed to the roster import). Every name is re-exported here.
"""

from lti.nrps.apply import roster_apply
from lti.nrps.files import (
    CLASSES_COLUMNS,
    COURSES_COLUMNS,
    ENROLLMENTS_COLUMNS,
    MANIFEST,
    USERS_COLUMNS,
    roster_files,
)
from lti.nrps.preview import (
    ADDED,
    ALREADY,
    REFUSED,
    SCHOOL_ONLY_SHOWN,
    RosterPreview,
    current_term,
    enrolment_key,
    roster_preview,
    section_key,
)
from lti.nrps.reading import (
    INSTRUCTOR,
    LEARNER,
    MAX_MEMBERS,
    MAX_PAGES,
    MEDIA_TYPE,
    SCOPE,
    Member,
    RosterUnavailable,
    member_from,
    memberships_read,
    next_page,
    plp_role,
)

__all__ = [
    "ADDED",
    "ALREADY",
    "CLASSES_COLUMNS",
    "COURSES_COLUMNS",
    "ENROLLMENTS_COLUMNS",
    "INSTRUCTOR",
    "LEARNER",
    "MANIFEST",
    "MAX_MEMBERS",
    "MAX_PAGES",
    "MEDIA_TYPE",
    "REFUSED",
    "SCHOOL_ONLY_SHOWN",
    "SCOPE",
    "USERS_COLUMNS",
    "Member",
    "RosterPreview",
    "RosterUnavailable",
    "current_term",
    "enrolment_key",
    "member_from",
    "memberships_read",
    "next_page",
    "plp_role",
    "roster_apply",
    "roster_files",
    "roster_preview",
    "section_key",
]
