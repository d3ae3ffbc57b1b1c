"""Kolibri 0.19.5 as a benchmark peer: its coach class summary (`/coach/api/classsummary/<id>/`), the
payload behind its coach dashboard, computed fresh on every request.

Kolibri is installed by pip into the bench's own venv (bench/.kolibri-venv, ignored by git), never a project
dependency. It runs on PostgreSQL like PLP (its own database), served by its own server (`kolibri start
--foreground`). The class has the same shape as PLP's bench section: N learners, one lesson of C exercises
(PLP's competencies), a content summary log, a mastery log and attempts for every learner × exercise a
learner has started, and a few "needs help" notifications, so the summary serializes every learner ×
exercise status as PLP's dashboard shows every learner × competency estimate.

    .venv/bin/python bench/kolibri_peer.py --learners 100 --exercises 60   # provision and time 40 requests
"""

import argparse
import json
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import textwrap
import time
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

BENCH = Path(__file__).resolve().parent
VENV = BENCH / ".kolibri-venv"
KOLIBRI_VERSION = "0.19.5"
PASSWORD = "bench-pass-2026"


def install() -> Path:
    """The venv with Kolibri and psycopg2, created on first use (about 2 minutes, 100 MB from PyPI)."""
    kolibri = VENV / "bin" / "kolibri"
    if not kolibri.exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        pip = [str(VENV / "bin" / "pip"), "install", "-q"]
        subprocess.run([*pip, f"kolibri=={KOLIBRI_VERSION}", "psycopg2-binary"], check=True)
    return kolibri


def environment(home: Path, database: str) -> dict:
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO", "DATABASE", "REDIS"))},
        "KOLIBRI_HOME": str(home),
        "KOLIBRI_DATABASE_ENGINE": "postgres",
        "KOLIBRI_DATABASE_NAME": database,
        "KOLIBRI_DATABASE_USER": "postgres",
        "KOLIBRI_DATABASE_HOST": "127.0.0.1",
        "KOLIBRI_DATABASE_PORT": "5432",
        "KOLIBRI_RUN_MODE": "bench",
    }


PROVISION = textwrap.dedent(
    """
    import json, random, uuid, datetime
    from django.core.management import call_command
    from django.utils import timezone
    from kolibri.core.auth.models import Facility, FacilityUser, Classroom
    from kolibri.core.content.models import ContentNode, ChannelMetadata
    from kolibri.core.lessons.models import Lesson, LessonAssignment
    from kolibri.core.logger.models import ContentSummaryLog, ContentSessionLog, MasteryLog, AttemptLog
    from kolibri.core.notifications.models import LearnerProgressNotification

    LEARNERS, EXERCISES, SEED = {learners}, {exercises}, {seed}
    rng = random.Random(SEED)
    if not Facility.objects.exists():
        call_command("provisiondevice", facility="Bench", superusername="admin",
                     superuserpassword="{password}", preset="formal", language_id="en", interactive=False)
    facility = Facility.objects.get()
    admin = FacilityUser.objects.get(username="admin")
    classroom = Classroom.objects.create(name="Bench %d" % LEARNERS, parent=facility)
    coach = FacilityUser.objects.create_user(
        username="coach%d" % LEARNERS, password="{password}", facility=facility)
    classroom.add_coach(coach)
    channel_id = uuid.uuid4().hex
    root = ContentNode.objects.create(id=uuid.uuid4().hex, content_id=uuid.uuid4().hex, channel_id=channel_id,
                                      kind="topic", title="Bench channel", available=True)
    ChannelMetadata.objects.create(id=channel_id, name="Bench", min_schema_version="1", root=root)
    nodes = [ContentNode.objects.create(
        id=uuid.uuid4().hex, content_id=uuid.uuid4().hex, channel_id=channel_id, parent=root, kind="exercise",
        title="Exercise %d" % i, available=True,
        options={{"completion_criteria": {{
            "model": "mastery", "threshold": {{"mastery_model": "m_of_n", "m": 3, "n": 5}}}}}})
        for i in range(EXERCISES)]
    lesson = Lesson.objects.create(
        title="Bench lesson", collection=classroom, created_by=coach, is_active=True,
        resources=[{{"contentnode_id": n.id, "content_id": n.content_id, "channel_id": channel_id}}
                   for n in nodes])
    LessonAssignment.objects.create(lesson=lesson, collection=classroom, assigned_by=coach)
    now = timezone.now()
    for i in range(LEARNERS):
        learner = FacilityUser.objects.create_user(
            username="learner%d_%d" % (LEARNERS, i), password="{password}", facility=facility,
            full_name="Learner %d" % i)
        classroom.add_member(learner)
        reach = rng.randint(EXERCISES // 3, EXERCISES)   # how far into the lesson this learner has got
        for node in nodes[:reach]:
            start = now - datetime.timedelta(days=rng.randint(1, 60))
            done = rng.random() < 0.6
            summary = ContentSummaryLog.objects.create(
                user=learner, content_id=node.content_id, channel_id=channel_id, kind="exercise",
                start_timestamp=start, end_timestamp=start + datetime.timedelta(minutes=10),
                progress=1.0 if done else round(rng.random() * 0.9, 2), time_spent=rng.randint(30, 900))
            session = ContentSessionLog.objects.create(
                user=learner, content_id=node.content_id, channel_id=channel_id, kind="exercise",
                start_timestamp=start, end_timestamp=start + datetime.timedelta(minutes=10))
            mastery = MasteryLog.objects.create(
                user=learner, summarylog=summary, start_timestamp=start, mastery_level=1, complete=done,
                mastery_criterion={{"type": "m_of_n", "m": 3, "n": 5}})
            for k in range(rng.randint(1, 3)):
                AttemptLog.objects.create(
                    user=learner, masterylog=mastery, sessionlog=session, item="item-%d" % k,
                    start_timestamp=start, end_timestamp=start, correct=rng.random() < 0.7, complete=True)
            if not done and rng.random() < 0.03:
                LearnerProgressNotification.objects.create(
                    notification_object="Resource", notification_event="Help", user_id=learner.id,
                    classroom_id=classroom.id, lesson_id=lesson.id, contentnode_id=node.id, timestamp=start)
    print("CLASSROOM", json.dumps({{"id": classroom.id, "coach": coach.username, "facility": facility.id}}))
    """
)


