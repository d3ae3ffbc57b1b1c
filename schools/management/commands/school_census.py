from django.core.management.base import BaseCommand, CommandError

from schools.models import School
from schools.tasks import school_census


class Command(BaseCommand):
    help = "Print a school's census (people per role, sections, terms), computed by a scoped Celery task."

    def add_arguments(self, parser):
        parser.add_argument("school", help="The school's slug.")
        parser.add_argument("--timeout", type=float, default=30.0)

    def handle(self, *args, school: str, timeout: float, **options):
        found = School.objects.filter(slug=school).first()
        if found is None:
            raise CommandError(f"No school with slug {school!r}.")
        census = school_census.delay(school_id=found.pk).get(timeout=timeout)
        for key, value in census.items():
            self.stdout.write(f"{key}: {value}")
