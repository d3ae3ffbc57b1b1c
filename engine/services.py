"""Writes of the engine: bring stored flags in line with findings (in bulk), and adults handling flags."""

import datetime as dt
import gc
import hashlib
import json
import zoneinfo
from collections import defaultdict
from collections.abc import Iterable, Mapping
from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from engine import selectors
from engine.attention_inputs import attention_flag, load_attention_inputs
from engine.enqueue import recompute_on_commit, students_mark_dirty
from engine.models import Flag, FlagEvent, ItemDirective, StudentEngineState, StudentRecommendation
from engine.policy.attention import AttentionSettings, needs_attention
from engine.policy.flag_lifecycle import Change, FlagStatus, StoredFlag, reconcile
from engine.policy.flags import FlagFinding, evaluate_flags
from engine.policy.next_item import recommend
from engine.policy.snapshot import StudentSnapshot
from engine.snapshots import load_snapshots
from playlists.models import PlaylistItem
from playlists.selectors import student_assignments
from plp import bulk
from plp.tenancy.context import current_school_id, school_scope
from plp.versions import students_touch
from schools.models import Membership, School
from schools.roles import Role

NOTE_MAX = 2000


# What a flag update writes (the read skips raised_at and updated_at: every change stamps updated_at anew).
FLAG_FIELDS = (
    "severity", "summary", "suggested_action", "evidence", "status", "condition_cleared", "cleared_at",
    "reopened_count", "handled_by_id", "handled_at", "note",
)  # fmt: skip


# The reconcile views of stored flags: a handful of distinct values, shared (frozen).
STORED_FLAGS = {
    (status.value, cleared): StoredFlag(status, cleared) for status in FlagStatus for cleared in (False, True)
}


def _finding_values(finding: FlagFinding) -> dict:
    return {
        "severity": finding.severity,
        "summary": finding.summary[:300],
        "suggested_action": finding.suggested_action[:400],
        "evidence": finding.evidence,
    }


