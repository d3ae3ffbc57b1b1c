"""From a OneRoster file set to checked records and a report of every problem (``parse_roster``): the
checks of whole files here (the manifest, which files are sent, their headers), the rows' in
schools/rostering/rows.py, the records in schools/rostering/records.py. Pure Python, no Django.

A row with an error is left out of the records (the admin may import the rest only after seeing the list);
a benign deviation (``TRUE`` for ``true``, a course no file sends) is a warning and the row is kept.
Problems with a whole file (no manifest, a missing required column, the wrong delimiter or encoding) block
the import."""

import csv
import io

from plp.safe_csv import csv_rows
from schools.rostering import spec
from schools.rostering.reading import Problems, Table, decode, read_table
from schools.rostering.records import KnownIds, Roster
from schools.rostering.rows import RowChecker


def _find(files: dict[str, bytes], kind: str) -> tuple[str, bytes] | None:
    for name, data in files.items():
        if name.lower() == f"{kind.lower()}.csv":
            return name, data
    return None


def _manifest(files: dict[str, bytes], roster: Roster) -> None:
    problems = roster.problems
    found = _find(files, "manifest")
    if found is None:
        problems.error(
            "manifest.csv",
            None,
            "",
            "",
            "manifest.csv is missing: it says which version the files follow "
            "and whether each file is a full (bulk) or partial (delta) export. Add it and upload again.",
        )
        roster.blocking = True
        return
    name, data = found
    errors_before = len(roster.errors)
    text = read_table_raw(name, data, problems)
    properties: dict[str, str] = {}
    for line, prop, value in text:
        properties[prop] = value
        if prop.startswith("file."):
            kind = prop[5:]
            if value != value.lower() and value.lower() in ("bulk", "delta", "absent"):
                problems.warning(
                    name, line, "value", value, f"“{value}” should be written “{value.lower()}”."
                )
                value = value.lower()
            if value not in ("bulk", "delta", "absent"):
                problems.error(name, line, "value", value, f"{prop} must be bulk, delta or absent.")
            elif kind in spec.FILES:
                roster.modes[kind] = value
    version = properties.get("oneroster.version", "")
    if version not in spec.VERSIONS:
        problems.error(name, None, "oneroster.version", version, "oneroster.version must be 1.0, 1.1 or 1.2.")
    roster.version = version if version in spec.VERSIONS else "1.1"
    if len(roster.errors) > errors_before:
        roster.blocking = True


def read_table_raw(name: str, data: bytes, problems: Problems) -> list[tuple[int, str, str]]:
    """The manifest's propertyName,value rows."""
    text = decode(name, data, problems)
    rows = []
    for line, fields, why in csv_rows(csv.reader(io.StringIO(text, newline=""))):
        if why:
            problems.error(name, line, "", "", f"This row cannot be read ({why}).")
            continue
        if line == 1 or not any(fields):
            continue
        if len(fields) < 2:
            problems.error(name, line, "", ",".join(fields), "A manifest row needs a name and a value.")
            continue
        rows.append((line, fields[0].strip(), fields[1].strip()))
    return rows


def parse_roster(files: dict[str, bytes], *, known: KnownIds | None = None) -> Roster:
    """Read and check a whole file set. ``known`` holds ids already imported (for delta files)."""
    known = known or KnownIds()
    roster = Roster()
    _manifest(files, roster)
    if roster.blocking and not roster.modes:
        _warn_unknown_files(files, roster)  # a screenshot uploaded by mistake is named too
        return roster
    tables: dict[str, Table] = {}
    for kind in spec.FILES:
        found = _find(files, kind)
        mode = roster.modes.get(kind, "absent")
        if found is None:
            if mode in ("bulk", "delta"):
                roster.problems.error(
                    f"{kind}.csv",
                    None,
                    "",
                    "",
                    f"The manifest lists {kind}.csv as {mode}, but the file is not in the upload.",
                )
                roster.blocking = True
            continue
        name, data = found
        if mode == "absent":
            roster.problems.warning(
                name, None, "", "", f"The manifest says file.{kind} is absent, so {name} is ignored."
            )
            continue
        errors_before = len(roster.errors)
        table = read_table(kind, name, data, roster.problems)
        if _check_header(kind, table, roster, mode) or len(roster.errors) > errors_before:
            roster.blocking = True
        tables[kind] = table
    _warn_unknown_files(files, roster)
    RowChecker(roster, tables, known).run()
    return roster


def _warn_unknown_files(files: dict[str, bytes], roster: Roster) -> None:
    for name in files:
        stem = name.rsplit(".", 1)[0]
        if stem.lower() not in {k.lower() for k in (*spec.FILES, *spec.IGNORED_FILES, "manifest")}:
            roster.problems.warning(name, None, "", "", f"{name} is not a OneRoster file; it is ignored.")


def _check_header(kind: str, table: Table, roster: Roster, mode: str) -> bool:
    needed, merely_required = spec.required_columns(kind, roster.version)
    if mode == "delta":
        needed += ("status", "dateLastModified")
    missing = [column for column in needed if column not in table.columns]
    for column in missing:
        roster.problems.error(
            table.name, 1, column, "", f"The required column “{column}” is missing from the header."
        )
    for column in merely_required:
        if column not in table.columns:
            roster.problems.warning(
                table.name,
                1,
                column,
                "",
                f"The standard requires the column “{column}”, which is missing; PLP does not use it.",
            )
    if (
        kind == "users"
        and roster.version == "1.2"
        and "role" not in table.columns
        and "roles" not in roster.modes
    ):
        roster.problems.error(
            table.name, 1, "role", "", "OneRoster 1.2 gives each user's role in roles.csv, which is missing."
        )
        return True
    return bool(missing)
