"""``manage.py import_case <school_slug> <path>``: import a CASE JSON package (or a .csv) into a school."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from playlists.framework_services import framework_import
from playlists.frameworks.case_json import parse_case_json
from playlists.frameworks.competency_csv import parse_competency_csv
from plp.tenancy.context import school_scope
from schools.models import School


class Command(BaseCommand):
    help = "Import a competency framework (CASE JSON, or CSV with code,title,…) into one school, atomically."

    def add_arguments(self, parser):
        parser.add_argument("school_slug")
        parser.add_argument("path", type=Path)
        parser.add_argument("--subject", default="", help="Subject name (default: the framework's title).")
        parser.add_argument("--title", default="", help="Framework title for a CSV (default: the file name).")

    def handle(self, *args, school_slug: str, path: Path, subject: str, title: str, **options):
        school = School.objects.filter(slug=school_slug).first()
        if school is None:
            raise CommandError(f"No school with slug {school_slug!r}.")
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc}") from exc
        if path.suffix.lower() == ".csv":
            parsed = parse_competency_csv(raw, title=title or path.stem)
        else:
            parsed = parse_case_json(raw)
        with school_scope(school):
            report = framework_import(parsed=parsed, subject_name=subject or parsed.title or "General")
        for warning in report.warnings:
            self.stderr.write(f"warning: {warning}")
        if not report.ok:
            for error in report.errors:
                self.stderr.write(f"error: {error}")
            raise CommandError(f"Nothing imported: {len(report.errors)} error(s).")
        self.stdout.write(
            f"Imported “{report.framework.title}” into {school.slug}: {report.created} created, "
            f"{report.updated} updated, {report.prerequisites} prerequisites, "
            f"{len(report.warnings)} warning(s)."
        )
