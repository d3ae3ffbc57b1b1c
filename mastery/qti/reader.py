"""QTI 2.1 / 3.0 items and packages, read into our question kinds. Pure: no Django.

What our kinds cannot hold (match, order, hotspot, extended text, several interactions in one item, ...)
becomes a :class:`~mastery.qti.parsing.Refusal` naming the item and the reason: the caller reports it,
nothing is dropped silently. Zip packages are opened with the roster upload's zip-bomb guard
(``schools.rostering.reading.files_from_zip``), which counts the bytes actually unpacked."""

from __future__ import annotations

import io
import math
import re
import zipfile
from pathlib import PurePosixPath
from xml.etree import ElementTree as ET  # building only; parsing goes through defusedxml

from mastery import grading
from mastery.qti.parsing import MAX_DEPTH, Parsed, QtiError, Reading, Refusal, depth, parse_xml
from schools.rostering.reading import Limits, files_from_package

# Content of the item body a candidate does not see before answering: never part of the prompt.
HIDDEN = {
    "feedbackBlock",
    "feedbackInline",
    "rubricBlock",
    "templateBlock",
    "templateInline",
    "modalFeedback",
}
BLOCKS = {
    "p",
    "div",
    "blockquote",
    "li",
    "ul",
    "ol",
    "table",
    "tr",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "pre",
}
BLOCKS |= {"prompt", "section", "figure", "figcaption", "dl", "dt", "dd", "simpleChoice"}
NUMERIC_TYPES = {"float", "integer"}
BLANK = "____"


def _text(element: ET.Element, *, skip: set[str] = HIDDEN, replace: dict | None = None) -> str:
    """Readable plain text of an XHTML fragment: blocks on their own lines, images by their alt text,
    ``replace`` maps an element (by identity) to the text that stands for it (a blank for an input)."""
    parts: list[str] = []
    newline = "\x00"  # a line break the structure asks for; breaks in the source text are just spaces

    def flow(text: str | None) -> str:
        return re.sub(r"\s+", " ", text or "")

    def walk(node: ET.Element) -> None:
        if not isinstance(node.tag, str):
            parts.append(flow(node.tail))
            return
        if replace and id(node) in replace:
            parts.append(replace[id(node)])
        elif node.tag in skip:
            pass
        elif node.tag == "br":
            parts.append(newline)
        elif node.tag == "img":
            alt = (node.get("alt") or "").strip()
            parts.append(f"[image: {alt}]" if alt else "[image]")
        else:
            block = node.tag in BLOCKS
            if block:
                parts.append(newline)
            parts.append(flow(node.text))
            for child in node:
                walk(child)
            if block:
                parts.append(newline)
        parts.append(flow(node.tail))

    parts.append(flow(element.text))
    for child in element:
        walk(child)
    lines = (re.sub(r"[ \u00a0]+", " ", line).strip() for line in "".join(parts).split(newline))
    return "\n".join(line for line in lines if line)


def _values(parent: ET.Element | None) -> list[str]:
    return [(v.text or "").strip() for v in parent.iter("value")] if parent is not None else []


def _number(raw: str) -> float | None:
    try:
        value = float(raw)
    except (TypeError, ValueError):
        return None
    return value if math.isfinite(value) else None


def _mapping(declaration: ET.Element) -> list[tuple[str, float]]:
    mapping = declaration.find("mapping")
    if mapping is None:
        return []
    entries = []
    for entry in mapping.iter("mapEntry"):
        value = _number(entry.get("mappedValue", ""))
        if entry.get("mapKey") is not None and value is not None:
            entries.append((entry.get("mapKey").strip(), value))
    return entries


def _explanation(item: ET.Element) -> str:
    """The item's modal feedback, as the question's explanation (identical texts kept once)."""
    texts: dict[str, str] = {}
    for feedback in item.iter("modalFeedback"):
        text = _text(feedback, skip=HIDDEN - {"modalFeedback"})
        if text and text not in texts:
            texts[text] = (feedback.get("title") or "").strip()
    if len(texts) == 1:
        return next(iter(texts))
    # Several feedbacks (right / wrong / per choice): all kept, each under its title, so none is lost.
    return "\n\n".join(f"{title}: {text}" if title else text for text, title in texts.items())


