"""QTI 1.2 as Common Cartridge embeds it (the "CC profile" of ``questestinterop``), read into our question
kinds. Pure: no Django.

A cartridge's assessments are QTI 1.2, not the 2.1/3.0 that :mod:`mastery.qti.reader` reads. The CC profile
names each item's type in its metadata (``cc.multiple_choice.v0p1``, ``cc.true_false.v0p1``,
``cc.multiple_response.v0p1``, ``cc.fib.v0p1``, ``cc.essay.v0p1``, ``cc.pattern_match.v0p1``); the correct
answer is the ``varequal`` of the response condition that sets a positive score. What our kinds cannot hold
(essays, pattern matches, anything else) becomes a :class:`~mastery.qti.parsing.Refusal` with its reason.

Trees come from :func:`mastery.qti.parsing.parse_xml` (defusedxml, namespaces dropped).
"""

from __future__ import annotations

from xml.etree import ElementTree as ET

from mastery import grading
from mastery.qti.parsing import MAX_DEPTH, Parsed, Reading, Refusal, depth
from plp.html_text import html_to_text

PROFILES = {
    "cc.multiple_choice.v0p1": grading.SINGLE,
    "cc.true_false.v0p1": grading.SINGLE,
    "cc.multiple_response.v0p1": grading.MULTIPLE,
    "cc.fib.v0p1": grading.SHORT_TEXT,
}
REFUSED_PROFILES = {
    "cc.essay.v0p1": "it is an essay, which needs a person to grade it",
    "cc.pattern_match.v0p1": "it is a pattern-match answer (wildcards), which our short answers cannot hold",
}


def _field(item: ET.Element, label: str) -> str:
    for field in item.iter("qtimetadatafield"):
        if (field.findtext("fieldlabel") or "").strip() == label:
            return (field.findtext("fieldentry") or "").strip()
    return ""


def _material_text(parent: ET.Element | None) -> str:
    """The readable text of the ``mattext`` elements under ``parent`` (HTML ones turned into text)."""
    if parent is None:
        return ""
    parts = []
    for mattext in parent.iter("mattext"):
        raw = mattext.text or ""
        if "html" in (mattext.get("texttype") or "").lower():
            parts.append(html_to_text(raw))
        else:
            parts.append(raw.strip())
    return "\n".join(p for p in parts if p)


def _scoring_conditions(item: ET.Element) -> list[ET.Element]:
    """Response conditions that give a positive score: the ones that say what is correct."""
    found = []
    for condition in item.iter("respcondition"):
        for setvar in condition.iter("setvar"):
            try:
                value = float((setvar.text or "0").strip())
            except ValueError:
                continue
            if value > 0 and (setvar.get("action") or "Set").lower() in ("set", "add"):
                found.append(condition)
                break
    return found


def _positive_equals(condition: ET.Element) -> list[str]:
    """The ``varequal`` values a condition requires (those under a ``not`` are excluded)."""
    values: list[str] = []

    def walk(node: ET.Element, negated: bool) -> None:
        for child in node:
            if child.tag == "not":
                walk(child, not negated)
            elif child.tag == "varequal":
                if not negated:
                    values.append((child.text or "").strip())
            else:
                walk(child, negated)

    conditionvar = condition.find("conditionvar")
    if conditionvar is not None:
        walk(conditionvar, False)
    return values


def _explanation(item: ET.Element, scoring: list[ET.Element]) -> str:
    """General feedback and the feedback shown with the right answer, as the question's explanation."""
    wanted = ["general_fb"]
    for condition in scoring:
        wanted += [d.get("linkrefid", "") for d in condition.iter("displayfeedback")]
    texts: list[str] = []
    feedbacks = {f.get("ident", ""): f for f in item.iter("itemfeedback")}
    for ident in wanted:
        text = _material_text(feedbacks.get(ident))
        if text and text not in texts:
            texts.append(text)
    return "\n\n".join(texts)


