"""IMS Common Cartridge 1.0–1.3 (``.imscc``, as Canvas, Moodle and others export it), read into what PLP
can hold. Pure: no Django.

- The organization's modules (the children of its root item) become playlists, in order; their items that
  point at HTML pages (``webcontent``) or web links (``imswl_xmlv1pN``) become content items.
- Assessments (``imsqti_xmlv1p2/imscc_xmlv1pN/assessment`` or ``question-bank``, QTI 1.2 CC profile) become
  question banks, read by :mod:`mastery.qti.qti12`.
- Everything else (LTI links, discussions, assignments, files, LMS settings) is a line in the report saying
  why it is not imported. A resource that is broken (its file missing, its XML unreadable) is an error:
  the service writes nothing while the cartridge has one.

Safety: the zip is opened with the roster upload's guard (counts bytes actually unpacked; only the XML and
HTML files are unpacked at all, never the images, PDFs or videos), XML goes through defusedxml, a path in
the manifest that climbs out of the cartridge (``../``) or is absolute is an error, and the loops check the
upload time budget (:mod:`plp.time_budget`).
"""

from __future__ import annotations

import hashlib
import io
import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit
from xml.etree import ElementTree as ET

from mastery.qti import qti12
from mastery.qti.parsing import MAX_DEPTH, Parsed, QtiError, depth, parse_xml
from plp.html_text import html_title_and_text
from plp.time_budget import budget_check
from schools.rostering.reading import Limits, TooLarge, files_from_zip

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
class _Resource:
    identifier: str
    type: str
    href: str
    files: list[str]
    base: str = ""


def _clip(text: str, limit: int = TITLE_MAX) -> str:
    text = re.sub(r"\s+", " ", text or "").strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _inside(base: str, href: str) -> str | None:
    """``href`` (relative to ``base``) as a path inside the zip, or None if it climbs out or is absolute."""
    href = unquote(href.strip())
    if not href or href.startswith("/") or re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", href) or "\\" in href:
        return None
    path = posixpath.normpath(posixpath.join(base, href)) if base else posixpath.normpath(href)
    if path.startswith("../") or path == ".." or path.startswith("/"):
        return None
    return path


def _version(manifest: ET.Element, raw: bytes) -> str:
    declared = (manifest.findtext("metadata/schemaversion") or "").strip()
    if declared:
        return declared
    head = raw[:4000].decode("utf-8", "replace")
    for marker, version in NAMESPACE_VERSIONS.items():
        if marker in head:
            return version
    return ""


def _title(manifest: ET.Element) -> str:
    metadata = manifest.find("metadata")
    if metadata is not None:
        for general in metadata.iter("general"):
            for title in general.iter("title"):
                text = "".join(title.itertext())
                if text.strip():
                    return _clip(text)
    return ""


def read_cartridge(data: bytes, *, limits: Limits, max_questions: int = 2000) -> Cartridge:
    """The cartridge in ``data`` (the ``.imscc`` zip), read resource by resource; CartridgeError if the
    upload as a whole is unusable."""
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise CartridgeError("This is not a zip file: a Common Cartridge is a .imscc (zip) export.")
    try:
        files = files_from_zip(data, limits=limits, suffixes=READ_SUFFIXES, by_path=True)
    except TooLarge as error:
        raise CartridgeError(
            f"The cartridge unpacks to more than {limits.total_bytes // (1024 * 1024)} MB of pages and XML, "
            f"or holds more than {limits.entries} files: far more than a course export."
        ) from error
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, OSError) as error:
        raise CartridgeError(f"The zip cannot be read ({error}).") from error
    files = {
        posixpath.normpath(name): content for name, content in files.items() if ".." not in name.split("/")
    }
    manifests = sorted((p for p in files if posixpath.basename(p) == "imsmanifest.xml"), key=len)
    if not manifests:
        raise CartridgeError("The zip has no imsmanifest.xml: it is not a Common Cartridge export.")
    try:
        manifest = parse_xml(files[manifests[0]], source=manifests[0])
    except QtiError as error:
        raise CartridgeError(str(error)) from error
    if manifest.tag != "manifest":
        raise CartridgeError(f"{manifests[0]} is not a content package manifest.")
    if depth(manifest) > MAX_DEPTH:  # the modules are walked recursively; real ones nest a few levels
        raise CartridgeError(f"{manifests[0]} nests more than {MAX_DEPTH} levels deep: not a course export.")
    schema = (manifest.findtext("metadata/schema") or "").strip()
    raw = files[manifests[0]]
    version = _version(manifest, raw)
    if "Common Cartridge" not in schema and b"imscc" not in raw[:4000]:
        raise CartridgeError(
            f"The manifest describes {schema or 'an unknown package'!r}, not an IMS Common Cartridge."
        )
    if version and not re.match(r"^1\.[0-3](\.|$)", version):
        raise CartridgeError(f"Common Cartridge {version} is not supported (1.0 to 1.3 are).")
    identifier = (manifest.get("identifier") or "").strip()
    if not identifier:
        raise CartridgeError("The manifest has no identifier, so a later re-import could not find this one.")
    base = posixpath.dirname(manifests[0])
    cartridge = Cartridge(identifier=identifier, title=_title(manifest) or "Imported course", version=version)
    resources = _resources(manifest, base)
    placed = _placed(manifest)
    dependencies = {
        ref
        for r in manifest.iter("resource")
        for d in r.iter("dependency")
        if (ref := d.get("identifierref"))
    }
    questions = 0
    for resource in resources.values():
        budget_check()
        _read_resource(
            cartridge,
            resource,
            files,
            placed=resource.identifier in placed,
            dependency=resource.identifier in dependencies,
        )
        quiz = cartridge.quizzes.get(resource.identifier)
        if quiz:
            questions += len(quiz.questions)
            if questions > max_questions:
                raise CartridgeError(f"The cartridge holds more than {max_questions} questions; split it.")
    _modules(cartridge, manifest, resources)
    return cartridge


