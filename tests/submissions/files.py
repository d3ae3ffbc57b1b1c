"""Real bytes of the kinds students hand in (and of contents that only pretend to be one), and a helper that
hands a file in through the real services."""

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile

from plp.tenancy.context import school_scope
from submissions.services import file_vet, item_file_attach, milestone_file_attach

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00" + b"\x00" * 16
)
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 32
GIF = b"GIF89a\x01\x00\x01\x00" + b"\x00" * 16
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 24
TEXT = "Notes on ratios: 3 : 4 — étude\n".encode()
WINDOWS_PROGRAM = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 56 + b"This program cannot be run in DOS mode."
LINUX_PROGRAM = b"\x7fELF\x02\x01\x01" + b"\x00" * 40
WEB_PAGE = b"  <!DOCTYPE html><html><script>alert(document.cookie)</script></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


def office(part: str) -> bytes:
    """A minimal OOXML package holding ``part`` (word/document.xml: a Word document)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr(part, "<doc/>")
    return buffer.getvalue()


def opendocument(mimetype: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"), mimetype)  # stored, first: as the ODF spec asks
        zf.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()


DOCX = office("word/document.xml")
PLAIN_ZIP = office("notes/readme.xml")  # a zip that is no office document
ODT = opendocument("application/vnd.oasis.opendocument.text")


def upload(name: str, data: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def hand_in(*, milestone, student, name: str = "essay.pdf", data: bytes = PDF):
    """``student`` hands ``data`` in for ``milestone`` through the services (vetted, stored)."""
    with school_scope(milestone.school):
        return milestone_file_attach(
            milestone=milestone, student=student, file=file_vet(upload=upload(name, data))
        )


def hand_in_for_item(*, item, student, name: str = "worksheet.pdf", data: bytes = PDF):
    """``student`` hands ``data`` in for the content item ``item`` through the services."""
    with school_scope(item.school):
        return item_file_attach(item=item, student=student, file=file_vet(upload=upload(name, data)))
