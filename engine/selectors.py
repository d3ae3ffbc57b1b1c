"""Reads of the engine: flags, scoped to the students an adult looks after, and a school's thresholds."""

from django.db.models import QuerySet
from django.http import Http404

from engine.models import Flag, ItemDirective, SandboxRun, StudentRecommendation
from engine.policy.flag_lifecycle import LIVE
from engine.policy.snapshot import Thresholds
from engine.sandbox.replay import NEXT_HOW
from engine.school_policy import SchoolPolicy
from playlists.models import ItemProgress, PlaylistItem
from playlists.selectors import mastery_credit, student_assignments, unmet_prerequisites
from schools.access import is_school_wide, sections_overseen_by, students_in_care_of
from schools.roles import SCHOOL_WIDE_ROLES, Role


def thresholds_for_school() -> Thresholds:
    """The active school's thresholds for the policy: its engine thresholds and its own settings (pace
    tolerance, check-in cadence), each the documented default where the school set none."""
    return SchoolPolicy.read().as_policy()


def flags_in_care_of(*, user, roles: frozenset[str], live_only: bool = True) -> QuerySet[Flag]:
    flags = Flag.objects.select_related("student", "handled_by")
    flags = flags.filter(student__in=students_in_care_of(user=user, roles=roles))
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


def may_direct(access) -> bool:
    """Who may pin or veto a student's items: their teachers and school-wide admins (mentors read them)."""
    return access.is_teacher or access.is_school_wide


def directives_for(*, student) -> list[ItemDirective]:
    """Active directives first, then the ended ones (their reasons stay on record). Each active pin carries
    ``not_in_effect``: why the engine cannot follow it now (see :func:`pin_blockers`), or ``""``."""
    directives = list(
        ItemDirective.objects.filter(student=student)
        .select_related("item", "created_by", "ended_by")
        .order_by("-is_active", "-created_at", "-pk")[:50]
    )
    pinned = {d.item_id for d in directives if d.is_active and d.kind == ItemDirective.Kind.PIN}
    blockers = pin_blockers(student=student, item_ids=pinned)
    for directive in directives:
        directive.not_in_effect = blockers.get(directive.item_id, "") if directive.item_id in pinned else ""
    return directives


def pin_blockers(*, student, item_ids) -> dict[int, str]:
    """Why the engine could not put these items first for the student, by item (items it could are left
    out): an item no longer in their playlists, one done already (marked done, or on competencies they have
    all mastered: the engine counts it done and never suggests it), or one locked by prerequisites they
    have not mastered (the lock is ``playlists.selectors.unmet_prerequisites``, the rule the student's pages
    show). A new pin on such an item is refused with this reason; an older one is shown as not in effect.
    Six queries at most, whatever the number of items."""
    item_ids = set(item_ids)
    if not item_ids:
        return {}
    assigned = set(
        PlaylistItem.objects.filter(
            item_id__in=item_ids, playlist_id__in=student_assignments(student=student).values("playlist_id")
        ).values_list("item_id", flat=True)
    )
    done = set(
        ItemProgress.objects.filter(
            student=student, item_id__in=item_ids, status=ItemProgress.Status.DONE
        ).values_list("item_id", flat=True)
    )
    credit = mastery_credit(student_ids=[student.pk], item_ids=item_ids - done)
    mastered = {
        item_id: credit.mastered_codes(student.pk, item_id)
        for item_id in credit.done(student.pk, done) - done
    }
    locked = unmet_prerequisites(student=student, item_ids=item_ids - done - mastered.keys())
    blockers = {}
    for item_id in item_ids:
        if item_id not in assigned:
            blockers[item_id] = "not in the student's playlists"
        elif item_id in done:
            blockers[item_id] = "done already"
        elif item_id in mastered:
            blockers[item_id] = f"counted done: {mastered[item_id]} mastered already"
        elif item_id in locked:
            blockers[item_id] = f"locked, needs {', '.join(locked[item_id])} first"
    return blockers


def directive_get(*, student, directive_id: int) -> ItemDirective:
    directive = ItemDirective.objects.filter(student=student, pk=directive_id).first()
    if directive is None:
        raise Http404("No such pin or veto.")
    return directive


def pinnable_items(*, student) -> list:
    """Items of the playlists assigned to the student, in playlist order (what a teacher may pin)."""
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


def sandbox_sections(*, user, roles: frozenset[str]):
    """The sections a what-if may be run on: a school admin's every section, a teacher's own."""
    return list(sections_overseen_by(user=user, roles=roles))


def may_use_sandbox(roles: frozenset[str]) -> bool:
    return not roles.isdisjoint(SCHOOL_WIDE_ROLES | {Role.TEACHER})


def sandbox_runs_visible(*, user, roles: frozenset[str]):
    """Past what-ifs: a school admin's every run of the school, a teacher's own."""
    runs = SandboxRun.objects.select_related("created_by", "applied_by", "section")
    if not is_school_wide(roles):
        runs = runs.filter(created_by=user)
    return runs


def sandbox_run_get(*, user, roles: frozenset[str], run_id: int):
    """A what-if this adult may see; 404 else (students and mentors too: no one else's business)."""
    if not may_use_sandbox(roles):
        raise Http404("No such what-if.")
    try:
        return sandbox_runs_visible(user=user, roles=roles).get(pk=run_id)
    except SandboxRun.DoesNotExist:
        raise Http404("No such what-if.") from None


def sandbox_changes(*, run):
    """The what-if's changed students, each with ``next_how_text``: how their Next up differed, in words;
    and ``flags_only_before`` / ``flags_only_after``: the rule flags (in words) found on the first day
    they differ under one setting and not the other."""
    changes = list(run.changes.select_related("student"))
    for change in changes:
        change.flags_only_before = [w for w in change.flags_before if w not in change.flags_after]
        change.flags_only_after = [w for w in change.flags_after if w not in change.flags_before]
        change.next_how_text = ", ".join(
            f"{NEXT_HOW[kind]} ({days} day{'' if days == 1 else 's'})"
            for kind, days in change.next_how.items()
            if kind in NEXT_HOW
        )
    return changes


def sandbox_next_up_summary(*, changes) -> list[tuple[str, int]]:
    """How many of the changed students saw each kind of Next-up difference (on some day), in words."""
    return [
        (label, count)
        for kind, label in NEXT_HOW.items()
        if (count := sum(kind in change.next_how for change in changes))
    ]
