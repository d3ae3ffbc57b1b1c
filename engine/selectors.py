"""Reads of the engine: flags, scoped to the students an adult looks after, and a school's thresholds."""

from django.db.models import QuerySet
from django.http import Http404

from engine.models import Flag, ItemDirective, SchoolThresholds, StudentRecommendation
from engine.policy.flag_lifecycle import LIVE
from engine.policy.snapshot import Thresholds
from learners.selectors import students_visible_to
from schools.roles import SCHOOL_WIDE_ROLES, Role


def thresholds_for_school() -> Thresholds:
    row = SchoolThresholds.objects.first()
    return row.as_policy() if row else Thresholds()


def student_ids_in_care_of(*, user, roles: frozenset[str]) -> set[int] | None:
    """Ids of the active school's students this adult looks after; ``None`` means every student (school
    and district admins). Teachers: their sections' students; mentors: their mentees (the rule lives in
    ``learners.selectors.students_visible_to``); a student looks after nobody, themselves included."""
    if not roles.isdisjoint(SCHOOL_WIDE_ROLES):
        return None
    adult_roles = frozenset(roles) - {Role.STUDENT}
    if not adult_roles:
        return set()
    return set(students_visible_to(user=user, roles=adult_roles).values_list("pk", flat=True))


def flags_in_care_of(*, user, roles: frozenset[str], live_only: bool = True) -> QuerySet[Flag]:
    flags = Flag.objects.select_related("student", "handled_by")
    allowed = student_ids_in_care_of(user=user, roles=roles)
    if allowed is not None:
        flags = flags.filter(student_id__in=allowed)
    if live_only:
        flags = flags.filter(status__in=list(LIVE))
    return flags


def flag_get_for_adult(*, user, roles: frozenset[str], flag_id: int) -> Flag:
    """A flag of a student this adult looks after, or 404 (another school's id included)."""
    flag = flags_in_care_of(user=user, roles=roles, live_only=False).filter(pk=flag_id).first()
    if flag is None:
        raise Http404("No such flag.")
    return flag


def recommendations_for(*, student) -> list[StudentRecommendation]:
    """The student's precomputed Next up, in rank order (what pages read; only the engine writes it)."""
    return list(
        StudentRecommendation.objects.filter(student=student).select_related("competency").order_by("rank")
    )


def directives_for(*, student) -> list[ItemDirective]:
    """Active directives first, then the ended ones (their reasons stay on record)."""
    return list(
        ItemDirective.objects.filter(student=student)
        .select_related("item", "created_by", "ended_by")
        .order_by("-is_active", "-created_at", "-pk")[:50]
    )


def directive_get(*, student, directive_id: int) -> ItemDirective:
    directive = ItemDirective.objects.filter(student=student, pk=directive_id).first()
    if directive is None:
        raise Http404("No such pin or veto.")
    return directive


def pinnable_items(*, student) -> list:
    """Items of the playlists assigned to the student, in playlist order (what a teacher may pin)."""
    from playlists.models import PlaylistItem
    from playlists.selectors import student_assignments

    placements = (
        PlaylistItem.objects.filter(
            playlist_id__in=student_assignments(student=student).values("playlist_id")
        )
        .select_related("item", "playlist")
        .order_by("playlist__title", "position")
    )
    seen, items = set(), []
    for placement in placements:
        if placement.item_id not in seen:
            seen.add(placement.item_id)
            items.append(placement)
    return items
