"""Parse and validate competency frameworks from CASE JSON (1EdTech CASE 1.0/1.1) or a simple CSV.

Pure Python (no Django): it turns a file into a :class:`ParsedFramework` (competencies, their tree,
prerequisite edges) plus row-level problems. ``errors`` block the import; ``warnings`` (dangling references
to nodes outside the package, association types we do not use) are reported and the import goes on.
The service in playlists/framework_services.py writes the result in one transaction; cycles are found
by playlists/prerequisite_graph.py.
"""

import csv
import io
import re
from dataclasses import dataclass, field

from playlists.prerequisite_graph import describe_cycle, find_cycle
from plp.safe_csv import csv_rows
from plp.safe_json import json_loads
from plp.time_budget import OverTime, budget_check, time_budget

MAX_CODE, MAX_TITLE, MAX_GRADE_BAND, MAX_ITEM_TYPE, MAX_IDENTIFIER = 120, 300, 40, 80, 64
CSV_COLUMNS = (
    "code",
    "title",
    "description",
    "grade_band",
    "subject",
    "prerequisites",
    "standard_codes",
    "parent",
)
_UUIDISH = re.compile(r"[0-9A-Za-z][0-9A-Za-z._:-]{0,63}")


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


def _text(obj: dict, key: str, where: str, problems: list[Problem], *, required=False, limit=None) -> str:
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


def _node_ref(value, where: str, key: str, problems: list[Problem]) -> tuple[str, str] | None:
    """A CFAssociation end: an object with identifier/uri (1.0 and 1.1) or a bare URI string."""
    if isinstance(value, str) and value:
        return ("", value.strip())
    if isinstance(value, dict):
        identifier, uri = value.get("identifier"), value.get("uri")
        if (isinstance(identifier, str) and identifier) or (isinstance(uri, str) and uri):
            return ((identifier or "").strip() if isinstance(identifier, str) else "", uri or "")
    problems.append(Problem(where, key, "must be an object with an identifier or a uri"))
    return None


def _item_type(item: dict) -> str:
    value = item.get("CFItemType")
    if isinstance(value, str) and value.strip():
        return value.strip()[:MAX_ITEM_TYPE]
    uri = item.get("CFItemTypeURI")
    if isinstance(uri, dict) and isinstance(uri.get("title"), str):
        return uri["title"].strip()[:MAX_ITEM_TYPE]
    return ""


def parse_case_json(raw: bytes | str) -> ParsedFramework:
    """A CASE package (CFDocument, CFItems, CFAssociations) → a ParsedFramework."""
    result = ParsedFramework()
    try:
        data = json_loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        result.errors.append(Problem("file", "JSON", f"is not valid JSON ({exc})"))
        return result
    if isinstance(data, dict) and isinstance(data.get("CFPackage"), dict):
        data = data["CFPackage"]  # some tools wrap the package in one more object
    if not isinstance(data, dict):
        result.errors.append(Problem("file", "JSON", "must be an object with CFDocument and CFItems"))
        return result
    errors = result.errors
    document = data.get("CFDocument")
    if not isinstance(document, dict):
        errors.append(Problem("CFDocument", "CFDocument", "is required and must be an object"))
        document = {}
    result.case_identifier = _text(
        document, "identifier", "CFDocument", errors, required=True, limit=MAX_IDENTIFIER
    )
    result.title = _text(document, "title", "CFDocument", errors, required=True, limit=300)
    result.case_uri = _text(document, "uri", "CFDocument", errors, limit=500)
    by_key, uri_to_key = _case_items(_case_list(data, "CFItems", errors), result)
    child_edges = _case_associations(_case_list(data, "CFAssociations", errors), result, by_key, uri_to_key)
    result.competencies = list(by_key.values())
    _check_cycles(result, child_edges, by_key)
    return result


