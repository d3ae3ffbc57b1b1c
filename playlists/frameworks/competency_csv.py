"""Parse and validate a competency framework from a simple CSV (a header row, then one competency a row)
into a :class:`~playlists.frameworks.parsed.ParsedFramework`. Pure Python."""

import csv
import io
import re

from playlists.frameworks.parsed import (
    MAX_CODE,
    MAX_GRADE_BAND,
    MAX_TITLE,
    ParsedCompetency,
    ParsedFramework,
    Problem,
    check_cycles,
    text_field,
)
from plp.safe_csv import csv_rows

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
        code = text_field(values, "code", where, problems, required=True, limit=MAX_CODE)
        name = text_field(values, "title", where, problems, required=True, limit=MAX_TITLE)
        band = text_field(values, "grade_band", where, problems, limit=MAX_GRADE_BAND)
        subject = text_field(values, "subject", where, problems, limit=120)
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
    check_cycles(result, child_edges, by_key, csv_file=True)
    return result
