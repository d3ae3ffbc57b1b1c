from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from plp.tenancy.rls import app_role, apply_rls, connection_owns_the_tables, role_exists


class Command(BaseCommand):
    help = (
        "Row-level security on every tenant table and the app role's grants (idempotent; `migrate` runs "
        "it too). Run as the tables' owner."
    )

    def add_arguments(self, parser):
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, database: str, **options):
        connection = connections[database]
        if connection.vendor != "postgresql":
            self.stdout.write("Not PostgreSQL: row-level security does not apply (nothing done).")
            return
        if not connection_owns_the_tables(connection):
            raise CommandError(
                "Run this as the tables' owner (the role migrations run as), not the app role."
            )
        tables = apply_rls(connection)
        self.stdout.write(f"Row-level security on {len(tables)} tenant tables.")
        if role_exists(connection, app_role()):
            self.stdout.write(f"Grants for the app role {app_role()!r} are up to date.")
        else:
            self.stdout.write(f"No role {app_role()!r}: no grants (create it, then run this again).")
