"""A framework file from a person (CSV or CASE JSON) read within a time budget: the page's one entry point.
Pure Python."""

from playlists.frameworks.case_json import parse_case_json
from playlists.frameworks.competency_csv import parse_competency_csv
from playlists.frameworks.parsed import ParsedFramework, Problem
from plp.time_budget import OverTime, time_budget


def parse_framework_upload(raw: bytes, *, csv_file: bool, title: str, seconds: float) -> ParsedFramework:
    """A framework file from a person (CSV or CASE JSON), read within ``seconds``: past them, a framework
    with one error that says so (the page's 400 report), never a worker held for minutes."""
    try:
        with time_budget(seconds=seconds, what="framework file"):
            return parse_competency_csv(raw, title=title) if csv_file else parse_case_json(raw)
    except OverTime as exc:
        return ParsedFramework(title=title, errors=[Problem("file", "file", str(exc))])
