"""The production image holds every app: read statically from the Dockerfile and .dockerignore (no Docker
engine runs here), the way ``docker build`` would resolve its context."""

import re
import tomllib
from pathlib import Path, PurePosixPath

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[1]


def _packages() -> list[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    return [name.rstrip("*") for name in config["tool"]["setuptools"]["packages"]["find"]["include"]]


def _copy_sources() -> list[str]:
    """The build-context sources of every COPY (not COPY --from=another stage)."""
    sources = []
    for line in (ROOT / "Dockerfile").read_text().splitlines():
        words = line.split()
        if words[:1] == ["COPY"] and not any(w.startswith("--from") for w in words):
            sources += [w.rstrip("/") for w in words[1:-1] if not w.startswith("--")]
    return sources


def _pattern(pattern: str) -> re.Pattern:
    """A .dockerignore pattern (Go filepath.Match plus ``**``) as a regex over a context-relative path."""
    regex = ""
    for part in re.split(r"(\*\*/?|\*|\?)", pattern.strip("/")):
        if part.startswith("**"):
            regex += "(.*/)?" if part.endswith("/") else ".*"
        elif part == "*":
            regex += "[^/]*"
        elif part == "?":
            regex += "[^/]"
        else:
            regex += re.escape(part)
    return re.compile(regex + r"\Z")


def _ignored(path: str) -> bool:
    """Docker's rule: the last matching line wins; a line matching a parent folder excludes its files."""
    lines = (ROOT / ".dockerignore").read_text().splitlines()
    rules = [
        (line.startswith("!"), _pattern(line.lstrip("!")))
        for line in lines
        if line.strip() and not line.startswith("#")
    ]
    parts = PurePosixPath(path).parts
    prefixes = ["/".join(parts[: n + 1]) for n in range(len(parts))]
    ignored = False
    for negated, regex in rules:
        if any(regex.match(prefix) for prefix in prefixes):
            ignored = not negated
    return ignored


def _in_image(path: str) -> bool:
    copied = any(source in (".", path) or path.startswith(source + "/") for source in _copy_sources())
    return copied and not _ignored(path)


REQUIRED = [*_packages(), "templates", "static", "manage.py", "pyproject.toml", "requirements", "README.md"]


@pytest.mark.parametrize("path", REQUIRED)
def test_every_app_package_and_the_project_files_land_in_the_image(path):
    assert (ROOT / path).exists(), f"{path} is listed but missing from the repository"
    assert _in_image(path), f"{path} is not copied into the production image"
    for file in (ROOT / path).rglob("*.*") if (ROOT / path).is_dir() else ():
        relative = file.relative_to(ROOT).as_posix()
        if "__pycache__" not in relative and not relative.endswith(".pyc"):
            assert _in_image(relative), f"{relative} is left out of the production image"


def test_every_local_django_app_is_a_package_pip_installs():
    local = [app.split(".")[0] for app in settings.INSTALLED_APPS if (ROOT / app.split(".")[0]).is_dir()]
    assert set(local) <= set(_packages())


def test_development_files_and_secrets_stay_out_of_the_image():
    for path in (".git/HEAD", ".venv/bin/python", "db.sqlite3", "tests/conftest.py", ".env", "staticfiles/x"):
        assert not _in_image(path), path


def test_the_image_installs_the_locked_versions():
    installs = [line for line in (ROOT / "Dockerfile").read_text().splitlines() if "pip install" in line]
    assert installs and all("--constraint requirements/lock.txt" in line for line in installs)


def test_every_app_package_is_first_party_for_the_import_sorter():
    """COMMON rule for a new app: pyproject's package list and ruff's known-first-party name it together."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    first_party = set(config["tool"]["ruff"]["lint"]["isort"]["known-first-party"])
    assert set(_packages()) <= first_party, set(_packages()) - first_party
