"""Load bench: the demo school under students practising and teachers watching, on loopback only.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/plp_load_bench REDIS_URL=redis://127.0.0.1:6379/11 \
        .venv/bin/python bench/load.py          # --students 40 --teachers 4 --seconds 60 --runs 3

The database named in DATABASE_URL is dropped and created afresh, migrated and seeded with the demo
(`seed_demo`), then served as in production: gunicorn (3 sync workers, as the image) with Redis as the cache
and the Celery broker, and one Celery worker recomputing Next up and flags. Each simulated student signs in
through the API token endpoint and, for the run's length, fetches a practice question of one of their own
competencies and answers it (right or wrong at random), with a short think time; each teacher polls the
section dashboard API. Every practice answer sent is counted by its outcome, and the database is counted
afterwards: the bench fails loudly if an acknowledged write is missing.

Prints, per run and as medians of runs: requests per second; p50/p95 latency per kind of request; writes
sent, acknowledged (201), refused (4xx, with the reasons) and stored.
"""

import argparse
import datetime as dt
import http.client
import json
import os
import random
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "plp.settings")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "bench-only-not-secret-" + "x" * 40)

sys.path.insert(0, str(ROOT / "bench"))
from dashboard_bench import _free_port as free_port  # noqa: E402
from dashboard_bench import percentile  # noqa: E402


