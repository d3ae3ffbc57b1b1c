"""The submissions app's entries in the cross-tenant matrix (tests/test_cross_tenant_matrix.py)."""

from submissions.models import SubmissionFile
from tests.conftest import SchoolWorld
from tests.playlists.matrix_part import SCHOOL_B_OBJECT as PLAYLISTS_OBJECTS
from tests.submissions.files import hand_in
from tests.support import SchoolRoute


def _file(b: SchoolWorld):
    """School B's student's file for B's project milestone (the one the playlists part makes)."""
    milestone_id = PLAYLISTS_OBJECTS["milestone_id"](b)
    milestone = b.made["milestone"]
    assert milestone.pk == milestone_id
    return hand_in(milestone=milestone, student=b.user("student"), name="bravo-essay.pdf")


SCHOOL_B_OBJECT = {"file_id": lambda b: b.once("file", _file).public_id}

SCHOOL_ROUTES = {"submissions:file_download": SchoolRoute()}


def snapshot(world: SchoolWorld):
    """Called inside the world's school scope."""
    return [
        sorted(
            SubmissionFile.objects.values_list(
                "pk", "student_id", "milestone_id", "item_id", "blob", "original_name", "superseded_at"
            )
        )
    ]
