"""The recompute: a chunk of students' next items and flags from their snapshots, stored in bulk and only
when they changed; and the sweep's plan of chunks over every school."""

import datetime as dt
import gc
import hashlib
import json
import zoneinfo
from collections import defaultdict
from collections.abc import Iterable, Mapping
from contextlib import contextmanager

from django.db import connection, transaction
from django.utils import timezone

from engine import selectors
from engine.attention.flag import attention_flag
from engine.attention.inputs import load_attention_inputs
from engine.enqueue import students_mark_dirty
from engine.models import StudentEngineState, StudentRecommendation
from engine.policy.attention import AttentionSettings, needs_attention
from engine.policy.flags import evaluate_flags
from engine.policy.next_item import recommend
from engine.policy.snapshot import StudentSnapshot
from engine.services.flags import flags_apply
from engine.snapshots import load_snapshots
from plp import bulk
from plp.tenancy.context import current_school_id, school_scope
from schools.models import Membership, School
from schools.roles import Role


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

    findings_by_student, new_digests, fresh = _results(
        student_ids,
        snapshots,
        attention_inputs,
        thresholds=thresholds,
        settings=attention_settings,
        digests=digests,
    )
    _write_recommendations(fresh=fresh, now=now)
    flag_counts = flags_apply(findings_by_student={s: findings_by_student[s] for s in fresh}, now=now)
    _write_states(student_ids=student_ids, digests=digests, new_digests=new_digests, started=started, now=now)
    _recompute_when_checks_reopen(snapshots=snapshots, now=now)
    return {"students": len(student_ids), "rewritten": len(fresh), **flag_counts}


def _results(student_ids, snapshots, attention_inputs, *, thresholds, settings, digests):
    """Each student's findings, and, for a student whose results changed (digest), the new digest and the
    Next up rows to store (pure: no query)."""
    findings_by_student = {}
    new_digests: dict[int, str] = {}
    fresh: dict[int, list[tuple]] = {}
    for student_id in student_ids:
        snapshot = snapshots[student_id]
        recommendations = recommend(snapshot, thresholds)
        findings = evaluate_flags(snapshot, thresholds)
        # The detector's entry is the signal; the rules found today are kept as its evidence (and stored).
        entry = attention_flag(
            needs_attention(attention_inputs[student_id], settings),
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

    return findings_by_student, new_digests, fresh


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
