from django.core.management.base import BaseCommand, CommandError

from schools.demo import DEMO_PASSWORD, demo_seed


class Command(BaseCommand):
    help = "Create (or bring up to date) the demo district: two schools and people of every role."

    def add_arguments(self, parser):
        parser.add_argument("--students", type=int, default=24, help="Students per school (default 24).")

    def handle(self, *args, students: int, **options):
        if students < 1:
            raise CommandError("--students must be at least 1.")
        result = demo_seed(students_per_school=students)
        self.stdout.write(self.style.SUCCESS(f"Demo district ready: {len(result.schools)} schools."))
        self.stdout.write(f"Every demo account's password is: {DEMO_PASSWORD}")
        width = max(len(email) for email, _ in result.logins)
        for email, what in result.logins:
            self.stdout.write(f"  {email.ljust(width)}  {what}")
