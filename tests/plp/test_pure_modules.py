"""The pure cores (the engine's policy, mastery estimation and grading, roster and framework validation,
the small rule modules of each app) run without Django: importing them all loads no Django, no REST
framework and no module of ours outside this list. They stay fast and testable on their own."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PURE_MODULES = [
    # the engine: next item, pace, flags, attention, and the simulated class it is measured on
    "engine.policy", "engine.policy.attention", "engine.policy.flag_lifecycle", "engine.policy.flags",
    "engine.policy.next_item", "engine.policy.pace", "engine.policy.snapshot",
    "engine.attention.evidence", "engine.simulation", "engine.simulation.world", "engine.simulation.learner",
    "engine.simulation.teaching", "engine.simulation.run", "engine.simulation.measure",
    # mastery: knowledge tracing, its fitting, readiness rules, answer grading, QTI reading
    "mastery.bkt", "mastery.fitting", "mastery.rules", "mastery.rules.readiness", "mastery.rules.decisions",
    "mastery.rules.carried", "mastery.rules.plan", "mastery.rules.replay", "mastery.readiness",
    "mastery.grading", "mastery.qti",
    "mastery.qti.parsing", "mastery.qti.reader", "mastery.qti.writer", "mastery.qti.qti12",
    # content: CASE frameworks and prerequisites, item rendering, pace wording
    "playlists.frameworks", "playlists.frameworks.parsed", "playlists.frameworks.case_json",
    "playlists.frameworks.competency_csv", "playlists.frameworks.upload",
    "playlists.prerequisite_graph", "playlists.rendering", "playlists.pace",
    "playlists.cartridge", "playlists.cartridge.model", "playlists.cartridge.manifest",
    "playlists.cartridge.resources", "playlists.cartridge.modules", "playlists.cartridge.reader",
    # onboarding: the OneRoster reader and validator; the defaults of a school's own settings
    "schools.rostering.spec", "schools.rostering.reading", "schools.rostering.validation",
    "schools.rostering.records", "schools.rostering.rows", "schools.policy_defaults",
    # the rules of the smaller apps
    "agency.policy", "workshops.policy", "sso.policy", "sso.presets", "sso.refusals", "dashboard.grouping",
    "accounts.idle", "accounts.api_keys", "accounts.emails", "audit.csvcells",
    # input safety shared by the importers
    "plp.safe_csv", "plp.safe_json", "plp.ids",
    "plp.time_budget", "plp.html_text", "plp.refusals", "lti.refusals",
    # what a handed-in file really is, from its bytes; the xAPI statements a learning event becomes
    "submissions.filetypes", "xapi.statements",
    # LTI: the claims both directions speak (lti.claims); PLP as a platform: the id_token it issues, the
    # authorization requests and the scores it checks
    "lti.claims", "lti_platform.messages",
]  # fmt: skip

OURS = {path.parent.name for path in ROOT.glob("*/apps.py")}

# ``plp/__init__.py`` declares the Celery app (the standard Django-Celery layout), which loads a few of
# Django's utilities on its own: the probe loads it first and counts only what the modules add to it.
_PROBE = """
import importlib, json, sys
import plp
before = set(sys.modules)
for name in sys.argv[1:]:
    importlib.import_module(name)
print(json.dumps(sorted(set(sys.modules) - before)))
"""


def _modules_loaded_by(names: list[str]) -> set[str]:
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    run = subprocess.run(
        [sys.executable, "-c", _PROBE, *names], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 0, run.stderr
    return set(json.loads(run.stdout))


def _impure(loaded: set[str], pure: list[str]) -> list[str]:
    packages = {name.rsplit(".", i)[0] for name in pure for i in range(1, name.count(".") + 1)}
    return sorted(
        name
        for name in loaded
        if name.split(".")[0] in {"django", "rest_framework"}
        or (name.split(".")[0] in OURS and name not in pure and name not in packages)
    )


def test_the_pure_modules_load_no_django_and_no_other_app_code():
    assert _impure(_modules_loaded_by(PURE_MODULES), PURE_MODULES) == []


def test_the_check_catches_a_module_that_loads_django():
    # schools.roles is ordinary app code: it imports Django's model field choices.
    loaded = _modules_loaded_by(["schools.roles"])
    assert "django.db" in loaded
    assert {"django.db", "schools.roles"} <= set(_impure(loaded, ["mastery.bkt"]))
