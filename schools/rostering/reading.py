"""Reading a OneRoster CSV file set: a zip or separate files, UTF-8 with or without BOM, header-name mapping.

Pure Python (no Django): bytes in, rows and problems out. Every problem names its file, line, column and
value and says in plain words what is wrong and what to do.
"""

import csv
import io
import struct
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from plp.safe_csv import csv_rows
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


@dataclass(frozen=True)
class Limits:
    """How much an upload may unpack to: bytes of all its files together, and entries in a zip. A OneRoster
    export is a dozen files; a zip bomb is a few kilobytes that unpack to gigabytes."""

    total_bytes: int
    entries: int


class TooLarge(ValueError):
    """An upload past one of the :class:`Limits`, refused with a message that says so in plain words."""

    @classmethod
    def unpacked(cls, limits: Limits) -> "TooLarge":
        return cls(
            f"The roster unpacks to more than {limits.total_bytes / 1024 / 1024:g} MB, far more than a "
            "OneRoster export: check that the upload holds only the roster's CSV files."
        )

    @classmethod
    def entries(cls, limits: Limits) -> "TooLarge":
        return cls(
            f"The zip holds more than {limits.entries} files, far more than a OneRoster export: check that "
            "it holds only the roster's CSV files."
        )


CHUNK_BYTES = 64 * 1024
CENTRAL_RECORD_BYTES = 1024  # a generous size for one file's record in a zip's directory


def _declared_directory(data: bytes) -> tuple[int, int]:
    """The entry count and directory size a zip's end record declares (0, 0 if there is none), read before
    zipfile turns the directory into objects: a small upload can declare millions of entries."""
    at = data.rfind(b"PK\x05\x06", max(0, len(data) - 22 - 65535))
    if at < 0 or len(data) < at + 16:
        return 0, 0
    _disk, _directory_disk, _here, entries, size = struct.unpack("<HHHHI", data[at + 4 : at + 16])
    return entries, size


def files_from_zip(
    data: bytes,
    *,
    limits: Limits,
    used: int = 0,
    suffixes: tuple[str, ...] = (".csv",),
    by_path: bool = False,
) -> dict[str, bytes]:
    """The CSV files of a zip, by base name (exports often put them in a folder inside the zip). Entries are
    unpacked chunk by chunk, counting the bytes actually produced (``used``: already taken by other files
    of the upload), and the first byte past ``limits`` stops it: the sizes a zip declares are not trusted.

    Other zip uploads reuse this guard: ``suffixes`` picks the files to unpack (the rest are never read) and
    ``by_path`` keys them by their path inside the zip (a QTI package's manifest points at paths)."""
    entries, directory_bytes = _declared_directory(data)
    if entries > limits.entries or directory_bytes > limits.entries * CENTRAL_RECORD_BYTES:
        raise TooLarge.entries(limits)
    files: dict[str, bytes] = {}
    total = used
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        infos = archive.infolist()
        if len(infos) > limits.entries:
            raise TooLarge.entries(limits)
        for info in infos:
            name = PurePosixPath(info.filename).name
            if info.is_dir() or not name.lower().endswith(suffixes) or name.startswith("."):
                continue
            if total + info.file_size > limits.total_bytes:
                raise TooLarge.unpacked(limits)
            chunks = []
            with archive.open(info) as entry:
                while chunk := entry.read(CHUNK_BYTES):
                    total += len(chunk)
                    if total > limits.total_bytes:
                        raise TooLarge.unpacked(limits)
                    chunks.append(chunk)
            files[info.filename if by_path else name] = b"".join(chunks)
    return files


def files_from_path(path: Path, *, limits: Limits) -> dict[str, bytes]:
    """A zip file or a folder of CSV files, within ``limits`` like an upload."""
    if path.is_dir():
        csvs = [p for p in sorted(path.iterdir()) if p.suffix.lower() == ".csv"]
        if len(csvs) > limits.entries:
            raise TooLarge.entries(limits)
        if sum(p.stat().st_size for p in csvs) > limits.total_bytes:
            raise TooLarge.unpacked(limits)
        return {p.name: p.read_bytes() for p in csvs}
    data = path.read_bytes()
    if zipfile.is_zipfile(io.BytesIO(data)):
        return files_from_zip(data, limits=limits)
    if len(data) > limits.total_bytes:
        raise TooLarge.unpacked(limits)
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
    rows = csv_rows(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True))
    _, header, why = next(rows, (1, [], ""))
    if why:
        problems.error(name, 1, "", "", f"The header row cannot be read: {why}.")
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
    _read_rows(rows, name, header, mapping, table, problems)
    return table


def _read_rows(rows, name: str, header: list[str], mapping: list, table: Table, problems: Problems) -> None:
    for start, fields, why in rows:
        if why:
            # What follows an unreadable row (an unclosed quote) may be read out of step: never import it.
            problems.error(
                name, start, "", "", f"This row cannot be read ({why}); the rest of the file is skipped."
            )
            return
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


def files_from_package(
    data: bytes, *, limits: Limits, suffixes: tuple[str, ...], refused: type[Exception], too_large: str
) -> dict[str, bytes]:
    """The files of a content package zip (QTI, Common Cartridge) by their path inside it, as
    :func:`files_from_zip` reads them; ``refused`` (the package's own error) when it is past ``limits``
    (saying ``too_large``, whose ``{mb}`` and ``{entries}`` are the limits) or cannot be read as a zip."""
    try:
        return files_from_zip(data, limits=limits, suffixes=suffixes, by_path=True)
    except TooLarge as error:
        raise refused(
            too_large.format(mb=limits.total_bytes // (1024 * 1024), entries=limits.entries)
        ) from error
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, OSError) as error:
        raise refused(f"The zip cannot be read ({error}).") from error
