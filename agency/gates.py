"""Agency's answers to the gates other apps ask through ``plp.self_direction`` (registered from
``AgencyConfig.ready``): the apps that ask sit below agency in the app layers."""

from agency.selectors import evidences_for
from agency.services import check_approval_level, goal_setting_check, goal_setting_refusal, item_pick_check

__all__ = [
    "check_approval_level",
    "goal_setting_check",
    "goal_setting_refusal",
    "item_pick_check",
    "mentee_levels",
]


def mentee_levels(*, student_ids: list[int]) -> dict[int, tuple]:
    """(rung, promotion suggested) of each student: ``evidences_for``'s fixed number of queries."""
    evidence = evidences_for(student_ids=student_ids)
    return {pk: (evidence[pk].level.rung, evidence[pk].promotion_suggested) for pk in student_ids}
