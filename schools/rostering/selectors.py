"""Reads about import runs. Only school-wide roles see them; for anyone else they do not exist (404)."""

import csv
import io

from django.http import Http404

from schools.roles import SCHOOL_WIDE_ROLES
from schools.rostering.models import ImportRun

REPORT_COLUMNS = ("severity", "file", "line", "column", "value", "message")


def import_run_list(*, roles: frozenset[str]):
    if roles.isdisjoint(SCHOOL_WIDE_ROLES):
        return ImportRun.objects.none()
    return ImportRun.objects.defer("archive").select_related("created_by")


def import_run_get(*, roles: frozenset[str], run_id: int) -> ImportRun:
    run = import_run_list(roles=roles).filter(pk=run_id).first()
    if run is None:
        raise Http404("No such import.")
    return run


def import_report_csv(*, run: ImportRun) -> str:
    """The report as CSV, for a spreadsheet. Values that a spreadsheet would run as formulas are quoted."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(REPORT_COLUMNS)
    for problem in run.report:
        row = ["" if problem[c] is None else str(problem[c]) for c in REPORT_COLUMNS]
        writer.writerow(["'" + v if v[:1] in ("=", "+", "-", "@") else v for v in row])
    return buffer.getvalue()
