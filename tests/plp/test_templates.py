"""Template source rules that Django does not enforce itself."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _templates():
    return [p for p in ROOT.glob("**/templates/**/*.html") if ".venv" not in p.parts]


def test_no_template_comment_spans_lines():
    """Django's {# #} is one line only: a longer one is printed on the page as text (the competency page
    showed the student '{# Whether a check can be requested now ... #}'). Use {% comment %} instead."""
    spanning = [
        f"{path.relative_to(ROOT)}:{text[: match.start()].count(chr(10)) + 1}"
        for path in _templates()
        for text in [path.read_text()]
        for match in re.finditer(r"\{#(?:(?!#\}).)*\n", text)
    ]
    assert _templates()
    assert spanning == []