def _tolerance(item: ET.Element, response_id: str, answer: float) -> float | str:
    """The absolute tolerance the response processing grants ``response_id`` (0 when exact); a string is
    the reason it cannot be held (an asymmetric band)."""
    processing = item.find("responseProcessing")
    if processing is None:
        return 0.0
    for equal in processing.iter("equal"):
        if not any(v.get("identifier") == response_id for v in equal.iter("variable")):
            continue
        mode = equal.get("toleranceMode", "exact")
        if mode == "exact":
            return 0.0
        bounds = [_number(t) for t in (equal.get("tolerance") or "0").split()]
        if not bounds or any(b is None or b < 0 for b in bounds):
            return "its tolerance is not a pair of non-negative numbers"
        low, high = bounds[0], bounds[-1]
        if not math.isclose(low, high):
            return f"its tolerance band is asymmetric ({low:g} below, {high:g} above); ours is symmetric"
        return low if mode == "absolute" else abs(answer) * low / 100
    return 0.0


INTERACTION_NAMES = {
    "associateInteraction": "an associate interaction",
    "drawingInteraction": "a drawing interaction",
    "endAttemptInteraction": "an end-attempt interaction",
    "extendedTextInteraction": "an extended text (essay) interaction, which needs a person to grade it",
    "gapMatchInteraction": "a gap match interaction",
    "graphicAssociateInteraction": "a graphic associate interaction",
    "graphicGapMatchInteraction": "a graphic gap match interaction",
    "graphicOrderInteraction": "a graphic order interaction",
    "hotspotInteraction": "a hotspot interaction",
    "hottextInteraction": "a hot text interaction",
    "matchInteraction": "a match interaction",
    "mediaInteraction": "a media interaction",
    "orderInteraction": "an order interaction",
    "portableCustomInteraction": "a portable custom interaction",
    "positionObjectInteraction": "a position object interaction",
    "selectPointInteraction": "a select point interaction",
    "sliderInteraction": "a slider interaction",
    "uploadInteraction": "a file upload interaction",
    "customInteraction": "a custom interaction",
}
SUPPORTED = {"choiceInteraction", "textEntryInteraction", "inlineChoiceInteraction"}


def read_item(item: ET.Element, *, source: str) -> Parsed | Refusal:
    """One normalized ``assessmentItem`` as question fields, or the reason it cannot be one."""
    identifier = item.get("identifier") or source
    if depth(item) > MAX_DEPTH:
        return Refusal(identifier, source, f"its markup nests more than {MAX_DEPTH} levels deep")
    return _read_item(item, identifier=identifier, source=source)


