"""One assertion for every form that meets an error: what the person typed is still in the field, and the
message sits next to that field (the field names it in ``aria-describedby``, as Django renders it), not
only in a flash at the top of the page."""

from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    parent: "Element | None" = None
    children: list["Element | str"] = field(default_factory=list)

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def walk(self):
        yield self
        for child in self.children:
            if isinstance(child, Element):
                yield from child.walk()


class _TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Element("#root", {})
        self.current = self.root

    def handle_starttag(self, tag, attrs):
        element = Element(tag, {k: v if v is not None else "" for k, v in attrs}, parent=self.current)
        self.current.children.append(element)
        if tag not in VOID:
            self.current = element

    def handle_startendtag(self, tag, attrs):
        self.current.children.append(Element(tag, {k: v or "" for k, v in attrs}, parent=self.current))

    def handle_endtag(self, tag):
        node = self.current
        while node is not self.root and node.tag != tag:
            node = node.parent
        if node is not self.root:  # a stray end tag is ignored, as a browser would
            self.current = node.parent

    def handle_data(self, data):
        self.current.children.append(data)


def parse(html: str) -> Element:
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root


def _short(value) -> str:
    text = repr(value)
    return text if len(text) <= 160 else f"{text[:150]}…({len(text)} chars)"


def _squash(text: str) -> str:
    return " ".join(text.split())


def shown_value(element: Element) -> str | list[str] | bool:
    """What the browser shows in the field: an input's value, a textarea's text, a select's chosen
    option(s), whether a checkbox is ticked."""
    if element.tag == "textarea":
        text = element.text()
        return text[1:] if text.startswith("\n") else text  # the parser drops one leading newline
    if element.tag == "select":
        chosen = [
            o.attrs.get("value", o.text())
            for o in element.walk()
            if o.tag == "option" and "selected" in o.attrs
        ]
        return chosen if "multiple" in element.attrs else (chosen[0] if chosen else "")
    if element.attrs.get("type") in {"checkbox", "radio"}:
        return "checked" in element.attrs
    return element.attrs.get("value", "")


def assert_kept_with_error(content, *, name: str, typed, error: str | None = None) -> Element:
    """Some field called ``name`` on the page still shows ``typed``, and ``error`` is in an element the
    field's ``aria-describedby`` names. ``content`` is a response or its HTML. Returns the field."""
    html = content if isinstance(content, str) else content.content.decode()
    root = parse(html)
    fields = [
        e for e in root.walk() if e.tag in {"input", "textarea", "select"} and e.attrs.get("name") == name
    ]
    assert fields, f"no field named {name!r} on the page"
    typed_shown = typed if not isinstance(typed, list) else [str(v) for v in typed]
    if isinstance(typed, int | float) and not isinstance(typed, bool):
        typed_shown = str(typed)
    kept = [f for f in fields if shown_value(f) == typed_shown]
    assert kept, (
        f"{name!r} lost what was typed: {_short(typed)} not in {_short([shown_value(f) for f in fields])}"
    )
    if error is None:
        return kept[0]
    by_id = {e.attrs["id"]: e for e in root.walk() if "id" in e.attrs}
    for element in kept:
        described = [by_id[i] for i in _described_by(element) if i in by_id]
        if any(_squash(error) in _squash(d.text()) for d in described):
            return element
    descriptions = [
        [_squash(by_id[i].text()) if i in by_id else f"#{i} missing" for i in _described_by(f)] for f in kept
    ]
    raise AssertionError(
        f"{error!r} is not next to {name!r}: the field describes itself by {descriptions!r}"
        + (" (the message is elsewhere on the page)" if _squash(error) in _squash(root.text()) else "")
    )


def _described_by(element: Element) -> list[str]:
    """The ids that describe a field: its own ``aria-describedby``, or its fieldset's (radio buttons and
    checkbox groups are described as a group)."""
    ids = element.attrs.get("aria-describedby", "").split()
    node = element.parent
    while not ids and node is not None:
        if node.tag == "fieldset":
            ids = node.attrs.get("aria-describedby", "").split()
        node = node.parent
    return ids


def assert_non_field_error(content, *, error: str) -> None:
    """An error about the whole form (no one field) is shown in the form's alert box."""
    html = content if isinstance(content, str) else content.content.decode()
    boxes = [e for e in parse(html).walk() if "form-errors" in e.attrs.get("class", "").split()]
    assert any(_squash(error) in _squash(b.text()) for b in boxes), f"{error!r} not in a form's error box"
