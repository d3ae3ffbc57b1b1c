"""The stored form of the "needs attention" detector's verdict: one ``needs_attention`` flag per student,
written by the recompute (engine/services/recompute.py) and compared by the policy sandbox's replay.
"""

from collections.abc import Iterable, Mapping

from engine.models import FlagKind
from engine.policy.attention import AttentionFinding
from engine.policy.flags import FlagFinding, Severity

# The entry's severity from its score: near certain is high; an entry kept open on the way out is low.
SEVERITY_FROM_SCORE = ((0.9, Severity.HIGH), (0.7, Severity.MEDIUM), (0.0, Severity.LOW))
SUMMARY = {
    "disengaged": "Disengaged: fewer school days worked, less done",
    "slow": "Learning slowly across competencies",
    "blocked": "Blocked on {code}",
}


def rule_words(rule: FlagFinding) -> str:
    """A rule flag as people read it: its kind, then its summary ("Inactive: No activity for 3 school
    days"), as an entry's evidence lists it and the policy sandbox reports it."""
    return f"{FlagKind(rule.kind).label}: {rule.summary}"


def attention_flag(finding: AttentionFinding, *, codes: Mapping[int, str], rules: Iterable[FlagFinding]):
    """The stored form of an open entry: one flag per student (subject: the blocking competency, if that
    leads), its severity from the score, the detector's evidence and the rule flags found today as evidence.
    ``None`` when the student does not need attention."""
    if not finding.needs_attention:
        return None
    subject = finding.subject_competency_id
    code = codes.get(subject, f"#{subject}") if subject is not None else ""
    severity = next(level for floor, level in SEVERITY_FROM_SCORE if finding.score >= floor)
    return FlagFinding(
        kind=FlagKind.NEEDS_ATTENTION,
        subject=f"competency:{subject}" if subject is not None else "",
        severity=severity,
        summary=SUMMARY[finding.kind].format(code=code),
        suggested_action=finding.suggested_action,
        evidence={
            "score": finding.score,
            "kind": finding.kind,
            "reasons": list(finding.evidence),
            "p_disengaged": finding.p_disengaged,
            "p_slow": finding.p_slow,
            "p_blocked": finding.p_blocked,
            **({"competency": code} if code else {}),
            "rules": [rule_words(rule) for rule in rules if rule.kind != FlagKind.NEEDS_ATTENTION],
        },
    )
