"""Every rule of the OneRoster reader and validator, on crafted file sets and on the real fixture."""

import pytest

from schools.rostering.reading import files_from_path, files_from_zip
from schools.rostering.records import KnownIds
from schools.rostering.services import upload_limits
from schools.rostering.validation import parse_roster
from tests.schools.roster_files import (
    CLASSES,
    ENROLLMENTS,
    FIXTURE,
    SESSIONS,
    USERS,
    add_rows,
    as_zip,
    roster,
)


def found(result, severity, file, column=None, text="", line=None):
    return [
        p
        for p in result.problems
        if p.severity == severity
        and p.file == file
        and (column is None or p.column == column)
        and text in p.message
        and (line is None or p.line == line)
    ]


def test_a_valid_roster_has_no_problems_and_every_record():
    result = parse_roster(roster())
    assert result.problems == []
    assert result.version == "1.1" and result.is_bulk("users")
    assert set(result.users) == {"t-1", "s-1", "s-2"}
    assert set(result.classes) == {"class-1", "class-2"}
    assert set(result.sessions) == {"term-1", "term-2"}
    assert len(result.seats) == 4
    assert result.users["s-1"].grades == ("09",)


def test_the_real_fixture_is_read_with_its_flaws_reported_as_warnings():
    result = parse_roster(files_from_path(FIXTURE, limits=upload_limits()))
    assert not result.blocking and result.errors == []
    assert found(result, "warning", "users.csv", "enabledUser", "“TRUE” should be written “true”")
    assert found(result, "warning", "classes.csv", "classType", "“Scheduled” should be written “scheduled”")
    assert found(result, "warning", "classes.csv", "courseSourcedId", "courses.csv is not in the set")
    assert found(result, "warning", "users.csv", "role", "parent is not a PLP account")
    assert found(result, "warning", "classes.csv", "schoolSourcedId", "is a department")
    assert found(result, "warning", "enrollments.csv", "role", "enrolled as a student")
    assert len(result.users) == 5 and len(result.classes) == 2 and len(result.seats) == 6
    (password,) = found(result, "warning", "users.csv", "password", "never imported")
    assert password.value == "(hidden)" and "Password1-" not in str(result.problems)


def test_columns_are_mapped_by_header_name_whatever_their_order_and_case():
    lines = USERS.splitlines()
    header = lines[0].split(",")
    order = list(reversed(range(len(header))))
    shuffled = "\n".join(",".join(line.split(",")[i] for i in order) for line in lines) + "\n"
    shuffled = shuffled.replace("givenName", "GivenName")
    result = parse_roster(roster(users=shuffled))
    assert (
        result.users["t-1"].given_name == "Tina" and result.users["t-1"].email == "tina@roster.example.test"
    )
    assert found(result, "warning", "users.csv", "GivenName", "the standard says “givenName”")
    assert result.errors == []


def test_metadata_and_ext_columns_are_ignored_silently_but_unknown_ones_are_a_warning():
    users = USERS.replace("password\n", "password,metadata.stateId,ext_district,shoeSize\n", 1)
    users = (
        "\n".join(line + ",x,y,z" if i else line for i, line in enumerate(users.strip().split("\n"))) + "\n"
    )
    result = parse_roster(roster(users=users))
    columns = {p.column for p in result.problems}
    assert "metadata.stateId" not in columns and "ext_district" not in columns
    assert found(result, "warning", "users.csv", "shoeSize", "not a OneRoster column")
    assert result.errors == []


def test_a_missing_required_column_blocks_the_import():
    enrollments = ENROLLMENTS.replace("classSourcedId", "classId", 1)
    result = parse_roster(roster(enrollments=enrollments))
    assert result.blocking
    assert found(
        result, "error", "enrollments.csv", "classSourcedId", "required column “classSourcedId” is missing"
    )


def test_a_required_column_plp_does_not_use_is_only_a_warning_when_missing():
    sessions = "\n".join(line.rsplit(",", 1)[0] for line in SESSIONS.strip().split("\n")) + "\n"
    result = parse_roster(roster(academicSessions=sessions))
    assert not result.blocking and result.errors == []
    assert found(result, "warning", "academicSessions.csv", "schoolYear", "PLP does not use it", line=1)


