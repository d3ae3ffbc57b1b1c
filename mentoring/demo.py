"""Demo data for mentoring: mentor assignments, weekly goals and a few weeks of check-in history.

Assignments: the demo mentor (mentor.<short>@…) and the teacher who mentors (teacher.<short>@…) share the
school's students (alternately). The onboarding UI makes assignments for real schools; the demo makes its
own. Goals and check-ins go to each mentor's first mentees only, so large demos stay fast. Idempotent:
a student who already has goals is left alone.
"""

import datetime as dt

from django.utils import timezone

from accounts.models import User
from mentoring.models import CheckIn, CheckInGoalReview, Goal, GoalChange
from mentoring.selectors import week_end, week_start
from plp.tenancy.context import school_scope
from schools.demo import DEMO_SCHOOLS, DemoResult, demo_email, demo_struggles
from schools.models import Membership, MentorAssignment
from schools.roles import Role

STORIED_MENTEES = 10  # per mentor: the ones with goals and check-ins
WEEKS = 3
GOAL_TEXTS = [
    "Finish two items in my math playlist",
    "Read 20 minutes every school day",
    "Ask for help the first time I get stuck",
    "Turn in my science lab on time",
    "Practice my fractions for 15 minutes",
    "Write the first draft of my essay",
]
REFLECTIONS = {
    Goal.Status.MET: "I did it, and planning on Monday helped.",
    Goal.Status.PARTLY: "I got halfway; Wednesday was busy.",
    Goal.Status.NOT_MET: "I didn't start early enough.",
}


def seed(*, result: DemoResult) -> None:
    short_of = {spec.slug: spec.short for spec in DEMO_SCHOOLS}
    for school in result.schools:
        short = short_of.get(school.slug)
        if short is None:
            continue
        with school_scope(school):
            _seed_school(school, short)


def _seed_school(school, short: str) -> None:
    mentors = list(
        User.objects.filter(
            email__in=[demo_email(f"mentor.{short}"), demo_email(f"teacher.{short}")]
        ).order_by("email")
    )
    mentor_ids = set(
        Membership.objects.filter(role=Role.MENTOR, user__in=mentors).values_list("user_id", flat=True)
    )
    mentors = [m for m in mentors if m.pk in mentor_ids]
    if not mentors:
        return
    student_ids = list(
        Membership.objects.filter(role=Role.STUDENT).order_by("user__email").values_list("user_id", flat=True)
    )
    MentorAssignment.objects.bulk_create(
        [
            MentorAssignment(school=school, mentor=mentors[n % len(mentors)], student_id=student_id)
            for n, student_id in enumerate(student_ids)
        ],
        batch_size=1000,
        ignore_conflicts=True,  # a student with a primary mentor keeps them
    )
    today = timezone.localdate()
    ordinal = {student_id: n for n, student_id in enumerate(student_ids)}  # in email order
    for mentor in mentors:
        mentees = list(
            MentorAssignment.objects.filter(mentor=mentor, is_active=True)
            .order_by("student__email")
            .values_list("student_id", flat=True)[:STORIED_MENTEES]
        )
        with_goals = set(Goal.objects.filter(student_id__in=mentees).values_list("student_id", flat=True))
        _stories(school, mentor, [s for s in mentees if s not in with_goals], today, ordinal)


def _stories(school, mentor, student_ids: list[int], today: dt.date, ordinal: dict[int, int]) -> None:
    """Per student: WEEKS past weeks of goals (reflected) and weekly check-ins, each setting a follow-up
    two weeks on, and this week's open goals. Students who struggle (schools.demo.demo_struggles) left
    last week's goal unreflected and were last seen long ago (their check-in is overdue); every seventh
    student is newly mentored (no check-in yet, none due).

    Long on purpose: demo seeding that tells one student's weeks in order (goals, reflections, check-ins);
    split, the week's state would be passed between pieces."""
    this_monday = week_start(today)
    statuses = [Goal.Status.MET, Goal.Status.PARTLY, Goal.Status.NOT_MET, Goal.Status.MET]
    goals, check_ins = [], []
    for n, student_id in enumerate(student_ids):
        for w in range(WEEKS, -1, -1):
            monday = this_monday - dt.timedelta(weeks=w)
            for k in range(2):
                status = Goal.Status.OPEN if w == 0 else statuses[(n + w + k) % len(statuses)]
                # One goal a student who struggles never reflected on: overdue.
                if w == 1 and k == 1 and demo_struggles(ordinal.get(student_id, 0)):
                    status = Goal.Status.OPEN
                goals.append(
                    Goal(
                        school=school,
                        student_id=student_id,
                        kind=Goal.Kind.WEEKLY,
                        text=GOAL_TEXTS[(n + w + k) % len(GOAL_TEXTS)],
                        week_of=monday,
                        due_date=week_end(monday),
                        status=status,
                        reflection=REFLECTIONS.get(status, ""),
                        created_by_id=student_id,
                    )
                )
        goals.append(
            Goal(
                school=school,
                student_id=student_id,
                kind=Goal.Kind.LONG_RANGE,
                text="Be ready for Algebra I by the end of the year",
                due_date=today.replace(month=6, day=1)
                if today.month < 6
                else today.replace(year=today.year + 1, month=6, day=1),
                created_by_id=student_id,
            )
        )
        if ordinal.get(student_id, 0) % 7 == 5:
            continue  # newly mentored: no check-in yet
        weeks = [WEEKS + 3] if demo_struggles(ordinal.get(student_id, 0)) else range(WEEKS, 0, -1)
        for w in weeks:
            date = this_monday - dt.timedelta(weeks=w) + dt.timedelta(days=2)
            check_ins.append(
                CheckIn(
                    school=school,
                    student_id=student_id,
                    mentor=mentor,
                    date=date,
                    format=CheckIn.Format.ONE_ON_ONE if w % 2 else CheckIn.Format.SMALL_GROUP,
                    self_direction=1 + (n + w) % 4,
                    perseverance=1 + (n + 2 * w) % 4,
                    collaboration=1 + (n + 1) % 4,
                    organization=1 + (n + w + 1) % 4,
                    shared_notes="Good week overall. We agreed on a plan for the playlist items.",
                    private_notes="Mentioned stress at home; check in with the counsellor.",
                    next_steps="Set next week's goals on Monday; ask for help earlier.",
                    follow_up_date=date + dt.timedelta(days=14),
                )
            )
    Goal.objects.bulk_create(goals, batch_size=1000)
    CheckIn.objects.bulk_create(check_ins, batch_size=1000)
    created = Goal.objects.filter(student_id__in=student_ids)
    GoalChange.objects.bulk_create(
        [
            GoalChange(school=school, goal=g, field="created", new_value=g.text, changed_by_id=g.student_id)
            for g in created
        ],
        batch_size=1000,
    )
    # Each check-in reviewed the goals of the week before it.
    week_goals: dict[tuple[int, dt.date], list[Goal]] = {}
    for goal in created.filter(kind=Goal.Kind.WEEKLY):
        week_goals.setdefault((goal.student_id, goal.week_of), []).append(goal)
    reviews = []
    for check_in in CheckIn.objects.filter(student_id__in=student_ids, mentor=mentor):
        for goal in week_goals.get(
            (check_in.student_id, week_start(check_in.date) - dt.timedelta(weeks=1)), []
        ):
            reviews.append(CheckInGoalReview(school=school, check_in=check_in, goal=goal, status=goal.status))
    CheckInGoalReview.objects.bulk_create(reviews, batch_size=1000, ignore_conflicts=True)