def _resources(manifest: ET.Element, base: str) -> dict[str, _Resource]:
    found: dict[str, _Resource] = {}
    for resource in manifest.iter("resource"):
        identifier = (resource.get("identifier") or "").strip()
        if not identifier or identifier in found:
            continue
        root = posixpath.join(base, resource.get("base", "")) if resource.get("base") else base
        found[identifier] = _Resource(
            identifier=identifier,
            type=(resource.get("type") or "").strip(),
            href=resource.get("href") or "",
            files=[f.get("href") or "" for f in resource.findall("file")],
            base=root,
        )
    return found


def _placed(manifest: ET.Element) -> set[str]:
    return {ref for item in manifest.iter("item") if (ref := (item.get("identifierref") or "").strip())}


def _main_file(resource: _Resource, suffixes: tuple[str, ...]) -> str:
    if resource.href and resource.href.lower().endswith(suffixes):
        return resource.href
    return next((f for f in resource.files if f.lower().endswith(suffixes)), resource.href)


def _read_resource(
    cartridge: Cartridge, resource: _Resource, files: dict[str, bytes], *, placed: bool, dependency: bool
) -> None:
    kind = resource.type.lower()
    line = Line(identifier=resource.identifier, title="", what=kind or "resource", result=SKIP)

    def fetch(href: str) -> bytes | None:
        path = _inside(resource.base, href)
        if path is None:
            line.result, line.reason = ERROR, f"its file {href!r} points outside the cartridge"
            return None
        if path not in files:
            line.result, line.reason = ERROR, f"its file {path!r} is missing from the zip"
            return None
        return files[path]

    if kind == "webcontent":
        href = resource.href or (resource.files[0] if resource.files else "")
        line.title = _clip(posixpath.basename(unquote(href)))
        if not href.lower().endswith(HTML_SUFFIXES):
            line.what = "file"
            suffix = posixpath.splitext(href)[1].lower() or "without an extension"
            line.reason = f"a file ({suffix}); files are not imported, only pages and links"
        elif (raw := fetch(href)) is not None:
            title, text = html_title_and_text(raw.decode("utf-8", "replace"))
            line.what = "page"
            line.title = _clip(title) or line.title
            if not text:
                line.reason = "the page has no text (only embedded media or nothing at all)"
            else:
                cartridge.contents[resource.identifier] = Content(
                    resource.identifier, line.title, READING, body=text
                )
                line.result = IMPORT
    elif kind.startswith("imswl_xmlv1p"):
        line.what = "link"
        href = _main_file(resource, (".xml",))
        if (raw := fetch(href)) is not None:
            try:
                root = parse_xml(raw, source=href)
            except QtiError as error:
                line.result, line.reason = ERROR, str(error)
            else:
                url_element = root.find("url")
                url = (url_element.get("href") if url_element is not None else "") or ""
                url = url.strip()
                line.title = _clip(root.findtext("title") or url)
                parts = urlsplit(url)
                if not url:
                    line.result, line.reason = ERROR, "the web link has no address"
                elif parts.scheme not in ("http", "https") or not parts.netloc:
                    line.reason = f"its address is not a web page ({_clip(url, 80)})"
                elif len(url) > URL_MAX:
                    line.reason = f"its address is longer than {URL_MAX} characters"
                else:
                    video = parts.netloc.lower() in VIDEO_HOSTS
                    cartridge.contents[resource.identifier] = Content(
                        resource.identifier, line.title or url, VIDEO if video else LINK, url=url
                    )
                    line.what = "video" if video else "link"
                    line.result = IMPORT
    elif kind.startswith("imsqti_xmlv1p2/"):
        line.what = "quiz"
        href = _main_file(resource, (".xml", ".qti"))
        if (raw := fetch(href)) is not None:
            try:
                title, reading = qti12.read_assessment(parse_xml(raw, source=href), source=href)
            except (QtiError, ValueError) as error:
                line.result, line.reason = ERROR, str(error)
            else:
                line.title = _clip(title) or resource.identifier
                quiz = Quiz(resource.identifier, line.title, reading.parsed)
                for parsed in reading.parsed:
                    cartridge.lines.append(
                        Line(
                            parsed.identifier,
                            _clip(parsed.fields["prompt"], 80),
                            "question",
                            IMPORT,
                            module=line.title,
                        )
                    )
                for refusal in reading.refused:
                    cartridge.lines.append(
                        Line(refusal.identifier, "", "question", SKIP, refusal.reason, module=line.title)
                    )
                if quiz.questions:
                    cartridge.quizzes[resource.identifier] = quiz
                    line.result = IMPORT
                    line.reason = f"becomes a question bank of {len(quiz.questions)} question(s)"
                else:
                    line.reason = "none of its questions can be imported (see the questions below)"
    elif kind.startswith("imsdt_xmlv1p"):
        line.what, line.reason = "discussion", "a discussion topic; PLP has no discussion boards"
    elif kind.startswith("imsbasiclti_xmlv1p") or kind.startswith("imsblti"):
        line.what = "LTI link"
        line.reason = "an LTI tool link; it needs the tool registered for the school, so it is not imported"
    elif kind.startswith("assignment_xmlv1p"):
        line.what, line.reason = "assignment", "an assignment (work handed in and graded); not imported"
    elif kind.startswith("associatedcontent/"):
        line.what = "LMS files"
        line.reason = (
            "support files of another resource" if dependency else "the exporting LMS's own settings"
        ) + "; nothing in it to import"
        if placed:
            line.reason = "LMS-specific content (e.g. a Canvas-only resource); not imported"
    else:
        line.reason = f"a resource of type {resource.type or 'unknown'!r}, which this import does not know"
    cartridge.lines.append(line)


