"""The mentor's brief (mentoring.brief) gets a part about the student's open flags, registered from the
engine's ``ready``: mentoring sits below the engine in the app layers and never reads its flags itself."""

from engine.models import Flag, FlagKind, Severity
from engine.policy.flag_lifecycle import FlagStatus
from mentoring.brief import BriefInput, BriefPart, brief_part

SEVERITY_ORDER = {Severity.HIGH: 0, Severity.MEDIUM: 1, Severity.LOW: 2}


@brief_part
def flags_part(brief: BriefInput) -> BriefPart | None:
    """The student's live flags (open or acknowledged): the "needs attention" entry first (the rule flags
    are its evidence), then the most severe; says so when there are none."""
    flags = sorted(
        Flag.objects.filter(
            student=brief.access.student, status__in=[FlagStatus.OPEN, FlagStatus.ACKNOWLEDGED]
        ),
        key=lambda f: (
            f.kind != FlagKind.NEEDS_ATTENTION,
            SEVERITY_ORDER.get(f.severity, 9),
            -f.raised_at.timestamp(),
            f.pk,
        ),
    )
    return BriefPart(
        key="flags", title="Open flags", template="mentoring/brief/_flags.html", context={"flags": flags}
    )
