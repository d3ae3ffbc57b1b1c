"""What a Common Cartridge becomes, pure: its modules, contents and quizzes, the lines of the import
report (each resource and what becomes of it), the stored keys, and the small text and path rules the
readers share."""

from __future__ import annotations

import hashlib
import posixpath
import re
from dataclasses import dataclass, field
from urllib.parse import unquote

from mastery.qti.parsing import Parsed

IMPORT, SKIP, ERROR = "import", "skip", "error"
READING, LINK, VIDEO = "reading", "link", "video"
HTML_SUFFIXES = (".html", ".htm", ".xhtml")
READ_SUFFIXES = (".xml", ".html", ".htm", ".xhtml", ".qti")
VIDEO_HOSTS = ("youtube.com", "www.youtube.com", "youtu.be", "vimeo.com", "player.vimeo.com")
TITLE_MAX = 200
URL_MAX = 500
KEY_MAX = 255
NAMESPACE_VERSIONS = {"imsccv1p1": "1.1", "imsccv1p2": "1.2", "imsccv1p3": "1.3", "imscc/": "1.0"}


class CartridgeError(ValueError):
    """The upload as a whole is not a cartridge we can read (not a zip, no manifest, too large), in words."""


@dataclass
class Line:
    """One line of the report: a resource, a module, a module item or a question, and what becomes of it."""

    identifier: str
    title: str
    what: str
    result: str
    reason: str = ""
    module: str = ""


@dataclass
class Content:
    """An HTML page or a web link that becomes a content item."""

    identifier: str
    title: str
    kind: str
    body: str = ""
    url: str = ""


@dataclass
class Quiz:
    identifier: str
    title: str
    questions: list[Parsed] = field(default_factory=list)


@dataclass
class Module:
    identifier: str
    title: str
    contents: list[str] = field(default_factory=list)  # resource identifiers, in order, each once


@dataclass
class Cartridge:
    identifier: str
    title: str
    version: str
    modules: list[Module] = field(default_factory=list)
    contents: dict[str, Content] = field(default_factory=dict)
    quizzes: dict[str, Quiz] = field(default_factory=dict)
    lines: list[Line] = field(default_factory=list)

    @property
    def errors(self) -> list[Line]:
        return [line for line in self.lines if line.result == ERROR]

    @property
    def skipped(self) -> list[Line]:
        return [line for line in self.lines if line.result == SKIP]

    def key(self, *parts: str) -> str:
        """The identifier stored on what the import creates, so a re-import finds it again."""
        raw = ":".join(("cc", self.identifier, *parts))
        if len(raw) <= KEY_MAX:
            return raw
        return raw[: KEY_MAX - 41] + ":" + hashlib.sha1(raw.encode()).hexdigest()


@dataclass
class Resource:
    identifier: str
    type: str
    href: str
    files: list[str]
    base: str = ""


def clip(text: str, limit: int = TITLE_MAX) -> str:
    text = re.sub(r"\s+", " ", text or "").strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def inside(base: str, href: str) -> str | None:
    """``href`` (relative to ``base``) as a path inside the zip, or None if it climbs out or is absolute."""
    href = unquote(href.strip())
    if not href or href.startswith("/") or re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", href) or "\\" in href:
        return None
    path = posixpath.normpath(posixpath.join(base, href)) if base else posixpath.normpath(href)
    if path.startswith("../") or path == ".." or path.startswith("/"):
        return None
    return path
