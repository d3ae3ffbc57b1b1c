"""Our questions written as QTI 3.0 items and a QTI 3.0 content package. Pure: no Django."""

from __future__ import annotations

import io
import zipfile
from xml.etree import ElementTree as ET  # building only; parsing goes through defusedxml

from mastery import grading

QTI3_NS = "http://www.imsglobal.org/xsd/imsqtiasi_v3p0"
CP3_NS = "http://www.imsglobal.org/xsd/qti/qtiv3p0/imscp_v1p1"
ITEM_RESOURCE = "imsqti_item_xmlv3p0"


def _q(tag: str) -> str:
    return f"{{{QTI3_NS}}}{tag}"


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs) -> ET.Element:
    element = ET.SubElement(parent, _q(tag), {k.replace("_", "-"): str(v) for k, v in attrs.items()})
    if text is not None:
        element.text = text
    return element


def _paragraphs(parent: ET.Element, text: str) -> None:
    for line in text.split("\n"):
        if line.strip():
            _sub(parent, "p", line)


def _number_text(value: float) -> str:
    return repr(float(value))


def item_xml(*, identifier: str, title: str, fields: dict) -> bytes:
    """One question as a QTI 3.0 ``qti-assessment-item``: correct response, explicit response processing
    (tolerance included) and the explanation as modal feedback shown after answering."""
    kind = fields["kind"]
    ET.register_namespace("", QTI3_NS)
    item = ET.Element(
        _q("qti-assessment-item"),
        {"identifier": identifier, "title": title, "adaptive": "false", "time-dependent": "false"},
    )
    _declarations(item, kind, fields)
    _body(item, kind, fields)
    _processing(item, kind, fields)
    ET.indent(item)
    return ET.tostring(item, encoding="utf-8", xml_declaration=True)


def _declarations(item: ET.Element, kind: str, fields: dict) -> None:
    """The response declaration (correct response; a short text's accepted answers as a mapping) and the
    SCORE and FEEDBACK outcomes."""
    cardinality = "multiple" if kind == grading.MULTIPLE else "single"
    base_type = {grading.NUMERIC: "float", grading.SHORT_TEXT: "string"}.get(kind, "identifier")
    declaration = _sub(
        item, "qti-response-declaration", identifier="RESPONSE", cardinality=cardinality, base_type=base_type
    )
    correct = _sub(declaration, "qti-correct-response")
    if kind in (grading.SINGLE, grading.MULTIPLE):
        for index in fields["correct_choices"]:
            _sub(correct, "qti-value", f"C{index + 1}")
    elif kind == grading.NUMERIC:
        _sub(correct, "qti-value", _number_text(fields["numeric_answer"]))
    else:
        _sub(correct, "qti-value", fields["accepted_answers"][0])
        mapping = _sub(declaration, "qti-mapping", default_value="0")
        for answer in fields["accepted_answers"]:
            _sub(mapping, "qti-map-entry", map_key=answer, mapped_value="1", case_sensitive="false")
    score = _sub(item, "qti-outcome-declaration", identifier="SCORE", cardinality="single", base_type="float")
    _sub(_sub(score, "qti-default-value"), "qti-value", "0")
    _sub(item, "qti-outcome-declaration", identifier="FEEDBACK", cardinality="single", base_type="identifier")


def _body(item: ET.Element, kind: str, fields: dict) -> None:
    """The prompt and its interaction: choices, or a text entry."""
    body = _sub(item, "qti-item-body")
    if kind in (grading.SINGLE, grading.MULTIPLE):
        _paragraphs(body, fields["prompt"])
        interaction = _sub(
            body,
            "qti-choice-interaction",
            response_identifier="RESPONSE",
            shuffle="false",
            max_choices="1" if kind == grading.SINGLE else "0",
        )
        for index, choice in enumerate(fields["choices"]):
            _sub(interaction, "qti-simple-choice", choice, identifier=f"C{index + 1}")
    else:
        _paragraphs(body, fields["prompt"])
        holder = _sub(body, "p")
        _sub(holder, "qti-text-entry-interaction", response_identifier="RESPONSE")


def _processing(item: ET.Element, kind: str, fields: dict) -> None:
    """Explicit response processing (SCORE 1 when right, within the tolerance for a number) and the
    explanation as modal feedback."""
    processing = _sub(item, "qti-response-processing")
    condition = _sub(_sub(processing, "qti-response-condition"), "qti-response-if")
    if kind == grading.SHORT_TEXT:
        test = _sub(condition, "qti-gt")
        _sub(test, "qti-map-response", identifier="RESPONSE")
        _sub(test, "qti-base-value", "0", base_type="float")
    elif kind == grading.NUMERIC and fields.get("tolerance"):
        tolerance = _number_text(fields["tolerance"])
        test = _sub(condition, "qti-equal", tolerance_mode="absolute", tolerance=f"{tolerance} {tolerance}")
        _sub(test, "qti-variable", identifier="RESPONSE")
        _sub(test, "qti-correct", identifier="RESPONSE")
    else:
        test = _sub(condition, "qti-match" if kind != grading.NUMERIC else "qti-equal")
        if kind == grading.NUMERIC:
            test.set("tolerance-mode", "exact")
        _sub(test, "qti-variable", identifier="RESPONSE")
        _sub(test, "qti-correct", identifier="RESPONSE")
    _sub(
        _sub(condition, "qti-set-outcome-value", identifier="SCORE"), "qti-base-value", "1", base_type="float"
    )
    if fields.get("explanation"):
        set_feedback = _sub(processing, "qti-set-outcome-value", identifier="FEEDBACK")
        _sub(set_feedback, "qti-base-value", "EXPLANATION", base_type="identifier")
        feedback = _sub(
            item,
            "qti-modal-feedback",
            outcome_identifier="FEEDBACK",
            identifier="EXPLANATION",
            show_hide="show",
        )
        _paragraphs(_sub(feedback, "qti-content-body"), fields["explanation"])


def package_zip(*, identifier: str, items: list[tuple[str, str, dict]]) -> bytes:
    """A QTI 3.0 content package: ``imsmanifest.xml`` listing one item file per (id, title, fields)."""
    ET.register_namespace("", CP3_NS)

    def cp(tag: str) -> str:
        return f"{{{CP3_NS}}}{tag}"

    manifest = ET.Element(cp("manifest"), {"identifier": identifier})
    metadata = ET.SubElement(manifest, cp("metadata"))
    ET.SubElement(metadata, cp("schema")).text = "QTI Package"
    ET.SubElement(metadata, cp("schemaversion")).text = "3.0.0"
    ET.SubElement(manifest, cp("organizations"))
    resources = ET.SubElement(manifest, cp("resources"))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for item_id, item_title, fields in items:
            href = f"items/{item_id}.xml"
            resource = ET.SubElement(
                resources, cp("resource"), {"identifier": item_id, "type": ITEM_RESOURCE, "href": href}
            )
            ET.SubElement(resource, cp("file"), {"href": href})
            archive.writestr(href, item_xml(identifier=item_id, title=item_title, fields=fields))
        ET.indent(manifest)
        archive.writestr("imsmanifest.xml", ET.tostring(manifest, encoding="utf-8", xml_declaration=True))
    return buffer.getvalue()
