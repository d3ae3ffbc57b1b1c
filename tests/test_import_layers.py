"""The app layers (README, "App layers") and the pure cores are import-linter contracts in pyproject.toml;
this runs the virtualenv's ``lint-imports`` on them, so the suite (and CI, which runs ``make test``) fails
with its report when a lower app imports a higher one, at module level or inside a function."""

import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def _lint_imports(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", *args], cwd=ROOT, capture_output=True, text=True, timeout=300
    )


def test_the_app_layers_and_the_pure_cores_hold():
    run = _lint_imports()
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Contracts: 3 kept, 0 broken." in run.stdout


def test_every_app_is_in_the_layers_contract():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    linter = config["tool"]["importlinter"]
    (layers,) = [c for c in linter["contracts"] if c["type"] == "layers"]
    in_layers = {app.strip() for layer in layers["layers"] for app in layer.split("|")}
    apps = {path.parent.name for path in ROOT.glob("*/apps.py")}
    assert in_layers == set(linter["root_packages"]) == apps


def test_the_check_fails_when_a_lower_app_imports_a_higher_one(tmp_path):
    # The same apps with plp put on top of dashboard: dashboard imports plp, so the contract breaks.
    config = tmp_path / "layers.toml"
    config.write_text(
        '[tool.importlinter]\nroot_packages = ["plp", "dashboard"]\n\n'
        '[[tool.importlinter.contracts]]\nname = "upside down"\ntype = "layers"\n'
        'layers = ["plp", "dashboard"]\n'
    )
    run = _lint_imports(str(config))
    assert run.returncode == 1
    assert "dashboard is not allowed to import plp" in run.stdout
