"""Enterprises found by two characters of their name or credit code, from a bigram index.

A part of two characters, the usual length of a Chinese search, has no trigram for the
indexes of 0016 to look up: nationally it scanned the million firms (478 ms). A GIN index
of each firm's upper-cased two-character pieces of its name, English name and credit code
(``kj_search_bigrams``, used by ``enterprises.search.name_or_code_q``) answers it from the
index. ``pg_bigm`` would do the same but is not in Debian's PostgreSQL packages. On
PostgreSQL only: SQLite (``make run``) keeps the scan over a few hundred demo firms.
"""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION kj_search_bigrams(a text, b text, c text) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT coalesce(array_agg(DISTINCT substr(part, i, 2)), '{}'::text[])
    FROM unnest(ARRAY[upper(a), upper(b), upper(c)]) AS part,
         generate_series(1, char_length(part) - 1) AS i
    WHERE part IS NOT NULL
$$
"""
FORWARD_SQL = [
    FUNCTION,
    "CREATE INDEX IF NOT EXISTS enterprise_search_bigrams ON enterprises_enterprise "
    "USING gin (kj_search_bigrams(name::text, name_en::text, uscc::text))",
]
REVERSE_SQL = [
    "DROP INDEX IF EXISTS enterprise_search_bigrams",
    "DROP FUNCTION IF EXISTS kj_search_bigrams(text, text, text)",
]


def _run(statements):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [
        ("enterprises", "0019_years_waiting_counters"),
    ]

    operations = [
        migrations.RunPython(_run(FORWARD_SQL), _run(REVERSE_SQL), elidable=False),
    ]
