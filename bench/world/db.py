"""The world's database: its name, its record (``bench_world``), dropping it, Django on
it, and COPY with the models' defaults."""

from __future__ import annotations

import json
import os
import tempfile
import time

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/kejinlink_national"


def national_url(scale: float = 1.0) -> str:
    """The world's database; a smaller world has its own (``…_s0_01`` at 0.01), so a
    small run never replaces the national one."""
    url = os.environ.get("BENCH_NATIONAL_DATABASE_URL") or DEFAULT_URL
    return url if scale == 1 else url + "_s" + f"{scale:g}".replace(".", "_")


def _conninfo(url: str) -> dict:
    import dj_database_url

    cfg = dj_database_url.parse(url)
    return {
        "dbname": cfg["NAME"],
        "host": cfg.get("HOST") or None,
        "port": cfg.get("PORT") or None,
        "user": cfg.get("USER") or None,
        "password": cfg.get("PASSWORD") or None,
    }


def recorded(url: str) -> dict | None:
    """The size recorded in the world's database, or None (no database, no world)."""
    import psycopg

    info = _conninfo(url)
    try:
        with psycopg.connect(**info) as conn:
            row = conn.execute(
                "SELECT value FROM bench_world WHERE key = 'world'"
                if conn.execute("SELECT to_regclass('bench_world')").fetchone()[0]
                else "SELECT NULL WHERE false"
            ).fetchone()
    except psycopg.OperationalError:
        return None
    return json.loads(row[0]) if row else None


def save(info: dict) -> None:
    """Record ``info`` as the world's (through Django's connection)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS bench_world (key text PRIMARY KEY, value text)")
        cursor.execute(
            "INSERT INTO bench_world VALUES ('world', %s) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [json.dumps(info, ensure_ascii=False, default=str)],
        )


def drop_database(url: str) -> None:
    import psycopg
    from psycopg import sql

    info = _conninfo(url)
    name = info.pop("dbname")
    with psycopg.connect(dbname="postgres", autocommit=True, **info) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def setup(url: str) -> str:
    """Django on the national database (created and migrated when missing); the media
    folder it writes to (temporary: the caller removes it)."""
    os.environ["BENCH_DATABASE_URL"] = url  # this process only: the national database
    from bench.import_bench import ensure_database, setup_django

    ensure_database(url)
    media = tempfile.mkdtemp(prefix="bench-national-media-")
    setup_django(media)
    return media


def _defaults(table: str, columns: list[str]) -> dict[str, object]:
    """The model's defaults for the NOT NULL columns the COPY leaves out (fields added
    after this script was written: Django's defaults are not the database's)."""
    from django.apps import apps
    from django.db.models.fields import NOT_PROVIDED
    from psycopg.types.json import Jsonb

    def plain(value):
        return Jsonb(value) if isinstance(value, dict | list) else value

    for model in apps.get_models():
        if model._meta.db_table == table:
            return {
                f.column: plain(f.get_default())
                for f in model._meta.concrete_fields
                if f.column not in columns
                and not f.null
                and (f.default is not NOT_PROVIDED or f.empty_strings_allowed)
                and not f.primary_key
            }
    return {}


def copy_rows(cursor, table: str, columns: list[str], rows) -> int:
    """COPY ``rows`` (tuples in ``columns`` order) into ``table``; returns their number.
    NOT NULL columns left out get their model default."""
    count = 0
    extra = _defaults(table, columns)
    names = [*columns, *extra]
    tail = tuple(extra.values())
    with cursor.copy(f"COPY {table} ({', '.join(names)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row((*row, *tail))
            count += 1
    return count


class Clock:
    """Seconds and rows per step, printed as they finish."""

    def __init__(self) -> None:
        self.started = time.perf_counter()
        self.last = self.started
        self.steps: list[tuple[str, float, int]] = []

    def step(self, label: str, rows: int = 0) -> None:
        now = time.perf_counter()
        self.steps.append((label, round(now - self.last, 1), rows))
        print(f"  {label}: {rows:,} rows in {now - self.last:.1f} s", flush=True)
        self.last = now

    @property
    def total(self) -> float:
        return time.perf_counter() - self.started