def _read_item(item: ET.Element, *, identifier: str, source: str) -> Parsed | Refusal:

    def refuse(reason: str) -> Refusal:
        return Refusal(identifier=identifier, source=source, reason=reason)

    if item.tag != "assessmentItem":
        return refuse(f"not an assessment item (<{item.tag}>)")
    body = item.find("itemBody")
    if body is None:
        return refuse("it has no item body")
    if item.get("adaptive") == "true":
        return refuse("it is adaptive (several attempts with changing feedback); our questions are one-shot")
    if item.find("templateDeclaration") is not None:
        return refuse("it uses template variables (values drawn at random per candidate)")
    interactions = [e for e in body.iter() if isinstance(e.tag, str) and e.tag.endswith("Interaction")]
    if not interactions:
        return refuse("it has no interaction to answer")
    if len(interactions) > 1:
        kinds = ", ".join(sorted({e.tag for e in interactions}))
        return refuse(f"it has {len(interactions)} interactions ({kinds}); our questions take one answer")
    interaction = interactions[0]
    if interaction.tag not in SUPPORTED:
        name = INTERACTION_NAMES.get(interaction.tag, f"a <{interaction.tag}>")
        return refuse(
            f"it is {name}, which our question kinds (single, multiple, numeric, short text) cannot hold"
        )
    response_id = interaction.get("responseIdentifier", "")
    declaration = next(
        (d for d in item.iter("responseDeclaration") if d.get("identifier") == response_id), None
    )
    if declaration is None:
        return refuse(f"no response declaration for {response_id!r}")
    cardinality = declaration.get("cardinality", "single")
    base_type = declaration.get("baseType", "")
    correct = [v for v in _values(declaration.find("correctResponse")) if v]
    mapping = _mapping(declaration)
    explanation = _explanation(item)

    if interaction.tag in ("choiceInteraction", "inlineChoiceInteraction"):
        fields = _choice_fields(body, interaction, cardinality=cardinality, correct=correct, mapping=mapping)
    else:  # textEntryInteraction
        fields = _text_entry_fields(
            item,
            body,
            interaction,
            cardinality=cardinality,
            base_type=base_type,
            correct=correct,
            mapping=mapping,
            response_id=response_id,
        )
    if isinstance(fields, str):
        return refuse(fields)
    return Parsed(identifier=identifier, source=source, fields={**fields, "explanation": explanation})


def _choice_fields(body, interaction, *, cardinality: str, correct: list[str], mapping) -> dict | str:
    """A choice or inline-choice interaction's question fields (single or multiple), or why it is refused."""
    option_tag = "simpleChoice" if interaction.tag == "choiceInteraction" else "inlineChoice"
    options = [c for c in interaction if c.tag == option_tag]
    if cardinality not in ("single", "multiple"):
        return f"its answer is {cardinality} (an ordered answer); ours is a set of choices"
    if not correct and mapping:
        best = max(value for _key, value in mapping)
        picks = [k for k, v in mapping if v > 0 and (cardinality == "multiple" or v == best)]
        correct = picks
    ids = [c.get("identifier") for c in options]
    if not correct:
        return "it gives no correct response"
    missing = [c for c in correct if c not in ids]
    if missing:
        return f"its correct response names choices it does not have ({', '.join(missing)})"
    choices = [_text(c) for c in options]
    if any(not re.sub(r"\[image(: .*)?\]", "", c).strip() for c in choices):
        return "some of its choices are pictures (or empty); our choices are text"
    if len(set(choices)) != len(choices):
        return "two of its choices read the same as text"
    if interaction.tag == "choiceInteraction":
        prompt_parts = [_text(body, skip=HIDDEN | {"choiceInteraction"})]
        own_prompt = interaction.find("prompt")
        if own_prompt is not None:
            prompt_parts.append(_text(own_prompt))
        prompt = "\n".join(p for p in prompt_parts if p)
    else:
        prompt = _text(body, replace={id(interaction): BLANK})
    kind = grading.MULTIPLE if cardinality == "multiple" else grading.SINGLE
    if kind == grading.SINGLE and len(set(correct)) != 1:
        return "a single-answer choice with several correct responses"
    return {
        "kind": kind,
        "prompt": prompt,
        "choices": choices,
        "correct_choices": sorted({ids.index(c) for c in correct}),
    }


