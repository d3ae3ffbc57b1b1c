"""What OneRoster CSV 1.1 and 1.2 say: file names, column names, enumerations. Pure data, no Django.

Column names are matched case-insensitively by header name (real exports reorder them); ``metadata.*`` and
``ext_*`` columns are vendor extensions the standard allows and are ignored.
"""

VERSIONS = ("1.0", "1.1", "1.2")

# The files we read, by manifest key (``file.<key>``). demographics and the gradebook files are ignored.
FILES = ("orgs", "academicSessions", "courses", "classes", "roles", "users", "enrollments")
IGNORED_FILES = (
    "demographics",
    "categories",
    "classResources",
    "courseResources",
    "lineItems",
    "resources",
    "results",
    "userProfiles",
    "scoreScales",
    "lineItemLearningObjectiveIds",
    "lineItemScoreScales",
    "resultLearningObjectiveIds",
    "resultScoreScales",
)

COMMON = ("sourcedId", "status", "dateLastModified")

# Every column each file may carry (1.1 ∪ 1.2), and the ones whose value is required, per version.
COLUMNS: dict[str, tuple[str, ...]] = {
    "orgs": (*COMMON, "name", "type", "identifier", "parentSourcedId"),
    "academicSessions": (
        *COMMON,
        "title",
        "type",
        "startDate",
        "endDate",
        "parentSourcedId",
        "schoolYear",
    ),
    "courses": (
        *COMMON,
        "schoolYearSourcedId",
        "title",
        "courseCode",
        "grades",
        "orgSourcedId",
        "subjects",
        "subjectCodes",
    ),
    "classes": (
        *COMMON,
        "title",
        "grades",
        "courseSourcedId",
        "classCode",
        "classType",
        "location",
        "schoolSourcedId",
        "termSourcedIds",
        "subjects",
        "subjectCodes",
        "periods",
    ),
    "users": (
        *COMMON,
        "enabledUser",
        "orgSourcedIds",
        "role",
        "username",
        "userIds",
        "givenName",
        "familyName",
        "middleName",
        "identifier",
        "email",
        "sms",
        "phone",
        "agentSourcedIds",
        "grades",
        "password",
        "userMasterIdentifier",
        "resourceSourcedIds",
        "preferredGivenName",
        "preferredMiddleName",
        "preferredFamilyName",
        "primaryOrgSourcedId",
        "pronouns",
    ),
    "roles": (
        *COMMON,
        "userSourcedId",
        "roleType",
        "role",
        "beginDate",
        "endDate",
        "orgSourcedId",
        "userProfileSourcedId",
    ),
    "enrollments": (
        *COMMON,
        "classSourcedId",
        "schoolSourcedId",
        "userSourcedId",
        "role",
        "primary",
        "beginDate",
        "endDate",
    ),
}

REQUIRED: dict[str, tuple[str, ...]] = {
    "orgs": ("sourcedId", "name", "type"),
    "academicSessions": ("sourcedId", "title", "type", "startDate", "endDate", "schoolYear"),
    "courses": ("sourcedId", "title", "orgSourcedId"),
    "classes": ("sourcedId", "title", "courseSourcedId", "classType", "schoolSourcedId", "termSourcedIds"),
    "users": ("sourcedId", "enabledUser", "username", "givenName", "familyName"),
    "roles": ("sourcedId", "userSourcedId", "roleType", "role", "orgSourcedId"),
    "enrollments": ("sourcedId", "classSourcedId", "schoolSourcedId", "userSourcedId", "role"),
}
# In 1.0/1.1 a user's role and organizations are columns of users.csv; 1.2 moved them to roles.csv.
REQUIRED_USERS_V11 = ("orgSourcedIds", "role")

# Of the required columns, the ones PLP cannot import a row without: missing or empty, an error. The
# others (schoolYear, classType, orgSourcedIds, enabledUser, …) are required by the standard but unused
# here, so a real export that leaves them out gets a warning, not a refusal.
NEEDED: dict[str, tuple[str, ...]] = {
    "orgs": ("sourcedId",),
    "academicSessions": ("sourcedId", "title", "type", "startDate", "endDate"),
    "courses": ("sourcedId",),
    "classes": ("sourcedId", "title", "courseSourcedId", "termSourcedIds"),
    "users": ("sourcedId",),
    "roles": ("sourcedId", "userSourcedId", "role"),
    "enrollments": ("sourcedId", "classSourcedId", "userSourcedId", "role"),
}


def required_columns(kind: str, version: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(needed, merely required by the standard) columns of a file in a version."""
    required = list(REQUIRED[kind])
    needed = list(NEEDED[kind])
    if kind == "users" and version != "1.2":
        required += REQUIRED_USERS_V11
        needed.append("role")
    return tuple(needed), tuple(c for c in required if c not in needed)


STATUS = ("active", "tobedeleted")
STATUS_V10 = ("inactive",)  # 1.0 only; read as tobedeleted

ORG_TYPES = ("department", "school", "district", "local", "state", "national")
SESSION_TYPES = ("gradingPeriod", "semester", "schoolYear", "term")
CLASS_TYPES = ("homeroom", "scheduled")
USER_ROLES_V11 = ("administrator", "aide", "guardian", "parent", "proctor", "relative", "student", "teacher")
USER_ROLES_V12 = (
    "aide",
    "counselor",
    "districtAdministrator",
    "guardian",
    "parent",
    "principal",
    "proctor",
    "relative",
    "siteAdministrator",
    "student",
    "systemAdministrator",
    "teacher",
)
ROLE_TYPES = ("primary", "secondary")
ENROLLMENT_ROLES_V11 = ("administrator", "proctor", "student", "teacher")
ENROLLMENT_ROLES_V12 = (
    "administrator",
    "aide",
    "guardian",
    "parent",
    "proctor",
    "relative",
    "student",
    "teacher",
)
GRADES = (
    "IT",
    "PR",
    "PK",
    "TK",
    "KG",
    *(f"{n:02d}" for n in range(1, 14)),
    "PS",
    "UG",
    "Other",
)

# The roles PLP imports; the others (parents, aides, administrators) are reported and left out.
IMPORTED_ROLES = ("student", "teacher")

# Lengths of the PLP fields values land in (longer values are an error, not a silent truncation).
MAX_LENGTH = {
    "sourcedId": 255,
    "title": 200,
    "classCode": 60,
    "subjects": 120,
    "givenName": 150,
    "familyName": 150,
    "email": 254,
    "username": 150,
}


def user_roles(version: str) -> tuple[str, ...]:
    return USER_ROLES_V12 if version == "1.2" else USER_ROLES_V11


def enrollment_roles(version: str) -> tuple[str, ...]:
    return ENROLLMENT_ROLES_V12 if version == "1.2" else ENROLLMENT_ROLES_V11
