"""Crafted OneRoster file sets for tests, built in code: a small valid 1.1 school and helpers to break it."""

import io
import zipfile
from pathlib import Path

from django.conf import settings

_FIXTURE_PATH = Path("shared") / "fixtures" / "oneroster" / "catalyst-minimal-v1p1"
# Beside the clone (/work/main → /work/shared), or one level up from a worktree (/work/wt/<name>).
FIXTURE = next(
    (base / _FIXTURE_PATH for base in Path(settings.BASE_DIR).parents[:2] if (base / _FIXTURE_PATH).is_dir()),
    Path(settings.BASE_DIR).parent / _FIXTURE_PATH,
)

MANIFEST = (
    "propertyName,value\nmanifest.version,1.0\noneroster.version,1.1\n"
    "file.academicSessions,{mode}\nfile.classes,{mode}\nfile.courses,{mode}\nfile.demographics,absent\n"
    "file.enrollments,{mode}\nfile.orgs,{mode}\nfile.users,{mode}\n"
)
ORGS = (
    "sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId\norg-1,,,Test School,school,,\n"
)
SESSIONS = (
    "sourcedId,status,dateLastModified,title,type,startDate,endDate,parentSourcedId,schoolYear\n"
    "term-1,,,Fall 2026,term,2026-08-17,2026-12-18,,2027\n"
    "term-2,,,Spring 2027,term,2027-01-05,2027-06-11,,2027\n"
)
COURSES = (
    "sourcedId,status,dateLastModified,schoolYearSourcedId,title,courseCode,grades,orgSourcedId,subjects,"
    "subjectCodes\ncourse-1,,,,Algebra,ALG,09,org-1,Mathematics,\n"
)
CLASSES = (
    "sourcedId,status,dateLastModified,title,grades,courseSourcedId,classCode,classType,location,"
    "schoolSourcedId,termSourcedIds,subjects,subjectCodes,periods\n"
    "class-1,,,Algebra 1A,09,course-1,ALG-1A,scheduled,,org-1,term-1,Mathematics,,\n"
    "class-2,,,Algebra 1B,09,course-1,ALG-1B,scheduled,,org-1,term-1,Mathematics,,\n"
)
USERS = (
    "sourcedId,status,dateLastModified,enabledUser,orgSourcedIds,role,username,userIds,givenName,familyName,"
    "middleName,identifier,email,sms,phone,agentSourcedIds,grades,password\n"
    "t-1,,,true,org-1,teacher,tina,,Tina,Teach,,,tina@roster.example.test,,,,,\n"
    "s-1,,,true,org-1,student,sam,,Sam,Stu,,,sam@roster.example.test,,,,09,\n"
    "s-2,,,true,org-1,student,sue,,Sue,Stu,,,sue@roster.example.test,,,,09,\n"
)
ENROLLMENTS = (
    "sourcedId,status,dateLastModified,classSourcedId,schoolSourcedId,userSourcedId,role,primary,beginDate,"
    "endDate\n"
    "e-1,,,class-1,org-1,t-1,teacher,true,,\n"
    "e-2,,,class-1,org-1,s-1,student,false,,\n"
    "e-3,,,class-1,org-1,s-2,student,false,,\n"
    "e-4,,,class-2,org-1,s-1,student,false,,\n"
)


def roster(mode: str = "bulk", **overrides: str | bytes | None) -> dict[str, bytes]:
    """The valid set, with ``name=text`` replacing a file (``None`` removes it). Names without .csv."""
    files = {
        "manifest": MANIFEST.format(mode=mode),
        "orgs": ORGS,
        "academicSessions": SESSIONS,
        "courses": COURSES,
        "classes": CLASSES,
        "users": USERS,
        "enrollments": ENROLLMENTS,
    }
    files.update(overrides)
    return {
        f"{name}.csv": text.encode() if isinstance(text, str) else text
        for name, text in files.items()
        if text is not None
    }


def add_rows(text: str, *rows: str) -> str:
    return text + "".join(f"{row}\n" for row in rows)


def as_zip(files: dict[str, bytes], folder: str = "") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(folder + name, data)
    return buffer.getvalue()