def _text_entry_fields(
    item,
    body,
    interaction,
    *,
    cardinality: str,
    base_type: str,
    correct: list[str],
    mapping,
    response_id: str,
) -> dict | str:
    """A text entry's question fields (numeric or short text), or why it is refused."""
    if cardinality != "single":
        return f"a text entry with {cardinality} cardinality"
    prompt = _text(body, replace={id(interaction): BLANK})
    if prompt.endswith("\n" + BLANK):  # the answer box on its own line after the question: no gap to show
        prompt = prompt[: -len(BLANK) - 1]
    if base_type in NUMERIC_TYPES:
        answers = correct or [k for k, v in sorted(mapping, key=lambda kv: -kv[1]) if v > 0][:1]
        numbers = {_number(a) for a in answers}
        if not answers or None in numbers:
            return "it gives no numeric correct response"
        if len(numbers) > 1:
            return "it accepts several different numbers; ours takes one number with a tolerance"
        answer = numbers.pop()
        tolerance = _tolerance(item, response_id, answer)
        if isinstance(tolerance, str):
            return tolerance
        return {
            "kind": grading.NUMERIC,
            "prompt": prompt,
            "numeric_answer": answer,
            "tolerance": tolerance,
        }
    if base_type != "string":
        return f"a text entry of base type {base_type or 'unknown'!r}"
    full = max((v for _k, v in mapping), default=None)
    accepted: list[str] = []
    for answer in correct + [k for k, v in mapping if full is not None and v > 0 and v == full]:
        if grading.normalize_text(answer) and grading.normalize_text(answer) not in map(
            grading.normalize_text, accepted
        ):
            accepted.append(answer)
    if not accepted:
        return "it gives no accepted answer"
    return {
        "kind": grading.SHORT_TEXT,
        "prompt": prompt,
        "accepted_answers": accepted,
    }


def _manifest_items(manifest: ET.Element, base: PurePosixPath) -> list[tuple[str, str]]:
    """(identifier, path in the zip) of every item resource the manifest lists."""
    items = []
    for resource in manifest.iter("resource"):
        if (resource.get("type") or "").startswith("imsqti_item"):
            href = resource.get("href") or ""
            if not href:
                first = resource.find("file")
                href = first.get("href", "") if first is not None else ""
            path = str(base / href) if str(base) != "." else href
            items.append((resource.get("identifier") or href, path))
    return items


def read_upload(data: bytes, *, name: str, limits: Limits, max_items: int) -> Reading:
    """An uploaded item file or package zip, read item by item; QtiError if the whole upload is unusable."""
    reading = Reading()
    if zipfile.is_zipfile(io.BytesIO(data)):
        files = files_from_package(
            data,
            limits=limits,
            suffixes=(".xml",),
            refused=QtiError,
            too_large="The package unpacks to more than {mb} MB of XML or holds more than {entries} files: a "
            "question bank is far smaller.",
        )
        manifests = sorted((p for p in files if PurePosixPath(p).name == "imsmanifest.xml"), key=len)
        if not manifests:
            raise QtiError("The zip has no imsmanifest.xml: a QTI package lists its items in one.")
        manifest = parse_xml(files[manifests[0]], source=manifests[0])
        if manifest.tag != "manifest":
            raise QtiError(f"{manifests[0]} is not a content package manifest.")
        entries = _manifest_items(manifest, PurePosixPath(manifests[0]).parent)
        if not entries:
            raise QtiError("The manifest lists no QTI item resources.")
        if len(entries) > max_items:
            raise QtiError(f"The package holds {len(entries)} items; at most {max_items} per import.")
        for identifier, path in entries:
            path = str(PurePosixPath(path))
            if path not in files:
                reading.refused.append(
                    Refusal(identifier, path, "the manifest lists it but the zip lacks the file")
                )
                continue
            try:
                root = parse_xml(files[path], source=path)
            except QtiError as error:
                reading.refused.append(Refusal(identifier, path, str(error)))
                continue
            _add(reading, read_item(root, source=path))
        return reading
    root = parse_xml(data, source=name)
    if root.tag == "manifest":
        raise QtiError("This is a package manifest alone: upload the whole package as a zip.")
    if root.tag == "assessmentTest":
        raise QtiError("This is an assessment test, whose items live in other files: upload the package zip.")
    if root.tag != "assessmentItem":
        raise QtiError(f"Not a QTI assessment item: the document is a <{root.tag}>.")
    _add(reading, read_item(root, source=name))
    return reading


def _add(reading: Reading, result: Parsed | Refusal) -> None:
    (reading.parsed if isinstance(result, Parsed) else reading.refused).append(result)
