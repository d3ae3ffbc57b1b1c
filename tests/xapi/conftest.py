"""Fixtures of the xAPI tests: two real learning record stores (Ralph), one per school, started once per
module; each test starts with both empty."""

import pytest

from plp.tenancy.context import school_scope
from tests.factories import (
    CompetencyFactory,
    ContentItemFactory,
    MasteryPolicyFactory,
    PlaylistAssignmentFactory,
    PlaylistFactory,
    PlaylistItemFactory,
    QuestionBankFactory,
    QuestionFactory,
)
from tests.xapi.ralph import Ralph
from xapi import services

KEYS = {"alpha": ("alpha-key", "alpha-secret-4711"), "bravo": ("bravo-key", "bravo-secret-0815")}


@pytest.fixture(scope="module")
def ralph_servers(tmp_path_factory):
    servers = {
        slug: Ralph(tmp_path_factory.mktemp(f"lrs-{slug}"), {key: secret}).start()
        for slug, (key, secret) in KEYS.items()
    }
    yield servers
    for server in servers.values():
        server.stop()


@pytest.fixture
def lrs_a(ralph_servers):
    ralph_servers["alpha"].clear()
    return ralph_servers["alpha"]


@pytest.fixture
def lrs_b(ralph_servers):
    ralph_servers["bravo"].clear()
    return ralph_servers["bravo"]


def connect(world, lrs: Ralph, *, secret: str | None = None, **values):
    """The world's school sends its statements to ``lrs`` (its own key and secret unless told)."""
    key, right = KEYS[world.school.slug]
    with school_scope(world.school):
        return services.lrs_connection_save(
            connection=None,
            base_url="http://testserver/",
            secret=right if secret is None else secret,
            endpoint=lrs.url,
            key=key,
            enabled=values.pop("enabled", True),
            **values,
        )


@pytest.fixture
def lesson_a(school_a):
    """School A's competency with a bank of three questions, a check policy and a reading."""
    return _lesson(school_a)


@pytest.fixture
def lesson_b(school_b):
    return _lesson(school_b)


def _lesson(world):
    competency = CompetencyFactory(framework__school=world.school, code=f"{world.school.slug.upper()}.RP.1")
    bank = QuestionBankFactory(competency=competency)
    questions = [QuestionFactory(bank=bank) for _ in range(3)]
    policy = MasteryPolicyFactory(competency=competency, check_size=2, readiness_rule="teacher_unlock")
    item = ContentItemFactory(school=world.school, title=f"{world.school.slug} reading", kind="reading")
    item.competencies.add(competency)
    playlist = PlaylistFactory(school=world.school)
    PlaylistItemFactory(playlist=playlist, item=item)
    PlaylistAssignmentFactory(playlist=playlist, student=world.user("student"))
    return {
        "competency": competency,
        "questions": questions,
        "policy": policy,
        "item": item,
        "playlist": playlist,
    }
