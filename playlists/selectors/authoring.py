"""What adults read to author and assign: frameworks, competencies and their prerequisite edges, content
items, playlists with their placements, boards and assignments, always inside the active school. Who may
author (``AUTHOR_ROLES``) and import (``IMPORT_ROLES``) is named here."""

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from playlists.models import (
    ChoiceBoard,
    Competency,
    CompetencyPrerequisite,
    ContentItem,
    Framework,
    Playlist,
    PlaylistAssignment,
    PlaylistItem,
)
from schools.access import sections_taught
from schools.roles import Role

AUTHOR_ROLES = frozenset({Role.TEACHER, Role.SCHOOL_ADMIN})
IMPORT_ROLES = frozenset({Role.TEACHER, Role.SCHOOL_ADMIN})


# Prefetches always go ``to_attr`` (a plain list): a prefetched *scoped* queryset would be fetched again
# on ``.all()`` (SchoolScopedQuerySet drops a result cache it did not fill itself), one query per row.


def prerequisite_codes(lookup: str = "prerequisites") -> Prefetch:
    return Prefetch(lookup, queryset=Competency.objects.only("pk", "code"), to_attr="prerequisite_list")


def competency_codes(lookup: str = "competencies") -> Prefetch:
    return Prefetch(lookup, queryset=Competency.objects.only("pk", "code"), to_attr="competency_list")


def _get_or_404(queryset: QuerySet, pk, what: str):
    row = queryset.filter(pk=pk).first()
    if row is None:
        raise Http404(f"No such {what}.")
    return row


# Frameworks and content (every adult of the school reads them; students read through playlists).


def framework_list() -> QuerySet[Framework]:
    return (
        Framework.objects.select_related("subject")
        .annotate(competency_count=Count("competencies"))
        .order_by("title", "pk")
    )


def framework_get(*, framework_id: int) -> Framework:
    return _get_or_404(Framework.objects.select_related("subject"), framework_id, "framework")


def framework_competencies(*, framework: Framework) -> list[Competency]:
    """The framework's competencies in order, each with ``depth`` in the tree and its prerequisites."""
    competencies = list(
        Competency.objects.filter(framework=framework)
        .order_by("position", "code")
        .prefetch_related(prerequisite_codes())
    )
    parent_of = {c.pk: c.parent_id for c in competencies}
    for competency in competencies:
        depth, node, seen = 0, competency.parent_id, set()
        while node in parent_of and node not in seen:
            seen.add(node)
            depth, node = depth + 1, parent_of[node]
        competency.depth = min(depth, 6)
    return competencies


def assessable_competencies() -> QuerySet[Competency]:
    """The school's competencies a student masters by a check: those that group no others (a framework's
    standards), never a domain or cluster that only groups them (CASE ``isChildOf``)."""
    return Competency.objects.filter(children__isnull=True)


def competency_get(*, competency_id: int, framework: Framework | None = None) -> Competency:
    """A competency of the active school (of ``framework`` when given); 404 otherwise."""
    competencies = Competency.objects.select_related("framework")
    if framework is not None:
        competencies = competencies.filter(framework=framework)
    return _get_or_404(competencies, competency_id, "competency")


def competency_prerequisites(*, competency: Competency) -> tuple[list, list]:
    """(what ``competency`` requires, what requires it), each with its framework: two queries."""
    requires = (
        CompetencyPrerequisite.objects.filter(competency=competency)
        .select_related("prerequisite__framework")
        .order_by("prerequisite__framework__title", "prerequisite__position", "prerequisite__code")
    )
    required_by = (
        CompetencyPrerequisite.objects.filter(prerequisite=competency)
        .select_related("competency__framework")
        .order_by("competency__framework__title", "competency__position", "competency__code")
    )
    return [edge.prerequisite for edge in requires], [edge.competency for edge in required_by]


def prerequisite_edge_get(*, competency: Competency, prerequisite_id: int) -> CompetencyPrerequisite:
    """The edge "``competency`` requires competency ``prerequisite_id``"; 404 if there is none."""
    edge = (
        CompetencyPrerequisite.objects.filter(competency=competency, prerequisite_id=prerequisite_id)
        .select_related("prerequisite")
        .first()
    )
    if edge is None:
        raise Http404("No such prerequisite.")
    return edge


