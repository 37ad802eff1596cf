"""Small database helpers shared by the apps."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection, transaction


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