@transaction.atomic
def flags_apply(
    *, findings_by_student: Mapping[int, list[FlagFinding]], now: dt.datetime | None = None
) -> dict[str, int]:
    """Make the active school's stored flags of these students match what holds now.

    Four queries whatever the number of students (read, insert, one UPDATE from a JSON row list, events);
    running it again with the same findings writes nothing, so the recompute task is idempotent. Stored
    flags are read as plain values, not model instances, and only the changed ones are written."""
    now = now or timezone.now()
    school_id = current_school_id()
    student_ids = list(findings_by_student)
    stored: dict[int, dict[tuple[str, str], dict]] = {student_id: {} for student_id in student_ids}
    for pk, student_id, kind, subject, *values in Flag.objects.filter(
        bulk.in_ids("student_id", student_ids)
    ).values_list("pk", "student_id", "kind", "subject", *FLAG_FIELDS):
        stored[student_id][(kind, subject)] = {"pk": pk, **dict(zip(FLAG_FIELDS, values, strict=True))}

    created: list[Flag] = []
    updated: dict[int, dict] = {}
    events: list[tuple[Flag | int, str]] = []  # the new flag, or the pk of a stored one
    counts = {change.value: 0 for change in Change}
    changed_students: set[int] = set()
    for student_id, findings in findings_by_student.items():
        mine = stored[student_id]
        views = {key: STORED_FLAGS[f["status"], f["condition_cleared"]] for key, f in mine.items()}
        for change in reconcile(views, findings):
            counts[change.change.value] += 1
            if change.change is Change.RAISE:
                flag = Flag(
                    school_id=school_id,
                    student_id=student_id,
                    kind=change.key[0],
                    subject=change.key[1],
                    raised_at=now,
                    updated_at=now,
                    **_finding_values(change.finding),
                )
                created.append(flag)
                events.append((flag, "raised"))
                continue
            flag = mine[change.key]
            if change.change is Change.REFRESH:
                after = _finding_values(change.finding)
                if (flag["severity"], flag["summary"], flag["suggested_action"], flag["evidence"]) == (
                    after["severity"],
                    after["summary"],
                    after["suggested_action"],
                    after["evidence"],
                ):
                    counts[Change.REFRESH.value] -= 1
                    continue  # nothing changed: write nothing
                flag.update(after)
            elif change.change is Change.CLEAR:
                flag.update(status=FlagStatus.CLEARED, cleared_at=now)
                events.append((flag["pk"], "cleared"))
            elif change.change is Change.NOTE_CLEARED:
                flag.update(condition_cleared=True, cleared_at=now)
                events.append((flag["pk"], "condition cleared"))
            elif change.change is Change.REOPEN:
                flag.update(
                    _finding_values(change.finding),
                    status=FlagStatus.OPEN,
                    condition_cleared=False,
                    cleared_at=None,
                    reopened_count=flag["reopened_count"] + 1,
                    handled_by_id=None,
                    handled_at=None,
                    note="",
                )
                events.append((flag["pk"], "reopened"))
            updated[flag["pk"]] = flag
            changed_students.add(student_id)

    for flag in created:
        flag.full_clean(exclude=["school", "student"], validate_unique=False)
    Flag.objects.bulk_create(created, batch_size=1000)
    if updated:
        columns = ("updated_at", *FLAG_FIELDS)
        source, payload = bulk.rows_table(
            Flag,
            ("pk", *columns),
            [(pk, now, *(flag[name] for name in FLAG_FIELDS)) for pk, flag in updated.items()],
        )
        table = Flag._meta.db_table
        sets = ", ".join(
            f"{Flag._meta.get_field(name).column} = v.{Flag._meta.get_field(name).column}" for name in columns
        )
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET {sets} FROM {source} "
                f"WHERE {table}.{Flag._meta.pk.column} = v.pk AND {table}.school_id = %s",
                [payload, school_id],
            )
    # Bulk writes send no save signals: the dashboards' rows of the students whose flags changed go here.
    students_touch(student_ids={flag.student_id for flag in created} | changed_students)
    FlagEvent.objects.bulk_create(
        [
            FlagEvent(
                school_id=school_id, flag_id=flag if isinstance(flag, int) else flag.pk, action=action, at=now
            )
            for flag, action in events
        ],
        batch_size=1000,
    )
    return counts


def _handle(*, flag: Flag, by, note: str, status: FlagStatus, action: str) -> Flag:
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise ValidationError({"note": f"Keep the note under {NOTE_MAX} characters."})
    if status is FlagStatus.RESOLVED and not note:
        raise ValidationError({"note": "Say how it was resolved: the next adult will read it."})
    if not flag.is_live:
        raise ValidationError("This flag is already closed.")
    now = timezone.now()
    flag.status, flag.handled_by, flag.handled_at, flag.note, flag.updated_at = status, by, now, note, now
    flag.save(update_fields=["status", "handled_by", "handled_at", "note", "updated_at"])
    FlagEvent.objects.create(school_id=flag.school_id, flag=flag, action=action, by=by, note=note, at=now)
    return flag


@transaction.atomic
def flag_acknowledge(*, flag: Flag, by, note: str = "") -> Flag:
    """An adult has seen the flag and is on it: it stays live (and still clears itself)."""
    return _handle(flag=flag, by=by, note=note, status=FlagStatus.ACKNOWLEDGED, action="acknowledged")


@transaction.atomic
def flag_resolve(*, flag: Flag, by, note: str) -> Flag:
    """An adult closed the flag with a note; if its condition clears and later returns, it reopens."""
    return _handle(flag=flag, by=by, note=note, status=FlagStatus.RESOLVED, action="resolved")


