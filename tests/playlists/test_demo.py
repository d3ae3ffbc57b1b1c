"""The demo content: a framework of 60 competencies with prerequisites, playlists assigned, some progress."""

import datetime as dt
from io import StringIO

from django.core.management import call_command

from accounts.models import User
from engine.my_work import my_work
from playlists.models import Competency, CompetencyPrerequisite, ItemProgress, PlaylistAssignment, Project
from plp.tenancy.context import school_scope
from schools.models import School


def _counts(school):
    with school_scope(school):
        return [
            model.objects.count()
            for model in (Competency, CompetencyPrerequisite, PlaylistAssignment, ItemProgress, Project)
        ]


def test_seed_demo_adds_frameworks_playlists_progress_and_projects_idempotently(db):
    call_command("seed_demo", "--students", "6", stdout=StringIO())
    cedar = School.objects.get(slug="cedar-ridge")
    first = _counts(cedar)
    competencies, prerequisites, assignments, progress, projects = first
    assert competencies - 19 == 60  # 60 standards under 19 domain nodes
    assert prerequisites >= 50 and assignments >= 5 and progress > 0 and projects == 1
    call_command("seed_demo", "--students", "6", stdout=StringIO())
    assert _counts(cedar) == first

    student = User.objects.get(email="student002.cedar@demo.plp.test")
    with school_scope(cedar):
        work = my_work(student=student, today=dt.date.today())
    assert len(work.playlists) == 5 and work.next_up is not None


def test_every_lock_in_the_demo_names_a_competency_the_students_playlists_teach(db):
    """The walk: "Building an argument" was locked behind RI.6.1, RI.6.2 and RI.7.8, which no playlist of
    the student teaches and their mastery page does not list: a playlist they could never start."""
    from playlists.models import ContentItem, PlaylistItem
    from playlists.selectors import student_assignments, unmet_prerequisites

    call_command("seed_demo", "--students", "6", stdout=StringIO())
    for slug in ("cedar-ridge", "willow-creek"):
        school = School.objects.get(slug=slug)
        student = User.objects.get(email=f"student001.{slug.split('-')[0]}@demo.plp.test")
        with school_scope(school):
            playlists = [a.playlist_id for a in student_assignments(student=student)]
            item_ids = set(
                PlaylistItem.objects.filter(playlist_id__in=playlists).values_list("item_id", flat=True)
            )
            taught = set(
                ContentItem.competencies.through.objects.filter(contentitem_id__in=item_ids).values_list(
                    "competency__code", flat=True
                )
            )
            locks = unmet_prerequisites(student=student, item_ids=item_ids)
        unreachable = {code for codes in locks.values() for code in codes} - taught
        assert playlists and unreachable == set(), slug