def fresh_database() -> None:
    url = urlparse(os.environ["DATABASE_URL"])
    if url.scheme not in {"postgres", "postgresql"}:
        sys.exit("Set DATABASE_URL to a PostgreSQL database (it is dropped and created afresh).")
    name = url.path.lstrip("/")
    base = ["-h", url.hostname or "127.0.0.1", "-U", url.username or "postgres"]
    subprocess.run(["dropdb", *base, "--if-exists", "--force", name], check=True)
    subprocess.run(["createdb", *base, name], check=True)
    manage = [str(ROOT / ".venv/bin/python"), "manage.py"]
    subprocess.run([*manage, "migrate", "-v", "0"], cwd=ROOT, check=True)
    subprocess.run([*manage, "seed_demo"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)


def plan(students: int, teachers: int) -> dict:
    """Who signs in, and what each student may practise (their own competencies' active questions)."""
    import django

    django.setup()
    from mastery.models import Question
    from mastery.selectors import student_competencies
    from plp.tenancy.context import school_scope
    from schools.demo import DEMO_PASSWORD
    from schools.models import Enrollment, School

    school = School.objects.get(slug="cedar-ridge")
    people = {"students": [], "teachers": [], "slug": school.slug, "password": DEMO_PASSWORD}
    with school_scope(school):
        enrollments = Enrollment.objects.filter(role="student").select_related("user").order_by("user_id")
        seen = set()
        for enrollment in enrollments:
            student = enrollment.user
            if student.pk in seen:
                continue
            seen.add(student.pk)
            competencies = [c.pk for c in student_competencies(student=student, today=dt.date.today())]
            questions = list(
                Question.objects.filter(bank__competency_id__in=competencies, is_active=True).values(
                    "pk", "kind", "choices", "correct_choices", "numeric_answer", "accepted_answers"
                )
            )
            if questions:
                people["students"].append({"email": student.email, "questions": questions})
            if len(people["students"]) == students:
                break
        teaching = Enrollment.objects.filter(role="teacher").select_related("user").order_by("section_id")
        for enrollment in teaching[:teachers]:
            people["teachers"].append({"email": enrollment.user.email, "section": enrollment.section_id})
    return people


def stored_answers() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM mastery_practiceanswer")
        return cursor.fetchone()[0]


def call(port: int, method: str, path: str, token: str = "", body: dict | None = None, source: str = ""):
    """One request; ``source`` is the loopback address to send from (127.0.0.0/8 is all loopback), so each
    simulated person has an address of their own, as devices have, and per-address limits count per person."""
    data = json.dumps(body).encode() if body is not None else None
    headers = {"Accept": "application/json"}
    if data is not None:
        headers["Content-Type"] = "application/json"
    if token:
        headers["Authorization"] = f"Token {token}"
    started = time.perf_counter()
    connection = http.client.HTTPConnection(
        "127.0.0.1", port, timeout=60, source_address=(source, 0) if source else None
    )
    connection.request(method, path, body=data, headers=headers)
    response = connection.getresponse()
    payload = response.read()
    connection.close()
    return response.status, payload, (time.perf_counter() - started) * 1000


def answer_for(question: dict, rng: random.Random):
    """Right about two times in three, by the question's own key."""
    right = rng.random() < 0.66
    kind = question["kind"]
    if kind == "single":
        correct = question["correct_choices"][0]
        wrong = next((i for i in range(len(question["choices"])) if i != correct), correct)
        return correct if right else wrong
    if kind == "multiple":
        return question["correct_choices"] if right else [0]
    if kind == "numeric":
        return str(question["numeric_answer"] if right else (question["numeric_answer"] or 0) + 17)
    return (question["accepted_answers"] or ["x"])[0] if right else "not this"


def run_once(port: int, people: dict, seconds: float, seed: int) -> dict:
    tokens = {}
    for n, person in enumerate(people["students"] + people["teachers"]):
        person["source"] = f"127.0.{1 + n // 250}.{1 + n % 250}"
        status, payload, _ = call(
            port,
            "POST",
            "/api/v1/auth/token/",
            body={"email": person["email"], "password": people["password"]},
            source=person["source"],
        )
        if status != 200:
            sys.exit(f"sign-in failed for {person['email']}: {status} {payload[:200]!r}")
        tokens[person["email"]] = json.loads(payload)["token"]
    latencies: dict[str, list[float]] = defaultdict(list)
    outcomes: Counter = Counter()
    refusals: Counter = Counter()
    lock = threading.Lock()
    stop_at = time.perf_counter() + seconds
    base = f"/api/v1/s/{people['slug']}"

    def student(person: dict, n: int):
        rng = random.Random(seed * 1000 + n)
        token = tokens[person["email"]]
        while time.perf_counter() < stop_at:
            question = rng.choice(person["questions"])
            status, payload, ms = call(
                port,
                "POST",
                f"{base}/mastery/answers/",
                token,
                {"question": question["pk"], "response": answer_for(question, rng)},
                person["source"],
            )
            with lock:
                latencies["practice answer (write)"].append(ms)
                outcomes["sent"] += 1
                if status == 201:
                    outcomes["acknowledged"] += 1
                else:
                    refusals[f"{status} {payload[:80].decode(errors='replace')}"] += 1
            status, _, ms = call(port, "GET", f"{base}/mastery/states/", token, source=person["source"])
            with lock:
                latencies["own mastery states (read)"].append(ms)
            time.sleep(rng.uniform(0.5, 1.5))  # reading the explanation, thinking

    def teacher(person: dict, n: int):
        rng = random.Random(seed * 1000 + 500 + n)
        token = tokens[person["email"]]
        while time.perf_counter() < stop_at:
            status, _, ms = call(
                port, "GET", f"{base}/dashboard/sections/{person['section']}/", token, source=person["source"]
            )
            with lock:
                latencies["section dashboard API (read)"].append(ms)
                if status != 200:
                    refusals[f"dashboard {status}"] += 1
            time.sleep(rng.uniform(2, 4))

    before = stored_answers()
    threads = [threading.Thread(target=student, args=(p, i)) for i, p in enumerate(people["students"])]
    threads += [threading.Thread(target=teacher, args=(p, i)) for i, p in enumerate(people["teachers"])]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    outcomes["stored"] = stored_answers() - before
    total = sum(len(v) for v in latencies.values())
    return {"rps": total / wall, "latencies": latencies, "outcomes": outcomes, "refusals": refusals}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--students", type=int, default=40)
    parser.add_argument("--teachers", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workers", type=int, default=3)
    args = parser.parse_args()
    if "REDIS_URL" not in os.environ:
        sys.exit("Set REDIS_URL (the cache and the Celery broker, as in production).")

    fresh_database()
    people = plan(args.students, args.teachers)
    port = free_port()
    env = {**os.environ}
    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "plp.wsgi", "-w", str(args.workers), "-b", f"127.0.0.1:{port}",
         "--log-level", "warning"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    worker = subprocess.Popen(
        [str(ROOT / ".venv/bin/celery"), "-A", "plp", "worker", "-c", "1", "--loglevel", "warning"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        for _ in range(100):
            try:
                call(port, "GET", "/accounts/login/")
                break
            except OSError:
                time.sleep(0.2)
        print(
            f"{len(people['students'])} students practising, {len(people['teachers'])} teachers polling, "
            f"{args.seconds:.0f} s a run, gunicorn {args.workers} workers + 1 Celery worker"
        )
        runs = []
        for run in range(args.runs):
            result = run_once(port, people, args.seconds, seed=run)
            runs.append(result)
            o = result["outcomes"]
            print(
                f"run {run + 1}: {result['rps']:.1f} requests/s; practice answers sent {o['sent']}, "
                f"acknowledged {o['acknowledged']}, stored {o['stored']}"
            )
            for reason, count in result["refusals"].most_common(5):
                print(f"    refused ×{count}: {reason}")
            if o["stored"] != o["acknowledged"]:
                sys.exit(f"LOST WRITES: {o['acknowledged']} acknowledged, {o['stored']} stored")
        print(f"\nmedians of {args.runs} runs")
        print(f"requests/s: {statistics.median(r['rps'] for r in runs):.1f}")
        print(f"{'request':34} {'p50 ms':>8} {'p95 ms':>8} {'count':>7}")
        for kind in runs[0]["latencies"]:
            p50 = statistics.median(statistics.median(r["latencies"][kind]) for r in runs)
            p95 = statistics.median(percentile(r["latencies"][kind], 0.95) for r in runs)
            count = statistics.median(len(r["latencies"][kind]) for r in runs)
            print(f"{kind:34} {p50:8.1f} {p95:8.1f} {count:7.0f}")
        sent = sum(r["outcomes"]["sent"] for r in runs)
        acked = sum(r["outcomes"]["acknowledged"] for r in runs)
        stored = sum(r["outcomes"]["stored"] for r in runs)
        print(f"writes: sent {sent}, acknowledged {acked}, stored {stored} (lost: {acked - stored})")
    finally:
        server.terminate()
        worker.terminate()
        server.wait(timeout=10)
        worker.wait(timeout=10)


if __name__ == "__main__":
    main()
