"""Section dashboard benchmark: a 100-student and a 200-student section × 60 competencies on PostgreSQL and
Redis (the cache), served by gunicorn (3 workers, as in the production image), as a logged-in teacher.

    createdb plp_dashboard_bench   # any PostgreSQL database; the script migrates it
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/plp_dashboard_bench \
        REDIS_URL=redis://127.0.0.1:6379/10 .venv/bin/python bench/dashboard_bench.py

Measures, 3 runs each, and prints the medians of the runs:
* sequential latency of the full dashboard page (100 and 200 students), of the whole grid partial, of the
  poll that answers 204, and of the page right after a learning event changed the section (built anew,
  not served from the cache) (goal: median under 45 ms for the 100-student page);
* 20 teachers at once from a second process (threads, started with multiprocessing), each acting about
  once a second: polls, sorts and filters, page reloads (goal: p95 under 150 ms);
* 20 clients loading the whole page back to back with no pause (saturation: throughput, and the latency
  that queueing for two cores gives).
"""

import argparse
import gzip
import http.client
import multiprocessing
import os
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
import zlib
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "plp.settings")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "bench-only-not-secret-" + "x" * 40)

PASSWORD = "bench-pass-2026"


def seed(tag: str) -> dict:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from accounts.models import User
    from dashboard.seeding import section_seed
    from plp.tenancy.context import school_scope
    from schools.models import Enrollment, Membership, Organization, School, Section, Term

    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL to a PostgreSQL database.")
    call_command("migrate", verbosity=0)
    org = Organization.objects.create(name=f"Bench {tag}", slug=f"bench-{tag}")
    school = School.objects.create(organization=org, name=f"Bench {tag}", slug=f"bench-{tag}")
    teacher = User.objects.create_user(email=f"teacher.{tag}@bench.plp.test", password=PASSWORD)
    sections = {}
    with school_scope(school):
        Membership.objects.create(school=school, user=teacher, role="teacher")
        term = Term.objects.create(
            school=school, name="Bench", start_date="2026-08-17", end_date="2027-06-11"
        )
        for students in (100, 200):
            section = Section.objects.create(school=school, term=term, name=f"Bench {students}")
            Enrollment.objects.create(school=school, section=section, user=teacher, role="teacher")
            section_seed(
                section=section, students=students, competencies=60, tag=f"B{students}{tag}", seed=students
            )
            sections[students] = section.pk
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # as a live database would have: statistics that include the new school
    return {"slug": school.slug, "email": teacher.email, "sections": sections, "school": school}


def section_states(school, section_id: int) -> list:
    from mastery.models import MasteryState
    from plp.tenancy.context import school_scope
    from schools.models import Enrollment

    with school_scope(school):
        students = Enrollment.objects.filter(section_id=section_id, role="student").values("user_id")
        return list(MasteryState.objects.filter(student_id__in=students).order_by("pk")[:200])


