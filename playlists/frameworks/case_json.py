"""Parse and validate a CASE package (1EdTech CASE 1.0/1.1 JSON: CFDocument, CFItems, CFAssociations) into a
:class:`~playlists.frameworks.parsed.ParsedFramework`. Pure Python."""

from playlists.frameworks.parsed import (
    MAX_CODE,
    MAX_IDENTIFIER,
    MAX_ITEM_TYPE,
    MAX_TITLE,
    ParsedCompetency,
    ParsedFramework,
    Problem,
    check_cycles,
    grade_band,
    text_field,
)
from plp.safe_json import json_loads
from plp.time_budget import budget_check


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
    result.case_identifier = text_field(
        document, "identifier", "CFDocument", errors, required=True, limit=MAX_IDENTIFIER
    )
    result.title = text_field(document, "title", "CFDocument", errors, required=True, limit=300)
    result.case_uri = text_field(document, "uri", "CFDocument", errors, limit=500)
    by_key, uri_to_key = _case_items(_case_list(data, "CFItems", errors), result)
    child_edges = _case_associations(_case_list(data, "CFAssociations", errors), result, by_key, uri_to_key)
    result.competencies = list(by_key.values())
    check_cycles(result, child_edges, by_key)
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
    identifier = text_field(item, "identifier", where, problems, required=True, limit=MAX_IDENTIFIER)
    code = text_field(item, "humanCodingScheme", where, problems, limit=MAX_CODE)
    where = f"CFItems[{index}] {code or identifier}".rstrip()
    problems = [Problem(where, p.field, p.message) for p in problems]
    statement = text_field(item, "fullStatement", where, problems, required=True)
    abbreviated = text_field(item, "abbreviatedStatement", where, problems)
    notes = text_field(item, "notes", where, problems)
    uri = text_field(item, "uri", where, problems, limit=500)
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
        kind = text_field(association, "associationType", where, errors, required=True)
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


def _outside(where, result, relation: str, destination, outcome: str) -> None:
    """A warning: the association's destination is not in this package, and what became of it."""
    named = destination[0] or destination[1]
    result.warnings.append(
        Problem(where, "destinationNodeURI", f"{relation} {named}, which is not in this package: {outcome}")
    )


def _case_child_of(
    where, result, by_key, origin_key: str, destination, destination_key
) -> tuple[str, str] | None:
    """``origin isChildOf destination``: the origin's parent set and the child edge, or a warning."""
    origin_code = by_key[origin_key].code
    if destination_key is None:
        _outside(where, result, f"{origin_code} isChildOf", destination, "kept at the top level")
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
        _outside(where, result, f"{origin_code} precedes", destination, "prerequisite skipped")
        return None
    if origin_key == destination_key:
        result.errors.append(Problem(where, "destinationNodeURI", f"{origin_code} cannot precede itself"))
        return None
    # origin precedes destination: destination requires origin.
    return destination_key, origin_key