class Kolibri:
    """A running Kolibri with one provisioned class; `fetch_summary()` is one coach request."""

    def __init__(self, *, learners: int, exercises: int, seed: int = 7):
        self.learners, self.exercises, self.seed = learners, exercises, seed
        self.home = BENCH / f".kolibri-home-{learners}x{exercises}"
        self.database = f"plp_bench_kolibri_{learners}x{exercises}"
        self.process = None

    def provision(self) -> None:
        """A fresh database and home each time (Kolibri's migrations take about a minute)."""
        kolibri = install()
        shutil.rmtree(self.home, ignore_errors=True)
        self.home.mkdir(parents=True)
        subprocess.run(
            ["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", "--force", self.database],
            check=True,
        )
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", self.database], check=True)
        env = environment(self.home, self.database)
        subprocess.run([str(kolibri), "manage", "migrate"], env=env, check=True, capture_output=True)
        script = PROVISION.format(
            learners=self.learners, exercises=self.exercises, seed=self.seed, password=PASSWORD
        )
        out = subprocess.run(
            [str(kolibri), "manage", "shell", "-c", script],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        found = re.search(r"CLASSROOM (\{.*\})", out.stdout)
        if not found:
            sys.exit(f"Kolibri provisioning failed:\n{out.stdout}\n{out.stderr}")
        self.classroom = json.loads(found.group(1))
        subprocess.run(
            ["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-d", self.database, "-c", "ANALYZE"],
            check=True,
        )

    def start(self) -> None:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        env = environment(self.home, self.database)
        self.process = subprocess.Popen(
            [str(install()), "start", "--foreground", f"--port={self.port}"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(300):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/api/public/info/", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        else:
            sys.exit("Kolibri did not start")
        self._log_in()

    def _log_in(self) -> None:
        self.jar = CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}/api/auth/session/current/", method="PUT"
        )
        self.opener.open(request)  # sets Kolibri's CSRF cookie
        csrf = next(c.value for c in self.jar if c.name == "kolibri_csrftoken")
        body = json.dumps(
            {
                "username": self.classroom["coach"],
                "password": PASSWORD,
                "facility": self.classroom["facility"],
            }
        ).encode()
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}/api/auth/session/",
            data=body,
            headers={"Content-Type": "application/json", "X-CSRFToken": csrf},
            method="POST",
        )
        self.opener.open(request)

    def fetch_summary(self) -> tuple[float, int, int]:
        """One class summary: (milliseconds, bytes uncompressed, bytes gzip-compressed if served so)."""
        url = f"http://127.0.0.1:{self.port}/coach/api/classsummary/{self.classroom['id']}/"
        request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"})
        started = time.perf_counter()
        with self.opener.open(request) as response:
            body = response.read()
            encoding = response.headers.get("Content-Encoding", "")
        elapsed = (time.perf_counter() - started) * 1000
        if encoding == "gzip":
            import gzip

            return elapsed, len(gzip.decompress(body)), len(body)
        return elapsed, len(body), len(body)

    def stop(self) -> None:
        if self.process:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--learners", type=int, default=100)
    parser.add_argument("--exercises", type=int, default=60)
    parser.add_argument("--requests", type=int, default=40)
    args = parser.parse_args()
    peer = Kolibri(learners=args.learners, exercises=args.exercises)
    t0 = time.perf_counter()
    peer.provision()
    print(
        f"provisioned Kolibri {args.learners} learners × {args.exercises} exercises "
        f"in {time.perf_counter() - t0:.0f} s"
    )
    try:
        peer.start()
        for _ in range(5):
            peer.fetch_summary()
        runs = [peer.fetch_summary() for _ in range(args.requests)]
        times = sorted(r[0] for r in runs)
        print(
            f"class summary: median {statistics.median(times):.1f} ms, "
            f"p90 {times[int(len(times) * 0.9)]:.1f} ms, "
            f"{runs[0][1] // 1024} KiB uncompressed, {runs[0][2] // 1024} KiB on the wire"
        )
    finally:
        peer.stop()


if __name__ == "__main__":
    random.seed(0)
    main()
