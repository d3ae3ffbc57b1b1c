"""The engine at district scale: the full sweep through real Celery workers, against a naive loop.

    createdb plp_bench_engine
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/plp_bench_engine REDIS_URL=redis://127.0.0.1:6379/10 \
        .venv/bin/python bench/engine_sweep.py [--students 5000] [--workers 2] [--runs 3]

Seeds the demo district (``--students`` per school, two schools, the demo's 60-competency frameworks and
playlists) plus a history per student (mastery states and about 20 practice answers each), then:

1. the full sweep: ``engine.sweep(dirty_only=False)`` fans chunks out to ``--workers`` worker processes
   (solo pool, their own queue); students per second from enqueue to the last computed student, three
   ways: rewritten (every digest forgotten and every stored recommendation made stale, so each row must
   be written again), cold (digests forgotten only: every student is recomputed and compared, but rows
   that already say the right thing are not written) and warm (nothing changed since);
2. queries per student, counted in-process on one 500-student chunk;
3. the naive baseline: the same recompute student by student (one ``students_recompute`` per student:
   per-student queries instead of per-chunk ones) on a sample, as students per second, and the ratio;
4. event → Next up: a student completes an item, and we time until the live worker has rewritten their
   Next up; percentiles over 30 events;
5. per-student task latency (enqueue → result) of single-student recomputes, percentiles.
Prints medians over ``--runs``.

``--seed-only`` seeds and stops (``--no-seed``: use what an earlier run seeded). ``--chunk-profile N`` times
one 500-student chunk of ``students_recompute`` in process, N times each way (cold: digests forgotten;
changed: every stored recommendation differs too; nextday: tomorrow's recompute; warm), and prints
medians with the query count, where the time goes (snapshot read, policy, the rest: small reads and the
writes) and this process's CPU time; ``--cprofile PATH`` also writes a cProfile of one run of each kind
(``PATH.cold`` …). No broker needed:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/plp_bench_engine .venv/bin/python bench/engine_sweep.py \
        --chunk-profile 7
"""

import argparse
import cProfile
import datetime as dt
import os
import random
import statistics
import subprocess
import sys
import time
import uuid
import zoneinfo
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "plp.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from engine import services  # noqa: E402
from engine.models import StudentEngineState, StudentRecommendation  # noqa: E402
from engine.services import recompute  # noqa: E402
from engine.tasks import recompute_student, sweep  # noqa: E402
from mastery.models import MasteryState, MasteryStatus, PracticeAnswer  # noqa: E402
from playlists.models import Competency, ContentItem  # noqa: E402
from playlists.services import item_complete  # noqa: E402
from plp.celery import app  # noqa: E402
from plp.tenancy.context import school_scope  # noqa: E402
from schools.models import Membership, School  # noqa: E402
from schools.roles import Role  # noqa: E402


def percentile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def seed_histories(*, answers_per_student: int) -> int:
    """Mastery states and practice answers for every demo student who has none yet (bulk)."""
    rng = random.Random(5)
    made = 0
    for school in School.objects.filter(slug__in=["cedar-ridge", "willow-creek"]):
        with school_scope(school):
            competencies = list(Competency.objects.values_list("pk", flat=True))
            have = set(PracticeAnswer.objects.values_list("student_id", flat=True).distinct())
            students = [
                s
                for s in Membership.objects.filter(role=Role.STUDENT).values_list("user_id", flat=True)
                if s not in have
            ]
            states, answers = [], []
            for student_id in students:
                worked = rng.sample(competencies, k=min(12, len(competencies)))
                for n, competency_id in enumerate(worked):
                    p = rng.random()
                    status = MasteryStatus.MASTERED if n < 4 else (
                        MasteryStatus.READY if p > 0.85 else MasteryStatus.PRACTICING
                    )  # fmt: skip
                    states.append(
                        MasteryState(
                            school=school, student_id=student_id, competency_id=competency_id, status=status,
                            p_mastered=0.97 if status == MasteryStatus.MASTERED else p,
                            mastered_at=timezone.now() if status == MasteryStatus.MASTERED else None,
                        )
                    )  # fmt: skip
                for _ in range(answers_per_student):
                    correct = rng.random() < 0.65
                    answers.append(
                        PracticeAnswer(
                            school=school, student_id=student_id, competency_id=rng.choice(worked),
                            is_correct=correct, p_before=0.5, p_after=0.6 if correct else 0.4,
                        )
                    )  # fmt: skip
            MasteryState.objects.bulk_create(states, batch_size=5000, ignore_conflicts=True)
            PracticeAnswer.objects.bulk_create(answers, batch_size=5000)
            made += len(students)
    return made


