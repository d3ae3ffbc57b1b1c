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
PRODUCTION = {
    "PLP_ENV": "production",
    "SECRET_KEY": STRONG_KEY,
    "ALLOWED_HOSTS": "plp.example.org",
    "REDIS_URL": "redis://cache.example.org:6379/0",
}
SMTP = {"EMAIL_HOST": "smtp.example.org", "DEFAULT_FROM_EMAIL": "PLP <plp@example.org>"}


def _manage(*args, **env):
    unset = {"SECRET_KEY", "DEBUG", "PLP_ENV", "DJANGO_ALLOW_ASYNC_UNSAFE", "REDIS_URL"}
    base = {k: v for k, v in os.environ.items() if k not in unset and not k.startswith("EMAIL_")}
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
        REDIS_URL="redis://cache.example.org:6379/0",
        **SMTP,
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


def test_production_mode_refuses_to_start_without_a_mail_server():
    """Without one, invitation links (valid for days) would be written to the server log, not sent."""
    result = _manage("check", **PRODUCTION)
    assert result.returncode != 0
    assert "EMAIL_HOST" in result.stderr and "console" in result.stderr


@pytest.mark.parametrize("backend", ["console", "locmem", "dummy", "filebased"])
def test_production_mode_refuses_a_backend_that_sends_nothing(backend):
    result = _manage(
        "check", **PRODUCTION, **SMTP, EMAIL_BACKEND=f"django.core.mail.backends.{backend}.EmailBackend"
    )
    assert result.returncode != 0
    assert "does not send mail" in result.stderr


@pytest.mark.parametrize("sender", [None, ""])  # unset, or empty as docker-compose passes it
def test_production_mode_refuses_the_placeholder_sender(sender):
    given = {} if sender is None else {"DEFAULT_FROM_EMAIL": sender}
    result = _manage("check", **PRODUCTION, EMAIL_HOST="smtp.example.org", **given)
    assert result.returncode != 0
    assert "DEFAULT_FROM_EMAIL" in result.stderr


def test_production_mode_sends_mail_over_smtp_as_the_environment_says():
    shown = "from django.conf import settings as s; print(s.EMAIL_BACKEND, s.EMAIL_HOST, s.EMAIL_PORT, " + (
        "s.EMAIL_HOST_USER, s.EMAIL_HOST_PASSWORD, s.EMAIL_USE_TLS, s.DEFAULT_FROM_EMAIL)"
    )
    result = _manage(
        "shell",
        "-c",
        shown,
        **PRODUCTION,
        **SMTP,
        EMAIL_PORT="2525",
        EMAIL_HOST_USER="plp",
        EMAIL_HOST_PASSWORD="s3cret",
        EMAIL_USE_TLS="false",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1].split() == [
        "django.core.mail.backends.smtp.EmailBackend",
        "smtp.example.org",
        "2525",
        "plp",
        "s3cret",
        "False",
        "PLP",
        "<plp@example.org>",
    ]


def test_development_mode_writes_mail_to_the_console_without_a_mail_server():
    result = _manage("shell", "-c", "from django.conf import settings as s; print(s.EMAIL_BACKEND)")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "django.core.mail.backends.console.EmailBackend"


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


@pytest.mark.parametrize("database", ["plp_one", "plp_two"])
def test_the_redis_cache_keys_carry_the_database_name(database):
    shown = _manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.CACHES['default'].get('KEY_PREFIX'))",
        DATABASE_URL=f"postgres://nobody@127.0.0.1:5432/{database}",
        REDIS_URL="redis://127.0.0.1:6379/0",
    )
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.strip().splitlines()[-1] == f"plp:{database}"


def test_sqlite_makes_a_second_writer_wait_instead_of_failing_database_is_locked():
    """The walk's check page: an autosave (htmx, on change) and the submit POST overlap; with SQLite's
    default deferred transactions one of them answered 500 "database is locked"."""
    result = _manage(
        "shell",
        "-c",
        "from django.conf import settings; o = settings.DATABASES['default']['OPTIONS']; "
        "print(o['transaction_mode'], o['timeout'])",
        DATABASE_URL="sqlite:////tmp/plp-settings-test.sqlite3",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-2:] == ["IMMEDIATE", "20"]
