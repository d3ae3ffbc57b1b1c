"""Section dashboard benchmark, on PostgreSQL and Redis (the cache every worker shares), in process through
Django's test client as a logged-in teacher: 100 learners × 60 competencies seeded by dashboard/seeding.py
(the demo's shape: about 15 % of the class with a "needs attention" entry and a behind-pace flag).

    createdb plp_dashboard_bench   # any PostgreSQL database; the script migrates it
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/plp_dashboard_bench \\
        REDIS_URL=redis://127.0.0.1:6379/10 .venv/bin/python bench/dashboard_bench.py   # --runs 3 --n 30

Measures, interleaved within each run (one request of each kind in turn, n times), and prints the medians
over the runs of each run's median and p90 (ms):
* the page unchanged (the whole body from the cache, by the digest of the versions);
* the page after a learning event (one student's row rebuilt, the page put together from cached rows);
* the page fully cold (every row and the frame built: the versions of every student bumped);
* the poll after a learning event (the one changed row, out of band) and the poll with nothing new (204);
* the JSON API, full and compact shapes: bytes raw and gzipped;
then 20 teachers polling the section over HTTP (gunicorn, 3 workers as in the production image, on
loopback; 20 client threads, a poll a second each) while a learning event lands every second: p50 and p95
of the poll.

The ``measure_*`` functions take a ``Section`` (seeded, with a teacher) and a number of requests and return
the latencies in ms, so a side-by-side script (e.g. with Kolibri's class summary) can import and interleave
them: ``setup()`` seeds a section and returns it with its teacher.
"""

import argparse
import gzip
import http.client
import os
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "plp.settings")
os.environ.setdefault("DEBUG", "false")  # no query log: measure what production runs
os.environ.setdefault("SECRET_KEY", "bench-only-not-secret-" + "x" * 40)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

HOST = "127.0.0.1"
PASSWORD = "bench-pass-2026"


