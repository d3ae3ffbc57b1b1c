"""What xAPI statements read of this app's rows, registered into ``xapi.objects`` from
``MasteryConfig.ready`` (xapi sits below mastery: it passes ids, gets plain data)."""

from mastery.models import EvidenceEvent, MasteryStatus, Question


def questions(*, ids: set[int]) -> dict[int, str]:
    """Each question's prompt. One query."""
    return dict(Question.objects.filter(pk__in=ids).values_list("pk", "prompt"))


def mastered_by(*, student_id: int, competency_id: int, before_evidence_id: int) -> int | None:
    """The last ledger event before ``before_evidence_id`` that made the competency mastered for the
    student (what a "mastery withdrawn" statement takes back), or None. One query."""
    return (
        EvidenceEvent.objects.filter(
            student_id=student_id,
            competency_id=competency_id,
            status_after=MasteryStatus.MASTERED,
            pk__lt=before_evidence_id,
        )
        .exclude(status_before=MasteryStatus.MASTERED)
        .order_by("-pk")
        .values_list("pk", flat=True)
        .first()
    )
