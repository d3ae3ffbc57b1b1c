"""Writes about self-direction levels: one transaction per use case, every change recorded (who, why, and
the evidence it was decided on) as a :class:`LevelDecision`."""

import dataclasses
import datetime as dt

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from agency import selectors
from agency.models import MAX_RUNGS, LadderRung, LadderSettings, LevelDecision, StudentLevel
from agency.policy import Checks, Direction, Goals
from plp.saving import validated_save
from plp.tenancy.context import current_school_id
from schools.access import StudentAccess


def may_decide(access: StudentAccess) -> bool:
    """Who changes a student's level: their mentors, their teachers and school (or district) admins."""
    return access.is_mentor or access.is_teacher or access.is_school_wide


def decider_required(access: StudentAccess, *, doing: str) -> None:
    """403 unless the caller may decide on the student's level (``doing`` names the decision refused)."""
    if not may_decide(access):
        raise PermissionDenied(f"Only the student's mentors, teachers and school admins {doing}.")


def _lock_student(student) -> None:
    # The student's row, locked: two decisions at once are taken one after the other, each on the level
    # the other left (the same lock the weekly goals take).
    get_user_model().objects.select_for_update().filter(pk=student.pk).first()


def _clean_reason(reason: str) -> str:
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError({"reason": "Say why: the student and their other adults read it."})
    return reason[:500]


def _evidence_json(evidence: selectors.Evidence) -> list[dict]:
    return [dataclasses.asdict(f) for f in evidence.suggestion.findings]


def _deciding(access: StudentAccess, *, doing: str, today: dt.date | None) -> selectors.Evidence:
    """How every decision starts: the caller may decide, the student's row is locked, and the evidence is
    read under that lock (so it is the evidence the decision is recorded with)."""
    decider_required(access, doing=doing)
    _lock_student(access.student)
    return selectors.evidence_for(student=access.student, today=today)


def _decision_record(
    *,
    student,
    evidence: selectors.Evidence,
    kind: str,
    to_rank: int,
    to_name: str,
    followed: bool,
    reason: str,
    actor,
) -> LevelDecision:
    """The decision as kept: from the level the evidence read, to ``to_rank``, with the rule's suggestion
    and its findings, why and by whom."""
    rung = evidence.level.rung
    decision = LevelDecision(
        school_id=current_school_id(),
        student=student,
        kind=kind,
        from_rank=rung.rank,
        to_rank=to_rank,
        from_name=rung.name,
        to_name=to_name,
        suggested=evidence.suggestion.direction,
        followed_suggestion=followed,
        evidence=_evidence_json(evidence),
        reason=reason,
        decided_by=actor,
    )
    return validated_save(decision)


@transaction.atomic
def level_change(
    *, access: StudentAccess, actor, to_rank: int, reason: str, today: dt.date | None = None
) -> LevelDecision:
    """Move the student to rung ``to_rank`` (a promotion, a step back, or a first placement), recorded with
    the rule's suggestion and its evidence as they read now."""
    student = access.student
    evidence = _deciding(access, doing="change their level", today=today)
    level = evidence.level
    if not isinstance(to_rank, int) or not 1 <= to_rank <= len(level.rungs):
        raise ValidationError({"to_rank": "Choose a level of the school's ladder."})
    reason = _clean_reason(reason)
    from_rank = level.rung.rank
    if level.recorded is None:
        kind = LevelDecision.Kind.PLACED
    elif to_rank == from_rank:
        raise ValidationError({"to_rank": f"{student} is at {level.rung.name} already."})
    else:
        kind = LevelDecision.Kind.PROMOTED if to_rank > from_rank else LevelDecision.Kind.STEPPED_BACK
    recorded = level.recorded or StudentLevel(school_id=current_school_id(), student=student)
    recorded.rank = to_rank
    recorded.full_clean()
    recorded.save()
    suggestion = evidence.suggestion
    return _decision_record(
        student=student,
        evidence=evidence,
        kind=kind,
        to_rank=to_rank,
        to_name=level.rungs[to_rank - 1].name,
        followed=suggestion.changes and suggestion.to_rank == to_rank,
        reason=reason,
        actor=actor,
    )


@transaction.atomic
def suggestion_decline(
    *, access: StudentAccess, actor, reason: str, today: dt.date | None = None
) -> LevelDecision:
    """Decline the rule's suggestion (to promote or step back) for now, saying why: kept with the evidence,
    and the page shows the suggestion as declined until the evidence or the level changes."""
    evidence = _deciding(access, doing="decide on levels", today=today)
    if evidence.suggestion.direction is Direction.STAY:
        raise ValidationError("There is no suggestion to decline: the rule suggests no change.")
    rung = evidence.level.rung
    return _decision_record(
        student=access.student,
        evidence=evidence,
        kind=LevelDecision.Kind.DECLINED,
        to_rank=rung.rank,
        to_name=rung.name,
        followed=False,
        reason=_clean_reason(reason),
        actor=actor,
    )