def setup(*, students: int = 100, competencies: int = 60, tag: str | None = None):
    """A new school with one section of ``students`` × ``competencies`` and its teacher: (section,
    teacher)."""
    from accounts.models import User
    from dashboard.seeding import section_seed
    from plp.tenancy.context import school_scope
    from schools.models import Enrollment, Membership, Organization, School, Section, Term

    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL to a PostgreSQL database.")
    call_command("migrate", verbosity=0)
    tag = tag or uuid.uuid4().hex[:6]
    org = Organization.objects.create(name=f"Bench {tag}", slug=f"bench-{tag}")
    school = School.objects.create(organization=org, name=f"Bench {tag}", slug=f"bench-{tag}")
    teacher = User.objects.create_user(email=f"teacher.{tag}@bench.plp.test", password=PASSWORD)
    with school_scope(school):
        Membership.objects.create(school=school, user=teacher, role="teacher")
        term = Term.objects.create(
            school=school, name="Bench", start_date="2026-08-17", end_date="2027-06-11"
        )
        section = Section.objects.create(school=school, term=term, name=f"Bench {students}")
        Enrollment.objects.create(school=school, section=section, user=teacher, role="teacher")
        section_seed(
            section=section, students=students, competencies=competencies, tag=f"B{tag}", seed=students
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return section, teacher


def client_for(teacher) -> Client:
    client = Client(HTTP_HOST=HOST, HTTP_ACCEPT_ENCODING="gzip")
    client.force_login(teacher)
    return client


def _urls(section) -> dict:
    kwargs = {"school_slug": section.school.slug, "section_id": section.pk}
    return {
        "page": reverse("dashboard:section", kwargs=kwargs),
        "poll": reverse("dashboard:section_grid", kwargs=kwargs),
        "api": reverse("api:dashboard_section_summary", kwargs=kwargs),
    }


class LearningEvents:
    """A learning event as the app records one: a student's mastery estimate moves and the student is
    marked for recompute (engine.enqueue.students_mark_dirty, which bumps their row's version)."""

    def __init__(self, section):
        from mastery.models import MasteryState
        from plp.tenancy.context import school_scope
        from schools.models import Enrollment

        self.section = section
        with school_scope(section.school):
            students = Enrollment.objects.filter(section=section, role="student").values("user_id")
            self.states = list(MasteryState.objects.filter(student_id__in=students).order_by("pk")[:500])
        self.i = 0

    def land(self) -> None:
        from django.db import transaction

        from plp.recompute import students_mark_dirty
        from plp.tenancy.context import school_scope

        state = self.states[self.i % len(self.states)]
        self.i += 1
        with school_scope(self.section.school), transaction.atomic():
            state.p_mastered = round(0.05 + (state.p_mastered + 0.01) % 0.9, 4)
            state.save(update_fields=["p_mastered", "updated_at"])
            students_mark_dirty(student_ids=[state.student_id])


def _timed(call) -> float:
    start = time.perf_counter()
    call()
    return (time.perf_counter() - start) * 1000


def _get(client, path, expect=200, **params):
    response = client.get(path, params)
    if response.status_code != expect:
        raise RuntimeError(f"{path}: {response.status_code}, expected {expect}")
    return response


def _digest(response) -> str:
    body = (
        gzip.decompress(response.content) if response.get("Content-Encoding") == "gzip" else response.content
    )
    return re.search(rb'data-digest="([0-9a-f]+)"', body).group(1).decode()


def measure_unchanged_page(section, n: int, *, client=None) -> list[float]:
    client = client or client_for(_teacher(section))
    page = _urls(section)["page"]
    _get(client, page)
    return [_timed(lambda: _get(client, page)) for _ in range(n)]


def measure_rebuilt_page(section, n: int, *, client=None, events=None) -> list[float]:
    """The page right after a learning event: one row rebuilt, the rest read from the cache."""
    client = client or client_for(_teacher(section))
    events = events or LearningEvents(section)
    page = _urls(section)["page"]
    out = []
    for _ in range(n):
        events.land()
        out.append(_timed(lambda: _get(client, page)))
    return out


def _bump_all(section) -> None:
    from plp.versions import students_touch
    from schools.models import Enrollment

    students = Enrollment.objects.unscoped().filter(section=section, role="student")
    students_touch(student_ids=students.values_list("user_id", flat=True))


def measure_cold_page(section, n: int, *, client=None) -> list[float]:
    """The page with every row stale (every student's version bumped): the whole dashboard built."""
    client = client or client_for(_teacher(section))
    page = _urls(section)["page"]
    out = []
    for _ in range(n):
        _bump_all(section)
        out.append(_timed(lambda: _get(client, page)))
    return out


def measure_poll(section, n: int, *, client=None, events=None, changed: bool = True) -> list[float]:
    """The poll of an open page: after a learning event (the changed row, out of band), or with nothing
    new (204)."""
    client = client or client_for(_teacher(section))
    events = events or LearningEvents(section)
    urls = _urls(section)
    digest = _digest(_get(client, urls["poll"]))
    out = []
    for _ in range(n):
        if changed:
            events.land()
        start = time.perf_counter()
        response = _get(client, urls["poll"], 200 if changed else 204, digest=digest)
        out.append((time.perf_counter() - start) * 1000)
        if changed:
            digest = (
                re.search(rb'data-digest="([0-9a-f]+)"', gzip.decompress(response.content)).group(1).decode()
            )
    return out


def api_bytes(section, *, client=None) -> dict[str, tuple[int, int]]:
    """The JSON API's bytes, raw and gzipped, by shape."""
    client = client or client_for(_teacher(section))
    api = _urls(section)["api"]
    sizes = {}
    for shape in ("full", "compact"):
        raw = Client(HTTP_HOST=HOST)
        raw.force_login(_teacher(section))
        plain = len(_get(raw, api, shape=shape).content)
        packed = _get(client, api, shape=shape)
        assert packed["Content-Encoding"] == "gzip"
        sizes[shape] = (plain, len(packed.content))
    return sizes


def measure_api(section, n: int, *, client=None, events=None, shape: str = "compact") -> list[float]:
    """The API after a learning event (one row rebuilt), gzipped."""
    client = client or client_for(_teacher(section))
    events = events or LearningEvents(section)
    api = _urls(section)["api"]
    out = []
    for _ in range(n):
        events.land()
        out.append(_timed(lambda: _get(client, api, shape=shape)))
    return out


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def _http(port: int, path: str, cookie: str = "", method: str = "GET", body: str = "", headers=None):
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    all_headers = {"Cookie": cookie, "Accept-Encoding": "gzip", **(headers or {})}
    if body:
        all_headers["Content-Type"] = "application/x-www-form-urlencoded"
    conn.request(method, path, body=body or None, headers=all_headers)
    response = conn.getresponse()
    data = response.read()
    conn.close()
    if response.getheader("Content-Encoding") == "gzip":
        data = gzip.decompress(data)
    return response, data


def _log_in(port: int, email: str) -> str:
    response, body = _http(port, "/accounts/login/")
    csrf = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie", "")).group(1)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()
    response, _ = _http(
        port,
        "/accounts/login/",
        cookie=f"csrftoken={csrf}",
        method="POST",
        body=urlencode({"csrfmiddlewaretoken": token, "username": email, "password": PASSWORD}),
        headers={"Referer": f"http://{HOST}:{port}/accounts/login/"},
    )
    session = re.search(r"sessionid=([^;]+)", response.getheader("Set-Cookie", ""))
    if not session:
        sys.exit(f"login failed: {response.status}")
    return f"sessionid={session.group(1)}; csrftoken={csrf}"


def polling_simulation(
    section, *, teachers: int = 20, seconds: float = 20.0, workers: int = 3
) -> list[float]:
    """``teachers`` clients (threads) with the page open, each polling about once a second (a real page
    polls every DASHBOARD_POLL_SECONDS, 5), against gunicorn on loopback (``workers`` sync workers, as the
    production image), while a learning event lands every second: the polls' latencies (ms)."""
    import random

    port = _free_port()
    env = {**os.environ, "ALLOWED_HOSTS": HOST}
    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "plp.wsgi", "-w", str(workers), "-b", f"{HOST}:{port}",
         "--log-level", "warning"],
        cwd=ROOT,
        env=env,
    )  # fmt: skip
    try:
        for _ in range(150):
            try:
                _http(port, "/accounts/login/")
                break
            except OSError:
                time.sleep(0.2)
        cookie = _log_in(port, _teacher(section).email)
        poll = _urls(section)["poll"]
        for _ in range(2 * workers):
            _http(port, _urls(section)["page"], cookie)  # every worker warm
        latencies: list[float] = []
        lock = threading.Lock()
        stop = threading.Event()

        def teacher_polls(seed: int):
            rng = random.Random(seed)
            _, body = _http(port, poll, cookie)
            digest = re.search(rb'data-digest="([0-9a-f]+)"', body).group(1).decode()
            mine = []
            time.sleep(rng.uniform(0, 1))
            while not stop.is_set():
                start = time.perf_counter()
                response, body = _http(port, f"{poll}?digest={digest}", cookie)
                mine.append((time.perf_counter() - start) * 1000)
                if response.status == 200:
                    digest = re.search(rb'data-digest="([0-9a-f]+)"', body).group(1).decode()
                time.sleep(max(0.0, rng.uniform(0.8, 1.2) - mine[-1] / 1000))
            with lock:
                latencies.extend(mine)

        events = LearningEvents(section)
        threads = [threading.Thread(target=teacher_polls, args=(i,)) for i in range(teachers)]
        for t in threads:
            t.start()
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            time.sleep(1.0)
            events.land()  # a learning event a second, from this process as a worker would write it
        stop.set()
        for t in threads:
            t.join()
        return latencies
    finally:
        server.terminate()
        server.wait(timeout=10)


