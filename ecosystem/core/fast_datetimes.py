"""Date-times read from PostgreSQL parsed by psycopg's C code, not by a regular expression.

Django's PostgreSQL backend reads every ``timestamp with time zone`` value through its
own loader (``django.db.backends.postgresql.psycopg_any.BaseTzLoader``), a subclass of
psycopg's *Python* ``TimestamptzLoader``: each value is matched by a regular expression,
its fields turned into integers and a ``datetime`` built in Python, then given the
connection's time zone. psycopg's C implementation (the ``psycopg[binary]`` wheel this
project installs) has its own loader, but Django's subclass never reaches it: a C class
cannot be subclassed. On reads of many date-times that is most of the work: 2,000 leads ×
5 date-times took 33.7 ms to read against 13.8 ms with the C parser (``docs/performance.md``,
session 20). A page of the leads feed reads 13 a lead, 650 a page: about 1 ms, below what
this machine's pages vary by. (The exports read their times as naive wall-clock values,
``core.db.WallClock``, which psycopg already parses in C.)

``FastTzLoader`` keeps Django's contract (the value converted to the session's time zone,
then given ``connection.timezone``, the same ``tzinfo`` object Django gives) and has the C
loader parse. It is registered on each new PostgreSQL connection (``connection_created``)
with the ``timezone`` attribute Django's ``create_cursor`` compares, so Django does not
put its own back on the cursor. Without the C implementation (``PSYCOPG_IMPL=python``) or
with ``FAST_DATETIMES = False`` nothing changes. ``tests/unit/test_fast_datetimes.py``
compares both loaders value by value.
"""

from __future__ import annotations

from functools import cache

from django.db.backends.signals import connection_created

DISPATCH_UID = "core.fast_datetimes"


def c_loader():
    """psycopg's C ``TimestamptzLoader``, or ``None`` without the C implementation."""
    try:
        import psycopg
        from psycopg.pq import Format
    except ImportError:  # psycopg2, or no PostgreSQL driver at all (SQLite)
        return None
    if psycopg.pq.__impl__ not in ("c", "binary"):
        return None
    oid = psycopg.postgres.types["timestamptz"].oid
    loader = psycopg.adapters.get_loader(oid, Format.TEXT)
    return loader if loader.__module__.startswith(("psycopg_c", "psycopg_binary")) else None


@cache
def loader_for(timezone):
    """A loader class giving ``timezone`` to each value the C loader parses."""
    from psycopg.adapt import Loader

    parser = c_loader()

    class FastTzLoader(Loader):
        def __init__(self, oid, context=None):
            super().__init__(oid, context)
            self._parse = parser(oid, context).load

        def load(self, data):
            return self._parse(data).replace(tzinfo=timezone)

    FastTzLoader.timezone = timezone  # what Django's ``create_cursor`` compares
    return FastTzLoader


def register(sender, connection, **_kwargs) -> None:
    if connection.vendor != "postgresql" or c_loader() is None:
        return
    connection.connection.adapters.register_loader("timestamptz", loader_for(connection.timezone))


def install(enabled: bool) -> None:
    if enabled and c_loader() is not None:
        connection_created.connect(register, dispatch_uid=DISPATCH_UID)
    else:
        connection_created.disconnect(dispatch_uid=DISPATCH_UID)
