"""The pure policy core: no Django, no database, no clock. Everything it knows arrives in a snapshot.

So every rule is a function of its inputs, tested on hand-built snapshots, and fast enough to run for
thousands of students a second.
"""

from engine.policy.flags import FlagFinding, evaluate_flags
from engine.policy.next_item import Recommendation, recommend
from engine.policy.snapshot import (
    CheckInView,
    CompetencyView,
    GoalView,
    ItemView,
    PlaylistView,
    StudentSnapshot,
    TeacherDirective,
    Thresholds,
)

__all__ = [
    "CheckInView",
    "CompetencyView",
    "FlagFinding",
    "GoalView",
    "ItemView",
    "PlaylistView",
    "Recommendation",
    "StudentSnapshot",
    "TeacherDirective",
    "Thresholds",
    "evaluate_flags",
    "recommend",
]
