"""PostgreSQL, with the database scope of plp.tenancy.context handed to the session before each query.

Why here and not at the edges: the scope changes in many places (requests, tasks, ``school_scope`` blocks,
``validate_unique``), a query is the only moment it matters, and doing it lazily costs a statement only
when the scope differs from what the session already has. A school page costs one ``set_config`` (the
school named in its URL, set before its membership is read); the next page of the same connection sets
what it needs again before its first query. So no query can run under a stale school: each one first
compares the scope with the session's.

The statement goes through the driver's connection, not Django's cursor: it is not a query of the page,
so query-count budgets do not see it. ``plp_scope_syncs`` counts them (tests measure the overhead).

The session settings are not transactional in our favour: a rollback undoes a ``set_config`` made inside
the transaction, so after any rollback the session's scope is taken as unknown and set again.
"""

from django.db.backends.postgresql import base

from plp.tenancy.context import DatabaseScope, database_scope
from plp.tenancy.tenant import tenant_model

_EMPTY = DatabaseScope()
# Statements that end or unwind a transaction run as they are (in a failed transaction nothing else can).
_TRANSACTION_CONTROL = ("SAVEPOINT", "RELEASE", "ROLLBACK", "COMMIT", "BEGIN", "SET ROLE", "RESET")

_SET_SQL = (
    "SELECT set_config('plp.school_id', %s, false), set_config('plp.district_id', %s, false), "
    "set_config('plp.all_schools', %s, false)"
)


def _setting(value) -> str:
    return "" if value is None else str(value)


def _rows(scope: DatabaseScope) -> tuple:
    """What a scope shows, whichever way it was reached (a school entered by its slug or by its id)."""
    return (scope.school_id, scope.district_id, scope.all_schools)


class DatabaseWrapper(base.DatabaseWrapper):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.plp_session_scope: DatabaseScope | None = None  # what the session has; None: unknown
        self.plp_scope_syncs = 0
        self.execute_wrappers.append(self._plp_sync_scope)

    def init_connection_state(self):
        super().init_connection_state()
        self.plp_session_scope = _EMPTY  # a new session has no plp.* setting: nothing visible

    def _close(self):
        self.plp_session_scope = None
        super()._close()

    def _rollback(self):
        self.plp_session_scope = None
        super()._rollback()

    def _savepoint_rollback(self, sid):
        self.plp_session_scope = None
        super()._savepoint_rollback(sid)

    def _plp_sync_scope(self, execute, sql, params, many, context):
        if not str(sql).lstrip()[:10].upper().startswith(_TRANSACTION_CONTROL):
            self.plp_scope_sync()
        return execute(sql, params, many, context)

    def plp_scope_sync(self) -> None:
        """Give the session the current database scope, if it has another one."""
        wanted = database_scope()
        have = self.plp_session_scope
        if have is not None and (
            wanted.school_slug == have.school_slug
            if wanted.school_slug is not None
            else _rows(wanted) == _rows(have)
        ):
            return
        School = tenant_model()

        with self.wrap_database_errors, self.connection.cursor() as cursor:
            if wanted.school_slug is not None:
                # The school named in the URL, resolved by the database in the same statement.
                cursor.execute(
                    _SET_SQL.replace(
                        "set_config('plp.school_id', %s, false)",
                        "set_config('plp.school_id', coalesce((SELECT s.id::text FROM "
                        f"\"{School._meta.db_table}\" s WHERE s.slug = %s AND s.is_active), ''), false)",
                    ),
                    [wanted.school_slug, "", ""],
                )
                school_id = cursor.fetchone()[0]
                session = DatabaseScope(
                    school_id=int(school_id) if school_id else None, school_slug=wanted.school_slug
                )
            else:
                cursor.execute(
                    _SET_SQL,
                    [
                        _setting(wanted.school_id),
                        _setting(wanted.district_id),
                        "on" if wanted.all_schools else "",
                    ],
                )
                session = wanted
        self.plp_scope_syncs += 1
        self.plp_session_scope = session
