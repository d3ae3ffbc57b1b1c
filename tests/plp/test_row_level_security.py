"""Row-level security, the second wall: on PostgreSQL the suite runs as the app role (tests/conftest.py), and
the database itself refuses another school's rows whatever the ORM asks for.

The tables are enumerated from the models (plp.tenancy.rls.tenant_tables), never listed here."""

import pytest
from django.apps import apps
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from plp.tenancy.context import district_scope, no_scope, school_scope
from plp.tenancy.models import SchoolOwnedModel
from plp.tenancy.rls import (
    POLICY,
    RLS_EXEMPT,
    TenantTable,
    app_role,
    apply_grants,
    grant_statements,
    tenant_tables,
)
from schools.models import Membership, School, Term
from schools.roles import Role
from schools.tasks import school_census
from tests.fill import fill_row

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row-level security is PostgreSQL's (SQLite: the demo)"
)


def _school_foreign_keys(model):
    return [
        field
        for field in model._meta.concrete_fields
        if field.is_relation and field.many_to_one and field.related_model is School
    ]


def test_every_model_with_a_school_is_a_tenant_table():
    """The guard: a model holding a school (any foreign key to School, a SchoolOwnedModel) or hanging from
    one (a many-to-many table) gets the policy; a new app's model cannot be forgotten."""
    covered = {entry.model for entry in tenant_tables()}
    models = apps.get_models(include_auto_created=True)
    missing = [
        model._meta.label
        for model in models
        if model._meta.managed
        and (_school_foreign_keys(model) or issubclass(model, SchoolOwnedModel))
        and model not in covered
        and model._meta.label not in RLS_EXEMPT
    ]
    assert not missing, f"Tenant models without row-level security: {missing}"
    tenant_models = {entry.model for entry in tenant_tables() if entry.school_column}
    hanging = [
        model._meta.label
        for model in models
        if model._meta.auto_created
        and model not in covered
        and any(
            field.related_model in tenant_models for field in model._meta.concrete_fields if field.is_relation
        )
    ]
    assert not hanging, f"Many-to-many tables of tenant models without row-level security: {hanging}"
    assert len(covered) >= 49  # the tables the security review counted, and those added since


def test_append_only_models_lose_update_and_delete_for_the_app_role():
    log = TenantTable(model=Term, table="audit_event", school_column="school_id", append_only=True)
    other = TenantTable(model=Term, table="schools_term", school_column="school_id")
    statements = grant_statements(role="plp_app", tables=[log, other])
    assert 'REVOKE UPDATE, DELETE ON "audit_event" FROM "plp_app"' in statements
    assert not any('"schools_term"' in statement for statement in statements)


def _count(table: str, where: str = "", params=()) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT count(*) FROM "{table}" t {where}', list(params))
        return cursor.fetchone()[0]


@pytest.fixture
def seeded(db, school_a, school_b):
    """Rows in every tenant table: the demo's seeders, the two test schools, and for each table the demo
    leaves empty (a school's LTI, xAPI, SSO settings...) a row made generically in school A and school B,
    so the wall is seen holding back real rows of every table, a new app's included."""
    from schools.demo import demo_seed

    demo_seed(students_per_school=2)
    for entry in tenant_tables():
        for world in (school_a, school_b):
            if entry.school_column:
                present = entry.model._base_manager.filter(**{entry.school_column: world.school.pk}).exists()
            else:
                present = entry.model._base_manager.exists()
            if not present:
                try:
                    with transaction.atomic():
                        fill_row(entry.model, world.school)
                except DatabaseError:  # a check constraint the generic values miss: the demo's rows serve
                    pass
    return school_a, school_b


@on_postgresql
def test_every_tenant_table_has_forced_row_level_security_and_the_policy(db):
    tables = [entry.table for entry in tenant_tables()]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity, "
            "EXISTS (SELECT 1 FROM pg_policies p WHERE p.tablename = c.relname AND p.policyname = %s) "
            "FROM pg_class c WHERE c.relname = ANY(%s) AND c.relkind = 'r'",
            [POLICY, tables],
        )
        found = {name: (enabled, forced, policy) for name, enabled, forced, policy in cursor.fetchall()}
        # And no table with a school column escapes (one made by raw SQL, or a model that is not managed).
        cursor.execute(
            "SELECT c.table_name FROM information_schema.columns c "
            "JOIN pg_class r ON r.relname = c.table_name WHERE c.table_schema = current_schema() "
            "AND c.column_name = 'school_id' AND NOT r.relrowsecurity"
        )
        exempt = {apps.get_model(label)._meta.db_table for label in RLS_EXEMPT}
        unprotected = [row[0] for row in cursor.fetchall() if row[0] not in exempt]
    assert set(found) == set(tables)
    assert all(found[table] == (True, True, True) for table in tables), found
    assert not unprotected


@on_postgresql
def test_the_app_connects_as_a_role_that_owns_nothing_and_cannot_bypass(db):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_user, rolsuper, rolbypassrls, rolcreatedb, rolcreaterole FROM pg_roles "
            "WHERE rolname = current_user"
        )
        user, superuser, bypass, createdb, createrole = cursor.fetchone()
        cursor.execute("SELECT count(*) FROM pg_tables WHERE tableowner = current_user")
        owned = cursor.fetchone()[0]
        cursor.execute("SELECT has_table_privilege(current_user, 'django_migrations', 'INSERT')")
        writes_migrations = cursor.fetchone()[0]
    assert user == app_role()
    assert (superuser, bypass, createdb, createrole) == (False, False, False, False)
    assert owned == 0
    assert not writes_migrations


