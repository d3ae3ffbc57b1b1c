"""`make run` and `make test` install the versions pinned in requirements/lock.txt (pip's --constraint):
every dependency pyproject.toml names must be pinned there, at a version its specifier allows, or it would
be installed unpinned. `make lock` rewrites the file."""

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]


def _pins(text: str) -> dict[str, str]:
    return {
        canonicalize_name(match[1]): match[2]
        for match in re.finditer(r"^([A-Za-z0-9._-]+)==([^\s;]+)", text, re.MULTILINE)
    }


def _declared() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    extras = project.get("optional-dependencies", {})
    return [Requirement(line) for line in [*project["dependencies"], *extras.get("dev", [])]]


def _unpinned(declared: list[Requirement], pins: dict[str, str]) -> list[str]:
    problems = []
    for requirement in declared:
        if requirement.marker is not None and not requirement.marker.evaluate():
            continue
        pinned = pins.get(canonicalize_name(requirement.name))
        if pinned is None:
            problems.append(f"{requirement.name}: not in requirements/lock.txt (run `make lock`)")
        elif not requirement.specifier.contains(pinned, prereleases=True):
            problems.append(f"{requirement.name}=={pinned} does not satisfy {requirement.specifier}")
    return problems


def test_every_declared_dependency_is_pinned_in_the_lock_file():
    assert _unpinned(_declared(), _pins((ROOT / "requirements" / "lock.txt").read_text())) == []


def test_the_check_names_a_missing_or_out_of_range_pin():
    declared = [Requirement("Django>=5.2,<6.0"), Requirement("celery[redis]>=5.4")]
    assert _unpinned(declared, {"django": "6.0.1"}) == [
        "Django==6.0.1 does not satisfy <6.0,>=5.2",
        "celery: not in requirements/lock.txt (run `make lock`)",
    ]
