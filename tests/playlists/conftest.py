"""A small playlist world: school A's section gets a playlist of three required items and a choice board."""

import datetime as dt
from dataclasses import dataclass

import pytest

from tests.factories import (
    ChoiceBoardFactory,
    CompetencyFactory,
    CompetencyPrerequisiteFactory,
    ContentItemFactory,
    PlaylistAssignmentFactory,
    PlaylistFactory,
    PlaylistItemFactory,
)


@dataclass
class PlaylistWorld:
    playlist: object
    placements: list
    board_placements: list
    board: object


def build_playlist(school_world, *, title="Ratios", required=3, board_items=0, choose=2, target_days=21):
    school = school_world.school
    playlist = PlaylistFactory(school=school, title=title)
    placements = [
        PlaylistItemFactory(
            playlist=playlist, item=ContentItemFactory(school=school, title=f"{title} item {n}"), position=n
        )
        for n in range(1, required + 1)
    ]
    board, board_placements = None, []
    if board_items:
        board = ChoiceBoardFactory(playlist=playlist, label=f"{title} board", choose=choose)
        board_placements = [
            PlaylistItemFactory(
                playlist=playlist,
                item=ContentItemFactory(school=school, title=f"{title} choice {n}"),
                position=required + n,
                choice_board=board,
            )
            for n in range(1, board_items + 1)
        ]
    PlaylistAssignmentFactory(
        playlist=playlist,
        section=school_world.section,
        start_date=dt.date.today() - dt.timedelta(days=7),
        target_date=dt.date.today() + dt.timedelta(days=target_days),
    )
    return PlaylistWorld(
        playlist=playlist, placements=placements, board_placements=board_placements, board=board
    )


@pytest.fixture
def ratios(school_a) -> PlaylistWorld:
    return build_playlist(school_a, board_items=4, choose=2)


@dataclass
class RatioChain:
    rp1: object
    rp2: object
    rp3: object
    claims: object  # E.1, in another framework of the same school


def build_ratio_chain(school_world) -> RatioChain:
    """RP.1 before RP.2 before RP.3 (framework "Ratios"), and E.1 in the school's framework "Writing"."""
    school = school_world.school
    rp1 = CompetencyFactory(framework__school=school, framework__title="Ratios", code="RP.1", title="Ratios")
    rp2 = CompetencyFactory(framework=rp1.framework, code="RP.2", title="Unit rates", position=2)
    rp3 = CompetencyFactory(framework=rp1.framework, code="RP.3", title="Proportions", position=3)
    CompetencyPrerequisiteFactory(competency=rp2, prerequisite=rp1)
    CompetencyPrerequisiteFactory(competency=rp3, prerequisite=rp2)
    claims = CompetencyFactory(
        framework__school=school, framework__title="Writing", code="E.1", title="Claims"
    )
    return RatioChain(rp1=rp1, rp2=rp2, rp3=rp3, claims=claims)


@pytest.fixture
def rp_chain(school_a) -> RatioChain:
    return build_ratio_chain(school_a)
