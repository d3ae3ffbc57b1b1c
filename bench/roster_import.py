"""Roster import benchmark: a 5,000-student OneRoster set (~40,000 enrollment rows) imported on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/plp_bench .venv/bin/python bench/roster_import.py

Each run imports the whole set (parse, validate, dry run, write in one transaction) into a fresh school, then
imports it again (the idempotent re-import, which must change nothing). Prints the median of 3 runs.
"""

import argparse
import io
import os
import statistics
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "plp.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from plp.tenancy.context import school_scope  # noqa: E402
from schools.models import Organization, School  # noqa: E402
from schools.rostering.validation import parse_roster  # noqa: E402
from schools.rostering.writer import roster_write  # noqa: E402

GRADES = ["06", "07", "08", "09", "10", "11", "12"]


def generate(*, students: int, per_student: int, tag: str) -> dict[str, bytes]:
    """A realistic bulk 1.1 set: sections of ~25 students, one teacher per 5 sections, 2 terms."""
    sections = max(1, students * per_student // 25)
    teachers = max(1, sections // 5)
    out = {}
    out["manifest.csv"] = (
        "propertyName,value\nmanifest.version,1.0\noneroster.version,1.1\nfile.academicSessions,bulk\n"
        "file.classes,bulk\nfile.courses,absent\nfile.enrollments,bulk\nfile.orgs,bulk\nfile.users,bulk\n"
    )
    out["orgs.csv"] = (
        "sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId\norg,,,Bench,school,,\n"
    )
    out["academicSessions.csv"] = (
        "sourcedId,status,dateLastModified,title,type,startDate,endDate,parentSourcedId,schoolYear\n"
        "t1,,,Fall,semester,2026-08-17,2026-12-18,,2027\nt2,,,Spring,semester,2027-01-05,2027-06-11,,2027\n"
    )
    buf = io.StringIO()
    buf.write(
        "sourcedId,status,dateLastModified,title,grades,courseSourcedId,classCode,classType,location,"
        "schoolSourcedId,termSourcedIds,subjects,subjectCodes,periods\n"
    )
    for c in range(sections):
        buf.write(f"c{c},,,Class {c},09,crs{c % 40},C{c},scheduled,,org,t{1 + c % 2},Mathematics,,\n")
    out["classes.csv"] = buf.getvalue()
    buf = io.StringIO()
    buf.write(
        "sourcedId,status,dateLastModified,enabledUser,orgSourcedIds,role,username,userIds,givenName,"
        "familyName,middleName,identifier,email,sms,phone,agentSourcedIds,grades,password\n"
    )
    for t in range(teachers):
        buf.write(f"tch{t},,,true,org,teacher,tch{t},,Teacher,N{t},,,tch{t}@{tag}.bench.test,,,,,\n")
    for s in range(students):
        grade = GRADES[s % len(GRADES)]
        buf.write(f"stu{s},,,true,org,student,stu{s},,Student,N{s},,,stu{s}@{tag}.bench.test,,,,{grade},\n")
    out["users.csv"] = buf.getvalue()
    buf = io.StringIO()
    buf.write(
        "sourcedId,status,dateLastModified,classSourcedId,schoolSourcedId,userSourcedId,role,primary,beginDate,endDate\n"
    )
    for c in range(sections):
        buf.write(f"et{c},,,c{c},org,tch{c % teachers},teacher,true,,\n")
    n = 0
    for s in range(students):
        for k in range(per_student):
            c = (s * 7 + k * 131) % sections
            buf.write(f"es{n},,,c{c},org,stu{s},student,false,,\n")
            n += 1
    out["enrollments.csv"] = buf.getvalue()
    return {name: text.encode() for name, text in out.items()}


def one_run(files: dict[str, bytes]) -> tuple[float, float, dict]:
    organization, _ = Organization.objects.get_or_create(slug="bench-district", defaults={"name": "Bench"})
    school = School.objects.create(
        organization=organization, name="Bench", slug=f"bench-{uuid.uuid4().hex[:8]}"
    )
    with school_scope(school):
        start = time.perf_counter()
        plan = roster_write(roster=parse_roster(files))
        first = time.perf_counter() - start
        start = time.perf_counter()
        again = roster_write(roster=parse_roster(files))
        second = time.perf_counter() - start
    assert again.changes == 0, again.counts
    return first, second, plan.counts


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--students", type=int, default=5000)
    parser.add_argument("--per-student", type=int, default=8, help="enrollments per student")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        print("warning: not PostgreSQL; set DATABASE_URL=postgres://... for the real figure", file=sys.stderr)
    call_command("migrate", verbosity=0)
    firsts, seconds = [], []
    for run in range(args.runs):
        files = generate(students=args.students, per_student=args.per_student, tag=uuid.uuid4().hex[:8])
        first, second, counts = one_run(files)
        firsts.append(first)
        seconds.append(second)
        rows = files["enrollments.csv"].count(b"\n") - 1
        print(
            f"run {run + 1}: {args.students} students, {rows} enrollment rows: first import {first:.1f} s, "
            f"identical re-import {second:.1f} s (created {counts['enrollments']['create']} enrollments)"
        )
    print(f"median first import: {statistics.median(firsts):.1f} s (goal < 60 s)")
    print(f"median identical re-import: {statistics.median(seconds):.1f} s")


if __name__ == "__main__":
    main()