@on_postgresql
def test_with_no_school_set_the_app_reads_no_row_of_any_tenant_table(seeded):
    tables = tenant_tables()
    with_rows = {entry.table: _count(entry.table) for entry in tables}  # the test itself sees every school
    assert [table for table, n in with_rows.items() if not n] == []  # the check below reads real rows
    with no_scope():
        seen = {entry.table: _count(entry.table) for entry in tables}
    assert seen == {entry.table: 0 for entry in tables}


def _rows_of_school(entry: TenantTable, school_id: int) -> int:
    """How many of the table's rows belong to the school (counted while every school is visible)."""
    if entry.school_column:
        return _count(entry.table, f'WHERE t."{entry.school_column}" = %s', [school_id])
    link = next(link for link in entry.parents if not link.nullable)
    parent = next(other for other in tenant_tables() if other.table == link.table)
    return _count(
        entry.table,
        f'JOIN "{link.table}" p ON p."{link.parent_pk}" = t."{link.column}" '
        f'WHERE p."{parent.school_column}" = %s',
        [school_id],
    )


@on_postgresql
def test_inside_school_a_the_app_reads_its_rows_and_none_of_school_b(seeded):
    school_a, school_b = seeded
    tables = tenant_tables()
    expected = {entry.table: _rows_of_school(entry, school_a.school.pk) for entry in tables}
    assert all(
        _rows_of_school(entry, school_b.school.pk) for entry in tables if entry.table == "schools_term"
    )
    with no_scope(), school_scope(school_a.school):
        seen = {entry.table: _count(entry.table) for entry in tables}
        leaked = {
            entry.table: _count(entry.table, f'WHERE t."{entry.school_column}" <> %s', [school_a.school.pk])
            for entry in tables
            if entry.school_column
        }
    assert seen == expected
    assert leaked == {table: 0 for table in leaked}


@on_postgresql
def test_the_database_refuses_to_write_another_schools_row(school_a, school_b):
    with no_scope(), school_scope(school_a.school):
        with pytest.raises(DatabaseError, match="row-level security"), transaction.atomic():
            Term.objects.create(
                school=school_b.school, name="Smuggled", start_date="2026-01-01", end_date="2026-06-30"
            )
        # Nor move one of its own rows there: the new row must pass the policy too.
        with pytest.raises(DatabaseError, match="row-level security"), transaction.atomic():
            Term.objects.filter(pk=school_a.term.pk).update(school=school_b.school)
        # The ORM's escape hatch does not escape the database: another school's term is not there.
        assert not Term.objects.unscoped().filter(pk=school_b.term.pk).exists()


@on_postgresql
def test_a_district_scope_shows_that_districts_schools_only(school_a, school_b):
    with no_scope(), district_scope(school_a.school.organization_id):
        schools = set(Membership.objects.unscoped().values_list("school_id", flat=True))
    assert schools == {school_a.school.pk}


@on_postgresql
def test_a_task_runs_in_its_school_under_row_level_security(school_a, school_b):
    """Tasks take ``school_id`` and enter that school (plp.tenancy.tasks.SchoolTask): the worker's database
    scope is that school, and none before."""
    with no_scope():  # in this process whatever the broker (a real worker: tests/plp/test_celery_worker.py)
        census = school_census.apply(kwargs={"school_id": school_b.school.pk}).get(timeout=30)
    assert census["sections"] == 2
    assert census["teachers"] == 2


@on_postgresql
def test_the_app_role_cannot_update_or_delete_an_append_only_table(monkeypatch, school_a):
    """A model opts in with ``rls_append_only = True`` (an audit log): the app keeps SELECT and INSERT."""
    monkeypatch.setattr(Membership, "rls_append_only", True, raising=False)
    with connection.cursor() as cursor:
        cursor.execute("RESET ROLE")  # the session's own role: the owner (grants roll back with the test)
    try:
        apply_grants(connection)
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'SET ROLE "{app_role()}"')
    with no_scope(), school_scope(school_a.school):
        with pytest.raises(DatabaseError, match="permission denied"), transaction.atomic():
            Membership.objects.filter(user=school_a.user(Role.STUDENT)).update(is_active=False)
        with pytest.raises(DatabaseError, match="permission denied"), transaction.atomic():
            Membership.objects.filter(user=school_a.user(Role.STUDENT)).delete()
        Membership.objects.create(school=school_a.school, user=school_a.user(Role.TEACHER), role=Role.MENTOR)
        assert Membership.objects.filter(role=Role.MENTOR).count() == 2


@on_postgresql
def test_a_page_costs_one_scope_statement_at_most(client, school_a, school_b):
    """The per-request overhead: one ``set_config`` (the school named in the URL), none when a connection
    serves the same school again; a page outside any school resets it once."""
    client.force_login(school_a.user(Role.TEACHER))
    school_page = reverse("schools:home", kwargs={"school_slug": school_a.school.slug})
    client.get(school_page)

    def syncs(url):
        before = connection.plp_scope_syncs
        response = client.get(url)
        assert response.status_code in (200, 302)
        return connection.plp_scope_syncs - before

    assert syncs(school_page) <= 1
    assert syncs(reverse("schools:picker")) <= 2  # the picker reads the person's schools: every school
    assert syncs(school_page) == 1
    assert syncs(school_page) <= 1
