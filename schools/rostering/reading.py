"""Reading a OneRoster CSV file set: a zip or separate files, UTF-8 with or without BOM, header-name mapping.

Pure Python (no Django): bytes in, rows and problems out. Every problem names its file, line, column and
value and says in plain words what is wrong and what to do.
"""

import csv
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from schools.rostering import spec

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    severity: str
    file: str
    line: int | None
    column: str
    value: str
    message: str

    def as_dict(self) -> dict:
        return {
            "severity": self.severity,
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "value": self.value,
            "message": self.message,
        }


@dataclass
class Table:
    """One CSV file: its rows as {canonical column: value}, each with its line number."""

    name: str
    columns: tuple[str, ...] = ()
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)


class Problems(list):
    def error(self, file: str, line: int | None, column: str, value: str, message: str) -> None:
        self.append(Problem(ERROR, file, line, column, _clip(value), message))

    def warning(self, file: str, line: int | None, column: str, value: str, message: str) -> None:
        self.append(Problem(WARNING, file, line, column, _clip(value), message))


def _clip(value: str) -> str:
    value = (value or "").replace("\x00", "\\0")
    return value if len(value) <= 120 else value[:117] + "…"


MAX_FILE_BYTES = 200 * 1024 * 1024


def files_from_zip(data: bytes) -> dict[str, bytes]:
    """The CSV files of a zip, by base name (exports often put them in a folder inside the zip)."""
    files: dict[str, bytes] = {}
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for info in archive.infolist():
            name = PurePosixPath(info.filename).name
            if info.is_dir() or not name.lower().endswith(".csv") or name.startswith("."):
                continue
            if info.file_size > MAX_FILE_BYTES:
                raise ValueError(f"{name} is larger than {MAX_FILE_BYTES // 1024 // 1024} MB.")
            files[name] = archive.read(info)
    return files


def files_from_path(path: Path) -> dict[str, bytes]:
    """A zip file or a folder of CSV files."""
    if path.is_dir():
        return {p.name: p.read_bytes() for p in sorted(path.iterdir()) if p.suffix.lower() == ".csv"}
    data = path.read_bytes()
    if zipfile.is_zipfile(io.BytesIO(data)):
        return files_from_zip(data)
    return {path.name: data}


def decode(name: str, data: bytes, problems: Problems) -> str:
    """UTF-8, with or without a BOM. Anything else is reported with the line of the first bad byte and
    read as Windows-1252 so the rest of the file can still be checked."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        problems.error(
            name, 1, "", "", "The file is saved as UTF-16. Save it as UTF-8 (CSV UTF-8) and upload it again."
        )
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        bad = data[exc.start : exc.start + 4]
        problems.error(
            name,
            line,
            "",
            bad.decode("cp1252", errors="replace"),
            "The file is not UTF-8 (it looks like Windows-1252 or Latin-1). "
            "Save it as UTF-8 (CSV UTF-8) and upload it again.",
        )
        return data.decode("cp1252", errors="replace")


def _delimiter(name: str, header_line: str, problems: Problems) -> str:
    if "," in header_line:
        return ","
    for delimiter, label in ((";", "semicolons"), ("\t", "tabs"), ("|", "vertical bars")):
        if delimiter in header_line:
            problems.error(
                name,
                1,
                "",
                header_line[:80],
                f"The columns are separated by {label}, not commas. OneRoster files are comma-separated: "
                "export them again as CSV with commas.",
            )
            return delimiter
    return ","


def read_table(kind: str, name: str, data: bytes, problems: Problems) -> Table:
    """Rows keyed by the standard's column names, matched case-insensitively by header."""
    text = decode(name, data, problems)
    table = Table(name=name)
    if not text.strip():
        problems.error(name, None, "", "", "The file is empty: it needs at least its header row.")
        return table
    delimiter = _delimiter(name, text.split("\n", 1)[0], problems)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = next(reader)
    except csv.Error as exc:
        problems.error(name, 1, "", "", f"The header row cannot be read: {exc}.")
        return table
    known = {column.lower(): column for column in spec.COLUMNS[kind]}
    mapping: list[str | None] = []
    seen: set[str] = set()
    for raw in header:
        column = raw.strip()
        canonical = known.get(column.lower())
        if canonical is None:
            if not column.startswith(("metadata.", "ext_")) and column:
                problems.warning(
                    name, 1, column, column, f"“{column}” is not a OneRoster column of {kind}; it is ignored."
                )
            mapping.append(None)
            continue
        if canonical != column:
            problems.warning(
                name, 1, column, column, f"The column is spelled “{column}”; the standard says “{canonical}”."
            )
        if canonical in seen:
            problems.error(name, 1, column, column, f"The column “{canonical}” appears twice in the header.")
            mapping.append(None)
            continue
        seen.add(canonical)
        mapping.append(canonical)
    table.columns = tuple(c for c in mapping if c)
    _read_rows(reader, name, header, mapping, table, problems)
    return table


def _read_rows(reader, name: str, header: list[str], mapping: list, table: Table, problems: Problems) -> None:
    line = reader.line_num
    while True:
        start = line + 1
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            problems.error(
                name, start, "", "", f"This row cannot be read ({exc}); the rest of the file is skipped."
            )
            return
        line = reader.line_num
        if not any(value.strip() for value in fields):
            continue  # blank line (a trailing newline, an empty row): nothing to read
        if len(fields) != len(header):
            problems.error(
                name,
                start,
                "",
                ",".join(fields)[:120],
                f"This row has {len(fields)} values but the header has {len(header)} columns "
                "(a missing or extra comma, or a value with a comma that is not in quotes). "
                "The row is skipped.",
            )
            continue
        values = {column: value.strip() for column, value in zip(mapping, fields, strict=True) if column}
        table.rows.append((start, values))