def read_item(item: ET.Element, *, source: str) -> Parsed | Refusal:
    """One QTI 1.2 ``item`` as question fields, or the reason it cannot be one."""
    identifier = item.get("ident") or source

    def refuse(reason: str) -> Refusal:
        return Refusal(identifier=identifier, source=source, reason=reason)

    if depth(item) > MAX_DEPTH:
        return refuse(f"its markup nests more than {MAX_DEPTH} levels deep")
    profile = _field(item, "cc_profile")
    if profile in REFUSED_PROFILES:
        return refuse(REFUSED_PROFILES[profile])
    presentation = item.find("presentation")
    if presentation is None:
        return refuse("it has no presentation (no question to show)")
    lids = list(presentation.iter("response_lid"))
    strs = list(presentation.iter("response_str")) + list(presentation.iter("response_num"))
    if len(lids) + len(strs) != 1:
        return refuse(f"it asks for {len(lids) + len(strs)} answers; our questions take one")
    kind = PROFILES.get(profile)
    if kind is None:
        if profile:
            return refuse(f"its type {profile!r} is not one our question kinds can hold")
        if lids:
            kind = grading.MULTIPLE if lids[0].get("rcardinality") == "Multiple" else grading.SINGLE
        else:
            kind = grading.SHORT_TEXT
    prompt_parts = [_material_text(m) for m in presentation if m.tag in ("material", "flow")]
    prompt = "\n".join(p for p in prompt_parts if p)
    if not prompt:
        return refuse("its question text is empty")
    scoring = _scoring_conditions(item)
    explanation = _explanation(item, scoring)

    if kind in (grading.SINGLE, grading.MULTIPLE):
        fields = _choice_fields(kind, prompt, lids, scoring)
    else:
        fields = _short_text_fields(prompt, scoring)
    if isinstance(fields, str):
        return refuse(fields)
    return Parsed(identifier=identifier, source=source, fields={**fields, "explanation": explanation})


def _choice_fields(kind: str, prompt: str, lids: list[ET.Element], scoring: list[ET.Element]) -> dict | str:
    """A choice question's fields (single or multiple), or why it is refused."""
    if not lids:
        return "a choice question without choices"
    labels = list(lids[0].iter("response_label"))
    ids = [label.get("ident", "") for label in labels]
    choices = [_material_text(label) for label in labels]
    if len(choices) < 2 or any(not c for c in choices):
        return "some of its choices are pictures (or empty); our choices are text"
    if len(set(choices)) != len(choices):
        return "two of its choices read the same as text"
    correct: set[str] = set()
    for condition in scoring:
        correct.update(v for v in _positive_equals(condition) if v in ids)
    if not correct:
        return "it gives no correct response"
    if kind == grading.SINGLE and len(correct) != 1:
        return "a single-answer choice with several correct responses"
    return {
        "kind": kind,
        "prompt": prompt,
        "choices": choices,
        "correct_choices": sorted(ids.index(c) for c in correct),
    }


def _short_text_fields(prompt: str, scoring: list[ET.Element]) -> dict | str:
    """A short-text question's fields (every answer a scoring condition accepts, once), or why it is
    refused."""
    accepted: list[str] = []
    for condition in scoring:
        for answer in _positive_equals(condition):
            if grading.normalize_text(answer) and grading.normalize_text(answer) not in map(
                grading.normalize_text, accepted
            ):
                accepted.append(answer)
    if not accepted:
        return "it gives no accepted answer"
    return {"kind": grading.SHORT_TEXT, "prompt": prompt, "accepted_answers": accepted}


def read_assessment(root: ET.Element, *, source: str) -> tuple[str, Reading]:
    """A normalized ``questestinterop`` document: its title and every item, read or refused.

    Items inside a Canvas "question group" section that draws from a bank elsewhere are not in the file;
    the ``sourcebank_ref`` is reported so the teacher knows questions are missing."""
    reading = Reading()
    if root.tag != "questestinterop":
        raise ValueError(f"{source}: not a QTI 1.2 document (<{root.tag}>)")
    assessment = root.find("assessment")
    objectbank = root.find("objectbank")
    holder = assessment if assessment is not None else objectbank
    if holder is None:
        return "", reading
    title = (holder.get("title") or "").strip()
    if holder is objectbank and not title:
        title = _field(holder, "qmd_title")
    for section in holder.iter("section"):
        bank_ref = (section.findtext("selection_ordering/selection/sourcebank_ref") or "").strip()
        if bank_ref:
            reading.refused.append(
                Refusal(
                    section.get("ident") or source,
                    source,
                    f"a question group drawing from the bank {bank_ref}, whose questions this file lacks",
                )
            )
    for item in holder.iter("item"):
        result = read_item(item, source=source)
        (reading.parsed if isinstance(result, Parsed) else reading.refused).append(result)
    return title, reading
