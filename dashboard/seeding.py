"""A big section in a few bulk writes, for the query-budget tests and bench/dashboard_bench.py: students ×
competencies with mastery states, items done and flags. Runs in the active school."""

import datetime as dt
import random
from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from engine.models import Flag
from engine.services import students_recompute
from mastery.models import MasteryState, MasteryStatus
from playlists.models import (
    Competency,
    ContentItem,
    Framework,
    ItemProgress,
    Playlist,
    PlaylistAssignment,
    PlaylistItem,
    Subject,
)
from plp.tenancy.context import current_school_id, school_scope
from schools import services
from schools.demo import FAMILY_NAMES, GIVEN_NAMES, demo_email
from schools.models import Enrollment, Membership, School, Section
from schools.roles import Role

STATUSES = [MasteryStatus.NOT_STARTED, MasteryStatus.PRACTICING, MasteryStatus.READY, MasteryStatus.MASTERED]


@transaction.atomic
def section_seed(
    *,
    section: Section,
    students: int,
    competencies: int,
    tag: str,
    seed: int = 7,
    name_of: Callable[[int], tuple[str, str]] | None = None,
) -> list:
    """Enroll ``students`` new students in ``section`` and assign it one playlist of ``competencies``
    items (one competency each), with random mastery states, progress and a few flags. Returns the
    students. ``tag`` keeps emails and codes unique between calls; ``name_of(i)`` gives the i-th student's
    given and family names (default: numbered).

    Long on purpose: demo and bench seeding, each table written in one bulk statement in dependency order;
    split, the steps would pass the same lists of rows around."""
    rng = random.Random(seed)
    school_id = current_school_id()
    now = timezone.now()
    subject, _ = Subject.objects.get_or_create(school_id=school_id, name="Mathematics")
    framework = Framework.objects.create(school_id=school_id, subject=subject, title=f"Framework {tag}")
    comps = Competency.objects.bulk_create(
        [
            Competency(
                school_id=school_id, framework=framework, subject=subject, code=f"{tag}.{i + 1}",
                title=f"Competency {tag} {i + 1}", position=i,
            )
            for i in range(competencies)
        ]
    )  # fmt: skip
    items = ContentItem.objects.bulk_create(
        [
            ContentItem(school_id=school_id, title=f"Item {tag} {i + 1}", body="Read this.")
            for i in range(competencies)
        ]
    )
    ContentItem.competencies.through.objects.bulk_create(
        [
            ContentItem.competencies.through(contentitem_id=item.pk, competency_id=comp.pk)
            for item, comp in zip(items, comps, strict=True)
        ]
    )
    playlist = Playlist.objects.create(school_id=school_id, subject=subject, title=f"Playlist {tag}")
    PlaylistItem.objects.bulk_create(
        [
            PlaylistItem(school_id=school_id, playlist=playlist, item=item, position=i + 1)
            for i, item in enumerate(items)
        ]
    )
    today = timezone.localdate()
    PlaylistAssignment.objects.create(
        school_id=school_id, playlist=playlist, section=section,
        start_date=today - dt.timedelta(days=30), target_date=today + dt.timedelta(days=30),
    )  # fmt: skip
    User = get_user_model()
    name_of = name_of or (lambda i: (f"Student{i:04d}", f"Seed{tag}"))
    users = User.objects.bulk_create(
        [
            User(
                email=f"student{i:04d}.{tag.lower()}@seed.plp.test", given_name=name_of(i)[0],
                family_name=name_of(i)[1], password="!",
            )
            for i in range(students)
        ]
    )  # fmt: skip
    Membership.objects.bulk_create(
        [Membership(school_id=school_id, user=u, role=Role.STUDENT) for u in users]
    )
    Enrollment.objects.bulk_create(
        [
            Enrollment(school_id=school_id, section=section, user=u, role=Enrollment.SectionRole.STUDENT)
            for u in users
        ]
    )
    states, progress, flags = [], [], []
    for user in users:
        level = rng.random()
        for i, (comp, item) in enumerate(zip(comps, items, strict=True)):
            share = i / max(competencies, 1)
            if share < level * 0.6:
                status = MasteryStatus.MASTERED
            elif share < level:
                status = rng.choice(STATUSES[1:3])
            else:
                status = MasteryStatus.NOT_STARTED
            if status != MasteryStatus.NOT_STARTED:
                p = {"practicing": 0.2 + 0.4 * rng.random(), "ready": 0.8, "mastered": 0.97}[status]
                states.append(
                    MasteryState(
                        school_id=school_id, student=user, competency=comp, status=status, p_mastered=p,
                        mastered_at=now - dt.timedelta(days=rng.randint(0, 30))
                        if status == MasteryStatus.MASTERED else None,
                    )
                )  # fmt: skip
            if status == MasteryStatus.MASTERED:
                progress.append(
                    ItemProgress(
                        school_id=school_id, student=user, item=item, status=ItemProgress.Status.DONE,
                        completed_at=now - dt.timedelta(days=rng.randint(0, 30)),
                    )
                )  # fmt: skip
        if level < 0.15:
            flags.append(
                Flag(
                    school_id=school_id, student=user, kind="behind_pace", subject="", severity="medium",
                    summary="Behind the plan", suggested_action="Plan the week together.",
                    evidence={"done": 1}, raised_at=now, updated_at=now,
                )
            )  # fmt: skip
            flags.append(  # the detector's entry, which the behind-pace rule is evidence of
                Flag(
                    school_id=school_id, student=user, kind="needs_attention", subject="", severity="medium",
                    summary="Learning slowly across competencies", suggested_action="Sit with the student.",
                    evidence={"score": round(0.95 - level, 2), "reasons": ["Far behind the class."]},
                    raised_at=now, updated_at=now,
                )
            )  # fmt: skip
    MasteryState.objects.bulk_create(states, batch_size=2000)
    ItemProgress.objects.bulk_create(progress, batch_size=2000)
    Flag.objects.bulk_create(flags)
    return users


BIG_SECTION_COMPETENCIES = 60


@transaction.atomic
def demo_big_section(*, students: int) -> Section:
    """A section of ``students`` × 60 competencies at the demo's Cedar Ridge, taught by its demo teacher
    (``seed_demo --big-section N``): the dashboard at the scale of its speed goals, in the browser. Made
    once per size: running it again finds it."""
    school = School.objects.get(slug="cedar-ridge")
    with school_scope(school):
        code = f"BIG-{students}"
        existing = Section.objects.filter(code=code).first()
        if existing is not None:
            return existing
        teacher = get_user_model().objects.get(email=demo_email("teacher.cedar"))
        term = Section.objects.filter(subject="Mathematics").select_related("term").first().term
        section = services.section_upsert(
            # Not "Mathematics": the demo gives its playlists to every math section; this one has its own.
            term=term,
            name=f"Math lab ({students} students)",
            code=code,
            subject="Math lab",
        )
        services.enrollment_upsert(section=section, user=teacher, role="teacher")

        def name_of(i: int) -> tuple[str, str]:
            return GIVEN_NAMES[i % len(GIVEN_NAMES)], FAMILY_NAMES[
                (i // len(GIVEN_NAMES)) % len(FAMILY_NAMES)
            ]

        users = section_seed(
            section=section,
            students=students,
            competencies=BIG_SECTION_COMPETENCIES,
            tag=code.replace("-", ""),
            name_of=name_of,
        )
        # As seed_demo does for everyone: the engine ranks their Next up and raises (or clears) flags.
        ids = [user.pk for user in users]
        for start in range(0, len(ids), 500):
            students_recompute(student_ids=ids[start : start + 500])
    return section
