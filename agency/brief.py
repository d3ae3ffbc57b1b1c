"""The mentor's brief (mentoring.brief) gets a part about the student's self-direction level: where they
stand, what the evidence suggests, and a link to decide."""

from agency.selectors import evidence_for
from mentoring.brief import BriefInput, BriefPart, brief_part


@brief_part
def level_part(brief: BriefInput) -> BriefPart | None:
    evidence = evidence_for(student=brief.access.student, today=brief.today)
    return BriefPart(
        key="level",
        title="Self-direction level",
        template="agency/_brief_level.html",
        context={"evidence": evidence, "student": brief.access.student},
    )
