"""What a framework file becomes, whatever its format: a :class:`ParsedFramework` (competencies, their tree,
prerequisite edges) plus row-level :class:`Problem` s, and what both parsers share (the length limits, a text
field read with its problems, grade bands, the cycle check). Pure Python."""

import re
from dataclasses import dataclass, field

from playlists.prerequisite_graph import describe_cycle, find_cycle

MAX_CODE, MAX_TITLE, MAX_GRADE_BAND, MAX_ITEM_TYPE, MAX_IDENTIFIER = 120, 300, 40, 80, 64


@dataclass(frozen=True)
class Problem:
    """What is wrong, where: ``where`` names the row (``CFItems[3] 6.RP.A.1`` or ``row 4``)."""

    where: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}, {self.field}: {self.message}"


@dataclass
class ParsedCompetency:
    key: str  # the CASE identifier, or the CSV code
    code: str
    title: str
    description: str = ""
    grade_band: str = ""
    item_type: str = ""
    case_identifier: str = ""
    standard_codes: list[str] = field(default_factory=list)
    subject: str = ""
    parent_key: str | None = None
    position: int = 0


@dataclass
class ParsedFramework:
    title: str = ""
    case_identifier: str = ""
    case_uri: str = ""
    competencies: list[ParsedCompetency] = field(default_factory=list)
    prerequisites: list[tuple[str, str]] = field(default_factory=list)  # (competency key, prerequisite key)
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def grade_band(value) -> str:
    """CASE educationalLevel (a list, or a string in older exports) → "6", "6-8", "K-2" or "HS"."""
    if value in (None, "", []):
        return ""
    levels = value if isinstance(value, list) else re.split(r"[,;\s]+", str(value))
    cleaned = []
    for level in levels:
        text = str(level).strip().upper()
        if not text:
            continue
        text = "K" if text in {"KG", "K"} else (str(int(text)) if text.isdigit() else text)
        if text not in cleaned:
            cleaned.append(text)
    band = f"{cleaned[0]}-{cleaned[-1]}" if len(cleaned) > 1 else cleaned[0] if cleaned else ""
    return band[:MAX_GRADE_BAND]


def text_field(
    obj: dict, key: str, where: str, problems: list[Problem], *, required=False, limit=None
) -> str:
    value = obj.get(key)
    if value is None or value == "":
        if required:
            problems.append(Problem(where, key, "is required"))
        return ""
    if not isinstance(value, str):
        problems.append(Problem(where, key, f"must be text, not {type(value).__name__}"))
        return ""
    value = value.replace("\x00", "").strip()
    if limit and len(value) > limit:
        problems.append(Problem(where, key, f"is longer than {limit} characters"))
        return value[:limit]
    return value


def check_cycles(
    result: ParsedFramework, child_edges, by_key: dict[str, ParsedCompetency], *, csv_file: bool = False
) -> None:
    where = "file" if csv_file else "CFAssociations"
    tree, edge_field = ("parent", "prerequisites") if csv_file else ("isChildOf", "precedes")
    code_of = {key: competency.code for key, competency in by_key.items()}
    cycle = find_cycle(child_edges)
    if cycle:
        result.errors.append(Problem(where, tree, f"the tree has a cycle: {describe_cycle(cycle, code_of)}"))
    # A prerequisite cycle, read in the "precedes" direction (the order students would meet them).
    cycle = find_cycle((prerequisite, competency) for competency, prerequisite in result.prerequisites)
    if cycle:
        result.errors.append(
            Problem(where, edge_field, f"prerequisites form a cycle: {describe_cycle(cycle, code_of)}")
        )