def start_workers(count: int, queue: str) -> list[subprocess.Popen]:
    env = {**os.environ, "PLP_CELERY_QUEUE": queue}  # the sweep's chunks stay on this queue
    return [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "plp",
                "worker",
                "--pool=solo",
                "-Q",
                queue,
                "--without-gossip",
                "--without-mingle",
                "--loglevel=WARNING",
                "-n",
                f"bench{n}-{queue}@%h",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for n in range(count)
    ]


def all_students() -> list[tuple[int, list[int]]]:
    out = []
    for school in School.objects.filter(slug__in=["cedar-ridge", "willow-creek"]):
        with school_scope(school):
            ids = list(Membership.objects.filter(role=Role.STUDENT).values_list("user_id", flat=True))
        out.append((school.pk, ids))
    return out


def run_sweep(total: int, timeout: float = 900) -> float:
    started = timezone.now()
    clock = time.perf_counter()
    sweep.delay(dirty_only=False)
    while time.perf_counter() - clock < timeout:
        done = (
            StudentEngineState.objects.unscoped().filter(computed_at__gte=started).count()
        )  # unscoped: bench
        if done >= total:
            return time.perf_counter() - clock
        time.sleep(0.2)
    raise TimeoutError(f"sweep did not finish in {timeout} s")


def queries_per_student(school_id: int, ids: list[int]) -> float:
    chunk = ids[:500]
    with school_scope(school_id), CaptureQueriesContext(connection) as captured:
        StudentEngineState.objects.filter(student_id__in=chunk).update(results_digest="")
        services.students_recompute(student_ids=chunk)
    return len(captured.captured_queries) / len(chunk)


def naive_rate(school_id: int, ids: list[int], sample: int) -> float:
    chunk = ids[:sample]
    with school_scope(school_id):
        StudentEngineState.objects.filter(student_id__in=chunk).update(results_digest="")
        clock = time.perf_counter()
        for student_id in chunk:
            services.students_recompute(student_ids=[student_id])
        return len(chunk) / (time.perf_counter() - clock)


def event_latencies(school_id: int, ids: list[int], events: int) -> list[float]:
    """A student completes their first recommended item; time until their Next up no longer lists it."""
    latencies = []
    with school_scope(school_id):
        for student_id in ids[:events]:
            row = (
                StudentRecommendation.objects.filter(student_id=student_id, kind="item")
                .order_by("rank")
                .first()
            )
            if row is None:
                continue
            item = ContentItem.objects.get(pk=row.item_id)
            student = Membership.objects.get(user_id=student_id, role=Role.STUDENT).user
            with transaction.atomic():
                item_complete(student=student, item=item)
            clock = time.perf_counter()
            while StudentRecommendation.objects.filter(student_id=student_id, item_id=item.pk).exists():
                if time.perf_counter() - clock > 30:
                    raise TimeoutError("the event never reached Next up")
                time.sleep(0.01)
            latencies.append(time.perf_counter() - clock)
    return latencies


def task_latencies(school_id: int, ids: list[int], count: int) -> list[float]:
    latencies = []
    for student_id in ids[-count:]:
        clock = time.perf_counter()
        recompute_student.delay(school_id=school_id, student_id=student_id).get(timeout=60)
        latencies.append(time.perf_counter() - clock)
    return latencies


