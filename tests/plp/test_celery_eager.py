"""With the embedded default (no Redis: Celery eager), a task the apps send by its registered name runs in
the web process: a recompute after a student's answer, a what-if's replay, a roster check and import. Celery
drops a by-name send it has not registered ("AlwaysEagerIgnored"), which left Next up stale and what-ifs
queued in `make run`; the web process registers every app's tasks at start-up, as a worker does."""

import json
import os
import subprocess
import sys
from pathlib import Path

from engine.enqueue import RECOMPUTE_STUDENT
from engine.sandbox.runs import SANDBOX_REPLAY
from schools.rostering.services import ROSTER_CHECK, ROSTER_IMPORT

ROOT = Path(__file__).resolve().parents[2]

_PROBE = """
import json, django
django.setup()
from django.conf import settings
from plp.celery import app
print(json.dumps({"eager": settings.CELERY_TASK_ALWAYS_EAGER, "tasks": sorted(app.tasks.keys())}))
"""


def _web_process(**env_changes) -> dict:
    """A fresh process set up as `manage.py runserver` is (no task module imported by hand)."""
    env = {key: value for key, value in os.environ.items() if key != "REDIS_URL"}
    env.update(DJANGO_SETTINGS_MODULE="plp.settings", **env_changes)
    run = subprocess.run(
        [sys.executable, "-c", _PROBE], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return json.loads(run.stdout.strip().splitlines()[-1])


def test_the_embedded_default_registers_every_task_the_apps_send_by_name():
    web = _web_process(DATABASE_URL="sqlite:///:memory:")
    assert web["eager"] is True
    for name in (RECOMPUTE_STUDENT, SANDBOX_REPLAY, ROSTER_CHECK, ROSTER_IMPORT):
        assert name in web["tasks"], name


def test_with_a_broker_the_web_process_leaves_the_tasks_to_the_worker():
    web = _web_process(DATABASE_URL="sqlite:///:memory:", REDIS_URL="redis://127.0.0.1:6379/0")
    assert web["eager"] is False
    assert RECOMPUTE_STUDENT not in web["tasks"]  # sent by name; the worker has it (test_celery_worker)
