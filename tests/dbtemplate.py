"""Test databases cloned from a migrated template on PostgreSQL.

Each xdist worker used to migrate its own test database from nothing (every migration of
every app: 40–100 s under load). The first worker to get there migrates as before and
saves the result as a template named after a digest of the migration files and the
Django version; every later worker (and every later run of the same code) creates its
database with ``CREATE DATABASE … TEMPLATE``, a file copy, and Django's ``migrate`` then
finds nothing to apply. A change to any migration changes the digest, so a template of
other code is never used; an advisory lock keeps two workers from building or copying
one at the same time. On SQLite nothing changes.
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

import django

#: Advisory-lock key of the template (any constant shared by the test processes).
LOCK_KEY = 7_419_019


def migrations_digest() -> str:
    from django.apps import apps

    digest = hashlib.sha256(django.get_version().encode())
    for app in sorted(apps.get_app_configs(), key=lambda config: config.label):
        folder = Path(app.path) / "migrations"
        for path in sorted(folder.glob("*.py")) if folder.is_dir() else ():
            digest.update(f"{app.label}/{path.name}".encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def _admin_connection():
    """A connection to the server's maintenance database, outside Django's connections."""
    import psycopg
    from django.db import connection

    params = connection.get_connection_params()
    params["dbname"] = "postgres"
    params.pop("cursor_factory", None)
    params.pop("context", None)
    return psycopg.connect(autocommit=True, **params)


def _exists(cursor, name: str) -> bool:
    cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
    return cursor.fetchone() is not None


@functools.cache
def template_name() -> str:
    """Named after the project's database (read before Django swaps in the test name)."""
    from django.db import connection

    return f"{connection.settings_dict['NAME']}_tpl_{migrations_digest()}"[:63]


@functools.cache
def test_database_name() -> str:
    """Read before Django's setup too: afterwards the test name would get a second prefix."""
    from django.db import connection

    return connection.creation._get_test_db_name()


def clone_template() -> bool:
    """Replace this process's test database with a copy of the template, if there is one.

    Returns whether it did (then Django keeps the database and only checks migrations)."""
    from psycopg import sql

    template, target = template_name(), test_database_name()
    with _admin_connection() as admin, admin.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [LOCK_KEY])
        try:
            if not _exists(cursor, template):
                return False
            cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(target)))
            cursor.execute(
                sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                    sql.Identifier(target), sql.Identifier(template)
                )
            )
            return True
        finally:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [LOCK_KEY])


def save_template() -> None:
    """Keep this process's freshly migrated test database as the template (once)."""
    from django.db import connections
    from psycopg import sql

    template, source = template_name(), test_database_name()
    connections.close_all()  # a database being copied may have no other session
    with _admin_connection() as admin, admin.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [LOCK_KEY])
        try:
            if not _exists(cursor, template):
                cursor.execute(
                    sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                        sql.Identifier(template), sql.Identifier(source)
                    )
                )
            # Templates of earlier migrations of the same database are of no more use.
            stem = template.rsplit("_tpl_", 1)[0] + "_tpl_"
            cursor.execute(
                "SELECT datname FROM pg_database WHERE left(datname, %s) = %s AND datname <> %s",
                [len(stem), stem, template],
            )
            for (stale,) in cursor.fetchall():
                cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(stale)))
        finally:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [LOCK_KEY])