def test_an_empty_required_value_is_an_error_on_its_row_or_a_warning_if_plp_does_not_need_it():
    users = add_rows(USERS, "s-3,,,,org-1,student,,,Ann,,,,ann@roster.example.test,,,,,")
    result = parse_roster(roster(users=users))
    assert found(result, "warning", "users.csv", "familyName", "the standard requires it", line=5)
    assert found(result, "warning", "users.csv", "enabledUser", "the standard requires it", line=5)
    assert result.users["s-3"].active is True and result.users["s-3"].given_name == "Ann"
    users = add_rows(USERS, "s-4,,,true,org-1,,b,,B,C,,,b@roster.example.test,,,,,")
    result = parse_roster(roster(users=users))
    assert found(result, "error", "users.csv", "role", "role is required but empty", line=5)
    assert "s-4" not in result.users


def test_an_unknown_user_role_is_an_error_and_the_row_is_left_out():
    users = add_rows(USERS, "s-3,,,true,org-1,pupil,ann,,Ann,A,,,ann@roster.example.test,,,,,")
    result = parse_roster(roster(users=users))
    (problem,) = found(result, "error", "users.csv", "role", "“pupil” is not a user role")
    assert problem.line == 5 and problem.value == "pupil"
    assert "s-3" not in result.users


def test_roles_of_1_2_are_accepted_when_the_manifest_says_1_2():
    manifest = roster()["manifest.csv"].decode().replace("oneroster.version,1.1", "oneroster.version,1.2")
    users = add_rows(USERS, "a-1,,,true,org-1,siteAdministrator,ann,,Ann,A,,,ann@roster.example.test,,,,,")
    assert found(parse_roster(roster(users=users)), "error", "users.csv", "role", "not a user role")
    result = parse_roster(roster(manifest=manifest, users=users))
    assert not result.errors
    assert found(result, "warning", "users.csv", "role", "siteAdministrator is not a PLP account")


def test_1_2_roles_come_from_roles_csv_when_users_csv_has_no_role_column():
    manifest = roster()["manifest.csv"].decode().replace("1.1", "1.2") + "file.roles,bulk\n"
    users = "\n".join(
        ",".join(v for i, v in enumerate(line.split(",")) if i not in (4, 5))
        for line in USERS.strip().split("\n")
    )
    roles = (
        "sourcedId,status,dateLastModified,userSourcedId,roleType,role,beginDate,endDate,orgSourcedId,"
        "userProfileSourcedId\nr-1,,,t-1,primary,teacher,,,org-1,\nr-2,,,s-1,primary,student,,,org-1,\n"
        "r-3,,,s-2,primary,student,,,org-1,\n"
    )
    result = parse_roster(roster(manifest=manifest, users=users + "\n", roles=roles))
    assert result.errors == []
    assert result.users["t-1"].role == "teacher" and result.users["s-2"].role == "student"


def test_a_duplicate_sourced_id_is_an_error_on_the_second_row():
    users = add_rows(USERS, "s-1,,,true,org-1,student,sam2,,Sam,Two,,,sam2@roster.example.test,,,,,")
    (problem,) = found(parse_roster(roster(users=users)), "error", "users.csv", "sourcedId", "used twice")
    assert problem.line == 5 and "line 3" in problem.message


def test_an_enrollment_naming_an_unknown_user_or_class_is_an_error():
    enrollments = add_rows(
        ENROLLMENTS, "e-5,,,class-9,org-1,s-1,student,,,", "e-6,,,class-1,org-1,ghost,student,,,"
    )
    result = parse_roster(roster(enrollments=enrollments))
    assert found(
        result, "error", "enrollments.csv", "classSourcedId", "“class-9” is not in classes.csv", line=6
    )
    assert found(result, "error", "enrollments.csv", "userSourcedId", "“ghost” is not in users.csv", line=7)
    assert "e-5" not in result.seats and "e-6" not in result.seats


