"""What xAPI statements call this app's objects, registered into ``xapi.objects`` from
``PlaylistsConfig.ready`` (xapi sits below playlists: it passes ids, gets names)."""

from playlists.models import Competency, ContentItem


def items(*, ids: set[int]) -> dict[int, tuple[str, str]]:
    """(kind, title) of each content item. One query."""
    rows = ContentItem.objects.filter(pk__in=ids).values_list("pk", "kind", "title")
    return {pk: (kind, title) for pk, kind, title in rows}


def competencies(*, ids: set[int]) -> dict[int, tuple[str, str]]:
    """(code, title) of each competency. One query."""
    rows = Competency.objects.filter(pk__in=ids).values_list("pk", "code", "title")
    return {pk: (code, title) for pk, code, title in rows}
