"""The demo playlists assigned to every section with target dates, and each student's progress on them
at their own pace (schools.demo's pace and struggles).
"""

import datetime as dt

from django.utils import timezone

from playlists.models import (
    ContentItem,
    ItemProgress,
    PlaylistAssignment,
    PlaylistItem,
)
from schools.demo import demo_pace, demo_struggles
from schools.models import Enrollment, Membership, Section
from schools.roles import Role


def _assign_and_progress(school, made) -> None:
    """Demo seeding: the playlists assigned to every section and each student's progress on them at their
    own pace. Long on purpose: the progress is made from the assignments just written, in bulk."""
    today = timezone.localdate()
    sections = list(Section.objects.all())
    assignments = []
    for playlist, subject, days in made:
        for section in sections:
            if section.subject == subject:
                assignments.append(
                    PlaylistAssignment(
                        school=school,
                        playlist=playlist,
                        section=section,
                        start_date=today - dt.timedelta(days=14),
                        target_date=today + dt.timedelta(days=days),
                    )
                )
    PlaylistAssignment.objects.bulk_create(assignments, ignore_conflicts=True)
    # Progress on every playlist, as a real class makes it: each student at their own pace against the
    # plan (schools.demo.demo_pace), the items done spread over the days since the assignment, and the
    # few who struggle having done a little in the first days and little since.
    now = timezone.now()
    ordinal = {
        user_id: n
        for n, user_id in enumerate(
            Membership.objects.filter(role=Role.STUDENT)
            .order_by("user__email")
            .values_list("user_id", flat=True)
        )
    }
    progress = []
    for assignment in PlaylistAssignment.objects.filter(section__isnull=False).select_related("section"):
        item_ids = list(
            PlaylistItem.objects.filter(playlist_id=assignment.playlist_id)
            .exclude(item__kind=ContentItem.Kind.LTI_TOOL)  # done only when the tool sends a score
            .order_by("position")
            .values_list("item_id", flat=True)
        )
        span = max((assignment.target_date - assignment.start_date).days, 1)
        elapsed = max((today - assignment.start_date).days, 0)
        students = Enrollment.objects.filter(
            role="student", section_id=assignment.section_id, is_active=True
        ).values_list("user_id", flat=True)
        for student_id in students:
            n = ordinal.get(student_id, 0)
            share = min(elapsed / span * demo_pace(n), 1.0)
            done = round(share * len(item_ids))
            for k, item_id in enumerate(item_ids[:done]):
                # Steady since the start, or (struggling) a start in the first days and then nothing.
                steady = round(elapsed * (1 - (k + 1) / (done + 1)))
                days_ago = elapsed - k if demo_struggles(n) else steady
                completed = now - dt.timedelta(days=max(days_ago, 0))
                progress.append(
                    ItemProgress(
                        school=school,
                        student_id=student_id,
                        item_id=item_id,
                        status=ItemProgress.Status.DONE,
                        seconds_spent=600,
                        started_at=completed - dt.timedelta(minutes=20),
                        completed_at=completed,
                    )
                )
    ItemProgress.objects.bulk_create(progress, batch_size=2000, ignore_conflicts=True)
