"""The content app's models, a module a job: ``frameworks`` (subjects, competency frameworks, competencies
and their prerequisites), ``content`` (the content items), ``playlists`` (playlists, choice boards and the
items they place), ``assignments`` (a playlist given to a section or a student, and each student's
progress on its items), and ``common`` (the same-school check, and the bases of imported and of authored
content). Projects live in playlists/projects/models.py, imported here too so Django registers them. Every
model is re-exported here, so ``from playlists.models import X`` and Django's model discovery keep working.
"""

from playlists.models.assignments import ItemProgress, PlaylistAssignment
from playlists.models.common import same_school
from playlists.models.content import SLUG, ContentItem
from playlists.models.frameworks import Competency, CompetencyPrerequisite, Framework, Subject
from playlists.models.playlists import ChoiceBoard, Playlist, PlaylistItem
from playlists.projects.models import Milestone, MilestoneSubmission, Project, RubricDimension, RubricScore

__all__ = [
    "SLUG",
    "ChoiceBoard",
    "Competency",
    "CompetencyPrerequisite",
    "ContentItem",
    "Framework",
    "ItemProgress",
    "Milestone",
    "MilestoneSubmission",
    "Playlist",
    "PlaylistAssignment",
    "PlaylistItem",
    "Project",
    "RubricDimension",
    "RubricScore",
    "Subject",
    "same_school",
]