def _digest(recommendations, findings) -> str:
    payload = json.dumps(
        [
            [
                (r.kind, r.item_id, r.playlist_id, r.competency_id, r.reason, r.pinned)
                for r in recommendations
            ],
            sorted(
                (f.kind, f.subject, f.severity, f.summary, json.dumps(f.evidence, sort_keys=True))
                for f in findings
            ),
        ],
        default=str,
    )
    return hashlib.sha256(payload.encode()).hexdigest()


@contextmanager
def _cyclic_gc_paused():
    """Pause Python's cyclic garbage collector for one recompute.

    A 500-student chunk allocates some 100,000 small objects that live until it ends (snapshots, views,
    rows); the collector would walk them again at every young collection, and the whole worker heap at a
    full one: ~10% of a chunk's time, for no garbage (they are acyclic, and reference counting frees them
    when the chunk is done). Whatever cycles a chunk makes wait until it returns or raises."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@transaction.atomic
@_cyclic_gc_paused()
def students_recompute(
    *, student_ids: Iterable[int], now: dt.datetime | None = None, today: dt.date | None = None
) -> dict[str, int]:
    """Recompute the next items and flags of these students of the active school, in bulk.

    A constant number of queries per call whatever the number of students (the snapshot loader reads in
    bulk, the writes are bulk); a student whose results did not change gets no write but the cleared
    dirty mark. Running it twice leaves the same rows."""
    started = timezone.now()  # a dirty mark newer than this is an event we have not seen: keep it
    now = now or started
    school_id = current_school_id()
    zone = zoneinfo.ZoneInfo(School.objects.values_list("timezone", flat=True).get(pk=school_id))
    today = today or timezone.localdate(now, zone)
    student_ids = sorted(set(student_ids))
    # Only the school's students: a stray id from another school finds no membership and is skipped.
    student_ids = list(
        Membership.objects.filter(bulk.in_ids("user_id", student_ids), role=Role.STUDENT, is_active=True)
        .values_list("user_id", flat=True)
        .distinct()
    )
    thresholds = selectors.thresholds_for_school()
    with timezone.override(zone):
        snapshots = load_snapshots(student_ids=student_ids, today=today, now=now)
        attention_inputs = load_attention_inputs(snapshots=snapshots, today=today)
    attention_settings = AttentionSettings(
        enter_score=thresholds.attention_enter_score, exit_score=thresholds.attention_exit_score
    )
    digests = dict(
        StudentEngineState.objects.filter(bulk.in_ids("student_id", student_ids)).values_list(
            "student_id", "results_digest"
        )
    )

    findings_by_student = {}
    new_digests: dict[int, str] = {}
    fresh: dict[int, list[tuple]] = {}
    for student_id in student_ids:
        snapshot = snapshots[student_id]
        recommendations = recommend(snapshot, thresholds)
        findings = evaluate_flags(snapshot, thresholds)
        # The detector's entry is the signal; the rules found today are kept as its evidence (and stored).
        entry = attention_flag(
            needs_attention(attention_inputs[student_id], attention_settings),
            codes=attention_inputs[student_id].codes,
            rules=findings,
        )
        if entry is not None:
            findings = [entry, *findings]
        findings_by_student[student_id] = findings
        digest = _digest(recommendations, findings)
        if digests.get(student_id) == digest:
            continue
        new_digests[student_id] = digest
        fresh[student_id] = [
            (r.kind, r.item_id, r.playlist_id, r.competency_id, r.reason[:400], r.pinned)
            for r in recommendations
        ]

    _write_recommendations(fresh=fresh, now=now)
    flag_counts = flags_apply(findings_by_student={s: findings_by_student[s] for s in fresh}, now=now)
    _write_states(student_ids=student_ids, digests=digests, new_digests=new_digests, started=started, now=now)
    _recompute_when_checks_reopen(snapshots=snapshots, now=now)
    return {"students": len(student_ids), "rewritten": len(fresh), **flag_counts}


RECOMMENDATION_COLUMNS = ("kind", "item_id", "playlist_id", "competency_id", "reason", "pinned")


def _write_recommendations(*, fresh: Mapping[int, list[tuple]], now: dt.datetime) -> None:
    """Make the stored Next up of these students of the active school read ``fresh`` (their rows in rank
    order, as ``RECOMMENDATION_COLUMNS``): a row that is already right is not written (its ``computed_at``
    says when it last changed), a changed or new rank is upserted, a rank no longer there is deleted.

    One read and at most two writes whatever the number of students; nothing is written when nothing
    changed. The upsert sets the school on every row and conflicts on (school, student, rank), so it can
    only ever meet this school's rows."""
    if not fresh:
        return
    stored: dict[tuple[int, int], tuple[int, tuple]] = {}
    for pk, student_id, rank, *content in StudentRecommendation.objects.filter(
        bulk.in_ids("student_id", fresh)
    ).values_list("pk", "student_id", "rank", *RECOMMENDATION_COLUMNS):
        stored[(student_id, rank)] = (pk, tuple(content))
    upserts: list[tuple] = []
    for student_id, rows in fresh.items():
        for rank, content in enumerate(rows, start=1):
            old = stored.pop((student_id, rank), None)
            if old is None or old[1] != content:
                upserts.append((student_id, rank, *content, now))
    if stored:  # ranks beyond the new lists
        StudentRecommendation.objects.filter(pk__in=[pk for pk, _ in stored.values()]).delete()
    if upserts:
        table = StudentRecommendation._meta.db_table
        columns = ("student_id", "rank", *RECOMMENDATION_COLUMNS, "computed_at")
        source, payload = bulk.rows_table(StudentRecommendation, columns, upserts)
        updates = ", ".join(f"{c} = excluded.{c}" for c in (*RECOMMENDATION_COLUMNS, "computed_at"))
        sql = (
            f"INSERT INTO {table} (school_id, {', '.join(columns)}) "
            f"SELECT %s, {', '.join(f'v.{c}' for c in columns)} FROM {source} WHERE 1 = 1 "  # SQLite: WHERE
            f"ON CONFLICT (school_id, student_id, rank) DO UPDATE SET {updates}"  # before ON CONFLICT
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [current_school_id(), payload])


