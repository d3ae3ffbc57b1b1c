"""API throttles hold: one count per client address, kept in the cache every worker shares."""

from django.core.cache import cache
from rest_framework.throttling import BaseThrottle, SimpleRateThrottle

from tests.plp.test_settings import PRODUCTION, SMTP, _manage

TOKEN_URL = "/api/v1/auth/token/"


def _statuses_until_refused(client, *, limit: int = 200) -> list[int]:
    """Wrong passwords, each from a new claimed address, until the API refuses (or ``limit`` tries)."""
    statuses = []
    for n in range(limit):
        forwarded = {"HTTP_X_FORWARDED_FOR": f"203.0.113.{n % 250}"}
        response = client.post(TOKEN_URL, {"email": "nobody@example.org", "password": "wrong"}, **forwarded)
        statuses.append(response.status_code)
        if response.status_code == 429:
            break
    return statuses


def test_a_new_x_forwarded_for_per_request_does_not_reset_the_count(client, db):
    statuses = _statuses_until_refused(client)
    assert statuses[-1] == 429, f"never throttled in {len(statuses)} requests with a new X-Forwarded-For each"
    assert set(statuses[:-1]) == {400}


def test_by_default_the_client_address_is_the_socket_address_not_x_forwarded_for(rf, settings):
    request = rf.get("/", HTTP_X_FORWARDED_FOR="198.51.100.7", REMOTE_ADDR="10.0.0.2")
    assert settings.REST_FRAMEWORK["NUM_PROXIES"] == 0
    assert BaseThrottle().get_ident(request) == "10.0.0.2"


def test_behind_one_proxy_the_address_it_appended_counts(rf, settings):
    """PLP_NUM_PROXIES=1 behind one reverse proxy: the last X-Forwarded-For entry is the one it added."""
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    request = rf.get("/", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.7", REMOTE_ADDR="10.0.0.2")
    assert BaseThrottle().get_ident(request) == "198.51.100.7"


def test_throttles_count_in_the_default_cache():
    """The default cache is Redis in production (required there): every gunicorn worker shares one count."""
    assert SimpleRateThrottle.cache is cache


def test_production_mode_refuses_to_start_without_a_shared_cache():
    """Per-process caches would give each worker its own throttle count (and its own cached sessions)."""
    without_redis = {key: value for key, value in PRODUCTION.items() if key != "REDIS_URL"}
    result = _manage("check", **without_redis, **SMTP)
    assert result.returncode != 0
    assert "REDIS_URL" in result.stderr


def test_production_mode_reads_the_proxy_count_from_the_environment():
    shown = "from django.conf import settings as s; print(s.REST_FRAMEWORK['NUM_PROXIES'])"
    result = _manage("shell", "-c", shown, **PRODUCTION, **SMTP, PLP_NUM_PROXIES="1")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "1"