def _case_list(data: dict, key: str, errors: list[Problem]) -> list:
    """One of the package's lists (CFItems, CFAssociations); an error and nothing when it is not a list."""
    values = data.get(key, [])
    if not isinstance(values, list):
        errors.append(Problem(key, key, "must be a list"))
        return []
    return values


def _case_items(items: list, result: ParsedFramework) -> tuple[dict[str, ParsedCompetency], dict[str, str]]:
    """The CFItems as competencies by identifier, and the identifiers by URI (an association names either)."""
    by_key: dict[str, ParsedCompetency] = {}
    uri_to_key: dict[str, str] = {}
    codes: dict[str, str] = {}
    for index, item in enumerate(items):
        budget_check()
        parsed, uri = _case_item(index, item, result, by_key=by_key, codes=codes)
        if parsed is None:
            continue
        by_key[parsed.key] = parsed
        if uri:
            uri_to_key[uri] = parsed.key
    return by_key, uri_to_key


def _case_item(
    index: int, item, result: ParsedFramework, *, by_key: dict[str, ParsedCompetency], codes: dict[str, str]
) -> tuple[ParsedCompetency | None, str]:
    """One CFItem as a competency and its URI; no competency when the item has an error (in ``result``).
    ``codes``: the codes taken so far, where; a reused code is kept, told apart by the identifier."""
    errors, warnings = result.errors, result.warnings
    where = f"CFItems[{index}]"
    if not isinstance(item, dict):
        errors.append(Problem(where, "item", "must be an object"))
        return None, ""
    problems: list[Problem] = []
    identifier = _text(item, "identifier", where, problems, required=True, limit=MAX_IDENTIFIER)
    code = _text(item, "humanCodingScheme", where, problems, limit=MAX_CODE)
    where = f"CFItems[{index}] {code or identifier}".rstrip()
    problems = [Problem(where, p.field, p.message) for p in problems]
    statement = _text(item, "fullStatement", where, problems, required=True)
    abbreviated = _text(item, "abbreviatedStatement", where, problems)
    notes = _text(item, "notes", where, problems)
    uri = _text(item, "uri", where, problems, limit=500)
    level = item.get("educationalLevel")
    if level is not None and not isinstance(level, str | list):
        problems.append(Problem(where, "educationalLevel", "must be a list or text"))
        level = None
    errors.extend(problems)
    if not identifier or problems:
        return None, ""
    if identifier in by_key:
        errors.append(Problem(where, "identifier", f"{identifier} appears twice"))
        return None, ""
    code = code or identifier[:MAX_CODE]
    if code in codes:
        # Real packages reuse a code in two places; keep both, told apart by the identifier.
        unique = f"{code[: MAX_CODE - 11]} ({identifier[:8]})"
        warnings.append(
            Problem(where, "humanCodingScheme", f"{code} is also used by {codes[code]}: kept as {unique}")
        )
        code = unique
        if code in codes:
            errors.append(Problem(where, "humanCodingScheme", f"{code} is used twice"))
            return None, ""
    codes[code] = where
    title = abbreviated or statement
    parsed = ParsedCompetency(
        key=identifier,
        code=code,
        title=title if len(title) <= MAX_TITLE else title[: MAX_TITLE - 1] + "…",
        description="\n\n".join(part for part in (statement, notes) if part),
        grade_band=grade_band(level),
        item_type=_item_type(item),
        case_identifier=identifier,
        standard_codes=[code] if item.get("humanCodingScheme") else [],
        position=index,
    )
    return parsed, uri