class PhaseClock:
    """Time spent in the snapshot loader and in the policy during a recompute (wraps the names the service
    calls; the rest of the call is the small reads around them and the writes)."""

    def __init__(self):
        self.read = self.policy = 0.0

    def _timed(self, function, phase):
        def timed(*args, **kwargs):
            clock = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                setattr(self, phase, getattr(self, phase) + time.perf_counter() - clock)

        return timed

    def __enter__(self):
        self.saved = {
            name: getattr(recompute, name) for name in ("load_snapshots", "recommend", "evaluate_flags")
        }
        recompute.load_snapshots = self._timed(self.saved["load_snapshots"], "read")
        recompute.recommend = self._timed(self.saved["recommend"], "policy")
        recompute.evaluate_flags = self._timed(self.saved["evaluate_flags"], "policy")
        return self

    def __exit__(self, *exc):
        for name, function in self.saved.items():
            setattr(recompute, name, function)


KINDS = ("cold", "changed", "nextday", "warm")


def _prepare(kind: str, chunk: list[int], today: dt.date) -> dict:
    """The arguments of a recompute of this kind, after setting it up. cold: digests forgotten, results as
    stored; changed: also every stored recommendation differs, so each row must really be written;
    nextday: tomorrow's recompute, as the nightly sweep sees it (pace and evidence move); warm: nothing
    changed."""
    if kind in ("cold", "changed"):
        StudentEngineState.objects.filter(student_id__in=chunk).update(results_digest="")
    if kind == "changed":
        StudentRecommendation.objects.filter(student_id__in=chunk).update(reason="(stale)")
    return {"today": today + dt.timedelta(days=1)} if kind == "nextday" else {"today": today}


