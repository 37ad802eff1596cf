"""What the import is compared with, measured in the same run: COPYs of the same CSV into
a bare table and into copies of the entry table, and the import's own Python alone.

Used by ``import_bench``; see its docstring and docs/performance.md (session 3).
"""

from __future__ import annotations

import time

COPY_TABLE = "bench_copy_plain"
COPY_DDL = (
    f"CREATE TABLE {COPY_TABLE} (seq integer, uscc varchar(18), name varchar(200), "
    "batch varchar(64), year smallint, valid_until date, region varchar(100))"
)
INDEXED_TABLE = "bench_copy_indexed"
INDEXED_DDL = [
    # The entry table's columns, defaults, checks and indexes (not its foreign keys),
    # with defaults for what the CSV does not carry, plus the CSV's serial-number column.
    f"CREATE TABLE {INDEXED_TABLE} (LIKE registries_registryentry INCLUDING ALL)",
    f"ALTER TABLE {INDEXED_TABLE} ADD COLUMN seq integer, "
    "ALTER COLUMN program_id SET DEFAULT 0, ALTER COLUMN status SET DEFAULT 'current', "
    "ALTER COLUMN certificate_number SET DEFAULT '', ALTER COLUMN name_key SET DEFAULT '', "
    "ALTER COLUMN updated_at SET DEFAULT now()",
]
BULK_TABLE = "bench_copy_bulk"
BULK_DDL = [
    # The same table without its indexes; they are built after the COPY (see ``timed_copy``).
    f"CREATE TABLE {BULK_TABLE} (LIKE registries_registryentry "
    "INCLUDING DEFAULTS INCLUDING IDENTITY INCLUDING CONSTRAINTS)",
    INDEXED_DDL[1].replace(INDEXED_TABLE, BULK_TABLE),
]


def checkpoint() -> None:
    """Flush dirty pages now (needs a superuser; skipped otherwise)."""
    from django.db import connection
    from django.db.utils import DatabaseError

    try:
        with connection.cursor() as cursor:
            cursor.execute("CHECKPOINT")
    except DatabaseError:
        pass


def timed_copy(text: str, *, kind: str = "bare") -> tuple[float, int]:
    """COPY the same CSV text into a fresh table; returns (seconds including commit, rows).

    ``kind``: ``bare`` (no index, the baseline); ``indexed`` (a copy of the entry table
    with its indexes); ``indexed_sorted`` (the same, rows in credit-code order as the
    import writes them); ``bulk`` (the entry table's columns without indexes, the
    indexes built after the COPY in the same transaction).
    """
    import psycopg
    from django.db import connection

    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    params.pop("prepare_threshold", None)
    if kind == "indexed_sorted":
        text = sorted_by_code(text)
    table, ddls = {
        "bare": (COPY_TABLE, [COPY_DDL]),
        "indexed": (INDEXED_TABLE, INDEXED_DDL),
        "indexed_sorted": (INDEXED_TABLE, INDEXED_DDL),
        "bulk": (BULK_TABLE, BULK_DDL),
    }[kind]
    columns = "" if kind == "bare" else " (seq, uscc, name, batch, year, valid_until, region)"
    with psycopg.connect(**params, autocommit=True) as conn:
        conn.execute(f"DROP TABLE IF EXISTS {table}")
        for ddl in ddls:
            conn.execute(ddl)
        after = entry_index_ddl(conn, table) if kind == "bulk" else []
        checkpoint()
        started = time.perf_counter()
        with conn.transaction(), conn.cursor() as cursor:
            with cursor.copy(
                f"COPY {table}{columns} FROM STDIN WITH (FORMAT csv, HEADER true)"
            ) as copy:
                copy.write(text)
            for ddl in after:
                cursor.execute(ddl)
        seconds = time.perf_counter() - started
        count = conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        conn.execute(f"DROP TABLE {table}")
    return seconds, count


def sorted_by_code(text: str) -> str:
    """The CSV with its data rows in credit-code order (the second column)."""
    header, *rows = text.rstrip("\r\n").split("\r\n")
    rows.sort(key=lambda line: line.split(",", 2)[1])
    return "\r\n".join([header, *rows]) + "\r\n"


def entry_index_ddl(conn, table: str) -> list[str]:
    """CREATE INDEX statements for ``table`` equal to the entry table's indexes."""
    rows = conn.execute(
        "SELECT indexname, indexdef FROM pg_indexes "
        "WHERE schemaname = current_schema() AND tablename = 'registries_registryentry'"
    ).fetchall()
    return [
        definition.replace(" ON public.registries_registryentry ", f" ON {table} ").replace(
            f"INDEX {name} ", f"INDEX {table}_{n} "
        )
        for n, (name, definition) in enumerate(rows)
    ]


def python_only(content: bytes, batch: str) -> float:
    """Seconds the import's own Python spends on one read of the file: decode, header,
    validation and the COPY text, as ``list_import_run`` does them, with no database."""
    from ecosystem.registries import loader, parsing
    from ecosystem.registries.columns import plain_columns

    started = time.perf_counter()
    sheet = parsing.open_sheet(content, name="list.csv")
    columns = plain_columns(
        sheet.lines,
        first_line=sheet.header_row,
        delimiter=sheet.dialect.delimiter,
        width=len(sheet.headers),
        mapping=sheet.mapping,
        batch=batch,
    )
    loader.copy_text(columns)
    return time.perf_counter() - started
