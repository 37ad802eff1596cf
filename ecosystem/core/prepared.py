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


def execute(cursor, sql: str, params: list, *, slots: list[int], values: list) -> None:
    """Run ``sql`` with ``params`` (``%s`` placeholders); on PostgreSQL as a statement
    prepared once per connection, executed with ``values`` (``slots`` maps each
    placeholder to its value's number: the same value may fill several placeholders)."""
    if connection.vendor != "postgresql" or not getattr(settings, "PREPARED_STATEMENTS", True):
        cursor.execute(sql, params)
        return
    text = placeholders(sql, slots)
    name = "kj_" + hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()[:16]
    raw = connection.connection
    names = _prepared.setdefault(raw, set())
    if name not in names:
        cursor.execute(f"PREPARE {name} AS {text}")
        names.add(name)
    cursor.execute(f"EXECUTE {name}({', '.join(['%s'] * len(values))})", values)
