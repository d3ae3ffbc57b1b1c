"""Health check and the error handlers: pages get a plain HTML page, anything under /api/ gets JSON."""

import sys

from django.db import OperationalError, connection
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

API_PATH_PREFIX = "/api/"
# A refused database connection is usually a full pool or a restart: seconds, not minutes.
RETRY_AFTER_SECONDS = 10


@never_cache
@require_GET
def healthz(request):
    """Liveness and database reachability, for load balancers and docker-compose health checks."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:
        return JsonResponse({"status": "unavailable"}, status=503)
    return JsonResponse({"status": "ok"})


def is_api_request(request) -> bool:
    return request.path.startswith(API_PATH_PREFIX)


def api_error(*, status: int, detail: str) -> JsonResponse:
    """The API's error shape, the same as DRF's (``{"detail": ...}``), for errors raised outside DRF."""
    return JsonResponse({"detail": detail}, status=status)


def bad_request(request, exception):
    if is_api_request(request):
        return api_error(status=400, detail="Bad request.")
    return defaults.bad_request(request, exception)


def permission_denied(request, exception):
    if is_api_request(request):
        return api_error(status=403, detail="You do not have permission to perform this action.")
    return defaults.permission_denied(request, exception)


def page_not_found(request, exception):
    if is_api_request(request):
        return api_error(status=404, detail="Not found.")
    return defaults.page_not_found(request, exception)


def server_error(request):
    """Django calls this while handling the exception, so ``sys.exc_info()`` names it. A database that
    refuses connections is not our bug but a busy or restarting server: 503 with Retry-After. Nothing
    here may touch the database (no user, no context processors)."""
    if isinstance(sys.exc_info()[1], OperationalError):
        return _service_unavailable(request)
    if is_api_request(request):
        return api_error(status=500, detail="Something went wrong on our side. Please try again.")
    return defaults.server_error(request)


def _service_unavailable(request):
    if is_api_request(request):
        response = api_error(status=503, detail="The service is busy. Please try again shortly.")
    else:
        response = HttpResponse(loader.render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
