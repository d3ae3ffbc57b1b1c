"""Opening a handed-in file: access checked, then streamed as an attachment. There is no public URL for
a file (nothing under MEDIA_URL is routed); this view is the only way to its bytes."""

import uuid

from django.http import FileResponse, Http404
from django.views.decorators.http import require_safe

from audit.models import AuditEntry
from audit.recorder import audits
from submissions import selectors
from submissions.storage import file_storage


@require_safe
@audits(AuditEntry.Kind.PROJECT_WORK)
def file_download(request, school_slug: str, file_id: uuid.UUID):
    file = selectors.file_for_viewer(user=request.user, roles=request.school_roles, file_id=file_id)
    try:
        handle = file_storage().open(file.blob, "rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404("This file is no longer stored.") from exc
    # The sniffed type, never the uploader's claim; an attachment the browser must not sniff or render.
    response = FileResponse(
        handle, as_attachment=True, filename=file.original_name, content_type=file.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
