from django.core.management.base import BaseCommand, CommandError

from dashboard.seeding import BIG_SECTION_COMPETENCIES, demo_big_section
from plp.tenancy.context import all_schools
from schools.demo import DEMO_PASSWORD, database_is_empty, demo_logins, demo_seed


class Command(BaseCommand):
    help = "Create (or bring up to date) the demo district: two schools and people of every role."

    def add_arguments(self, parser):
        parser.add_argument("--students", type=int, default=24, help="Students per school (default 24).")
        parser.add_argument(
            "--big-section",
            type=int,
            default=0,
            metavar="N",
            help="Also a section of N students × 60 competencies at Cedar Ridge, taught by teacher.cedar "
            "(the class dashboard at scale).",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Seed only a fresh database (no account, no school); otherwise print the logins and stop "
            "(what `make run` does on every start).",
        )

    def handle(self, *args, **options):
        # The demo spans schools (it creates them, then their people): the database shows every school to
        # this command (row-level security); the ORM still needs each school's scope, set by the seeders.
        with all_schools():
            self._seed(**options)

    def _seed(self, *, students: int, big_section: int, if_empty: bool, **options):
        if students < 1:
            raise CommandError("--students must be at least 1.")
        if not 0 <= big_section <= 5000:
            raise CommandError("--big-section takes 1 to 5000 students (0: none).")
        if if_empty and not database_is_empty():
            self.stdout.write(
                "The database has data already: not seeding (run `manage.py seed_demo` to bring the demo "
                "up to date)."
            )
            self._print_logins(demo_logins())
            return
        result = demo_seed(students_per_school=students)
        if big_section:
            section = demo_big_section(students=big_section)
            self.stdout.write(f"Big section: {section.name}, {BIG_SECTION_COMPETENCIES} competencies.")
        self.stdout.write(self.style.SUCCESS(f"Demo district ready: {len(result.schools)} schools."))
        self._print_logins(result.logins)

    def _print_logins(self, logins: list[tuple[str, str]]) -> None:
        self.stdout.write(f"Every demo account's password is: {DEMO_PASSWORD}")
        width = max(len(email) for email, _ in logins)
        for email, what in logins:
            self.stdout.write(f"  {email.ljust(width)}  {what}")