_TEACHERS: dict[int, object] = {}


def _teacher(section):
    teacher = _TEACHERS.get(section.pk)
    if teacher is None:
        from schools.models import Enrollment

        teacher = Enrollment.objects.unscoped().filter(section=section, role="teacher").first().user
        _TEACHERS[section.pk] = teacher
    return teacher


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--n", type=int, default=30, help="requests of each kind per run")
    parser.add_argument("--students", type=int, default=100)
    parser.add_argument("--competencies", type=int, default=60)
    parser.add_argument("--teachers", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=20.0, help="length of the polling simulation")
    parser.add_argument("--polls-only", action="store_true", help="only the polling simulation")
    args = parser.parse_args()

    print("load average at the start: {:.1f} {:.1f} {:.1f}".format(*os.getloadavg()))
    start = time.perf_counter()
    section, teacher = setup(students=args.students, competencies=args.competencies)
    _TEACHERS[section.pk] = teacher
    print(f"seeded {args.students} × {args.competencies} in {time.perf_counter() - start:.1f} s")
    if args.polls_only:
        _polls(section, args)
        return
    client, events = client_for(teacher), LearningEvents(section)
    one = {"client": client}
    measures = {
        "page unchanged (cache hit)": lambda: measure_unchanged_page(section, 1, **one),
        "page after a learning event (one row)": lambda: measure_rebuilt_page(
            section, 1, **one, events=events
        ),
        "page cold (every row built)": lambda: measure_cold_page(section, 1, **one),
        "poll after a learning event (one row)": lambda: measure_poll(section, 1, **one, events=events),
        "poll, nothing new (204)": lambda: measure_poll(section, 1, **one, changed=False),
        "API compact after a learning event": lambda: measure_api(section, 1, **one, events=events),
    }
    for measure in measures.values():
        measure()  # warm
    results: dict[str, list[tuple[float, float]]] = {}
    for run in range(args.runs):
        samples: dict[str, list[float]] = {name: [] for name in measures}
        for _ in range(args.n):  # interleaved: one of each in turn
            for name, measure in measures.items():
                samples[name].extend(measure())
        for name, values in samples.items():
            results.setdefault(name, []).append((statistics.median(values), percentile(values, 0.9)))
        print(f"run {run + 1} done")
    page = client.get(_urls(section)["page"])
    plain = Client(HTTP_HOST=HOST)
    plain.force_login(teacher)
    raw_page = len(plain.get(_urls(section)["page"]).content)
    size = f"{args.students} × {args.competencies}"
    print(f"\nmedians of {args.runs} runs, {args.n} interleaved requests each ({size}):")
    print(f"{'measure':42} {'median ms':>10} {'p90 ms':>8}")
    for name, runs in results.items():
        median, p90 = statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)
        print(f"{name:42} {median:10.1f} {p90:8.1f}")
    print(f"page bytes: {raw_page / 1024:.1f} KiB raw, {len(page.content) / 1024:.1f} KiB gzip")
    for shape, (raw, packed) in api_bytes(section, client=client).items():
        print(f"API {shape}: {raw / 1024:.1f} KiB raw, {packed / 1024:.1f} KiB gzip")
    _polls(section, args)


def _polls(section, args) -> None:
    polls = polling_simulation(section, teachers=args.teachers, seconds=args.seconds)
    print(
        f"{args.teachers} teachers polling, a learning event a second: {len(polls)} polls, "
        f"p50 {statistics.median(polls):.1f} ms, p95 {percentile(polls, 0.95):.1f} ms"
    )
    print("load average at the end: {:.1f} {:.1f} {:.1f}".format(*os.getloadavg()))


if __name__ == "__main__":
    main()
