"""Every use of the escape hatch ``.unscoped()`` in application code says why, in a comment just above."""

import io
import re
import tokenize
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Every app of ours: each top-level package with an apps.py (a new app is scanned without being listed).
APP_DIRS = sorted(path.parent.name for path in ROOT.glob("*/apps.py"))
# Modules whose whole purpose is cross-school access (documented in their docstrings).
WHOLLY_UNSCOPED = {"plp/admin_tools.py", "plp/tenancy/models.py"}


def _unscoped_call_lines(source: str) -> list[int]:
    """Line numbers of `.unscoped(` in code (not in strings or comments)."""
    tokens = [t for t in tokenize.generate_tokens(io.StringIO(source).readline)]
    return [
        token.start[0]
        for previous, token, following in zip(tokens, tokens[1:], tokens[2:], strict=False)
        if previous.string == "." and token.string == "unscoped" and following.string == "("
    ]


def test_every_unscoped_query_is_explained():
    unexplained = []
    for app in APP_DIRS:
        for path in (ROOT / app).rglob("*.py"):
            relative = path.relative_to(ROOT).as_posix()
            if relative in WHOLLY_UNSCOPED or "/migrations/" in relative:
                continue
            source = path.read_text()
            lines = source.splitlines()
            for line_number in _unscoped_call_lines(source):
                context = "\n".join(lines[max(0, line_number - 5) : line_number])
                if not re.search(r"#\s*unscoped:", context):
                    unexplained.append(f"{relative}:{line_number}")
    assert not unexplained, "Explain each .unscoped() with a '# unscoped: why' comment: " + ", ".join(
        unexplained
    )


def test_every_app_is_scanned():
    assert {"plp", "engine", "dashboard", "sso", "workshops", "agency"} <= set(APP_DIRS)


def test_the_check_finds_an_unexplained_call():
    assert _unscoped_call_lines("x = 1\nrows = Term.objects.unscoped().all()\n") == [2]
    assert _unscoped_call_lines('msg = "use .unscoped() here"\n') == []