def test_a_delta_enrollment_may_name_a_user_imported_earlier_but_a_bulk_one_may_not():
    enrollments = add_rows(ENROLLMENTS, "e-5,active,2026-09-01T10:00:00Z,class-1,org-1,old-1,student,,,")
    known = KnownIds(users=frozenset({"old-1"}))
    assert found(parse_roster(roster(enrollments=enrollments), known=known), "error", "enrollments.csv")
    delta = roster(
        "delta",
        enrollments=ENROLLMENTS.split("\n", 1)[0]
        + "\ne-5,active,2026-09-01T10:00:00Z,class-1,org-1,old-1,student,,,\n",
        users=None,
        orgs=None,
        academicSessions=None,
        courses=None,
        classes=None,
    )
    delta["manifest.csv"] = (
        b"propertyName,value\noneroster.version,1.1\nfile.enrollments,delta\nfile.users,absent\n"
    )
    result = parse_roster(delta, known=KnownIds(users=frozenset({"old-1"}), classes=frozenset({"class-1"})))
    assert result.errors == [] and "e-5" in result.seats


def test_a_class_naming_an_unknown_course_is_a_warning_but_no_course_at_all_is_an_error():
    classes = add_rows(
        CLASSES,
        "class-3,,,Geometry,10,course-9,GEO,scheduled,,org-1,term-1,,,",
        "class-4,,,Art,10,,ART,scheduled,,org-1,term-1,,,",
    )
    result = parse_roster(roster(classes=classes))
    assert found(
        result, "warning", "classes.csv", "courseSourcedId", "“course-9” is not in courses.csv", line=4
    )
    assert "class-3" in result.classes
    assert found(result, "error", "classes.csv", "courseSourcedId", "required but empty", line=5)
    assert "class-4" not in result.classes


def test_a_class_naming_an_unknown_term_is_an_error():
    classes = add_rows(CLASSES, "class-3,,,Geometry,10,course-1,GEO,scheduled,,org-1,term-9,,,")
    assert found(parse_roster(roster(classes=classes)), "error", "classes.csv", "termSourcedIds", "term-9")


def test_bad_dates_and_a_term_ending_before_it_starts_are_errors():
    sessions = add_rows(
        SESSIONS,
        "term-3,,,Bad,term,09/01/2026,2026-12-01,,2027",
        "term-4,,,Backwards,term,2026-12-01,2026-09-01,,2027",
        "term-5,,,Year,term,2026-09-01,2026-12-01,,27",
    )
    result = parse_roster(roster(academicSessions=sessions))
    (bad,) = found(result, "error", "academicSessions.csv", "startDate", "not a date written YYYY-MM-DD")
    assert bad.line == 4 and bad.value == "09/01/2026"
    assert found(result, "error", "academicSessions.csv", "endDate", "ends before it starts", line=5)
    assert found(result, "error", "academicSessions.csv", "schoolYear", "not a year", line=6)
    assert set(result.sessions) == {"term-1", "term-2"}


def test_an_unknown_session_type_and_class_type_are_errors():
    sessions = add_rows(SESSIONS, "term-3,,,Q,quarter,2026-09-01,2026-12-01,,2027")
    classes = add_rows(CLASSES, "class-3,,,G,10,course-1,G,lecture,,org-1,term-1,,,")
    result = parse_roster(roster(academicSessions=sessions, classes=classes))
    assert found(result, "error", "academicSessions.csv", "type", "“quarter” is not a session type")
    assert found(result, "error", "classes.csv", "classType", "“lecture” is not a class type")


def test_status_and_date_last_modified_are_checked_and_required_in_delta_files():
    users = add_rows(
        USERS,
        "s-3,deleted,,true,org-1,student,a,,A,B,,,a@roster.example.test,,,,,",
        "s-4,active,yesterday,true,org-1,student,b,,B,C,,,b@roster.example.test,,,,,",
        "s-5,inactive,,true,org-1,student,c,,C,D,,,c@roster.example.test,,,,,",
    )
    result = parse_roster(roster(users=users))
    assert found(result, "error", "users.csv", "status", "“deleted” is not a status", line=5)
    assert found(result, "error", "users.csv", "dateLastModified", "not a date-time", line=6)
    assert found(result, "warning", "users.csv", "status", "OneRoster 1.0", line=7)
    assert result.users["s-5"].active is False
    delta = parse_roster(roster("delta"))
    assert found(delta, "error", "users.csv", "status", "delta file must give each row's status")
    assert found(delta, "error", "users.csv", "dateLastModified", "delta file must give")


def test_tobedeleted_and_disabled_users_are_read_as_inactive():
    users = add_rows(
        USERS,
        "s-3,tobedeleted,2026-09-01T00:00:00.000Z,true,org-1,student,a,,A,B,,,a@roster.example.test,,,,,",
        "s-4,,,false,org-1,student,b,,B,C,,,b@roster.example.test,,,,,",
    )
    result = parse_roster(roster(users=users))
    assert result.errors == []
    assert result.users["s-3"].active is False and result.users["s-4"].active is False


