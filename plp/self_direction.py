"""Ask, from any app, what a student's self-direction level lets them do.

The levels are the agency app's: a level reads practice, checks, goals and My work, so agency sits above the
apps that ask (README, "App layers"): playlists before an item is started, mastery before a check is
requested, mentoring before goals are set and on the mentee list. They call these functions; agency
registers its answers (``agency/gates.py``) here from its ``ready``. A call before it registered raises:
a gate nobody answers must not let everything through.
"""

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Protocol

from plp.ports import Port


class Gates(Protocol):
    item_pick_check: Callable[..., None]
    check_approval_level: Callable[..., str]
    goal_setting_refusal: Callable[..., str]
    goal_setting_check: Callable[..., None]
    mentee_levels: Callable[..., dict]


_port: Port[Gates] = Port("No self-direction gates: is the agency app installed?")


def register(gates: Gates) -> None:
    """The agency app's ``ready``."""
    _port.register(gates)


def item_pick_check(*, student, item_id: int) -> None:
    """Raise ``PermissionDenied`` (saying what they may do instead) when the student's level does not let
    them start ``item_id`` now."""
    _port.handler.item_pick_check(student=student, item_id=item_id)


def check_approval_level(*, student) -> str:
    """The name of the student's level when it sends each check request to a teacher first, else ""."""
    return _port.handler.check_approval_level(student=student)


def goal_setting_refusal(*, access, week_of: dt.date | None, this_monday: dt.date) -> str:
    """Why the student's level leaves these goals (``week_of`` None: long-range) to their mentor, or ""."""
    return _port.handler.goal_setting_refusal(access=access, week_of=week_of, this_monday=this_monday)


def goal_setting_check(*, access, week_of: dt.date | None, this_monday: dt.date) -> None:
    """Raise ``ValidationError`` with :func:`goal_setting_refusal`'s reason, if any."""
    _port.handler.goal_setting_check(access=access, week_of=week_of, this_monday=this_monday)


def mentee_levels(*, student_ids: Iterable[int]) -> dict[int, tuple]:
    """For lists: each student's level (with its ``name``) and whether the evidence suggests the next one,
    in a fixed number of queries."""
    return _port.handler.mentee_levels(student_ids=list(student_ids))