@transaction.atomic
def pace_target_set(*, access: StudentAccess, actor, items_per_week) -> StudentLevel:
    """A student at a rung that allows it sets their own weekly pace target (items to finish a week)."""
    if not access.is_self:
        raise PermissionDenied("Students set their own pace target.")
    student = access.student
    _lock_student(student)
    level = selectors.level_of(student=student)
    if not level.rung.own_pace_target:
        earns = next((r.name for r in level.rungs if r.own_pace_target), None)
        where = f" You set your own at {earns}." if earns else ""
        raise ValidationError(
            {"pace_target": f"At {level.rung.name}, your pace follows your playlists' plan.{where}"}
        )
    try:
        target = int(items_per_week)
    except (TypeError, ValueError):
        raise ValidationError({"pace_target": "Enter a whole number of items a week."}) from None
    if not 1 <= target <= 50:
        raise ValidationError({"pace_target": "Between 1 and 50 items a week."})
    recorded = level.recorded or StudentLevel(
        school_id=current_school_id(), student=student, rank=level.rung.rank
    )
    old = recorded.pace_target
    recorded.pace_target = target
    recorded.full_clean()
    recorded.save()
    LevelDecision.objects.create(
        school_id=current_school_id(),
        student=student,
        kind=LevelDecision.Kind.PACE_TARGET,
        from_rank=level.rung.rank,
        to_rank=level.rung.rank,
        from_name=level.rung.name,
        to_name=level.rung.name,
        reason=f"Pace target {old or 'none'} → {target} items a week.",
        decided_by=actor,
    )
    return recorded


@transaction.atomic
def ladder_settings_save(*, actor, start_rank: int | None, weeks: int) -> LadderSettings:
    """A school admin sets where new students start (empty: the top rung, as before gradual release) and
    how many weeks of evidence the suggestion reads."""
    settings = selectors.ladder_settings() or LadderSettings(school_id=current_school_id())
    rungs = selectors.ladder()
    if start_rank is not None and not 1 <= start_rank <= len(rungs):
        raise ValidationError({"start_rank": "Choose a level of the ladder."})
    settings.start_rank, settings.weeks, settings.updated_by = start_rank, weeks, actor
    settings.full_clean()
    settings.save()
    return settings


@transaction.atomic
def ladder_save(*, actor, rungs: list[dict]) -> list:
    """A school admin sets the school's own ladder, first rung first (2 to ``MAX_RUNGS`` levels with
    distinct names). Students keep their rank; a rank beyond a shorter ladder reads as its top rung."""
    rows = [r for r in rungs if (r.get("name") or "").strip()]
    if not 2 <= len(rows) <= MAX_RUNGS:
        raise ValidationError(f"A ladder has 2 to {MAX_RUNGS} levels.")
    names = [" ".join(r["name"].split()) for r in rows]
    if len({n.lower() for n in names}) != len(names):
        raise ValidationError("Give each level its own name.")
    LadderRung.objects.all().delete()
    made = []
    for rank, (name, row) in enumerate(zip(names, rows, strict=True), start=1):
        rung = LadderRung(
            school_id=current_school_id(),
            rank=rank,
            name=name,
            description=" ".join((row.get("description") or "").split()),
            picks=row["picks"],
            goals=row["goals"],
            checks=row["checks"],
            own_pace_target=bool(row.get("own_pace_target")),
        )
        rung.full_clean()
        rung.save()
        made.append(rung)
    settings = selectors.ladder_settings() or LadderSettings(school_id=current_school_id())
    if settings.start_rank is not None and settings.start_rank > len(made):
        settings.start_rank = len(made)
    settings.updated_by = actor
    settings.full_clean()
    settings.save()
    return made


# --- the rules other apps ask ----------------------------------------------------------------------------


def item_pick_check(*, student, item_id: int) -> None:
    """Refuse starting an item the student's rung does not let them pick (the message says what they may
    do instead). Called by ``playlists.services`` before an item is started or finished."""
    if refusal := selectors.pick_refusal(student=student, item_id=item_id):
        raise PermissionDenied(refusal)


def goal_setting_refusal(*, access: StudentAccess, week_of: dt.date | None, this_monday: dt.date) -> str:
    """Why the student's level leaves these goals to their mentor, or "" (mentors set goals at any level).
    ``week_of`` None: a long-range goal."""
    if not access.is_self:
        return ""
    level = selectors.level_of(student=access.student)
    rung = level.rung
    own = next((r.name for r in level.rungs if r.goals is Goals.OWN), "a later level")
    if rung.goals is Goals.MENTOR:
        return (
            f"At {rung.name}, your mentor sets the week's goals with you at your check-in. "
            "Reflect on them here when the week ends."
        )
    if rung.goals is Goals.THIS_WEEK and (week_of is None or week_of != this_monday):
        what = "long-range goals" if week_of is None else "next week's goals"
        return (
            f"At {rung.name}, you plan this week's goals; {what} you set with your mentor "
            f"(yourself at {own})."
        )
    return ""


def goal_setting_check(*, access: StudentAccess, week_of: dt.date | None, this_monday: dt.date) -> None:
    """Refuse goals the student's level leaves to their mentor (a message for the whole form)."""
    if refusal := goal_setting_refusal(access=access, week_of=week_of, this_monday=this_monday):
        raise ValidationError(refusal)


def check_approval_level(*, student) -> str:
    """The name of the student's level when it sends each check request to a teacher first, else ""."""
    rung = selectors.level_of(student=student).rung
    return rung.name if rung.checks is Checks.APPROVAL else ""


def check_needs_approval(*, student) -> bool:
    """Whether the student's rung sends each check request to a teacher first."""
    return bool(check_approval_level(student=student))
