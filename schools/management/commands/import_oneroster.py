"""manage.py import_oneroster <school-slug> <path>: check a OneRoster set, print the report and the
dry-run counts, and import it (the same ImportRun and service the pages use)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from plp.tenancy.context import school_scope
from schools.models import School
from schools.rostering.models import ImportRun
from schools.rostering.reading import files_from_path
from schools.rostering.services import (
    UNREADABLE_ZIP,
    import_run_create,
    import_run_execute,
    upload_limits,
)


class Command(BaseCommand):
    help = "Import a OneRoster 1.1/1.2 CSV set (a zip or a folder) into a school."

    def add_arguments(self, parser):
        parser.add_argument("school", help="the school's slug")
        parser.add_argument("path", help="a zip of OneRoster CSV files, or a folder holding them")
        parser.add_argument("--dry-run", action="store_true", help="check and show the plan; write nothing")
        parser.add_argument(
            "--skip-problem-rows", action="store_true", help="import the rows without errors, skip the others"
        )

    def handle(self, *args, school: str, path: str, dry_run: bool, skip_problem_rows: bool, **options):
        found = School.objects.filter(slug=school).first()
        if found is None:
            raise CommandError(f"No school with the slug “{school}”.")
        source = Path(path)
        if not source.exists():
            raise CommandError(f"{path} does not exist.")
        try:
            files = files_from_path(source, limits=upload_limits())
        except UNREADABLE_ZIP as exc:  # TooLarge (a ValueError) included: its message says what is wrong
            raise CommandError(f"{path} cannot be read: {exc}") from exc
        with school_scope(found):
            run = import_run_create(files=files, background=False)
            for problem in run.report:
                where = f"{problem['file']}:{problem['line'] or '-'}"
                column = f" [{problem['column']}]" if problem["column"] else ""
                self.stdout.write(f"{problem['severity'].upper():7} {where}{column} {problem['message']}")
            self.stdout.write(f"{run.error_count} errors, {run.warning_count} warnings.")
            if run.status == ImportRun.Status.BLOCKED:
                raise CommandError(
                    "Blocked: problems with whole files stop the import; fix them and run again."
                )
            for kind, counts in run.counts.items():
                self.stdout.write(
                    f"{kind:12} create {counts['create']:6}  update {counts['update']:6}  "
                    f"deactivate {counts['deactivate']:6}  unchanged {counts['unchanged']:6}"
                )
            if dry_run:
                return
            if run.blocking or (run.error_count and not skip_problem_rows):
                raise CommandError(
                    "Not imported: fix the errors, or pass --skip-problem-rows to skip those rows."
                )
            run.status, run.skip_problem_rows = ImportRun.Status.QUEUED, skip_problem_rows
            run.save(update_fields=["status", "skip_problem_rows"])
            run = import_run_execute(run_id=run.pk)
        if run.status != ImportRun.Status.SUCCEEDED:
            raise CommandError(f"Import failed: {run.message}")
        self.stdout.write(self.style.SUCCESS(f"Imported (run {run.pk})."))