def _case_associations(
    associations: list,
    result: ParsedFramework,
    by_key: dict[str, ParsedCompetency],
    uri_to_key: dict[str, str],
) -> list[tuple[str, str]]:
    """The tree and the prerequisites from the CFAssociations: ``isChildOf`` sets a competency's parent
    (the child edges are returned for the cycle check), ``precedes`` adds a prerequisite to ``result``;
    other association types are not ours."""
    errors, warnings = result.errors, result.warnings

    def resolve(ref: tuple[str, str]) -> str | None:
        identifier, uri = ref
        if identifier in by_key:
            return identifier
        if uri in uri_to_key:
            return uri_to_key[uri]
        tail = uri.rstrip("/").rsplit("/", 1)[-1] if uri else ""
        return tail if tail in by_key else None

    def is_document(ref: tuple[str, str]) -> bool:
        return bool((ref[0] and ref[0] == result.case_identifier) or (ref[1] and ref[1] == result.case_uri))

    child_edges: list[tuple[str, str]] = []
    seen_edges: set[tuple[str, str]] = set()
    for index, association in enumerate(associations):
        budget_check()
        where = f"CFAssociations[{index}]"
        if not isinstance(association, dict):
            errors.append(Problem(where, "association", "must be an object"))
            continue
        kind = _text(association, "associationType", where, errors, required=True)
        if kind not in {"isChildOf", "precedes"}:
            continue  # exactMatchOf, isRelatedTo, exemplar…: not part of the tree or the prerequisites
        origin = _node_ref(association.get("originNodeURI"), where, "originNodeURI", errors)
        destination = _node_ref(association.get("destinationNodeURI"), where, "destinationNodeURI", errors)
        if origin is None or destination is None:
            continue
        origin_key, destination_key = resolve(origin), resolve(destination)
        if origin_key is None:
            warnings.append(
                Problem(where, "originNodeURI", f"{kind}: {origin[0] or origin[1]} is not in this package")
            )
            continue
        if kind == "isChildOf":
            if is_document(destination):
                continue  # a top-level item
            edge = _case_child_of(where, result, by_key, origin_key, destination, destination_key)
            if edge is not None:
                child_edges.append(edge)
        else:
            edge = _case_precedes(where, result, by_key, origin_key, destination, destination_key)
            if edge is not None and edge not in seen_edges:
                seen_edges.add(edge)
                result.prerequisites.append(edge)
    return child_edges


def _case_child_of(
    where, result, by_key, origin_key: str, destination, destination_key
) -> tuple[str, str] | None:
    """``origin isChildOf destination``: the origin's parent set and the child edge, or a warning."""
    origin_code = by_key[origin_key].code
    if destination_key is None:
        result.warnings.append(
            Problem(
                where,
                "destinationNodeURI",
                f"{origin_code} isChildOf {destination[0] or destination[1]}, which is not in "
                "this package: kept at the top level",
            )
        )
        return None
    if by_key[origin_key].parent_key not in (None, destination_key):
        result.warnings.append(
            Problem(where, "destinationNodeURI", f"{origin_code} has two parents: kept the first")
        )
        return None
    by_key[origin_key].parent_key = destination_key
    return origin_key, destination_key


def _case_precedes(
    where, result, by_key, origin_key: str, destination, destination_key
) -> tuple[str, str] | None:
    """``origin precedes destination``: the prerequisite edge (destination requires origin), or a warning
    or an error."""
    origin_code = by_key[origin_key].code
    if destination_key is None:
        result.warnings.append(
            Problem(
                where,
                "destinationNodeURI",
                f"{origin_code} precedes {destination[0] or destination[1]}, which is not in this "
                "package: prerequisite skipped",
            )
        )
        return None
    if origin_key == destination_key:
        result.errors.append(Problem(where, "destinationNodeURI", f"{origin_code} cannot precede itself"))
        return None
    # origin precedes destination: destination requires origin.
    return destination_key, origin_key


