"""Bulk reads and writes in few parameters (the recompute, the dashboards, eligibility): ids as one
array, rows as one JSON document.

A chunk filters some twenty queries by its 500 student ids. Django's ``__in`` sends a placeholder per id,
normalized one by one in Python, and psycopg splits the query on its placeholders in Python again: ~6 ms a
query before PostgreSQL sees it. :func:`in_ids` sends the ids as one array parameter instead.

For writes, the rows travel as one JSON parameter (:func:`rows_table`). Django's ``bulk_update`` writes a
``CASE WHEN pk = … THEN …`` per row and column: 2,000 flags cost it ~10 s of Python. A ``VALUES`` list with
one placeholder per value is better but still slow through psycopg, which splits a query on its
placeholders in Python (25,000 of them take longer than the write). So the rows are serialized once
(``json.dumps``, in C) and the database unpacks them into a derived table ``v`` (``json_to_recordset`` on
PostgreSQL, ``json_each`` on SQLite) that an UPDATE or INSERT reads like a table.

Callers write the statement themselves and always name the active school in it (an INSERT sets
``school_id`` and conflicts on a constraint that includes it; an UPDATE filters on it): these helpers only
build the row source.
"""

import json
from collections.abc import Iterable, Sequence

from django.core.exceptions import EmptyResultSet
from django.db import connection, models
from django.db.models import F, Lookup


class InIds(Lookup):
    """``field IN (ids)``: on PostgreSQL ``field = ANY(%s::bigint[])`` with one array parameter, elsewhere an
    ordinary IN list. Use it through :func:`in_ids` in ``filter()``."""

    lookup_name = "in_ids"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        if not self.rhs:
            raise EmptyResultSet
        lhs, params = self.process_lhs(compiler, connection)
        return f"{lhs} IN ({', '.join(['%s'] * len(self.rhs))})", [*params, *self.rhs]

    def as_postgresql(self, compiler, connection):
        if not self.rhs:
            raise EmptyResultSet
        lhs, params = self.process_lhs(compiler, connection)
        array_type = self.lhs.output_field.db_type(connection)  # a key's column type (bigint)
        # An array literal of integers (int() refuses anything else): a plain string parameter, which psycopg
        # escapes in C, where a list is dumped element by element in Python.
        return f"{lhs} = ANY(%s::{array_type}[])", [
            *params,
            "{" + ",".join(str(int(i)) for i in self.rhs) + "}",
        ]


def in_ids(field: str, ids: Iterable[int]) -> InIds:
    """A filter condition: ``field`` (a path such as ``plan__student_id``) is one of ``ids``."""
    return InIds(F(field), list(ids))


def rows_table(
    model: type[models.Model], columns: Sequence[str], rows: Iterable[Sequence]
) -> tuple[str, str]:
    """SQL for a derived table ``v`` whose columns are these model fields (by attname, e.g. ``student_id``,
    or ``pk``), holding ``rows`` (Python values, in that order), and the one parameter it needs."""
    fields = [model._meta.pk if name == "pk" else model._meta.get_field(name) for name in columns]
    keys = [field.column if name != "pk" else "pk" for name, field in zip(columns, fields, strict=True)]
    adapt = connection.ops.adapt_datetimefield_value
    postgres = connection.vendor == "postgresql"
    prepare = []
    for field in fields:
        if isinstance(field, models.DateTimeField):
            prepare.append(lambda value: None if value is None else str(adapt(value)))
        elif isinstance(field, models.JSONField) and not postgres:
            prepare.append(lambda value, field=field: json.dumps(value, cls=field.encoder))
        else:
            prepare.append(None)
    payload = json.dumps(
        [
            {
                key: (value if fix is None else fix(value))
                for key, fix, value in zip(keys, prepare, row, strict=True)
            }
            for row in rows
        ]
    )
    if postgres:
        types = ", ".join(
            f"{key} {field.db_type(connection)}" for key, field in zip(keys, fields, strict=True)
        )
        return f"json_to_recordset(%s) AS v({types})", payload
    # json_extract gives SQL values (true → 1); JSON documents were serialized to text above.
    values = ", ".join(f"json_extract(value, '$.{key}') AS {key}" for key in keys)
    return f"(SELECT {values} FROM json_each(%s)) AS v", payload
