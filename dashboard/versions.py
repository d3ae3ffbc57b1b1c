"""The saves and deletes that bump the dashboards' versions (plp/versions.py holds the tokens): connected
from the app's ``ready``, here at the top of the app layers because it names the models of every app below."""

from django.db.models.signals import m2m_changed, post_delete, post_save

from accounts.models import User
from engine.models import Flag, SchoolThresholds
from mastery.models import MasteryState
from playlists.models import (
    ChoiceBoard,
    Competency,
    ContentItem,
    ItemProgress,
    Playlist,
    PlaylistAssignment,
    PlaylistItem,
)
from plp.versions import names_touch, school_touch, students_touch, workshops_touch
from schools.models import Enrollment, SchoolSettings, Section, Term
from workshops.models import Seat, Workshop


def _student_of(instance) -> None:
    students_touch(student_ids=[instance.student_id])


NAME_FIELDS = frozenset({"family_name", "given_name"})


def _user_saved(instance, created=False, update_fields=None, **kwargs) -> None:
    students_touch(student_ids=[instance.pk])
    if not created and (update_fields is None or NAME_FIELDS & set(update_fields)):
        names_touch()  # a new person is in no roster until enrolled (an enrolment bumps the school)


def _school_of(instance, **kwargs) -> None:
    school_id = getattr(instance, "school_id", None)
    if school_id is not None:
        school_touch(school_id=school_id)


def connect() -> None:
    """Bump on the saves and deletes of the rows a dashboard shows (called from the app's ``ready``)."""

    def student_row(instance, **kwargs):
        _student_of(instance)

    for model in (MasteryState, ItemProgress, Flag):
        post_save.connect(student_row, sender=model, weak=False, dispatch_uid=f"dash-v-{model.__name__}")
        post_delete.connect(student_row, sender=model, weak=False, dispatch_uid=f"dash-vd-{model.__name__}")
    post_save.connect(_user_saved, sender=User, weak=False, dispatch_uid="dash-v-user")
    for model in (
        Section, Term, Enrollment, Playlist, PlaylistAssignment, PlaylistItem, ChoiceBoard, ContentItem,
        Competency, SchoolThresholds, SchoolSettings,
    ):  # fmt: skip
        post_save.connect(_school_of, sender=model, weak=False, dispatch_uid=f"dash-v-{model.__name__}")
        post_delete.connect(_school_of, sender=model, weak=False, dispatch_uid=f"dash-vd-{model.__name__}")

    def workshops_of(instance, **kwargs):
        workshops_touch(school_id=instance.school_id)

    for model in (Workshop, Seat):  # a seat's bulk creation is in the workshop's transaction (on commit)
        post_save.connect(workshops_of, sender=model, weak=False, dispatch_uid=f"dash-w-{model.__name__}")
        post_delete.connect(workshops_of, sender=model, weak=False, dispatch_uid=f"dash-wd-{model.__name__}")
    m2m_changed.connect(
        _school_of, sender=ContentItem.competencies.through, weak=False, dispatch_uid="dash-v-item-comps"
    )