def chunk_profile(school_id: int, ids: list[int], repeat: int, profile_path: str | None) -> None:
    """One 500-student chunk, in process: medians of ``repeat`` runs of each kind."""
    chunk = ids[:500]
    timings: dict[str, list[tuple[float, float, float, int, float]]] = {kind: [] for kind in KINDS}
    with school_scope(school_id):
        zone = zoneinfo.ZoneInfo(School.objects.get(pk=school_id).timezone)
        today = timezone.localdate(timezone.now(), zone)
        services.students_recompute(student_ids=chunk, today=today)  # settle: stored rows match the results
        for _ in range(repeat):
            for kind in KINDS:
                arguments = _prepare(kind, chunk, today)
                with PhaseClock() as phases, CaptureQueriesContext(connection) as captured:
                    clock, cpu = time.perf_counter(), time.process_time()
                    services.students_recompute(student_ids=chunk, **arguments)
                    total, cpu = time.perf_counter() - clock, time.process_time() - cpu
                timings[kind].append((total, phases.read, phases.policy, len(captured.captured_queries), cpu))
                if kind == "nextday":
                    services.students_recompute(student_ids=chunk, today=today)  # back to today
        if profile_path:
            for kind in KINDS:
                arguments = _prepare(kind, chunk, today)
                profiler = cProfile.Profile()
                profiler.runcall(services.students_recompute, student_ids=chunk, **arguments)
                profiler.dump_stats(f"{profile_path}.{kind}")
                if kind == "nextday":
                    services.students_recompute(student_ids=chunk, today=today)
    med = statistics.median
    print(f"one chunk of {len(chunk)} students, in process, medians of {repeat} runs:")
    for kind in KINDS:
        rows = timings[kind]
        total, read, policy, cpu = (med(r[i] for r in rows) for i in (0, 1, 2, 4))
        queries = sorted({r[3] for r in rows})
        print(
            f"  {kind:8s} {total * 1000:6.0f} ms  ({len(chunk) / total:5.0f} students/s)"
            f"  read {read * 1000:4.0f} ms"
            f"  policy {policy * 1000:4.0f} ms  rest {(total - read - policy) * 1000:4.0f} ms"
            f"  python cpu {cpu * 1000:4.0f} ms  queries {'/'.join(map(str, queries))}"
            f"  all: {' '.join(f'{r[0] * 1000:.0f}' for r in rows)}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=5000, help="per school (two schools)")
    parser.add_argument("--answers", type=int, default=20, help="practice answers per student")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--naive-sample", type=int, default=300)
    parser.add_argument("--seed-only", action="store_true", help="seed, then stop")
    parser.add_argument("--chunk-profile", type=int, metavar="N", help="time one chunk in process, N runs")
    parser.add_argument("--no-seed", action="store_true", help="use the data an earlier run seeded")
    parser.add_argument("--cprofile", metavar="PATH", help="with --chunk-profile: write cProfile stats")
    args = parser.parse_args()
    in_process = args.seed_only or args.chunk_profile
    if connection.vendor != "postgresql" or not (in_process or os.environ.get("REDIS_URL")):
        sys.exit("Set DATABASE_URL=postgres://… and REDIS_URL=redis://… (real workers need a broker).")

    if not args.no_seed:
        clock = time.perf_counter()
        call_command("migrate", verbosity=0)
        call_command("seed_demo", students=args.students, verbosity=0)
        seeded = seed_histories(answers_per_student=args.answers)
        print(f"seeded in {time.perf_counter() - clock:.0f} s ({seeded} new histories)")
    # Start from a settled database: fresh planner statistics and no dead rows left by earlier runs (this
    # box runs PostgreSQL with autovacuum off, so without this each run would measure the garbage of the
    # ones before it, and a freshly seeded table has no statistics at all).
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    schools = all_students()
    total = sum(len(ids) for _, ids in schools)
    school_id, ids = schools[0]
    if args.seed_only:
        return
    if args.chunk_profile:
        chunk_profile(school_id, ids, args.chunk_profile, args.cprofile)
        return

    queue = f"bench-{uuid.uuid4().hex[:6]}"
    app.conf.task_default_queue = queue
    workers = start_workers(args.workers, queue)
    try:
        time.sleep(4)  # let the workers boot
        rates: dict[str, list[float]] = {"rewritten": [], "cold": [], "warm": []}
        for _ in range(args.runs):
            for kind in rates:
                if kind in ("rewritten", "cold"):  # unscoped: the whole bench
                    StudentEngineState.objects.unscoped().update(results_digest="")
                if kind == "rewritten":  # every stored row differs from the results: each is written again
                    StudentRecommendation.objects.unscoped().update(reason="(stale)")
                seconds = run_sweep(total)
                rates[kind].append(total / seconds)
                print(
                    f"  {kind} sweep: {total} students in {seconds:.1f} s → {total / seconds:.0f} students/s"
                )
        per_student_queries = queries_per_student(school_id, ids)
        naive = [naive_rate(school_id, ids, args.naive_sample) for _ in range(args.runs)]
        events = event_latencies(school_id, ids, 30)
        tasks = task_latencies(school_id, ids, 50)
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.wait(timeout=30)

    med = statistics.median
    print(f"students: {total} in 2 schools; workers: {args.workers}; medians of {args.runs} runs")
    print(
        "full sweep through workers, every recommendation rewritten: "
        f"{med(rates['rewritten']):.0f} students/s (goal ≥ 1,000)"
    )
    print(f"full sweep through workers, digests forgotten (cold): {med(rates['cold']):.0f} students/s")
    print(f"full sweep through workers, results unchanged (warm): {med(rates['warm']):.0f} students/s")
    print(f"queries per student (500-student chunk, in-process): {per_student_queries:.3f}")
    print(f"naive student-by-student loop (in-process, one worker's worth): {med(naive):.0f} students/s")
    print(f"ratio sweep (rewritten) / naive: {med(rates['rewritten']) / med(naive):.1f}×")
    print(
        f"event → Next up with a live worker: p50 {percentile(events, 0.5) * 1000:.0f} ms, "
        f"p95 {percentile(events, 0.95) * 1000:.0f} ms over {len(events)} events (goal < 1 s)"
    )
    print(
        f"single-student task latency (enqueue → result): p50 {percentile(tasks, 0.5) * 1000:.0f} ms, "
        f"p95 {percentile(tasks, 0.95) * 1000:.0f} ms, p99 {percentile(tasks, 0.99) * 1000:.0f} ms"
    )


if __name__ == "__main__":
    main()
