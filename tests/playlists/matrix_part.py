"""The playlists app's entries in the cross-tenant matrix (tests/test_cross_tenant_matrix.py)."""

from playlists.models import (
    ChoiceBoard,
    Competency,
    CompetencyPrerequisite,
    ContentItem,
    Framework,
    ItemProgress,
    Milestone,
    MilestoneSubmission,
    Playlist,
    PlaylistAssignment,
    PlaylistItem,
    Project,
    RubricDimension,
    RubricScore,
)
from tests.conftest import SchoolWorld
from tests.factories import (
    ChoiceBoardFactory,
    CompetencyFactory,
    CompetencyPrerequisiteFactory,
    MilestoneFactory,
    PlaylistAssignmentFactory,
    PlaylistItemFactory,
)
from tests.support import SchoolRoute


def _placement(b: SchoolWorld):
    """School B's playlist, assigned to B's section, with one item."""
    placement = PlaylistItemFactory(playlist__school=b.school, playlist__title="BRAVO playlist")
    PlaylistAssignmentFactory(playlist=placement.playlist, section=b.section)
    return placement


def _board(b: SchoolWorld):
    """A choice board of school B's playlist, holding one more item of it."""
    placement = b.once("placement", _placement)
    board = ChoiceBoardFactory(playlist=placement.playlist, label="BRAVO board", choose=1)
    PlaylistItemFactory(playlist=placement.playlist, choice_board=board, position=placement.position + 1)
    return board


def competency_of(b: SchoolWorld):
    """School B's competency: one object for every part that needs one (mastery's question bank too)."""
    return b.once(
        "competency",
        lambda w: CompetencyFactory(framework__school=w.school, code="BRAVO.1", title="bravo competency"),
    )


def _prerequisite(b: SchoolWorld):
    """School B's competency requires another of its framework."""
    competency = competency_of(b)
    first = CompetencyFactory(framework=competency.framework, code="BRAVO.0", title="bravo first")
    return CompetencyPrerequisiteFactory(competency=competency, prerequisite=first)


def _milestone(b: SchoolWorld):
    return MilestoneFactory(project__section=b.section, project__title="BRAVO project")


SCHOOL_B_OBJECT = {
    "playlist_id": lambda b: b.once("placement", _placement).playlist_id,
    "item_id": lambda b: b.once("placement", _placement).item_id,
    "placement_id": lambda b: b.once("placement", _placement).pk,
    "board_id": lambda b: b.once("board", _board).pk,
    "framework_id": lambda b: competency_of(b).framework_id,
    "competency_id": lambda b: competency_of(b).pk,
    "prerequisite_id": lambda b: b.once("prerequisite", _prerequisite).prerequisite_id,
    "project_id": lambda b: b.once("milestone", _milestone).project_id,
    "milestone_id": lambda b: b.once("milestone", _milestone).pk,
    "project_student_id": lambda b: b.user("student").pk,
}

SCHOOL_ROUTES = {
    name: SchoolRoute()
    for name in (
        "playlists:student_playlist",
        "playlists:student_item",
        "playlists:item_done",
        "playlists:item_file_submit",
        "playlists:item_preview",
        "playlists:framework_list",
        "playlists:framework_import",
        "playlists:framework_detail",
        "playlists:competency_detail",
        "playlists:prerequisite_add",
        "playlists:prerequisite_remove",
        "playlists:item_list",
        "playlists:item_create",
        "playlists:item_edit",
        "playlists:playlist_list",
        "playlists:playlist_create",
        "playlists:playlist_detail",
        "playlists:playlist_edit",
        "playlists:playlist_item_add",
        "playlists:board_create",
        "playlists:board_update",
        "playlists:board_delete",
        "playlists:playlist_assign",
        "playlists:placement_update",
        "playlists:placement_move",
        "playlists:placement_remove",
        "playlists:project_list",
        "playlists:project_create",
        "playlists:project_detail",
        "playlists:milestone_add",
        "playlists:dimension_add",
        "playlists:milestone_submit",
        "playlists:project_score",
    )
} | {
    name: SchoolRoute(api=True)
    for name in (
        "api:playlists_framework_list",
        "api:playlists_framework_detail",
        "api:playlists_competency_list",
        "api:playlists_item_list",
        "api:playlists_item_detail",
        "api:playlists_playlist_list",
        "api:playlists_playlist_detail",
        "api:playlists_assignment_list",
        "api:playlists_progress",
        "api:playlists_project_list",
        "api:playlists_project_detail",
    )
}

ADMIN_OBJECT = {
    "contentitem": lambda b: b.once("placement", _placement).item_id,
    "playlist": lambda b: b.once("placement", _placement).playlist_id,
    "playlistitem": lambda b: b.once("placement", _placement).pk,
    "project": lambda b: b.once("milestone", _milestone).project_id,
    "milestone": lambda b: b.once("milestone", _milestone).pk,
}


def snapshot(world: SchoolWorld):
    """Called inside the world's school scope."""
    return [
        sorted(model.objects.values_list(*fields))
        for model, fields in (
            (Framework, ("pk", "title", "case_identifier")),
            (Competency, ("pk", "code", "title", "parent_id")),
            (CompetencyPrerequisite, ("pk", "competency_id", "prerequisite_id")),
            (ContentItem, ("pk", "title", "kind", "body", "url")),
            (Playlist, ("pk", "title", "tier", "subject_id")),
            (ChoiceBoard, ("pk", "label", "choose")),
            (PlaylistItem, ("pk", "playlist_id", "item_id", "position", "required", "choice_board_id")),
            (PlaylistAssignment, ("pk", "playlist_id", "section_id", "student_id", "target_date")),
            (ItemProgress, ("pk", "student_id", "item_id", "status", "completed_at")),
            (Project, ("pk", "title", "section_id")),
            (Milestone, ("pk", "title", "due_date")),
            (RubricDimension, ("pk", "name")),
            (MilestoneSubmission, ("pk", "student_id", "text")),
            (RubricScore, ("pk", "student_id", "level")),
        )
    ]
