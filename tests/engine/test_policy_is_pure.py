"""The policy core imports nothing but the standard library and itself: no Django, no app code."""

import ast
from pathlib import Path

import engine.policy

ALLOWED_PREFIXES = ("engine.policy",)


def test_the_policy_core_imports_no_django_and_no_app_code():
    offenders = []
    for path in Path(engine.policy.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            for name in names:
                top = name.split(".")[0]
                if top in {"django", "rest_framework", "celery"} or (
                    top in {"plp", "schools", "playlists", "mastery", "mentoring", "learners", "engine"}
                    and not name.startswith(ALLOWED_PREFIXES)
                ):
                    offenders.append(f"{path.name}: {name}")
    assert not offenders
