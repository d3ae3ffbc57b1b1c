"""The demo content: a framework of 60 competencies with prerequisites, playlists assigned, some progress."""

import datetime as dt
from io import StringIO

from django.core.management import call_command

from accounts.models import User
from playlists.models import Competency, CompetencyPrerequisite, ItemProgress, PlaylistAssignment, Project
from playlists.selectors import my_work
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
