"""Buffer the audit entries of a request and write them in one INSERT once the response is a success."""

from accounts.lockout import client_address
from audit.models import AuditEntry
from audit.recorder import audit_mark_of, buffer_close, buffer_open, current_buffer, entries_to_write


class AuditMiddleware:
    """Opens the request's audit buffer, reads the view's ``@audits`` mark, and writes what was recorded.

    Written only for a response under 400: a 403 or 404 showed nothing (the student was loaded, then the
    view refused). Written *before* the response leaves: if the log cannot be written the request fails
    (500) and the record is not served unaudited. The address is ``accounts.lockout.client_address``, the
    throttles' and the lockout's one rule (``PLP_NUM_PROXIES``).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = buffer_open(request)
        try:
            response = self.get_response(request)
        finally:
            buffer = buffer_close(token)
        school = getattr(request, "school", None)
        if buffer.entries and school is not None and response.status_code < 400:
            entries = entries_to_write(buffer, school_id=school.pk, ip=client_address(request))
            AuditEntry.objects.bulk_create(entries)  # one INSERT (SQLite: one per 71 rows)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        mark = audit_mark_of(view_func)
        buffer = current_buffer()
        if mark is not None and buffer is not None:
            buffer.kind, buffer.shows = mark
        return None