def test_true_in_capitals_is_a_warning_and_a_non_boolean_is_an_error():
    users = USERS.replace("t-1,,,true", "t-1,,,TRUE").replace("s-1,,,true", "s-1,,,yes")
    result = parse_roster(roster(users=users))
    assert found(result, "warning", "users.csv", "enabledUser", "read as true", line=2)
    assert found(result, "error", "users.csv", "enabledUser", "“yes” is not true or false", line=3)


def test_a_malformed_row_is_an_error_and_is_skipped():
    users = add_rows(USERS, "s-3,,,true,org-1,student,a,,A")
    (problem,) = found(parse_roster(roster(users=users)), "error", "users.csv", None, "has 9 values")
    assert problem.line == 5


def test_a_semicolon_separated_file_is_reported_as_the_wrong_delimiter():
    users = USERS.replace(",", ";")
    result = parse_roster(roster(users=users))
    assert result.blocking
    assert found(result, "error", "users.csv", None, "separated by semicolons", line=1)


def test_a_windows_1252_file_is_reported_with_its_line_and_read_anyway():
    users = add_rows(USERS, "s-3,,,true,org-1,student,zoe,,Zoë,Ä,,,zoe@roster.example.test,,,,,")
    result = parse_roster(roster(users=users.encode("cp1252")))
    assert result.blocking
    assert found(result, "error", "users.csv", None, "not UTF-8", line=5)


def test_utf8_with_and_without_bom_read_the_same():
    users = add_rows(USERS, "s-3,,,true,org-1,student,zoe,,Zoë,Ä,,,zoe@roster.example.test,,,,,")
    plain = parse_roster(roster(users=users.encode()))
    bom = parse_roster(roster(users=b"\xef\xbb\xbf" + users.encode()))
    assert plain.problems == bom.problems == []
    assert bom.users["s-3"].given_name == "Zoë" and "sourcedId" not in str(bom.problems)


def test_a_missing_manifest_or_a_listed_file_that_is_missing_blocks_the_import():
    result = parse_roster(roster(manifest=None))
    assert result.blocking and found(result, "error", "manifest.csv", None, "manifest.csv is missing")
    result = parse_roster(roster(users=None))
    assert result.blocking and found(result, "error", "users.csv", None, "not in the upload")


def test_an_unknown_oneroster_version_is_an_error():
    manifest = roster()["manifest.csv"].decode().replace("oneroster.version,1.1", "oneroster.version,2.0")
    assert found(parse_roster(roster(manifest=manifest)), "error", "manifest.csv", "oneroster.version")


def test_a_file_the_manifest_calls_absent_is_ignored_with_a_warning():
    manifest = roster()["manifest.csv"].decode().replace("file.courses,bulk", "file.courses,absent")
    result = parse_roster(roster(manifest=manifest))
    assert found(result, "warning", "courses.csv", None, "is absent")
    assert found(result, "warning", "classes.csv", "courseSourcedId", "courses.csv is not in the set")


def test_bad_and_duplicate_emails_are_errors():
    users = add_rows(
        USERS,
        "s-3,,,true,org-1,student,a,,A,B,,,not-an-email,,,,,",
        "s-4,,,true,org-1,student,b,,B,C,,,SAM@roster.example.test,,,,,",
    )
    result = parse_roster(roster(users=users))
    assert found(result, "error", "users.csv", "email", "not an email address", line=5)
    assert found(result, "error", "users.csv", "email", "also used by user “s-1”", line=6)


def test_an_enrollment_of_a_user_with_problems_says_so_and_is_left_out():
    users = USERS.replace("s-2,,,true,org-1,student", "s-2,,,true,org-1,pupil")
    result = parse_roster(roster(users=users))
    assert found(result, "error", "enrollments.csv", "userSourcedId", "“s-2” has problems in users.csv")
    assert "e-3" not in result.seats


def test_a_second_enrollment_of_the_same_user_in_a_class_is_an_error():
    enrollments = add_rows(ENROLLMENTS, "e-9,,,class-1,org-1,s-1,student,,,")
    assert found(
        parse_roster(roster(enrollments=enrollments)), "error", "enrollments.csv", None, "already enrolled"
    )


