"""HTML someone else wrote (an LMS page, a QTI 1.2 question) turned into the plain text our readings hold.

Pure Python (stdlib ``html.parser``): readings are Markdown shown as text, so the imported HTML is never
rendered as HTML and cannot carry script. Blocks become lines, list items ``- `` lines, headings ``#`` lines,
absolute links ``[text](url)``, images their alt text; script, style and the head are dropped.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

BLOCKS = {
    "p", "div", "section", "article", "blockquote", "table", "tr", "ul", "ol", "pre", "figure",
    "figcaption", "dl", "dt", "dd", "header", "footer", "main", "aside", "nav",
}  # fmt: skip
HEADINGS = {"h1": "# ", "h2": "## ", "h3": "### ", "h4": "#### ", "h5": "##### ", "h6": "###### "}
DROPPED = {"script", "style", "head", "title", "noscript", "template", "iframe", "object"}
NEWLINE = "\x00"
MAX_CHARS = 200_000  # a reading longer than this is not a reading; the rest is cut with a note


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.dropped = 0
        self.links: list[str | None] = []
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "title":
            self._in_title = True
        if tag in DROPPED:
            self.dropped += 1
            return
        if self.dropped:
            return
        if tag in BLOCKS:
            self.parts.append(NEWLINE)
        elif tag in HEADINGS:
            self.parts += [NEWLINE, HEADINGS[tag]]
        elif tag == "li":
            self.parts += [NEWLINE, "- "]
        elif tag == "br":
            self.parts.append(NEWLINE)
        elif tag in ("td", "th"):
            self.parts.append(" ")
        elif tag == "img":
            alt = (attributes.get("alt") or "").strip()
            self.parts.append(f"[image: {alt}]" if alt else "[image]")
        elif tag == "a":
            href = (attributes.get("href") or "").strip()
            absolute = re.match(r"https?://", href) is not None
            self.links.append(href if absolute else None)
            if absolute:
                self.parts.append("[")

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False
        if tag in DROPPED:
            self.dropped = max(0, self.dropped - 1)
            return
        if self.dropped:
            return
        if tag in BLOCKS or tag in HEADINGS or tag == "li":
            self.parts.append(NEWLINE)
        elif tag == "a" and self.links:
            href = self.links.pop()
            if href:
                self.parts.append(f"]({href})")

    def handle_data(self, data):
        if self._in_title:
            self.title += data
        if not self.dropped:
            self.parts.append(re.sub(r"\s+", " ", data))


def html_title_and_text(html: str) -> tuple[str, str]:
    """The document's ``<title>`` and its text (see the module docstring)."""
    parser = _Text()
    parser.feed(html)
    parser.close()
    lines = (re.sub(r"[ \u00a0]+", " ", line).strip() for line in "".join(parser.parts).split(NEWLINE))
    text = "\n\n".join(line for line in lines if line and line not in ("-", "- "))
    text = text.replace("[]()", "")
    if len(text) > MAX_CHARS:
        text = text[:MAX_CHARS] + "\n\n[… the rest of the page was too long to import]"
    return re.sub(r"\s+", " ", parser.title).strip(), text


def html_to_text(html: str) -> str:
    return html_title_and_text(html)[1]
