"""Settings come from the environment; production mode passes Django's deployment checks."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from plp.env import env_bool, env_list

ROOT = Path(__file__).resolve().parents[2]
STRONG_KEY = "x9!Qm2#vL7@pR4$kT8^wZ1&nB6*cY3(hJ5)dF0_sG-eA+uK=oI"


def _manage(*args, **env):
    unset = {"SECRET_KEY", "DEBUG", "PLP_ENV", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    base = {k: v for k, v in os.environ.items() if k not in unset}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, "DATABASE_URL": "sqlite:///:memory:", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_mode_passes_check_deploy_without_warnings():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        PLP_ENV="production",
        SECRET_KEY=STRONG_KEY,
        ALLOWED_HOSTS="plp.example.org",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_mode_refuses_to_start_without_a_secret_key():
    result = _manage("check", PLP_ENV="production", ALLOWED_HOSTS="plp.example.org")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_mode_refuses_to_start_without_allowed_hosts():
    result = _manage("check", PLP_ENV="production", SECRET_KEY=STRONG_KEY)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must be set" in result.stderr


def test_env_bool_names_the_variable_it_cannot_read(monkeypatch):
    monkeypatch.setenv("SOME_FLAG", "perhaps")
    with pytest.raises(ImproperlyConfigured, match="SOME_FLAG"):
        env_bool("SOME_FLAG", default=False)
    monkeypatch.setenv("SOME_FLAG", "TRUE")
    assert env_bool("SOME_FLAG", default=False) is True


def test_env_list_splits_on_commas_and_drops_blanks(monkeypatch):
    monkeypatch.setenv("HOSTS", " a.example , ,b.example")
    assert env_list("HOSTS", default=[]) == ["a.example", "b.example"]


def test_without_redis_celery_runs_tasks_eagerly_and_with_it_uses_the_broker():
    from django.conf import settings

    if os.environ.get("REDIS_URL"):
        assert settings.CELERY_TASK_ALWAYS_EAGER is False
        assert os.environ["REDIS_URL"] == settings.CELERY_BROKER_URL
    else:
        assert settings.CELERY_TASK_ALWAYS_EAGER is True
