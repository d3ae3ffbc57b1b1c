from django.conf import settings
from django.http import HttpResponse, HttpResponseBadRequest

from plp.views import api_error, is_api_request

NUL_IN_QUERY = "Query parameters cannot contain NUL characters."


class RejectNullBytesInQueryMiddleware:
    """A NUL byte in a query parameter is never meaningful and PostgreSQL refuses it in text: answer 400
    here, once, instead of a 500 in whichever view passes it to a filter. (Form and serializer fields
    already refuse NUL in bodies.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        for key, values in request.GET.lists():
            if "\x00" in key or any("\x00" in value for value in values):
                if is_api_request(request):
                    return api_error(status=400, detail=NUL_IN_QUERY)
                return HttpResponseBadRequest(NUL_IN_QUERY)
        return self.get_response(request)


class RequestSizeMiddleware:
    """Refuse a request body past ``settings.MAX_REQUEST_BYTES`` (413) before anything reads it.

    Django bounds a form's fields (``DATA_UPLOAD_MAX_MEMORY_SIZE``) but not its files: they stream to a
    temporary file whatever their size, and the CSRF check reads the form of any POST, so without this one
    request could fill the web server's disk before any view said no. The body is read only up to its
    ``Content-Length`` (a request without one has none), so the header decides. A request of nobody signed
    in (no session: a sign-in, an LTI launch, a SAML answer) is held to ``DATA_UPLOAD_MAX_MEMORY_SIZE``; an
    API request carries its token, which DRF checks before it reads the body, so it gets the full limit."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = settings.MAX_REQUEST_BYTES
        anonymous_limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if length > limit or (
            anonymous_limit is not None
            and length > anonymous_limit
            and not is_api_request(request)
            and not request.user.is_authenticated
        ):
            allowed = limit if length > limit else anonymous_limit
            detail = f"The request is too large ({_megabytes(length)}; at most {_megabytes(allowed)})."
            if is_api_request(request):
                return api_error(status=413, detail=detail)
            return HttpResponse(detail, status=413, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


class PermissionsPolicyMiddleware:
    """Sends ``settings.PERMISSIONS_POLICY`` on every response (Django has no setting for this header)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response