def _write_states(
    *, student_ids: list[int], digests: dict[int, str], new_digests: dict[int, str], started, now
) -> None:
    """Clear the dirty marks we have seen, stamp the computation, store the new digests: one UPDATE for the
    students who have a state row (one row version each, not one per column; NULL digest: unchanged), and
    an insert for those who have none yet."""
    school_id = current_school_id()
    StudentEngineState.objects.bulk_create(
        [
            StudentEngineState(school_id=school_id, student_id=student_id, computed_at=now,
                               results_digest=new_digests.get(student_id, ""))
            for student_id in student_ids
            if student_id not in digests
        ],
        batch_size=2000,
        ignore_conflicts=True,
    )  # fmt: skip
    known = [(student_id, new_digests.get(student_id)) for student_id in student_ids if student_id in digests]
    if not known:
        return
    table = StudentEngineState._meta.db_table
    source, payload = bulk.rows_table(StudentEngineState, ("student_id", "results_digest"), known)
    adapt = connection.ops.adapt_datetimefield_value
    sql = (
        f"UPDATE {table} SET computed_at = %s, "
        f"results_digest = COALESCE(v.results_digest, {table}.results_digest), "
        f"dirty_since = CASE WHEN {table}.dirty_since <= %s THEN NULL ELSE {table}.dirty_since END "
        f"FROM {source} WHERE {table}.student_id = v.student_id AND {table}.school_id = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [adapt(now), adapt(started), payload, school_id])


def _recompute_when_checks_reopen(*, snapshots: Mapping[int, StudentSnapshot], now: dt.datetime) -> None:
    """A student waiting for a check's cooldown is marked dirty from the moment it ends, so the sweep turns
    "your next try opens at ..." into "you can ask now" then (a student already marked keeps that mark)."""
    reopen = defaultdict(list)
    for student_id, snapshot in snapshots.items():
        opens = [
            v.check_opens_at
            for v in snapshot.competencies.values()
            if v.check_opens_at and v.check_opens_at > now
        ]
        if opens:
            reopen[min(opens)].append(student_id)
    for at, student_ids in reopen.items():
        students_mark_dirty(student_ids=student_ids, at=at)


def sweep_plan(
    *, dirty_only: bool, chunk_size: int, now: dt.datetime | None = None
) -> list[tuple[int, list[int]]]:
    """(school id, student ids) chunks for a sweep over every active school, each read in its own scope.
    A dirty mark set for later (a check that reopens then) waits for its time."""
    now = now or timezone.now()
    plan = []
    for school in School.objects.filter(is_active=True).order_by("pk"):
        with school_scope(school):
            if dirty_only:
                ids = StudentEngineState.objects.filter(dirty_since__lte=now).values_list(
                    "student_id", flat=True
                )
            else:
                ids = Membership.objects.filter(role=Role.STUDENT, is_active=True).values_list(
                    "user_id", flat=True
                )
            chunk: list[int] = []
            for student_id in ids.order_by("pk").iterator(chunk_size=2000):
                chunk.append(student_id)
                if len(chunk) == chunk_size:
                    plan.append((school.pk, chunk))
                    chunk = []
            if chunk:
                plan.append((school.pk, chunk))
    return plan


REASON_MAX = 300


@transaction.atomic
def directive_add(*, student, item, kind: str, reason: str, by) -> ItemDirective:
    """A teacher pins an item for the student (do it next) or vetoes it (not this), with a reason.

    The item must be in a playlist assigned to the student, and a pinned one must be open to them now (not
    done, not locked by unmastered prerequisites: the engine never suggests those, so such a pin is refused
    with its reason). A new directive on the same item replaces the old one (which is ended, not deleted).
    The engine recomputes the student after commit."""
    reason = " ".join((reason or "").split())
    if kind not in ItemDirective.Kind.values:
        raise ValidationError({"kind": "Pin or veto."})
    if not reason:
        raise ValidationError({"reason": "Say why: the student and the next adult will read it."})
    if len(reason) > REASON_MAX:
        raise ValidationError({"reason": f"Keep the reason under {REASON_MAX} characters."})
    playlists = student_assignments(student=student).values("playlist_id")
    if not PlaylistItem.objects.filter(playlist_id__in=playlists, item_id=item.pk).exists():
        raise ValidationError({"item": "That item is not in any playlist assigned to this student."})
    if kind == ItemDirective.Kind.PIN:
        # A pin the engine cannot follow would be listed as active and never suggested: refuse it and say
        # why (the page offers the same reason beside each item).
        blocker = selectors.pin_blockers(student=student, item_ids=[item.pk]).get(item.pk)
        if blocker:
            raise ValidationError(
                {"item": f"“{item.title}” cannot be pinned: it is {blocker}. Pin an item they can start now."}
            )
    now = timezone.now()
    ItemDirective.objects.filter(student=student, item=item, is_active=True).update(
        is_active=False, ended_by=by, ended_at=now
    )
    directive = ItemDirective(
        school_id=current_school_id(), student=student, item=item, kind=kind, reason=reason, created_by=by
    )
    directive.full_clean()
    directive.save()
    recompute_on_commit(student_id=student.pk)
    return directive


@transaction.atomic
def directive_end(*, directive: ItemDirective, by) -> ItemDirective:
    if directive.is_active:
        directive.is_active, directive.ended_by, directive.ended_at = False, by, timezone.now()
        directive.save(update_fields=["is_active", "ended_by", "ended_at"])
        recompute_on_commit(student_id=directive.student_id)
    return directive
