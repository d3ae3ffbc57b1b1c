"""Demo data (seed_demo): each school's personalized-learning blocks and a week of workshops that its
demo teacher runs for students stuck on a competency, so the week, Next up and the dashboard show them, and
one that took place on the last school day, its attendance still to record (so the teacher's Workshops page
leads to the attendance form). Idempotent: blocks are added only to a school without any, workshops ahead
only for a teacher with none ahead, the past one only for a teacher with none in the last two weeks."""

import datetime as dt
import zoneinfo

from django.utils import timezone

from accounts.models import User
from mastery.models import MasteryState, MasteryStatus
from playlists.models import Competency
from plp.tenancy.context import school_scope
from schools.access import students_taught_by
from schools.demo import DEMO_SCHOOLS, demo_email
from workshops import selectors, services
from workshops.models import LearningBlock, Workshop
from workshops.policy import LOW_ESTIMATE

BLOCKS = [(day, dt.time(10, 0), dt.time(11, 30), "Personalized learning time") for day in range(5)]
WORKSHOP_DAYS = 5  # school days of workshops, from tomorrow on
PER_WORKSHOP = 4


def seed(*, result) -> None:
    short_of = {spec.slug: spec.short for spec in DEMO_SCHOOLS}
    for school in result.schools:
        short = short_of.get(school.slug)
        if short is None:
            continue
        with school_scope(school), timezone.override(zoneinfo.ZoneInfo(school.timezone)):
            _seed_school(school, short)


def _seed_school(school, short: str) -> None:
    if not LearningBlock.objects.exists():
        for weekday, starts, ends, label in BLOCKS:
            services.block_save(weekday=weekday, starts=starts, ends=ends, label=label)
    teacher = User.objects.filter(email=demo_email(f"teacher.{short}")).first()
    if teacher is None:
        return
    now = timezone.now()
    groups = _stuck_groups(teacher)
    blocks = {b.weekday: b for b in LearningBlock.objects.all()}
    competencies = Competency.objects.in_bulk([c for c, _ in groups])
    recent = now - dt.timedelta(days=selectors.ATTENDANCE_DAYS)
    held = Workshop.objects.filter(teacher=teacher, starts_at__gte=recent, starts_at__lte=now)
    if groups and not held.exists():
        _past_workshop(teacher, competencies[groups[0][0]], groups[0][1], blocks)
    if Workshop.objects.filter(teacher=teacher, ends_at__gt=now).exists():
        return
    day = timezone.localdate()
    for made, (competency_id, student_ids) in enumerate(groups):
        day += dt.timedelta(days=1)
        while day.weekday() not in blocks:
            day += dt.timedelta(days=1)
        # Only the students stuck on it: student001 was added to the first, on 6.RP.1, which they had
        # mastered (a sign-up would have been refused), and later to one they were ready to be checked on.
        invite = student_ids[:PER_WORKSHOP]
        services.workshop_create(
            teacher=teacher,
            competency=competencies[competency_id],
            block=blocks[day.weekday()],
            day=day,
            starts=dt.time(10, 15),
            ends=dt.time(11, 0),
            location=f"Room {101 + made}",
            capacity=PER_WORKSHOP + 2,
            invite_ids=invite,
            note="Bring your notebook and the problem you are stuck on.",
        )


def _stuck_groups(teacher) -> list[tuple[int, list[int]]]:
    """The teacher's students stuck on a learning target (practising, estimate under the small-group rule's
    bar), largest group first: one workshop a day for the first ``WORKSHOP_DAYS``. A target is a
    competency with nothing under it, as on the dashboard's small groups: a strand (6.RP) is no workshop."""
    taught = set(students_taught_by(user=teacher).values_list("pk", flat=True))
    stuck: dict[int, list[int]] = {}
    for competency_id, student_id in (
        MasteryState.objects.filter(
            student_id__in=taught,
            status=MasteryStatus.PRACTICING,
            p_mastered__lt=LOW_ESTIMATE,
            competency__children__isnull=True,
        )
        .order_by("competency_id", "p_mastered", "student_id")
        .values_list("competency_id", "student_id")
    ):
        stuck.setdefault(competency_id, []).append(student_id)
    return sorted(stuck.items(), key=lambda kv: (-len(kv[1]), kv[0]))[:WORKSHOP_DAYS]


def _past_workshop(teacher, competency, student_ids: list[int], blocks) -> None:
    """The largest group's workshop on the last school day before today, as the teacher scheduled it
    then (``now`` the day before it: the service refuses the past), its attendance not recorded yet."""
    day = timezone.localdate() - dt.timedelta(days=1)
    while day.weekday() not in blocks:
        day -= dt.timedelta(days=1)
    services.workshop_create(
        teacher=teacher,
        competency=competency,
        block=blocks[day.weekday()],
        day=day,
        starts=dt.time(10, 15),
        ends=dt.time(11, 0),
        location="Room 100",
        capacity=PER_WORKSHOP + 2,
        invite_ids=student_ids[:PER_WORKSHOP],
        note="Bring your notebook and the problem you are stuck on.",
        now=timezone.make_aware(dt.datetime.combine(day - dt.timedelta(days=1), dt.time(12))),
    )
