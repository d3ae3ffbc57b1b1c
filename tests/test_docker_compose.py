"""docker-compose.yml describes the production shape and validates with the compose tool."""

import functools
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_it_has_web_worker_beat_postgres_redis_minio_and_one_off_migrate_and_bucket_setup(compose):
    assert set(compose["services"]) == {
        "db",
        "redis",
        "minio",
        "minio-init",
        "migrate",
        "web",
        "worker",
        "beat",
    }
    assert "gunicorn" in compose["services"]["web"]["command"]
    assert compose["services"]["migrate"]["restart"] == "no"
    assert compose["services"]["minio-init"]["restart"] == "no"


def test_services_start_only_once_their_dependencies_are_healthy(compose):
    services = compose["services"]
    for name in ("db", "redis", "minio", "web", "worker"):
        assert "healthcheck" in services[name], name
    for name in ("web", "worker", "beat"):
        assert services[name]["depends_on"]["migrate"]["condition"] == ("service_completed_successfully")
        assert services[name]["depends_on"]["redis"]["condition"] == "service_healthy"
        assert services[name]["depends_on"]["minio-init"]["condition"] == "service_completed_successfully"
    assert services["minio-init"]["depends_on"]["minio"]["condition"] == "service_healthy"
    assert services["migrate"]["depends_on"]["db"]["condition"] == "service_healthy"


def test_the_app_runs_in_production_mode_against_postgres_and_redis(compose):
    env = compose["services"]["web"]["environment"]
    assert env["PLP_ENV"] == "production"
    assert env["DATABASE_URL"].startswith("postgres://")
    assert env["REDIS_URL"].startswith("redis://")


def test_the_mail_server_and_sender_come_from_the_environment(compose):
    env = compose["services"]["web"]["environment"]
    for name in ("EMAIL_HOST", "EMAIL_PORT", "EMAIL_HOST_USER", "EMAIL_HOST_PASSWORD", "EMAIL_USE_TLS"):
        assert env[name].startswith(f"${{{name}"), name
    assert env["DEFAULT_FROM_EMAIL"] == "${DEFAULT_FROM_EMAIL:-}"  # no default: production refuses to start


def test_secrets_come_from_the_environment_with_no_default(compose):
    """No deployment runs on a password written in the repository: compose refuses to start without them."""
    env = compose["services"]["web"]["environment"]
    assert env["SECRET_KEY"].startswith("${SECRET_KEY:?")
    assert "${PLP_APP_DB_PASSWORD:?" in env["DATABASE_URL"]  # the app role; the owner for migrate only
    assert compose["services"]["db"]["environment"]["POSTGRES_PASSWORD"].startswith("${POSTGRES_PASSWORD:?")
    text = (ROOT / "docker-compose.yml").read_text()
    assert "postgres://plp:plp@" not in text and "POSTGRES_PASSWORD: plp" not in text
    for service in compose["services"].values():
        for name, value in (service.get("environment") or {}).items():
            if "PASSWORD" in name or "SECRET" in name:
                defaults = re.findall(r"\$\{\w+:-([^}]*)\}", str(value))
                assert not any(defaults), f"{name} has a default value: {value}"


def _compose_command():
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    if shutil.which("docker"):
        probe = subprocess.run(["docker", "compose", "version"], capture_output=True)
        if probe.returncode == 0:
            return ["docker", "compose"]
    return None


def test_the_compose_tool_validates_the_file():
    command = _compose_command()
    if command is None:
        pytest.skip("needs docker compose or docker-compose (apt-get install docker-compose)")
    secrets = {
        "SECRET_KEY": "test-only-secret",
        "POSTGRES_PASSWORD": "owner-secret",
        "PLP_APP_DB_PASSWORD": "app-secret",
        "MINIO_ROOT_PASSWORD": "minio-root-secret",
        "PLP_S3_SECRET_ACCESS_KEY": "files-secret",
    }
    run = functools.partial(subprocess.run, cwd=ROOT, capture_output=True, text=True, timeout=60)
    result = run([*command, "config", "-q"], env={**_env_without_secrets(), **secrets})
    assert result.returncode == 0, result.stderr
    for missing in secrets:  # no default secret: without any one of them the file does not even validate
        refused = run([*command, "config", "-q"], env={**_env_without_secrets(), **secrets, missing: ""})
        assert refused.returncode != 0 and missing in refused.stderr, f"compose started without {missing}"


def _env_without_secrets() -> dict[str, str]:
    return {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "SECRET_KEY",
            "POSTGRES_PASSWORD",
            "PLP_APP_DB_PASSWORD",
            "MINIO_ROOT_PASSWORD",
            "PLP_S3_SECRET_ACCESS_KEY",
        }
    }


def test_the_app_connects_as_the_app_role_and_migrations_run_as_the_owner(compose):
    services = compose["services"]
    for name in ("web", "worker", "beat"):
        url = services[name]["environment"]["DATABASE_URL"]
        assert url.startswith("postgres://plp_app:${PLP_APP_DB_PASSWORD:?"), (name, url)
    migrate = services["migrate"]["environment"]
    assert migrate["DATABASE_URL"].startswith("postgres://plp:${POSTGRES_PASSWORD:?")
    assert migrate["PLP_ENV"] == "production"  # the rest of the app's environment, merged in
    db = services["db"]
    assert db["environment"]["POSTGRES_PASSWORD"].startswith("${POSTGRES_PASSWORD:?")
    assert "./docker/postgres-init:/docker-entrypoint-initdb.d:ro" in db["volumes"]
    script = (ROOT / "docker/postgres-init/10-plp-app-role.sh").read_text()
    assert "NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE" in script


def test_handed_in_files_go_to_a_private_minio_bucket_with_a_key_of_the_apps_own(compose):
    services = compose["services"]
    env = services["web"]["environment"]
    assert env["PLP_SUBMISSION_STORAGE"] == "${PLP_SUBMISSION_STORAGE:-s3}"
    assert env["PLP_S3_ENDPOINT_URL"] == "${PLP_S3_ENDPOINT_URL:-http://minio:9000}"
    assert env["PLP_S3_SECRET_ACCESS_KEY"].startswith("${PLP_S3_SECRET_ACCESS_KEY:?")
    assert services["worker"]["environment"] == env  # the worker's erasure deletes from the same bucket
    minio = services["minio"]
    assert minio["environment"]["MINIO_ROOT_PASSWORD"].startswith("${MINIO_ROOT_PASSWORD:?")
    assert "ports" not in minio  # only the app reaches it; files leave through the app's checked view
    assert "miniodata:/data" in minio["volumes"] and "miniodata" in compose["volumes"]
    script = (ROOT / "docker/minio-init/10-plp-bucket.sh").read_text()
    assert "mc anonymous set none" in script  # no public read of the bucket
    assert 'mc admin user add plp "$PLP_S3_ACCESS_KEY_ID"' in script  # not the root's keys
    assert services["minio-init"]["entrypoint"] == ["/bin/sh", "/minio-init/10-plp-bucket.sh"]