def touch(school, state) -> None:
    """A learning event in the section: one mastery estimate moves, so the next page is built anew."""
    from plp.tenancy.context import school_scope

    with school_scope(school):
        state.p_mastered = round(0.05 + (state.p_mastered + 0.01) % 0.9, 4)
        state.save(update_fields=["p_mastered", "updated_at"])


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def request(port: int, path: str, cookie: str = "", method: str = "GET", body: str = "", headers=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    all_headers = {"Cookie": cookie, "Accept-Encoding": "gzip, deflate", **(headers or {})}  # as browsers do
    if body:
        all_headers["Content-Type"] = "application/x-www-form-urlencoded"
    conn.request(method, path, body=body or None, headers=all_headers)
    response = conn.getresponse()
    data = response.read()
    conn.close()
    return response, data


def decoded(response, body: bytes) -> bytes:
    encoding = response.getheader("Content-Encoding", "")
    return gzip.decompress(body) if encoding == "gzip" else zlib.decompress(body) if encoding else body


def log_in(port: int, email: str) -> str:
    response, body = request(port, "/accounts/login/")
    csrf_cookie = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie", "")).group(1)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()
    response, _ = request(
        port,
        "/accounts/login/",
        cookie=f"csrftoken={csrf_cookie}",
        method="POST",
        body=urlencode({"csrfmiddlewaretoken": token, "username": email, "password": PASSWORD}),
        headers={"Referer": f"http://127.0.0.1:{port}/accounts/login/"},
    )
    session = re.search(r"sessionid=([^;]+)", response.getheader("Set-Cookie", ""))
    if not session:
        sys.exit(f"login failed: {response.status}")
    return f"sessionid={session.group(1)}; csrftoken={csrf_cookie}"


def timed(port: int, path: str, cookie: str, expect: int, headers=None) -> float:
    start = time.perf_counter()
    response, _ = request(port, path, cookie, headers=headers)
    elapsed = (time.perf_counter() - start) * 1000
    if response.status != expect and not (expect is None and response.status in (200, 204)):
        raise RuntimeError(f"{path}: {response.status}, expected {expect}")
    return elapsed


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def concurrent_clients(port: int, path: str, cookie: str, clients: int, per_client: int, out) -> None:
    """Runs in a second process: ``clients`` threads, each a teacher loading the page in a loop."""
    latencies: list[float] = []
    lock = threading.Lock()

    def run():
        mine = [timed(port, path, cookie, 200) for _ in range(per_client)]
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=run) for _ in range(clients)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    out.put((latencies, time.perf_counter() - start))


