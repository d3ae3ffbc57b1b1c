"""Prerequisites seen from the students: why an item is locked for a student (the engine's rule, fed the
same mastery states, asked through ``playlists.mastery_states``), and who the engine must look at again
after an authoring change (the students a playlist is assigned to, the students working on some
competencies)."""

from django.db.models import QuerySet

from engine.policy.next_item import missing_prerequisites
from engine.policy.snapshot import CompetencyView, ItemView, MasteryLevel
from playlists import mastery_states
from playlists.models import (
    CompetencyPrerequisite,
    ContentItem,
    Playlist,
    PlaylistAssignment,
    PlaylistItem,
)
from schools.access import LEARNING
from schools.models import Enrollment


def unmet_prerequisites(*, student, item_ids) -> dict[int, list[str]]:
    """Why an item is locked: for each locked item, the codes that unlock it (items not locked are left
    out). The rule is the engine's (:func:`engine.policy.next_item.missing_prerequisites`), fed from the
    same mastery states, so a page never shows a lock the engine does not apply, or misses one. Three
    queries whatever the number of items."""
    item_ids = list(item_ids)
    if not item_ids:
        return {}
    competencies_of: dict[int, list[int]] = {}
    for item_id, competency_id in ContentItem.competencies.through.objects.filter(
        contentitem_id__in=item_ids
    ).values_list("contentitem_id", "competency_id"):
        competencies_of.setdefault(item_id, []).append(competency_id)
    aligned = {c for cs in competencies_of.values() for c in cs}
    prerequisites: dict[int, set[int]] = {}
    codes: dict[int, str] = {}
    for competency_id, prerequisite_id, code in CompetencyPrerequisite.objects.filter(
        competency_id__in=aligned
    ).values_list("competency_id", "prerequisite_id", "prerequisite__code"):
        prerequisites.setdefault(competency_id, set()).add(prerequisite_id)
        codes[prerequisite_id] = code
    if not prerequisites:
        return {}
    mastered = set(
        mastery_states.mastered_competency_ids(student=student, competency_ids=aligned | set(codes))
    )
    views = {
        competency_id: CompetencyView(
            competency_id=competency_id,
            code=codes.get(competency_id, f"#{competency_id}"),
            level=MasteryLevel.MASTERED if competency_id in mastered else MasteryLevel.NOT_STARTED,
            prerequisite_ids=frozenset(prerequisites.get(competency_id, ())),
        )
        for competency_id in aligned | set(codes)
    }
    unmet = {}
    for item_id, competency_ids in competencies_of.items():
        item = ItemView(item_id=item_id, position=0, competency_ids=tuple(sorted(competency_ids)))
        if missing := missing_prerequisites(item, views):
            unmet[item_id] = list(missing)
    return unmet


# Who the engine must look at again after an authoring change.


def _assigned_students(assignments: QuerySet[PlaylistAssignment]) -> list[QuerySet]:
    """Student ids of ``assignments``: active students of the sections, and students assigned one by one."""
    return [
        Enrollment.objects.filter(
            LEARNING, section_id__in=assignments.filter(section__isnull=False).values("section_id")
        )
        .order_by()
        .values_list("user_id", flat=True),
        assignments.filter(student__isnull=False).order_by().values_list("student_id", flat=True),
    ]


def playlist_student_ids(*, playlist: Playlist) -> set[int]:
    """Students ``playlist`` is assigned to, through a section or one by one. One query."""
    by_section, one_by_one = _assigned_students(PlaylistAssignment.objects.filter(playlist=playlist))
    return set(by_section.union(one_by_one))


def students_working_on(*, competency_ids) -> set[int]:
    """Students whose locked items may change with these competencies' prerequisites: a mastery state on
    one of them, or an item aligned to one in a playlist assigned to them. One query, whatever the sizes."""
    competency_ids = list(competency_ids)
    playlists = PlaylistItem.objects.filter(item__competencies__in=competency_ids).values("playlist_id")
    by_section, one_by_one = _assigned_students(PlaylistAssignment.objects.filter(playlist_id__in=playlists))
    mastery = mastery_states.students_with_states(competency_ids=competency_ids)
    return set(mastery.union(by_section, one_by_one))
