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
"""

from __future__ import annotations

import hashlib
import weakref

from django.conf import settings
from django.db import connection

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
        cursor.execute("; ".join(f"PREPARE {name} AS {text}" for name, text in missing.items()))
        names.update(missing)
    cursor.execute("; ".join(executes), values)
    results = [cursor.fetchall()]
    while cursor.nextset():
        results.append(cursor.fetchall())
    return results
