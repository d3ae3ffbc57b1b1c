"""The plug for readiness rules owned by other apps.

The playlists app answers the ``items_done`` rule ("required playlist items done") once a callable is
registered here; mastery's ``AppConfig.ready()`` registers ``playlists.readiness.items_done_rule``::

    from mastery.readiness import register_items_done_rule
    register_items_done_rule(lambda *, student, competency: Readiness(ready=..., reason="..."))

Until then the rule reports "not available yet" and never lets a check open by itself.
"""

from collections.abc import Callable

from mastery.rules import Readiness

ItemsDoneRule = Callable[..., Readiness]

_items_done_rule: ItemsDoneRule | None = None


def register_items_done_rule(rule: ItemsDoneRule | None) -> None:
    """Install (or, with None, remove) the callable answering ``items_done`` for a student and competency."""
    global _items_done_rule
    _items_done_rule = rule


def items_done_readiness(*, student, competency) -> Readiness | None:
    if _items_done_rule is None:
        return None
    return _items_done_rule(student=student, competency=competency)
