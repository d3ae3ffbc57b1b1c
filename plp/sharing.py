"""Ask, from any app, whether a student's records may leave PLP (an xAPI statement, a grade passed back to
an LMS, an export).

The rule is the privacy app's (``privacy.selectors.sharing_refusals``: under 13 without their parent's
consent), and the senders (xapi, lti) sit below it in the app layers (README, "App layers"): they call this
function, and privacy registers its rule here from its ``ready``. Fails closed: a call before the rule
registered raises, so a sender sends nothing rather than send without asking.
"""

from collections.abc import Callable, Iterable

from plp.ports import Port

_port: Port[Callable[..., dict[int, str]]] = Port("No sharing rule: is the privacy app installed?")


def register(rule: Callable[..., dict[int, str]]) -> None:
    """The privacy app's ``ready``: ``rule(student_ids=…)`` returns the refused students, each with why."""
    _port.register(rule)


def sharing_refusals(*, student_ids: Iterable[int]) -> dict[int, str]:
    """The students among ``student_ids`` whose records may not leave PLP, each with why."""
    return _port.handler(student_ids=student_ids)