PREREQUISITE_CHOICES = 500


def prerequisite_choices(
    *, competency: Competency, exclude_ids, search: str = ""
) -> tuple[list[Competency], bool]:
    """Competencies of any framework of the school that ``competency`` could require (not itself, not one
    it already requires), by framework, matching ``search`` on code or title; at most
    PREREQUISITE_CHOICES, and whether there were more. One query."""
    choices = (
        Competency.objects.exclude(pk__in=[competency.pk, *exclude_ids])
        .select_related("framework")
        .only("pk", "code", "title", "framework__title")
        .order_by("framework__title", "framework_id", "position", "code")
    )
    if search:
        choices = choices.filter(Q(code__icontains=search) | Q(title__icontains=search))
    rows = list(choices[: PREREQUISITE_CHOICES + 1])
    return rows[:PREREQUISITE_CHOICES], len(rows) > PREREQUISITE_CHOICES


def competency_list(*, search: str = "") -> QuerySet[Competency]:
    competencies = Competency.objects.select_related("framework")
    if search:
        competencies = competencies.filter(Q(code__icontains=search) | Q(title__icontains=search))
    return competencies.order_by("framework__title", "position", "code")


def content_item_list(*, search: str = "") -> QuerySet[ContentItem]:
    items = ContentItem.objects.prefetch_related(competency_codes())
    if search:
        items = items.filter(title__icontains=search)
    return items.order_by("title", "pk")


def content_item_get(*, item_id: int) -> ContentItem:
    return _get_or_404(ContentItem.objects.all(), item_id, "content item")


def item_competencies(*, item: ContentItem) -> list[Competency]:
    """The competencies an item is aligned to, in code order (an exercise practises each of them)."""
    return list(Competency.objects.filter(content_items=item).only("pk", "code", "title").order_by("code"))


# Playlists for adults.


def playlist_list(*, search: str = "") -> QuerySet[Playlist]:
    playlists = Playlist.objects.select_related("subject").annotate(item_count=Count("playlist_items"))
    if search:
        playlists = playlists.filter(Q(title__icontains=search) | Q(focus_area__icontains=search))
    return playlists.order_by("title", "pk")


def playlist_get(*, playlist_id: int) -> Playlist:
    return _get_or_404(Playlist.objects.select_related("subject"), playlist_id, "playlist")


def playlist_placements(*, playlist: Playlist) -> list[PlaylistItem]:
    return list(
        PlaylistItem.objects.filter(playlist=playlist)
        .select_related("item", "choice_board")
        .prefetch_related(competency_codes("item__competencies"))
        .order_by("position")
    )


def playlist_boards(*, playlist: Playlist) -> list[ChoiceBoard]:
    """The playlist's choice boards, each with ``item_count`` and ``required_count`` (items marked
    required, which become required items if the board is deleted). One query."""
    return list(
        ChoiceBoard.objects.filter(playlist=playlist)
        .annotate(
            item_count=Count("placements"),
            required_count=Count("placements", filter=Q(placements__required=True)),
        )
        .order_by("pk")
    )


def board_get(*, playlist: Playlist, board_id: int) -> ChoiceBoard:
    return _get_or_404(
        ChoiceBoard.objects.filter(playlist=playlist).select_related("playlist"), board_id, "choice board"
    )


def placement_get(*, playlist: Playlist, placement_id: int) -> PlaylistItem:
    return _get_or_404(PlaylistItem.objects.filter(playlist=playlist), placement_id, "playlist item")


def playlist_assignments(*, playlist: Playlist) -> list[PlaylistAssignment]:
    return list(PlaylistAssignment.objects.filter(playlist=playlist).select_related("section", "student"))


def section_playlists(*, user) -> QuerySet[PlaylistAssignment]:
    """Assignments of playlists to the sections ``user`` teaches, nearest target date first."""
    return (
        PlaylistAssignment.objects.filter(section__in=sections_taught(user=user))
        .select_related("playlist", "section")
        .order_by("target_date", "playlist__title", "pk")
    )
