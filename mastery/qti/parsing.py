"""What every QTI reader shares: XML parsed safely and renamed to one spelling, a depth guard, and the
results (a question's fields, or a refusal with its reason). Pure: no Django.

QTI 2.x names elements in camelCase (``choiceInteraction``, ``baseType``) and QTI 3.0 in kebab case with a
``qti-`` prefix (``qti-choice-interaction``, ``base-type``). Every parsed tree is first renamed to the 2.x
spelling without namespaces, so one reader handles both. XML is parsed with defusedxml (no entity
expansion, no external entities or DTDs)."""

from __future__ import annotations

from dataclasses import dataclass, field
from xml.etree import ElementTree as ET  # building only; parsing goes through defusedxml

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring


class QtiError(ValueError):
    """The upload as a whole cannot be read (not XML, not QTI, a broken zip, too large), in plain words."""


@dataclass
class Parsed:
    """One item that became a question: ``fields`` are Question fields (kind, prompt, choices, ...)."""

    identifier: str
    source: str
    fields: dict


@dataclass
class Refusal:
    """One item that cannot become a question, and why (shown to the teacher, item by item)."""

    identifier: str
    source: str
    reason: str


@dataclass
class Reading:
    """What an upload holds: the items read into questions, and those refused with their reasons."""

    parsed: list[Parsed] = field(default_factory=list)
    refused: list[Refusal] = field(default_factory=list)


def _camel(name: str) -> str:
    name = name.rsplit("}", 1)[-1]
    if name.startswith("qti-"):
        head, *rest = name[4:].split("-")
        return head + "".join(part[:1].upper() + part[1:] for part in rest)
    if "-" in name and not name.startswith("data-") and not name.startswith("aria-"):
        head, *rest = name.split("-")
        return head + "".join(part[:1].upper() + part[1:] for part in rest)
    return name


def _normalize(root: ET.Element) -> ET.Element:
    """Rename every element and attribute to the QTI 2.x spelling, namespaces dropped (in place)."""
    for element in root.iter():
        if not isinstance(element.tag, str):  # comments, processing instructions
            continue
        element.tag = _camel(element.tag)
        if element.attrib:
            element.attrib = {_camel(key): value for key, value in element.attrib.items()}
    return root


def parse_xml(data: bytes, *, source: str) -> ET.Element:
    """A safely parsed, normalized tree; QtiError if the bytes are not well-formed or try entity tricks."""
    try:
        return _normalize(fromstring(data))
    except DefusedXmlException as error:
        raise QtiError(
            f"{source}: refused, the XML uses entities or a DTD ({type(error).__name__})."
        ) from error
    except ET.ParseError as error:
        raise QtiError(f"{source}: not well-formed XML ({error}).") from error


MAX_DEPTH = 200  # real items nest a few dozen levels; the text walk is recursive


def depth(root: ET.Element) -> int:
    deepest, stack = 0, [(root, 1)]
    while stack:
        node, level = stack.pop()
        deepest = max(deepest, level)
        if deepest > MAX_DEPTH:
            break
        stack.extend((child, level + 1) for child in node)
    return deepest