def _check_cycles(
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


def _split_codes(value: str) -> list[str]:
    return [code for code in re.split(r"[;|\s]+", value.strip()) if code]


def parse_competency_csv(raw: bytes | str, *, title: str) -> ParsedFramework:
    """A CSV with a header row → a ParsedFramework. Columns: code, title (required), description,
    grade_band, subject, prerequisites, standard_codes, parent; lists separated by ; or spaces. Unknown
    columns are ignored.

    Long on purpose: header, rows, then the parents and prerequisites the rows name, one pass sharing the
    same maps and error list (as ``parse_case_json``)."""
    result = ParsedFramework(title=title.strip()[:300])
    if not result.title:
        result.errors.append(Problem("file", "title", "the framework needs a title"))
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            result.errors.append(Problem("file", "encoding", "must be UTF-8 text"))
            return result
    raw = raw.replace("\x00", "")
    first_line = raw.split("\n", 1)[0]
    delimiter = ";" if ";" in first_line and "," not in first_line else ","  # spreadsheets in some locales
    rows = csv_rows(csv.reader(io.StringIO(raw, newline=""), delimiter=delimiter))
    _, first, why = next(rows, (1, [], ""))
    if why:
        result.errors.append(Problem("row 1", "header", f"cannot be read: {why}"))
        return result
    header = [name.strip().lower() for name in first]
    missing = [column for column in ("code", "title") if column not in header]
    if missing:
        result.errors.append(Problem("row 1", ", ".join(missing), "required column missing from the header"))
        return result
    by_key: dict[str, ParsedCompetency] = {}
    pending: list[tuple[str, str, list[str], str]] = []  # (where, code, prerequisite codes, parent code)
    for row_number, fields, why in rows:
        where = f"row {row_number}"
        if why:
            result.errors.append(Problem(where, "row", f"cannot be read: {why}"))
            continue
        # Like csv.DictReader: a missing value is empty, a value past the header's columns is ignored.
        values = {key: (fields[i].strip() if i < len(fields) else "") for i, key in enumerate(header) if key}
        if not any(values.values()):
            continue
        problems: list[Problem] = []
        code = _text(values, "code", where, problems, required=True, limit=MAX_CODE)
        name = _text(values, "title", where, problems, required=True, limit=MAX_TITLE)
        band = _text(values, "grade_band", where, problems, limit=MAX_GRADE_BAND)
        subject = _text(values, "subject", where, problems, limit=120)
        if code and code in by_key:
            problems.append(Problem(where, "code", f"{code} appears twice"))
        result.errors.extend(problems)
        if problems:
            continue
        by_key[code] = ParsedCompetency(
            key=code,
            code=code,
            title=name,
            description=values.get("description", ""),
            grade_band=band,
            subject=subject,
            standard_codes=_split_codes(values.get("standard_codes", "")),
            position=row_number,
        )
        pending.append((where, code, _split_codes(values.get("prerequisites", "")), values.get("parent", "")))
    if not by_key and not result.errors:
        result.errors.append(Problem("file", "rows", "no competencies found"))
    child_edges = []
    for where, code, prerequisites, parent in pending:
        for prerequisite in prerequisites:
            if prerequisite not in by_key:
                result.errors.append(
                    Problem(where, "prerequisites", f"{prerequisite} is not a code in this file")
                )
            elif prerequisite == code:
                result.errors.append(Problem(where, "prerequisites", f"{code} cannot require itself"))
            elif (code, prerequisite) not in result.prerequisites:
                result.prerequisites.append((code, prerequisite))
        if parent:
            if parent not in by_key:
                result.errors.append(Problem(where, "parent", f"{parent} is not a code in this file"))
            else:
                by_key[code].parent_key = parent
                child_edges.append((code, parent))
    result.competencies = list(by_key.values())
    _check_cycles(result, child_edges, by_key, csv_file=True)
    return result


def parse_framework_upload(raw: bytes, *, csv_file: bool, title: str, seconds: float) -> ParsedFramework:
    """A framework file from a person (CSV or CASE JSON), read within ``seconds``: past them, a framework
    with one error that says so (the page's 400 report), never a worker held for minutes."""
    try:
        with time_budget(seconds=seconds, what="framework file"):
            return parse_competency_csv(raw, title=title) if csv_file else parse_case_json(raw)
    except OverTime as exc:
        return ParsedFramework(title=title, errors=[Problem("file", "file", str(exc))])
