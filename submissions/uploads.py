"""A per-file size cap applied while the request body is read: past ``limit`` bytes a file's chunks are no
longer handed on (nothing more of it goes to memory or a temporary file), and the form gets an empty
stand-in that knows the size seen, so it says "too large" instead of holding gigabytes first. Put it first
in ``request.upload_handlers`` before anything reads ``request.POST``: :func:`size_capped_files` does it
for the views that take handed-in files."""

import functools
import io

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.views.decorators.csrf import csrf_exempt, csrf_protect


class TooLarge(UploadedFile):
    """What remains of a file past the cap: its name and how many bytes arrived, no content."""


class SizeCappedUpload(FileUploadHandler):
    def __init__(self, request=None, *, limit: int):
        super().__init__(request)
        self.limit = limit
        self.seen = 0

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.seen = 0

    def receive_data_chunk(self, raw_data, start):
        self.seen += len(raw_data)
        return None if self.seen > self.limit else raw_data  # None: the next handlers never see it

    def file_complete(self, file_size):
        if self.seen <= self.limit:
            return None  # the next handler (memory or temporary file) completes it
        return TooLarge(
            file=io.BytesIO(), name=self.file_name, content_type=self.content_type, size=self.seen
        )


def size_capped_files(view):
    """A view that takes handed-in files: on a POST the cap (``SUBMISSION_MAX_BYTES``) goes first in the
    upload handlers, then the CSRF token is checked (reading ``request.POST`` would parse the body before the
    cap), then the view runs."""
    protected = csrf_protect(view)

    @csrf_exempt  # only so the cap comes first: ``protected`` checks the token itself
    @functools.wraps(view)
    def capped(request, *args, **kwargs):
        if request.method == "POST":
            request.upload_handlers.insert(0, SizeCappedUpload(request, limit=settings.SUBMISSION_MAX_BYTES))
        return protected(request, *args, **kwargs)

    return capped