def test_an_unknown_grade_is_a_warning_and_overlong_or_nul_values_are_errors():
    users = add_rows(
        USERS,
        "s-3,,,true,org-1,student,a,,A,B,,,a@roster.example.test,,,,Grade 9,",
        f"s-4,,,true,org-1,student,b,,{'x' * 151},C,,,b@roster.example.test,,,,,",
        "s-5,,,true,org-1,student,c,,C\x00,D,,,c@roster.example.test,,,,,",
    )
    result = parse_roster(roster(users=users))
    assert found(result, "warning", "users.csv", "grades", "not a OneRoster grade code", line=5)
    assert found(result, "error", "users.csv", "givenName", "longer than 150", line=6)
    assert found(result, "error", "users.csv", "givenName", "NUL", line=7)


@pytest.mark.parametrize("folder", ["", "export-2026/"])
def test_a_zip_is_read_like_separate_files(folder):
    files = files_from_zip(as_zip(roster(), folder=folder), limits=upload_limits())
    assert set(files) == set(roster())
    assert parse_roster(files).problems == []


def test_an_unknown_file_is_a_warning_and_demographics_is_ignored():
    files = roster()
    files["demographics.csv"] = b"sourcedId\nx\n"
    files["notes.csv"] = b"a\n"
    result = parse_roster(files)
    assert found(result, "warning", "notes.csv", None, "not a OneRoster file")
    assert not found(result, "warning", "demographics.csv")


def test_every_problem_has_a_file_a_severity_and_a_plain_message():
    result = parse_roster(files_from_path(FIXTURE, limits=upload_limits()))
    for problem in result.problems:
        assert problem.severity in {"error", "warning"} and problem.file.endswith(".csv")
        assert problem.message.endswith(".") and len(problem.message) > 20


def test_a_manifest_mode_in_capitals_is_a_warning_and_an_unknown_mode_an_error():
    manifest = roster()["manifest.csv"].decode()
    result = parse_roster(roster(manifest=manifest.replace("file.users,bulk", "file.users,Bulk")))
    assert found(result, "warning", "manifest.csv", "value", "should be written “bulk”")
    assert result.is_bulk("users") and not result.blocking
    result = parse_roster(roster(manifest=manifest.replace("file.users,bulk", "file.users,full")))
    assert result.blocking and found(
        result, "error", "manifest.csv", "value", "must be bulk, delta or absent"
    )


def test_a_column_named_twice_and_an_empty_file_block_the_import():
    users = USERS.replace("middleName", "email", 1)
    result = parse_roster(roster(users=users))
    assert result.blocking and found(result, "error", "users.csv", "email", "appears twice", line=1)
    result = parse_roster(roster(orgs=""))
    assert result.blocking and found(result, "error", "orgs.csv", None, "The file is empty")


def test_a_utf16_file_is_reported():
    result = parse_roster(roster(users=USERS.encode("utf-16")))
    assert result.blocking and found(result, "error", "users.csv", None, "UTF-16")


def test_an_unterminated_quote_is_reported_where_it_starts():
    users = add_rows(USERS, 's-3,,,true,org-1,student,"unclosed,,A,B,,,a@roster.example.test,,,,,')
    result = parse_roster(roster(users=users))
    assert found(result, "error", "users.csv", None, "cannot be read", line=5)


def test_an_organization_missing_from_orgs_csv_is_a_warning_once_per_file():
    users = USERS.replace(",org-1,", ",org-9,")
    result = parse_roster(roster(users=users))
    assert len(found(result, "warning", "users.csv", "orgSourcedIds", "“org-9” is not in orgs.csv")) == 1
    assert result.errors == []


def test_enrollments_of_other_roles_and_vendor_enum_values_are_reported_not_imported():
    enrollments = add_rows(ENROLLMENTS, "e-8,,,class-1,org-1,t-1,administrator,,,")
    classes = CLASSES.replace("ALG-1B,scheduled", "ALG-1B,ext:lab")
    result = parse_roster(roster(enrollments=enrollments, classes=classes))
    assert found(result, "warning", "enrollments.csv", "role", "administrator enrollment is not imported")
    assert "e-8" not in result.seats and "class-2" in result.classes
    assert result.errors == []