def paced_teachers(port: int, paths: dict, cookie: str, clients: int, actions: int, out) -> None:
    """Runs in a second process: ``clients`` teachers with the dashboard open, each acting about once a
    second (0.5-1.5 s apart, far busier than a teacher in class): mostly the page's own poll (unchanged,
    204), sometimes a sort or filter (the grid partial) or a reload of the whole page."""
    import random

    latencies: dict[str, list[float]] = {}
    lock = threading.Lock()

    def run(seed: int):
        rng = random.Random(seed)
        mine: dict[str, list[float]] = {}
        time.sleep(rng.uniform(0, 1))
        for _ in range(actions):
            kind = rng.choices(["poll", "sort", "page"], weights=[6, 3, 1])[0]
            path, expect, headers = paths[kind][rng.randrange(len(paths[kind]))]
            mine.setdefault(kind, []).append(timed(port, path, cookie, expect, headers))
            time.sleep(rng.uniform(0.5, 1.5))
        with lock:
            for kind, values in mine.items():
                latencies.setdefault(kind, []).extend(values)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    out.put(latencies)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--requests", type=int, default=40, help="sequential requests per measure and run")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--per-client", type=int, default=10, help="page loads per client, saturation test")
    parser.add_argument("--actions", type=int, default=30, help="actions per teacher, human-paced test")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers (the production image: 3)")
    args = parser.parse_args()

    tag = uuid.uuid4().hex[:6]
    t0 = time.perf_counter()
    info = seed(tag)
    print(f"seeded 100 + 200 students × 60 competencies in {time.perf_counter() - t0:.1f} s")
    port = free_port()
    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "plp.wsgi", "-w", str(args.workers), "-b", f"127.0.0.1:{port}",
         "--log-level", "warning"],
        cwd=ROOT,
        env={**os.environ},
    )  # fmt: skip
    try:
        for _ in range(100):
            try:
                request(port, "/accounts/login/")
                break
            except OSError:
                time.sleep(0.2)
        cookie = log_in(port, info["email"])
        base = f"/s/{info['slug']}/dashboard/sections"
        page100 = f"{base}/{info['sections'][100]}/"
        page200 = f"{base}/{info['sections'][200]}/"
        grid100 = f"{base}/{info['sections'][100]}/grid/"
        for path in (page100, page200, grid100):
            for _ in range(5):
                timed(port, path, cookie, 200)  # warm both workers

        def current_poll() -> str:
            """The grid's polling URL with the digest the page holds now (data change it)."""
            response, body = request(port, grid100, cookie)
            digest = re.search(rb'data-digest="([0-9a-f]+)"', decoded(response, body)).group(1).decode()
            return f"{grid100}?digest={digest}"

        _, body = request(port, grid100, cookie)
        _, page_body = request(port, page100, cookie)
        print(
            f"transferred (gzip): page 100×60 {len(page_body) // 1024} KiB, "
            f"grid partial {len(body) // 1024} KiB, unchanged poll 0 bytes (204)"
        )

        states = section_states(info["school"], info["sections"][100])
        htmx = {"HX-Request": "true", "HX-Target": "grid"}
        queries = ("sort=pace", "sort=flags", "sort=progress", "flagged=on", "pace=behind", "sort=name")
        sorts = [(f"{page100}?{query}", 200, htmx) for query in queries]

        results: dict[str, list[tuple[float, float]]] = {}
        throughput: list[float] = []
        for run in range(args.runs):
            poll = current_poll()
            for name, path, expect in (
                ("page 100×60", page100, 200),
                ("page 200×60", page200, 200),
                ("grid 100×60 (whole grid, no digest held)", grid100, 200),
                ("poll 100×60 (unchanged → 204)", poll, 204),
            ):
                lat = [timed(port, path, cookie, expect) for _ in range(args.requests)]
                results.setdefault(name, []).append((statistics.median(lat), percentile(lat, 0.95)))
            rebuilt = []
            for i in range(args.requests):
                touch(info["school"], states[i % len(states)])
                rebuilt.append(timed(port, page100, cookie, 200))
            results.setdefault("page 100×60 after a change (built anew)", []).append(
                (statistics.median(rebuilt), percentile(rebuilt, 0.95))
            )
            paced_paths = {
                "poll": [(current_poll(), 204, None)],
                "sort": sorts,
                "page": [(page100, 200, None)],
            }
            for path, expect, headers in sorts:
                timed(port, path, cookie, expect, headers)  # teachers have seen these sorts before
            for label, changing in (("", False), (", students working", True)):
                if changing:  # a learning event a second: polls find a new grid, built once for all
                    paced_paths["poll"] = [(current_poll(), None, None)]
                stop = threading.Event()

                def students_working(stop=stop):
                    i = 0
                    while not stop.wait(1.0):
                        touch(info["school"], states[i % len(states)])
                        i += 1

                worker = threading.Thread(target=students_working)
                if changing:
                    worker.start()
                queue = multiprocessing.Queue()
                proc = multiprocessing.Process(
                    target=paced_teachers, args=(port, paced_paths, cookie, args.clients, args.actions, queue)
                )
                proc.start()
                paced = queue.get()
                proc.join()
                stop.set()
                if changing:
                    worker.join()
                every = [v for values in paced.values() for v in values]
                results.setdefault(f"{args.clients} teachers at human pace{label}", []).append(
                    (statistics.median(every), percentile(every, 0.95))
                )
                for kind in ("page", "sort", "poll"):
                    if paced.get(kind):
                        results.setdefault(f"  {kind}{label}", []).append(
                            (statistics.median(paced[kind]), percentile(paced[kind], 0.95))
                        )
            queue = multiprocessing.Queue()
            proc = multiprocessing.Process(
                target=concurrent_clients, args=(port, page100, cookie, args.clients, args.per_client, queue)
            )
            proc.start()
            lat, wall = queue.get()
            proc.join()
            results.setdefault(f"{args.clients} clients loading the page back to back", []).append(
                (statistics.median(lat), percentile(lat, 0.95))
            )
            throughput.append(len(lat) / wall)
            print(f"run {run + 1}: back-to-back throughput {len(lat) / wall:.1f} req/s")
        print(f"\nmedians of {args.runs} runs (ms):")
        print(f"{'measure':45} {'median':>8} {'p95':>8}")
        for name, runs in results.items():
            med = statistics.median(r[0] for r in runs)
            p95 = statistics.median(r[1] for r in runs)
            print(f"{name:45} {med:8.1f} {p95:8.1f}")
        print(f"back-to-back throughput: {statistics.median(throughput):.1f} requests/s (median of runs)")
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
