"""The lines above a section's grid: who needs the teacher now (the detector's open "needs attention"
entry, with the student's rule flags as evidence) and whom to watch (rule flags, no entry). No query:
read from the rows' flags, so each line is cached with its row."""

from dataclasses import dataclass

from dashboard.selectors.grid import SectionDashboard, StudentRow

SEVERITY_RANK = {"high": 2, "medium": 1, "low": 0}


@dataclass(frozen=True)
class AttentionEntry:
    """One student who needs the teacher: the detector's open entry (engine/policy/attention.py), with the
    student's open rule flags on this dashboard as its evidence."""

    student: object
    flags: list  # the detector's entry first, then the rule flags, most serious first
    severity: str  # the entry's (from its score)

    @property
    def entry(self):
        return self.flags[0]

    @property
    def score(self) -> float:
        evidence = self.entry.evidence if isinstance(self.entry.evidence, dict) else {}
        return float(evidence.get("score") or 0.0)

    @property
    def evidence(self) -> list[str]:
        """The detector's reasons in plain words."""
        evidence = self.entry.evidence if isinstance(self.entry.evidence, dict) else {}
        return list(evidence.get("reasons") or ())

    @property
    def count(self) -> int:
        """The rule flags behind the entry."""
        return len(self.flags) - 1

    @property
    def reasons(self) -> list[str]:
        """The entry in a few words, then the rule flags: each kind once, with the competencies it is
        about, e.g. "Blocked on RP.2 · Wheel-spinning (6.RP.1, 6.RP.3)"."""
        return [self.entry.summary, *_rule_reasons(self.flags[1:])]

    @property
    def suggested_action(self) -> str:
        """What to do first: the detector's suggested action."""
        return self.entry.suggested_action

    @property
    def actionable(self) -> list:
        """What the row acknowledges or resolves in place: the entry itself. Its rule flags are evidence,
        each with its own actions under Details; a form per rule flag on the line buried the one that
        matters (five unlabelled Note / Acknowledge / Resolve rows for one student in the demo)."""
        return [self.entry]


NEEDS_ATTENTION = "needs_attention"


def _rule_reasons(flags) -> list[str]:
    """Rule flags in a few words: each kind once, with the competencies it is about."""
    about: dict[str, list[str]] = {}
    for flag in flags:
        codes = about.setdefault(flag.get_kind_display(), [])
        code = flag.evidence.get("competency") if isinstance(flag.evidence, dict) else None
        if code and code not in codes:
            codes.append(code)
    return [f"{kind} ({', '.join(codes)})" if codes else kind for kind, codes in about.items()]


@dataclass(frozen=True)
class WatchEntry:
    """A student with open rule flags and no "needs attention" entry: to watch, not to act on."""

    student: object
    flags: list  # most serious first

    @property
    def reasons(self) -> list[str]:
        return _rule_reasons(self.flags)

    # The row a watched student gets reads like a "needs attention" row, so it is acted on in place alike.
    evidence: tuple = ()

    @property
    def severity(self) -> str:
        return self.flags[0].severity

    @property
    def count(self) -> int:
        return 0  # the reasons are the rule flags themselves

    @property
    def suggested_action(self) -> str:
        return self.flags[0].suggested_action

    @property
    def actionable(self) -> list:
        """A watched student has no entry: each rule flag is acted on in place, labelled with its kind."""
        return self.flags


def _rule_flags(row) -> list:
    mine = [f for f in row.flags if f.status == "open" and f.kind != NEEDS_ATTENTION]
    return sorted(mine, key=lambda f: (-SEVERITY_RANK.get(f.severity, 0), f.raised_at, f.pk))


def _by_name(student) -> tuple:
    return (student.family_name, student.given_name, student.pk)


def attention_of(row: StudentRow) -> AttentionEntry | WatchEntry | None:
    """A student's line above the grid, from their flags alone (so it is cached with their row): their
    open "needs attention" entry with their rule flags as evidence; or, with rule flags and no live entry
    (the detector weighed that evidence and does not find them struggling), a line to watch; or none."""
    entry = next((f for f in row.flags if f.kind == NEEDS_ATTENTION and f.status == "open"), None)
    if entry is not None:
        return AttentionEntry(row.student, [entry, *_rule_flags(row)], entry.severity)
    if any(f.kind == NEEDS_ATTENTION and f.is_live for f in row.flags):
        return None  # acknowledged: an adult is on it already
    mine = _rule_flags(row)
    return WatchEntry(row.student, mine) if mine else None


def attention_sorted(entries) -> tuple[list[AttentionEntry], list[WatchEntry]]:
    """The "needs attention" entries, the highest score first, and the students to watch, by name."""
    entries = list(entries)
    attention = [e for e in entries if isinstance(e, AttentionEntry)]
    attention.sort(key=lambda e: (-e.score, *_by_name(e.student)))
    watched = [e for e in entries if isinstance(e, WatchEntry)]
    watched.sort(key=lambda e: _by_name(e.student))
    return attention, watched


def needs_attention(dashboard: SectionDashboard) -> list[AttentionEntry]:
    """Who needs the teacher now: the students whose "needs attention" entry is open on this dashboard (an
    acknowledged one has an adult on it already), the highest score first, each with its rule flags as
    evidence. A student with rule flags but no entry is not here (see ``watch``). No query."""
    return attention_sorted(attention_of(row) for row in dashboard.rows)[0]


def watch(dashboard: SectionDashboard) -> list[WatchEntry]:
    """Students with open rule flags but no live "needs attention" entry: listed lower, to watch, not to
    act on. No query."""
    return attention_sorted(attention_of(row) for row in dashboard.rows)[1]
