"""Statements PostgreSQL plans once per connection: ``PREPARE`` the first time a
connection runs one, ``EXECUTE`` after.

For a query that plans in far more time than it runs (one enterprise's facts: ~5 ms of
planning for 0.3 ms of execution, joins and grouped subqueries; docs/feed-floors.md).
PostgreSQL plans the first five executions for their parameters and then, when no
worse, keeps a generic plan: planning is then paid once per connection, which
``CONN_MAX_AGE`` and the workers keep open.

Prepared statements belong to the database session: behind a pooler in transaction mode
(PgBouncer's ``pool_mode = transaction``) they would be lost between transactions, so
``PREPARED_STATEMENTS`` (setting, default on) turns them off. A prepared statement
survives the rollback of the transaction that prepared it, so the set of names this
process prepared on a connection stays true until the connection is replaced. On any
other database the statement is executed as it is.

Only for statements whose every parameter is typed by what it is compared with. A
parameter with nothing to compare with, such as one selected as a column (``%s AS
"own"``, Django's ``Value(False)``), is prepared as ``text``: ``False`` then comes back as
the string ``'false'``, which Python reads as true. Tried for the leads feed's page in
session 20, it unmasked the firms of leads the bank may not see in full
(``tests/api/test_lead_api_rendering.py`` caught it), and was dropped.
"""

from __future__ import annotations

import hashlib
import weakref
from functools import partial

from django.conf import settings
from django.db import connection
from django.db.models.query import ModelIterable

#: Names prepared on each open database connection of this process.
_prepared: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def placeholders(sql: str, slots: list[int]) -> str:
    """``sql`` with its ``%s`` placeholders, in order, made ``$n`` (``slots`` gives each
    placeholder's parameter number, from 1)."""
    if "%%" in sql:
        raise ValueError("a prepared statement's SQL may not hold a literal %")
    parts = sql.split("%s")
    if len(parts) - 1 != len(slots):
        raise ValueError("one slot per placeholder")
    text = parts[0]
    for slot, part in zip(slots, parts[1:], strict=True):
        text += f"${slot}{part}"
    return text


def _name(text: str) -> str:
    """A statement's name from its text: new code, new statement."""
    return "kj_" + hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()[:16]


def fetch_together(cursor, statements: list[tuple[str, list, list[int], list]]) -> list[list]:
    """The rows of each of ``statements``, each ``(sql, params, slots, values)``: its SQL
    with ``%s`` placeholders and their ``params``; for the prepared form, each
    placeholder's value number (``slots``, from 1) and the ``values`` (one value may fill
    several placeholders). On PostgreSQL every statement is prepared once per connection
    and all are run in one round trip (one message of ``EXECUTE``s, their results read in
    turn); elsewhere, or turned off, each plain statement one by one."""
    if connection.vendor != "postgresql" or not getattr(settings, "PREPARED_STATEMENTS", True):
        results = []
        for sql, params, _slots, _values in statements:
            cursor.execute(sql, params)
            results.append(cursor.fetchall())
        return results
    names = _prepared.setdefault(connection.connection, set())
    executes, values, missing = [], [], {}
    for sql, _params, slots, statement_values in statements:
        text = placeholders(sql, slots)
        name = _name(text)
        if name not in names:
            missing[name] = text
        arguments = f"({', '.join(['%s'] * len(statement_values))})" if statement_values else ""
        executes.append(f"EXECUTE {name}{arguments}")
        values += statement_values
    if missing:
        # Straight on the driver's cursor: setting up the connection, once, not a statement
        # of the request (query counts stay the same on a new connection and an old one).
        cursor.cursor.execute(
            "; ".join(f"PREPARE {name} AS {text}" for name, text in missing.items())
        )
        names.update(missing)
    cursor.execute("; ".join(executes), values)
    results = [cursor.fetchall()]
    while cursor.nextset():
        results.append(cursor.fetchall())
    return results


def statement(cursor, sql: str, params: list) -> tuple[str, list]:
    """``(sql, params)`` as a statement to send in a message with others: on PostgreSQL
    ``EXECUTE name(%s, …)`` of it prepared once per connection (each placeholder its own
    parameter), so a statement of a fixed shape sent on every call is planned once, not
    on every call (one firm's funnel flag: ~0.4 ms of planning); elsewhere, or turned off,
    the statement as it is."""
    if connection.vendor != "postgresql" or not getattr(settings, "PREPARED_STATEMENTS", True):
        return sql, params
    text = placeholders(sql, list(range(1, len(params) + 1)))
    name = _name(text)
    names = _prepared.setdefault(connection.connection, set())
    if name not in names:
        cursor.cursor.execute(f"PREPARE {name} AS {text}")  # once: see ``fetch_together``
        names.add(name)
    arguments = f"({', '.join(['%s'] * len(params))})" if params else ""
    return f"EXECUTE {name}{arguments}", list(params)


def objects(queryset) -> list:
    """The model instances of ``queryset`` (``select_related`` joins included), its
    statement prepared once per connection (``fetch_together``); elsewhere, or turned off,
    the queryset read as usual. For a small read made on every request whose joins plan
    in far more time than they run (the user's memberships and their scopes)."""
    if connection.vendor != "postgresql" or not getattr(settings, "PREPARED_STATEMENTS", True):
        return list(queryset)
    queryset = queryset.all()
    queryset._iterable_class = _PreparedModelIterable
    return list(queryset)


class _PreparedModelIterable(ModelIterable):
    """Django's model iterable, its compiler's one execution made a prepared statement:
    the compiler still builds the SQL, converts the values and joins the related objects."""

    def __iter__(self):
        query = self.queryset.query
        get_compiler = query.get_compiler

        def compiler_of(*args, **kwargs):
            compiler = get_compiler(*args, **kwargs)
            compiler.execute_sql = partial(_execute, compiler)
            return compiler

        query.get_compiler = compiler_of
        try:
            yield from super().__iter__()
        finally:
            del query.get_compiler


def _execute(compiler, *args, **kwargs):
    """The rows of ``compiler``'s query, as one chunk (what ``execute_sql`` returns for a
    multi-row read)."""
    sql, params = compiler.as_sql()
    params = list(params)
    slots = list(range(1, len(params) + 1))
    with connection.cursor() as cursor:
        (rows,) = fetch_together(cursor, [(sql, params, slots, params)])
    return [rows]
