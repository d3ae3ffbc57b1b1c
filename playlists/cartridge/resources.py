"""One resource of a cartridge, pure: an HTML page or a web link becomes a content item, a QTI 1.2
assessment a question bank, anything else a report line that says why it is not imported (or an error
when it is broken)."""

from __future__ import annotations

import posixpath
from urllib.parse import unquote, urlsplit

from mastery.qti import qti12
from mastery.qti.parsing import QtiError, parse_xml
from playlists.cartridge.manifest import main_file
from playlists.cartridge.model import (
    ERROR,
    HTML_SUFFIXES,
    IMPORT,
    LINK,
    READING,
    SKIP,
    URL_MAX,
    VIDEO,
    VIDEO_HOSTS,
    Cartridge,
    Content,
    Line,
    Quiz,
    Resource,
    clip,
    inside,
)
from plp.html_text import html_title_and_text


def read_resource(
    cartridge: Cartridge, resource: Resource, files: dict[str, bytes], *, placed: bool, dependency: bool
) -> None:
    """What one resource of the manifest becomes (a reading, a link, a bank, or a reported skip), by its
    type. One dispatch on purpose: each branch is a few lines for one resource type of the CC profiles, and
    the list of types, read in one place, is what the import report promises."""
    kind = resource.type.lower()
    line = Line(identifier=resource.identifier, title="", what=kind or "resource", result=SKIP)

    def fetch(href: str) -> bytes | None:
        path = inside(resource.base, href)
        if path is None:
            line.result, line.reason = ERROR, f"its file {href!r} points outside the cartridge"
            return None
        if path not in files:
            line.result, line.reason = ERROR, f"its file {path!r} is missing from the zip"
            return None
        return files[path]

    if kind == "webcontent":
        href = resource.href or (resource.files[0] if resource.files else "")
        line.title = clip(posixpath.basename(unquote(href)))
        if not href.lower().endswith(HTML_SUFFIXES):
            line.what = "file"
            suffix = posixpath.splitext(href)[1].lower() or "without an extension"
            line.reason = f"a file ({suffix}); files are not imported, only pages and links"
        elif (raw := fetch(href)) is not None:
            title, text = html_title_and_text(raw.decode("utf-8", "replace"))
            line.what = "page"
            line.title = clip(title) or line.title
            if not text:
                line.reason = "the page has no text (only embedded media or nothing at all)"
            else:
                cartridge.contents[resource.identifier] = Content(
                    resource.identifier, line.title, READING, body=text
                )
                line.result = IMPORT
    elif kind.startswith("imswl_xmlv1p"):
        line.what = "link"
        href = main_file(resource, (".xml",))
        if (raw := fetch(href)) is not None:
            try:
                root = parse_xml(raw, source=href)
            except QtiError as error:
                line.result, line.reason = ERROR, str(error)
            else:
                url_element = root.find("url")
                url = (url_element.get("href") if url_element is not None else "") or ""
                url = url.strip()
                line.title = clip(root.findtext("title") or url)
                parts = urlsplit(url)
                if not url:
                    line.result, line.reason = ERROR, "the web link has no address"
                elif parts.scheme not in ("http", "https") or not parts.netloc:
                    line.reason = f"its address is not a web page ({clip(url, 80)})"
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
        href = main_file(resource, (".xml", ".qti"))
        if (raw := fetch(href)) is not None:
            try:
                title, reading = qti12.read_assessment(parse_xml(raw, source=href), source=href)
            except (QtiError, ValueError) as error:
                line.result, line.reason = ERROR, str(error)
            else:
                line.title = clip(title) or resource.identifier
                quiz = Quiz(resource.identifier, line.title, reading.parsed)
                for parsed in reading.parsed:
                    cartridge.lines.append(
                        Line(
                            parsed.identifier,
                            clip(parsed.fields["prompt"], 80),
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
