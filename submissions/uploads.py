"""A per-file size cap applied while the request body is read: past ``limit`` bytes a file's chunks are no
longer handed on (nothing more of it goes to memory or a temporary file), and the form gets an empty
stand-in that knows the size seen, so it says "too large" instead of holding gigabytes first. Put it first
in ``request.upload_handlers`` before anything reads ``request.POST`` (see the milestone submit view)."""

import io

from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler


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
