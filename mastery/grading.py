"""Grading a response to a question: pure functions per question kind, no Django.

A question's *key* is what grading needs (kind, correct choices, numeric answer and tolerance, accepted
texts). Check attempts store each drawn question's key, so regrading an attempt later gives the same
result even if a teacher has since edited the question.
"""

from __future__ import annotations

import math
import re
import unicodedata
from decimal import Decimal, InvalidOperation

SINGLE = "single"
MULTIPLE = "multiple"
NUMERIC = "numeric"
SHORT_TEXT = "short_text"
KINDS = (SINGLE, MULTIPLE, NUMERIC, SHORT_TEXT)

MAX_RESPONSE_LENGTH = 500


def normalize_text(text: str) -> str:
    """Case, accents, surrounding punctuation and runs of spaces do not matter in a short answer."""
    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    text = re.sub(r"\s+", " ", text.casefold()).strip()
    return text.strip(" .,;:!?\"'")


def parse_number(raw) -> float | None:
    """A number the way people type it (``1,5`` or ``1 000`` or ``3/4``), or None."""
    text = str(raw).strip().replace(" ", "").replace("\u00a0", "")
    if not text or len(text) > 40:
        return None
    if text.count("/") == 1:
        num, den = (parse_number(part) for part in text.split("/"))
        if num is None or not den:
            return None
        return num / den
    text = text.replace(",", ".") if text.count(",") == 1 and "." not in text else text.replace(",", "")
    try:
        value = float(Decimal(text))
    except (InvalidOperation, ValueError):
        return None
    return value if math.isfinite(value) else None


def _choice_indexes(response) -> set[int] | None:
    values = response if isinstance(response, list | tuple) else [response]
    chosen = set()
    for value in values:
        try:
            chosen.add(int(str(value)))
        except ValueError:
            return None
    return chosen


def is_blank(response) -> bool:
    """Nothing chosen or typed (spaces only count as nothing): not an answer at all, so never graded."""
    if response is None:
        return True
    if isinstance(response, list | tuple):
        return all(is_blank(value) for value in response)
    return not str(response).strip()


def blank_answer_message(kind: str) -> str:
    """What to tell a student who sent nothing, by question kind."""
    return "Choose an answer." if kind in (SINGLE, MULTIPLE) else "Type an answer."


def grade(key: dict, response) -> bool:
    """True when ``response`` answers the question described by ``key`` correctly.

    ``response`` is what the student sent: a choice index (single), a list of indexes (multiple), or text
    (numeric and short text). Anything malformed is simply wrong, never an error.
    """
    kind = key.get("kind")
    if is_blank(response):
        return False
    if kind == SINGLE:
        chosen = _choice_indexes(response)
        return chosen is not None and len(chosen) == 1 and chosen == set(key["correct_choices"])
    if kind == MULTIPLE:
        chosen = _choice_indexes(response)
        return chosen is not None and chosen == set(key["correct_choices"])
    if kind == NUMERIC:
        value = parse_number(response)
        if value is None:
            return False
        return abs(value - float(key["numeric_answer"])) <= float(key.get("tolerance") or 0) + 1e-9
    if kind == SHORT_TEXT:
        given = normalize_text(str(response)[:MAX_RESPONSE_LENGTH])
        return bool(given) and given in {normalize_text(a) for a in key["accepted_answers"]}
    raise ValueError(f"Unknown question kind {kind!r}")
