"""`make run` seeds the demo only into an empty database (`seed_demo --if-empty`) and takes PORT=."""

import re
import time
from io import StringIO
from pathlib import Path

from django.conf import settings
from django.core.management import call_command

from accounts.models import User
from schools.models import School
from tests.factories import UserFactory


def test_if_empty_seeds_an_empty_database_then_is_a_fast_no_op(db):
    first = StringIO()
    call_command("seed_demo", "--if-empty", "--students", "2", stdout=first)
    assert School.objects.filter(organization__slug="demo-usd").count() == 2
    assert "teacher.cedar@demo.plp.test" in first.getvalue()
    users = User.objects.count()

    second = StringIO()
    started = time.perf_counter()
    call_command("seed_demo", "--if-empty", "--students", "5", stdout=second)
    assert time.perf_counter() - started < 1.0
    assert User.objects.count() == users  # nothing was added (5 students would have been)
    printed = second.getvalue()
    assert "not seeding" in printed
    assert "teacher.cedar@demo.plp.test" in printed and "plp-demo-2026" in printed  # the logins, still


def test_if_empty_leaves_a_database_with_data_alone(db):
    UserFactory(email="someone@example.test")
    out = StringIO()
    call_command("seed_demo", "--if-empty", stdout=out)
    assert not School.objects.exists()
    assert User.objects.count() == 1
    assert "not seeding" in out.getvalue()


def test_make_run_seeds_only_when_empty_and_takes_a_port():
    makefile = (Path(settings.BASE_DIR) / "Makefile").read_text()
    run = makefile.split("\nrun:", 1)[1].split("\n\n", 1)[0]
    assert "seed_demo --if-empty" in run
    assert re.search(r"runserver 127\.0\.0\.1:\$\(PORT\)", run)
    assert re.search(r"^PORT \?= 8000$", makefile, re.MULTILINE)
