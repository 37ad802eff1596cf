"""Small database helpers shared by the apps."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import DateTimeField, Func
from django.utils import timezone


@contextmanager
def without_jit() -> Iterator[None]:
    """A transaction in which PostgreSQL does not JIT-compile statements.

    An export's statement reads thousands of rows with correlated subqueries per row, so
    its cost estimate passes ``jit_above_cost`` (and ``jit_optimize_above_cost``) whatever
    the scope; compiling it then took longer than running it (docs/performance.md,
    session 12: 2.3 of 3.6 s for a branch's 7,270 matches). ``SET LOCAL`` ends with the
    transaction, so nothing else on the connection is affected."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL jit = off")
        yield


class WallClock(Func):
    """A timestamp as the time on the wall in the current time zone, without a zone: what
    ``core.exports.safe_cell`` makes of an aware one (``timezone.localtime``, naive).

    On PostgreSQL it is worked out in the statement (``AT TIME ZONE``): psycopg reads a
    timestamp without zone in C, while Django reads an aware one through a Python loader
    with a regular expression, then ``localtime`` converts it again (a third of a national
    lead export's Python). Elsewhere it is the column as it is, converted by ``safe_cell``.
    """

    output_field = DateTimeField()

    def as_sql(self, compiler, connection, **extra_context):
        return compiler.compile(self.source_expressions[0])

    def as_postgresql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"({sql} AT TIME ZONE %s)", (*params, timezone.get_current_timezone_name())


def add_rows(cursor, table: str, keys: tuple, columns: tuple, rows, *, batch: int = 1000) -> None:
    """Add each row's ``columns`` values to the counter row of its ``keys`` values, or
    insert it, in one ``INSERT … ON CONFLICT (keys) DO UPDATE`` (the key a unique index of
    ``table``) a ``batch`` of rows; ``rows``: ``(key values, column values)`` pairs, one
    per key, written in the order given (callers sort them, so concurrent writers lock
    rows in one order)."""
    rows = list(rows)
    if not rows:
        return
    marks = "(" + ", ".join(["%s"] * (len(keys) + len(columns))) + ")"
    adds = ", ".join(f"{c} = {table}.{c} + EXCLUDED.{c}" for c in columns)
    for start in range(0, len(rows), batch):
        part = rows[start : start + batch]
        cursor.execute(
            f"INSERT INTO {table} ({', '.join(keys + columns)}) "  # noqa: S608 - our names
            f"VALUES {', '.join([marks] * len(part))} "
            f"ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {adds}",
            [v for key, values in part for v in (*key, *values)],
        )


def figure_rows(changes: dict, figures: tuple) -> list[tuple]:
    """``{(key, figure name): change}`` as :func:`add_rows`' rows: one per key, in key
    order, with every figure of ``figures``; a key whose changes are all zero left out."""
    by_key: dict = {}
    for (key, name), change in changes.items():
        if change:
            by_key.setdefault(key, dict.fromkeys(figures, 0))[name] += change
    return [((key,), tuple(by_key[key][name] for name in figures)) for key in sorted(by_key)]


def add_row_by_row(cursor, table: str, keys: tuple, columns: tuple, rows) -> None:
    """Add each row's ``columns`` values to the counter row of its ``keys`` values (NULL
    matching NULL), or insert it: the counters' ``INSERT … ON CONFLICT … DO UPDATE`` for a
    database where their key is no unique index SQLite can name (``make run``): a key
    whose NULLs are not distinct, or one carrying included columns, is PostgreSQL's alone.
    SQLite writes one transaction at a time, so no writer comes between the two
    statements. ``rows``: ``(key values, column values)`` pairs."""
    sets = ", ".join(f"{c} = {c} + %s" for c in columns)
    where = " AND ".join(f"{k} IS %s" for k in keys)
    marks = ", ".join(["%s"] * (len(keys) + len(columns)))
    update = f"UPDATE {table} SET {sets} WHERE {where}"  # noqa: S608 - our names
    insert = f"INSERT INTO {table} ({', '.join(keys + columns)}) VALUES ({marks})"  # noqa: S608
    for key, values in rows:
        cursor.execute(update, [*values, *key])
        if cursor.rowcount == 0:
            cursor.execute(insert, [*key, *values])


@contextmanager
def tables_replaced(*models) -> Iterator[None]:
    """A counter's rebuild: in one transaction under the tables' locks (PostgreSQL; no
    concurrent sync lands between), every row of ``models`` deleted; the caller writes
    the recount inside the block."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            tables = ", ".join(model._meta.db_table for model in models)
            with connection.cursor() as cursor:
                cursor.execute(f"LOCK TABLE {tables}")
        for model in models:
            model.objects.all().delete()
        yield


def inline_literals(sql: str, params) -> str:
    """``sql`` with its ``%s`` placeholders replaced by ``params`` written as SQL literals,
    as psycopg's client-side binding writes them (``ClientCursor.mogrify``: the text the
    server receives either way), for the values our statements pass: ints, bools, finite
    decimals, aware datetimes and None; anything else is refused (``TypeError``).

    For a long message of many values sent on every request (one firm's rematch: ~110):
    psycopg caches its parse of a statement only up to 50 parameters and 4,096 bytes, so
    each such message was split by a regular expression and its values dumped one by one,
    about a millisecond of Python."""
    return sql % tuple(_literal(value) for value in params)


def _literal(value) -> str:
    kind = type(value)
    if kind is int or kind is Decimal:
        if kind is Decimal and not value.is_finite():
            raise TypeError(f"not a finite decimal: {value!r}")
        text = str(value)
        return " " + text if text.startswith("-") else text  # no ``--`` comment
    if kind is bool:
        return "true" if value else "false"
    if value is None:
        return "NULL"
    if kind is datetime and value.tzinfo is not None:
        return f"'{value}'::timestamptz"
    raise TypeError(f"no literal for {kind.__name__}")
