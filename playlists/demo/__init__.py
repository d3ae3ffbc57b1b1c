"""Demo content for ``seed_demo``: a middle-school math and ELA framework (60 competencies with
prerequisites), content items, playlists assigned to the demo sections with target dates, some progress,
and a project per ELA section. Idempotent (natural keys, bulk writes with ignore_conflicts).

A package, a module a job: ``frameworks`` (the two frameworks as tables), ``content`` (the items and the
playlists that place them), ``progress`` (the playlists assigned to the sections and each student's
progress) and ``projects`` (a project per ELA section, with a handed-in file). ``seed`` (here) runs them
in that order for each demo school.
"""

from playlists.demo.content import _content, _playlists
from playlists.demo.frameworks import ELA, MATH, _parsed
from playlists.demo.progress import _assign_and_progress
from playlists.demo.projects import FILE_MILESTONE, _projects
from playlists.framework_services import framework_import
from playlists.models import Competency
from plp.tenancy.context import school_scope

__all__ = ["FILE_MILESTONE", "seed"]


def seed(*, result) -> None:
    """Each demo school's frameworks, content, playlists and their progress, and projects, in that order."""
    for school in result.schools:
        with school_scope(school):
            framework_import(
                parsed=_parsed("PLP Middle School Mathematics", MATH), subject_name="Mathematics"
            )
            framework_import(
                parsed=_parsed("PLP Middle School ELA", ELA), subject_name="English Language Arts"
            )
            competencies = {c.code: c for c in Competency.objects.all()}
            items = _content(school, competencies)
            made = _playlists(school, items)
            _assign_and_progress(school, made)
            _projects(school, competencies)
