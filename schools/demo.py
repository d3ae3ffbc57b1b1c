"""The demo district behind ``manage.py seed_demo``: two schools, sections, and people of every role.

Idempotent: people are keyed by email, everything else by its natural key, so running it again changes
nothing, and a larger ``students_per_school`` only adds students. Later issues add their own seeders that
run after this one.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils.module_loading import import_string

from accounts.models import User
from plp.tenancy.context import school_scope
from schools import services
from schools.models import Enrollment, Membership, School, Section
from schools.roles import Role

DEMO_PASSWORD = "plp-demo-2026"
DEMO_DOMAIN = "demo.plp.test"

GIVEN_NAMES = [
    "Amara", "Ben", "Carmen", "Dev", "Elena", "Farah", "Gabriel", "Hana", "Isaac", "Jade", "Kofi",
    "Lucia", "Mateo", "Nia", "Omar", "Priya", "Quinn", "Rosa", "Sami", "Tariq", "Uma", "Victor",
    "Wen", "Ximena", "Yusuf", "Zoe",
]  # fmt: skip
FAMILY_NAMES = [
    "Adeyemi", "Bauer", "Chen", "Diaz", "Eriksen", "Fofana", "Garcia", "Haddad", "Ito", "Jensen",
    "Kim", "Lopez", "Mensah", "Novak", "Okafor", "Patel", "Quispe", "Rossi", "Santos", "Tran",
    "Usman", "Vargas", "Wong", "Xu", "Yilmaz", "Zhang",
]  # fmt: skip


@dataclass(frozen=True)
class DemoSchoolSpec:
    slug: str
    name: str
    short: str
    sections: tuple[tuple[str, str, str], ...]  # (name, code, subject)


DEMO_SCHOOLS = (
    DemoSchoolSpec(
        slug="cedar-ridge",
        name="Cedar Ridge Middle School",
        short="cedar",
        sections=(
            ("Math 7 · Period 1", "MATH7-1", "Mathematics"),
            ("Math 7 · Period 2", "MATH7-2", "Mathematics"),
            ("ELA 7 · Period 3", "ELA7-3", "English Language Arts"),
            ("Science 7 · Period 4", "SCI7-4", "Science"),
        ),
    ),
    DemoSchoolSpec(
        slug="willow-creek",
        name="Willow Creek Middle School",
        short="willow",
        sections=(
            ("Math 6 · Period 1", "MATH6-1", "Mathematics"),
            ("Math 6 · Period 2", "MATH6-2", "Mathematics"),
            ("ELA 6 · Period 3", "ELA6-3", "English Language Arts"),
        ),
    ),
)


# Each app seeds its own part of the demo after the people and sections exist, in this order (content
# before the evidence that uses it). A seeder is ``seed(*, result: DemoResult) -> None`` and idempotent.
APP_SEEDERS: tuple[str, ...] = (
    "playlists.demo.seed",
    "lti_platform.demo.seed",  # a sample external tool item in "Ratios and rates" (the suite's test tool)
    "mastery.demo.seed",
    "learners.demo.seed",
    "mentoring.demo.seed",
    "workshops.demo.seed",  # blocks, and a week of workshops for the students stuck on a competency
    "agency.demo.seed",  # after mentoring: places students, by their mentors, at every level
    "engine.demo.seed",  # last: ranks everyone's Next up and raises flags from the seeded history
)


@dataclass
class DemoResult:
    schools: list[School] = field(default_factory=list)
    logins: list[tuple[str, str]] = field(default_factory=list)  # (email, what to try)


def demo_struggles(ordinal: int) -> bool:
    """Whether the demo's student with this 0-based ordinal (in email order: student001 is 0) is one of
    the few who struggle: one in five, so a demo class looks like a real one, most students getting on
    and a few needing help. The seeders give them slow progress, hard practice and missed check-ins."""
    return ordinal % 5 == 2


def demo_pace(ordinal: int) -> float:
    """How fast the demo's student works against the plan (1.0: exactly on it): mixed, from a little
    behind to well ahead, and far behind for those who struggle (``demo_struggles``)."""
    if demo_struggles(ordinal):
        return 0.25
    return (0.85, 1.0, 1.15, 0.95, 1.3, 1.05, 0.9)[ordinal % 7]


def demo_email(local: str) -> str:
    return f"{local}@{DEMO_DOMAIN}"


def demo_logins() -> list[tuple[str, str]]:
    """The demo accounts to try, with who they are (printed by ``seed_demo``, seeded or not)."""
    return [
        (demo_email("student001.cedar"), "student at Cedar Ridge"),
        (demo_email("teacher.cedar"), "teacher and mentor at Cedar Ridge"),
        (demo_email("mentor.cedar"), "mentor at Cedar Ridge"),
        (demo_email("admin.cedar"), "school admin of Cedar Ridge"),
        (demo_email("teacher.willow"), "teacher at Willow Creek"),
        (demo_email("district.admin"), "district admin: both schools"),
        (demo_email("coach"), "teacher at Cedar Ridge and mentor at Willow Creek: picks a school"),
        (demo_email("staff"), "platform staff: the Django admin at /admin/"),
    ]


def database_is_empty() -> bool:
    """No account and no school yet: a fresh database, which ``seed_demo --if-empty`` fills (anything else
    is someone's data, or the demo seeded already, and is left alone)."""
    return not (User.objects.exists() or School.objects.exists())


def _person(email: str, given: str, family: str, password_hash: str, **extra) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User(email=email, given_name=given, family_name=family, password=password_hash, **extra)
        user.full_clean(exclude=["password"])
        user.save()
    return user


def _students(spec: DemoSchoolSpec, count: int, password_hash: str) -> list[User]:
    """Bulk-create the school's students (one hash for all: hashing thousands of passwords is slow)."""
    wanted = []
    for n in range(1, count + 1):
        given = GIVEN_NAMES[(n - 1) % len(GIVEN_NAMES)]
        family = FAMILY_NAMES[((n - 1) // len(GIVEN_NAMES) + n) % len(FAMILY_NAMES)]
        wanted.append(
            User(
                email=demo_email(f"student{n:03d}.{spec.short}"),
                given_name=given,
                family_name=family,
                password=password_hash,
            )
        )
    User.objects.bulk_create(wanted, batch_size=1000, ignore_conflicts=True)
    emails = [user.email for user in wanted]
    by_email = {user.email: user for user in User.objects.filter(email__in=emails)}
    return [by_email[email] for email in emails]


def _seed_school(spec: DemoSchoolSpec, organization, students_per_school: int, password_hash: str):
    school = services.school_upsert(
        organization=organization, slug=spec.slug, name=spec.name, timezone="America/Los_Angeles"
    )
    people = {
        "admin": _person(demo_email(f"admin.{spec.short}"), "Alex", "Moreno", password_hash),
        "teacher": _person(demo_email(f"teacher.{spec.short}"), "Rita", "Okoye", password_hash),
        "teacher2": _person(demo_email(f"teacher2.{spec.short}"), "Sam", "Lindqvist", password_hash),
        "mentor": _person(demo_email(f"mentor.{spec.short}"), "Maya", "Brennan", password_hash),
    }
    students = _students(spec, students_per_school, password_hash)
    with school_scope(school):
        services.membership_grant(user=people["admin"], role=Role.SCHOOL_ADMIN)
        services.membership_grant(user=people["teacher"], role=Role.TEACHER)
        services.membership_grant(user=people["teacher"], role=Role.MENTOR)  # a teacher who mentors
        services.membership_grant(user=people["teacher2"], role=Role.TEACHER)
        services.membership_grant(user=people["mentor"], role=Role.MENTOR)
        Membership.objects.bulk_create(
            [Membership(school=school, user=s, role=Role.STUDENT) for s in students],
            batch_size=1000,
            ignore_conflicts=True,
        )
        term = services.term_upsert(
            name="2026–27", start_date=dt.date(2026, 8, 17), end_date=dt.date(2027, 6, 11)
        )
        sections = [
            services.section_upsert(term=term, name=name, code=code, subject=subject)
            for name, code, subject in spec.sections
        ]
        _enroll(school, sections, people, students)
    return school


def _enroll(school, sections: list[Section], people, students: list[User]) -> None:
    """Math sections split the students; every other section takes all of them."""
    math = [s for s in sections if s.subject == "Mathematics"]
    others = [s for s in sections if s.subject != "Mathematics"]
    teacher_of = {s.pk: people["teacher"] if s in math else people["teacher2"] for s in sections}
    rows = [Enrollment(school=school, section=s, user=teacher_of[s.pk], role="teacher") for s in sections]
    for n, student in enumerate(students):
        rows.append(Enrollment(school=school, section=math[n % len(math)], user=student, role="student"))
        rows.extend(Enrollment(school=school, section=s, user=student, role="student") for s in others)
    Enrollment.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)


@transaction.atomic
def demo_seed(*, students_per_school: int = 24) -> DemoResult:
    if students_per_school < 1:
        raise ValueError("A demo school needs at least one student.")
    password_hash = make_password(DEMO_PASSWORD)
    organization = services.organization_upsert(slug="demo-usd", name="Demo Unified School District")
    result = DemoResult()
    for spec in DEMO_SCHOOLS:
        result.schools.append(_seed_school(spec, organization, students_per_school, password_hash))

    district_admin = _person(demo_email("district.admin"), "Dana", "Whitfield", password_hash)
    services.organization_admin_grant(organization=organization, user=district_admin)
    # One person in two schools (teacher in one, mentor in the other): shows the school picker.
    coach = _person(demo_email("coach"), "Jordan", "Ellis", password_hash)
    cedar, willow = result.schools
    with school_scope(cedar):
        services.membership_grant(user=coach, role=Role.TEACHER)
        math = Section.objects.filter(subject="Mathematics").order_by("name").first()
        services.enrollment_upsert(section=math, user=coach, role="teacher")
    with school_scope(willow):
        services.membership_grant(user=coach, role=Role.MENTOR)
    _person(demo_email("staff"), "Pat", "Staff", password_hash, is_staff=True, is_superuser=True)
    for seeder in APP_SEEDERS:
        import_string(seeder)(result=result)

    result.logins = demo_logins()
    return result
