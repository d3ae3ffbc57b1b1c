"""Demo data for self-direction levels: each demo school has adopted gradual release (new students start
Guided) and its students stand at every level of the default ladder, each placed by their mentor with a
reason. student001 is Self-directed (the demo's main login keeps every freedom), student002 Choosing,
student003 Guided, and so on in email order; student004 and student009 have had a strong month (habits rated
well, goals met), so their mentors (teacher.cedar, mentor.cedar) find a promotion to Choosing suggested with
its evidence. Idempotent: a student with
a level keeps it."""

from agency.models import LadderSettings, LevelDecision, StudentLevel
from agency.policy import DEFAULT_LADDER
from mentoring.models import CheckIn, Goal
from plp.tenancy.context import school_scope
from schools.demo import DEMO_SCHOOLS, DemoResult
from schools.models import Membership, MentorAssignment
from schools.roles import Role

# In email order (student001 first): Self-directed, Choosing, Guided, then the strong month's student.
RANK_BY_ORDINAL = (3, 2, 1)
# student004 (mentored by teacher.<school>) and student009 (by mentor.<school>): placed Guided, with a month
# that earns Choosing, so each demo mentor login finds a promotion to review.
READY_FOR_PROMOTION = (3, 8)


def seed(*, result: DemoResult) -> None:
    slugs = {spec.slug for spec in DEMO_SCHOOLS}
    for school in result.schools:
        if school.slug in slugs:
            with school_scope(school):
                _seed_school(school)


def _seed_school(school) -> None:
    LadderSettings.objects.get_or_create(school=school, defaults={"start_rank": 1})
    student_ids = list(
        Membership.objects.filter(role=Role.STUDENT).order_by("user__email").values_list("user_id", flat=True)
    )
    placed = set(StudentLevel.objects.values_list("student_id", flat=True))
    mentor_of = dict(
        MentorAssignment.objects.filter(is_active=True, is_primary=True).values_list(
            "student_id", "mentor_id"
        )
    )
    levels, decisions = [], []
    for n, student_id in enumerate(student_ids):
        if student_id in placed:
            continue
        rank = 1 if n in READY_FOR_PROMOTION else RANK_BY_ORDINAL[n % len(RANK_BY_ORDINAL)]
        name = DEFAULT_LADDER[rank - 1].name
        levels.append(StudentLevel(school=school, student_id=student_id, rank=rank))
        decisions.append(
            LevelDecision(
                school=school,
                student_id=student_id,
                kind=LevelDecision.Kind.PLACED,
                from_rank=1,
                to_rank=rank,
                from_name=DEFAULT_LADDER[0].name,
                to_name=name,
                reason=f"Placed at {name} at the start of the term, from last year's record.",
                decided_by_id=mentor_of.get(student_id),
            )
        )
        if n in READY_FOR_PROMOTION:
            _a_strong_month(student_id)
    StudentLevel.objects.bulk_create(levels, batch_size=1000)
    LevelDecision.objects.bulk_create(decisions, batch_size=1000)


def _a_strong_month(student_id: int) -> None:
    """The student's recent check-ins rated well and their past goals met (their playlist work is the
    demo's own)."""
    CheckIn.objects.filter(student_id=student_id).update(
        self_direction=4, perseverance=3, collaboration=3, organization=4
    )
    Goal.objects.filter(student_id=student_id, kind=Goal.Kind.WEEKLY).exclude(status=Goal.Status.OPEN).update(
        status=Goal.Status.MET
    )
