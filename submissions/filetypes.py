"""What an uploaded file really is, from its bytes: a small sniffer for the kinds students may hand in.

Pure Python, no Django. The name and the browser's Content-Type are the uploader's claims; the content
decides. Each allowed kind is recognised by its magic bytes (zip-based office documents by the parts their
archive lists), and a few dangerous contents are named so the refusal can say what the file really is (a
``.pdf`` that is a Windows program, a ``.txt`` that is a web page). Our own sniffer rather than a library:
the allow-list is short, each rule is a line, and every rule is tested with real bytes.
"""

import re
import zipfile
from dataclasses import dataclass
from typing import BinaryIO

HEAD_BYTES = 8192  # what the sniffer reads from the start of the file


@dataclass(frozen=True)
class FileKind:
    key: str  # the name deployments use in PLP_SUBMISSION_FILE_TYPES
    label: str
    content_type: str  # what the file is served as (never the uploader's claim)
    extensions: tuple[str, ...]


_OOXML = "application/vnd.openxmlformats-officedocument"
_ODF = "application/vnd.oasis.opendocument"
KINDS: dict[str, FileKind] = {
    kind.key: kind
    for kind in (
        FileKind("pdf", "a PDF document", "application/pdf", (".pdf",)),
        FileKind("png", "a PNG image", "image/png", (".png",)),
        FileKind("jpeg", "a JPEG image", "image/jpeg", (".jpg", ".jpeg")),
        FileKind("gif", "a GIF image", "image/gif", (".gif",)),
        FileKind("webp", "a WebP image", "image/webp", (".webp",)),
        FileKind("txt", "a plain text file", "text/plain; charset=utf-8", (".txt", ".md", ".csv")),
        FileKind("docx", "a Word document", f"{_OOXML}.wordprocessingml.document", (".docx",)),
        FileKind("xlsx", "an Excel workbook", f"{_OOXML}.spreadsheetml.sheet", (".xlsx",)),
        FileKind("pptx", "a PowerPoint presentation", f"{_OOXML}.presentationml.presentation", (".pptx",)),
        FileKind("odt", "an OpenDocument text", f"{_ODF}.text", (".odt",)),
        FileKind("ods", "an OpenDocument spreadsheet", f"{_ODF}.spreadsheet", (".ods",)),
        FileKind("odp", "an OpenDocument presentation", f"{_ODF}.presentation", (".odp",)),
    )
}

# Contents never accepted, named so the message can say what the file is.
_DANGEROUS = (
    (b"MZ", "a Windows program"),
    (b"\x7fELF", "a Linux program"),
    (b"\xcf\xfa\xed\xfe", "a macOS program"),
    (b"\xca\xfe\xba\xbe", "a macOS or Java program"),
    (b"#!", "a script"),
)
# What browsers take for a web page (the WHATWG MIME sniffing "HTML" patterns), plus SVG and XML, which
# can carry scripts too: text starting with one of these is refused.
_MARKUP = re.compile(
    rb"^\s*<(?:!doctype\s+html|html|head|script|iframe|h1|div|font|table|a|style|title|b|body|br|p|!--|\?xml|svg)"
    rb"[\s>/]",
    re.IGNORECASE,
)


class FileRefused(ValueError):
    """The file may not be handed in; the message says why, in plain words."""


def sniff(stream: BinaryIO) -> str | None:
    """The kind of the file in ``stream`` (rewound afterwards), or a description of a refused content
    prefixed with ``!`` (``"!a Windows program"``), or None when it is none of the kinds we know."""
    stream.seek(0)
    head = stream.read(HEAD_BYTES)
    stream.seek(0)
    for magic, what in _DANGEROUS:
        if head.startswith(magic):
            return f"!{what}"
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(head, stream)
    return _text_kind(head)


def _zip_kind(head: bytes, stream: BinaryIO) -> str | None:
    # OpenDocument: an uncompressed "mimetype" entry comes first, its content right after the header.
    if head[30:38] == b"mimetype":
        for key in ("odt", "ods", "odp"):
            if KINDS[key].content_type.encode() in head[38:120]:
                return key
        return None
    try:
        names = set(zipfile.ZipFile(stream).namelist())  # the central directory only: nothing unpacked
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        return None
    finally:
        stream.seek(0)
    if "[Content_Types].xml" not in names:
        return None
    for key, part in (
        ("docx", "word/document.xml"),
        ("xlsx", "xl/workbook.xml"),
        ("pptx", "ppt/presentation.xml"),
    ):
        if part in names:
            return key
    return None


def _text_kind(head: bytes) -> str | None:
    if b"\x00" in head:
        return None
    body = head[3:] if head.startswith(b"\xef\xbb\xbf") else head
    try:
        body.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(body) - 3:  # a character cut by the head's end is fine; anything else is not text
            return None
    if _MARKUP.match(body):
        return "!a web page"
    return "txt"


def check(*, name: str, stream: BinaryIO, size: int, max_bytes: int, allowed: tuple[str, ...]) -> FileKind:
    """The file's kind if it may be handed in, else :class:`FileRefused` saying why (too large, a kind
    this school does not take, or content that is not what its name says)."""
    if size > max_bytes:
        raise FileRefused(f"The file is {_size(size)}; files may be at most {_size(max_bytes)}.")
    if size == 0:
        raise FileRefused("The file is empty.")
    allowed_list = ", ".join(ext for key in allowed for ext in KINDS[key].extensions)
    extension = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    claimed = next((KINDS[key] for key in allowed if extension in KINDS[key].extensions), None)
    if claimed is None:
        raise FileRefused(f"Files of this type are not accepted. Accepted: {allowed_list}.")
    found = sniff(stream)
    if found is not None and found.startswith("!"):
        raise FileRefused(f"The file is named {extension} but it is {found[1:]}: it was not accepted.")
    if found != claimed.key:
        what = KINDS[found].label if found else "not a file of that type"
        raise FileRefused(f"The file is named {extension} but its content is {what}.")
    return claimed


def _size(n: int) -> str:
    for unit, factor in (("MB", 1024 * 1024), ("KB", 1024)):
        if n >= factor:
            return f"{n / factor:.1f} {unit}".replace(".0 ", " ")
    return f"{n} bytes"
