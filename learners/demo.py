"""Demo data for learners: a career catalogue, a profile for every student, and plans for this term.

Idempotent (natural keys and ``ignore_conflicts``) and bulk, so ``seed_demo --students 2000`` stays fast.
"""

from learners.models import Career, LearningPlan, PlanFocus, StudentProfile
from learners.selectors import current_term
from playlists.models import Competency
from playlists.selectors import assessable_competencies
from plp.tenancy.context import school_scope
from schools.demo import DemoResult
from schools.models import Membership
from schools.roles import Role

CAREERS = [
    ("Veterinarian", "Care for animals' health.", ["animals", "science"], ["Biology", "Chemistry"]),
    ("Software developer", "Design and build software.", ["computers", "robots"], ["Algebra I", "CS"]),
    ("Nurse", "Care for patients in clinics.", ["helping", "science"], ["Biology", "Health"]),
    ("Architect", "Design buildings and spaces.", ["art", "building"], ["Geometry", "Art"]),
    ("Journalist", "Find and tell true stories.", ["writing", "reading"], ["English 8", "Civics"]),
    ("Electrician", "Install electrical systems.", ["building", "robots"], ["Physics", "Algebra I"]),
    ("Musician", "Perform, compose and teach music.", ["music", "art"], ["Music", "Band"]),
    (
        "Environmental scientist",
        "Protect land and water.",
        ["nature", "animals"],
        ["Earth Science", "Biology"],
    ),
]
INTERESTS = [
    "animals",
    "science",
    "computers",
    "robots",
    "art",
    "music",
    "writing",
    "nature",
    "sports",
    "building",
]
STRENGTHS = ["curious", "kind", "persistent", "creative", "organized", "good listener"]
CHALLENGES = ["starting tasks", "asking for help", "staying organized", "reading stamina"]
PREFERENCES = ["Hands-on projects, short videos.", "Reading first, then practice.", "Working with a partner."]


def _careers(school) -> list[Career]:
    Career.objects.bulk_create(
        [
            Career(school=school, name=name, description=desc, interest_tags=tags, needed_courses=courses)
            for name, desc, tags, courses in CAREERS
        ],
        ignore_conflicts=True,
    )
    careers = list(Career.objects.order_by("name"))
    competencies = list(Competency.objects.order_by("framework_id", "position", "code")[:16])
    if competencies:
        through = Career.competencies.through
        through.objects.bulk_create(
            [
                through(career_id=career.pk, competency_id=competencies[(n * 2 + k) % len(competencies)].pk)
                for n, career in enumerate(careers)
                for k in range(2)
            ],
            ignore_conflicts=True,
        )
    return careers


def seed(*, result: DemoResult) -> None:
    for school in result.schools:
        with school_scope(school):
            _seed_school(school)


def _seed_school(school) -> None:
    """Demo seeding: profiles, learning plans and the first students' focus areas of a school, each table
    in one bulk statement. Long on purpose: the steps follow the tables' dependency order."""
    careers = _careers(school)
    student_ids = list(
        Membership.objects.filter(role=Role.STUDENT).order_by("user__email").values_list("user_id", flat=True)
    )
    profiles = []
    for n, student_id in enumerate(student_ids):
        profiles.append(
            StudentProfile(
                school=school,
                student_id=student_id,
                interests=[INTERESTS[n % len(INTERESTS)], INTERESTS[(n * 3 + 1) % len(INTERESTS)]],
                passions=[INTERESTS[(n + 5) % len(INTERESTS)]],
                strengths=[STRENGTHS[n % len(STRENGTHS)]],
                challenges=[CHALLENGES[n % len(CHALLENGES)]],
                learning_preferences=PREFERENCES[n % len(PREFERENCES)],
                accommodations="Extended time on assessments." if n % 7 == 3 else "",
                college_aspiration="A four-year university" if n % 2 else "Community college, then transfer",
            )
        )
    StudentProfile.objects.bulk_create(profiles, batch_size=1000, ignore_conflicts=True)

    term = current_term()
    if term is None:
        return
    LearningPlan.objects.bulk_create(
        [
            LearningPlan(
                school=school,
                student_id=student_id,
                term=term,
                college_goal="Finish 8th grade ready for high-school math",
                career_goal=careers[n % len(careers)].name if careers else "",
                courses_to_take=careers[n % len(careers)].needed_courses if careers else [],
            )
            for n, student_id in enumerate(student_ids)
        ],
        batch_size=1000,
        ignore_conflicts=True,
    )
    # Focus areas for the first students only (the demo's faces), for plans that have none yet.
    plans = list(
        LearningPlan.objects.filter(
            term=term, student_id__in=student_ids[:30], focuses__isnull=True
        ).order_by("student__email")
    )
    # Standards, not the domains that group them: a focus is something the student masters by a check.
    standards = assessable_competencies()
    competencies = list(standards.order_by("framework_id", "position", "code")[:6])
    focuses = []
    for n, plan in enumerate(plans):
        target = term.start_date.replace(day=1)
        for k in range(2):
            month = (target.month + 2 + k * 2 - 1) % 12 + 1
            year = target.year + (1 if month < target.month else 0)
            competency = competencies[(n + k) % len(competencies)] if competencies else None
            focuses.append(
                PlanFocus(
                    school=school,
                    plan=plan,
                    competency=competency,
                    focus_area="" if competency else ["Reading stamina", "Fractions fluency"][k],
                    target_date=target.replace(year=year, month=month, day=15),
                )
            )
    PlanFocus.objects.bulk_create(focuses, ignore_conflicts=True)