def _item_title(item: ET.Element) -> str:
    return _clip(item.findtext("title") or "")


def _modules(cartridge: Cartridge, manifest: ET.Element, resources: dict[str, _Resource]) -> None:
    organization = manifest.find("organizations/organization")
    if organization is None:
        return
    tops = organization.findall("item")
    root = tops[0] if len(tops) == 1 and not tops[0].get("identifierref") else None
    if root is not None and (
        not (root.findtext("title") or "").strip()
        or any(child.findall("item") for child in root.findall("item"))
    ):
        tops = tops[0].findall("item")  # the root item (Canvas "LearningModules", Moodle's course)
    loose = Module(identifier="", title=cartridge.title)
    for item in tops:
        budget_check()
        if item.get("identifierref"):
            _place(cartridge, loose, item, resources)
            continue
        module = Module(identifier=(item.get("identifier") or "").strip(), title=_item_title(item))
        module.title = module.title or f"Module {len(cartridge.modules) + 1}"
        for child in item.findall("item"):
            _walk(cartridge, module, child, resources)
        _keep(cartridge, module)
    if loose.contents or any(line.module == loose.title for line in cartridge.lines):
        loose.identifier = "top-level-items"
        _keep(cartridge, loose)


def _keep(cartridge: Cartridge, module: Module) -> None:
    if module.contents:
        cartridge.modules.append(module)
        cartridge.lines.append(
            Line(
                module.identifier,
                module.title,
                "module",
                IMPORT,
                f"becomes a playlist of {len(module.contents)} item(s)",
            )
        )
    else:
        cartridge.lines.append(
            Line(
                module.identifier,
                module.title,
                "module",
                SKIP,
                "nothing in it can be imported, so no playlist",
            )
        )


def _walk(cartridge: Cartridge, module: Module, item: ET.Element, resources: dict[str, _Resource]) -> None:
    budget_check()
    if item.get("identifierref"):
        _place(cartridge, module, item, resources)
    elif item.findall("item"):
        for child in item.findall("item"):  # a sub-section (Moodle): its items join the module, in order
            _walk(cartridge, module, child, resources)
    else:
        cartridge.lines.append(
            Line(
                item.get("identifier") or "",
                _item_title(item),
                "heading",
                SKIP,
                "a text heading inside the module",
                module.title,
            )
        )


def _place(cartridge: Cartridge, module: Module, item: ET.Element, resources: dict[str, _Resource]) -> None:
    ref = (item.get("identifierref") or "").strip()
    title = _item_title(item)
    identifier = item.get("identifier") or ref

    def note(result: str, reason: str, what: str = "module item") -> None:
        cartridge.lines.append(Line(identifier, title, what, result, reason, module.title))

    for line in cartridge.lines:  # a resource's line takes the name teachers saw in the course
        if line.identifier == ref and line.what != "question" and not line.title:
            line.title = title
    if ref not in resources:
        note(SKIP, "the manifest has no such resource (the LMS did not export it)")
    elif ref in cartridge.contents:
        if ref in module.contents:
            note(SKIP, "already placed earlier in this module")
            return
        if title:  # the module's name for a page is the one teachers saw in the course
            cartridge.contents[ref].title = title
        module.contents.append(ref)
    elif ref in cartridge.quizzes:
        note(SKIP, "a quiz: it becomes a question bank, not a playlist item", "quiz")
    else:
        reason = next((line.reason for line in cartridge.lines if line.identifier == ref), "not importable")
        note(SKIP, reason)
