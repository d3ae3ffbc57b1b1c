"""PostgreSQL row-level security: the second wall behind the scoped managers.

Every tenant table gets ``ENABLE`` and ``FORCE ROW LEVEL SECURITY`` and one policy, ``plp_tenant``, over
three session settings that the database backend (plp.tenancy.postgresql) keeps equal to the database scope
of plp.tenancy.context before each query:

* ``plp.school_id``: the active school;
* ``plp.district_id``: an organization whose schools are readable too (a district admin's overview);
* ``plp.all_schools``: ``on`` for explicit cross-school blocks (``all_schools()``: staff, the picker).

The policy: the row's school is in :func:`school_ids_sql` (the parent's, for a table without a school).

None set: no tenant row is visible and none can be written. The tables are found, not listed: every model
with a foreign key ``school`` to schools.School (every ``SchoolOwnedModel``, and any model another app adds
later), and every model whose rows belong to a school through such a model (the many-to-many tables, which
have no school column of their own) gets a policy that joins to that parent, whose own policy then decides.
:func:`apply_rls` runs after every ``migrate`` (a post_migrate handler) and as ``manage.py apply_rls``; it is
idempotent.

The app connects as a role that owns nothing (``PLP_DB_APP_ROLE``, default ``plp_app``): it gets
SELECT/INSERT/UPDATE/DELETE on the tables, except that models with ``rls_append_only = True`` lose UPDATE
and DELETE (an audit log), and it cannot touch the migration records. Migrations run as the owner.
"""

from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.db import models

from plp.tenancy.tenant import tenant_model

POLICY = "plp_tenant"
SETTINGS = ("plp.school_id", "plp.district_id", "plp.all_schools")


@dataclass(frozen=True)
class ParentLink:
    column: str  # this table's column holding the parent's primary key
    table: str  # the parent tenant table
    parent_pk: str
    nullable: bool


@dataclass(frozen=True)
class TenantTable:
    """A table whose rows belong to one school: directly (``school_column``) or through ``parents``."""

    model: type[models.Model]
    table: str
    school_column: str | None = None
    parents: tuple[ParentLink, ...] = ()
    append_only: bool = False
    school_nullable: bool = False  # a row of no school (an API token bound to none) is no tenant's

    def policy_expression(self) -> str:
        if self.school_column is not None:
            mine = f"{_q(self.school_column)} = ANY ({school_ids_sql()})"
            return f"({_q(self.school_column)} IS NULL OR {mine})" if self.school_nullable else mine
        checks = []
        for link in self.parents:
            exists = (
                f"EXISTS (SELECT 1 FROM {_q(link.table)} p "
                f"WHERE p.{_q(link.parent_pk)} = {_q(self.table)}.{_q(link.column)})"
            )
            checks.append(f"({_q(link.column)} IS NULL OR {exists})" if link.nullable else exists)
        return " AND ".join(checks)


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _school_foreign_key(model) -> models.ForeignKey | None:
    School = tenant_model()

    for field in model._meta.concrete_fields:
        if field.name == "school" and field.is_relation and field.related_model is School:
            return field
    return None


# Models that hold a school but are read before any school is known, each with why (reviewed here, in one
# place): they stay outside row-level security, like the users table.
RLS_EXEMPT: dict[str, str] = {
    "accounts.ApiToken": "a person's own credential, read by authentication before any school is chosen; "
    "a token bound to a school is held to it by the API's school check (plp/api/views.py)",
}


def _append_only(model) -> bool:
    """Rows the app may add and read but never change: ``rls_append_only``. (The audit log's own
    ``append_only`` is held by its trigger, which lets the owner role prune; see audit/migrations/0002.)"""
    return bool(getattr(model, "rls_append_only", False))


def _rls_models() -> list[type[models.Model]]:
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy and model._meta.label not in RLS_EXEMPT
    ]


def tenant_tables() -> list[TenantTable]:
    """Every table that holds a school's rows, found from the models (so new apps' tables join by
    themselves): a ``school`` foreign key, or a non-null foreign key to such a table (a many-to-many
    table's rows are their parents')."""
    found: dict[str, TenantTable] = {}
    candidates = _rls_models()
    for model in candidates:
        school = _school_foreign_key(model)
        if school is not None:
            found[model._meta.db_table] = TenantTable(
                model=model,
                table=model._meta.db_table,
                school_column=school.column,
                append_only=_append_only(model),
                school_nullable=school.null,
            )
    direct = {entry.model for entry in found.values()}
    for model in candidates:
        if model in direct:
            continue
        links = tuple(
            ParentLink(
                column=field.column,
                table=field.related_model._meta.db_table,
                parent_pk=field.target_field.column,
                nullable=field.null,
            )
            for field in model._meta.concrete_fields
            if field.is_relation and field.many_to_one and field.related_model in direct
        )
        if any(not link.nullable for link in links):
            found[model._meta.db_table] = TenantTable(
                model=model,
                table=model._meta.db_table,
                parents=links,
                append_only=_append_only(model),
            )
    return sorted(found.values(), key=lambda entry: entry.table)


