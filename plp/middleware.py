from django.conf import settings
from django.http import HttpResponseBadRequest

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


class PermissionsPolicyMiddleware:
    """Sends ``settings.PERMISSIONS_POLICY`` on every response (Django has no setting for this header)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response