def app_role() -> str:
    return getattr(settings, "PLP_DB_APP_ROLE", "plp_app")


def school_ids_sql() -> str:
    """The schools the session may see, from the three settings, as one scalar subquery: PostgreSQL runs it
    once per query and table (an InitPlan) and compares with ``= ANY``, which an index on the school column
    serves. Written out in each policy rather than as a function: a SQL function is planned again at every
    call (measured: 0.15 ms per table per query, against under 0.05 ms inline); the district's schools are
    only looked up when a district is set."""
    School = tenant_model()

    schools = _q(School._meta.db_table)
    return (
        "(SELECT CASE WHEN current_setting('plp.all_schools', true) = 'on' "
        f"THEN (SELECT coalesce(array_agg(s.id), '{{}}') FROM {schools} s) "
        "ELSE array_remove(ARRAY[nullif(current_setting('plp.school_id', true), '')::bigint], NULL) "
        "|| CASE WHEN coalesce(current_setting('plp.district_id', true), '') = '' THEN '{}'::bigint[] "
        f"ELSE (SELECT coalesce(array_agg(s.id), '{{}}') FROM {schools} s "
        "WHERE s.organization_id = nullif(current_setting('plp.district_id', true), '')::bigint) "
        "END END)::bigint[]"
    )


def table_statements(entry: TenantTable) -> list[str]:
    table, expression = _q(entry.table), entry.policy_expression()
    return [
        f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY",
        f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY",
        f"DROP POLICY IF EXISTS {POLICY} ON {table}",
        f"CREATE POLICY {POLICY} ON {table} USING ({expression}) WITH CHECK ({expression})",
    ]


# Functions the app role may execute (each revoked from PUBLIC by its migration): the audit log's retention
# prune, which deletes only what the school's retention lets go (audit/migrations/0003_prune_function.py).
APP_FUNCTIONS = ("audit_prune_expired(bigint, timestamptz)",)


def grant_statements(*, role: str, tables: list[TenantTable]) -> list[str]:
    """What the app role may do: read and write every table, no more (no TRUNCATE, no DDL, nothing owned);
    append-only tables lose UPDATE and DELETE; migration records are read-only to it."""
    from django.db.migrations.recorder import MigrationRecorder

    grantee = _q(role)
    statements = [
        f"GRANT USAGE ON SCHEMA public TO {grantee}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {grantee}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {grantee}",
        f"REVOKE INSERT, UPDATE, DELETE ON {_q(MigrationRecorder.Migration._meta.db_table)} FROM {grantee}",
    ]
    statements += [
        f"REVOKE UPDATE, DELETE ON {_q(entry.table)} FROM {grantee}" for entry in tables if entry.append_only
    ]
    statements += [  # once its migration has made it (a migrate to an earlier state has not)
        f"DO $$ BEGIN IF to_regprocedure('{function}') IS NOT NULL THEN "
        f"GRANT EXECUTE ON FUNCTION {function} TO {grantee}; END IF; END $$"
        for function in APP_FUNCTIONS
    ]
    return statements


def connection_owns_the_tables(connection) -> bool:
    """Only the tables' owner (or a superuser) can change their security; the app role cannot, and a
    ``flush`` it runs in tests sends post_migrate too."""
    School = tenant_model()

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_has_role(current_user, tableowner, 'MEMBER') FROM pg_tables "
            "WHERE schemaname = current_schema() AND tablename = %s",
            [School._meta.db_table],
        )
        row = cursor.fetchone()
    return bool(row and row[0])


def role_exists(connection, role: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
        return cursor.fetchone() is not None


def apply_rls(connection) -> list[TenantTable]:
    """Row-level security on every tenant table, and the app role's grants when that role exists.
    Idempotent. Does nothing on other databases (SQLite: the demo) or when not run as the owner. A model
    whose table is not there is skipped: a ``migrate`` back past the migration that made it (the table
    comes back, with its policy, when migrated forward again)."""
    if connection.vendor != "postgresql" or not connection_owns_the_tables(connection):
        return []
    present = set(connection.introspection.table_names())
    tables = [entry for entry in tenant_tables() if entry.table in present]
    statements = []
    for entry in tables:
        statements += table_statements(entry)
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
    apply_grants(connection, tables=tables)
    return tables


def apply_grants(connection, *, tables: list[TenantTable] | None = None) -> bool:
    """The app role's grants (when the role exists; run as the owner). Idempotent."""
    if not role_exists(connection, app_role()):
        return False
    statements = grant_statements(role=app_role(), tables=tenant_tables() if tables is None else tables)
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
    return True


def apply_rls_after_migrate(sender, using, **kwargs) -> None:
    from django.db import connections

    apply_rls(connections[using])
