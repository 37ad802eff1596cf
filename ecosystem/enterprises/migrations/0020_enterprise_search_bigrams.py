"""Enterprises found by two characters of their name or credit code, from a bigram index.

A part of two characters, the usual length of a Chinese search, has no trigram for the
indexes of 0016 to look up: nationally it scanned the million firms (478 ms). A GIN index
of each firm's upper-cased two-character pieces of its name, English name and credit code
(``kj_search_bigrams``, used by ``enterprises.search.name_or_code_q``) answers it from the
index. ``pg_bigm`` would do the same but is not in Debian's PostgreSQL packages. On
PostgreSQL only: SQLite (``make run``) keeps the scan over a few hundred demo firms.
"""

from django.db import migrations

#: The pieces of the three columns joined by a separator (a piece across two columns holds
#: it, so it is never a two-character piece): the pairs at even offsets, then those at odd
#: offsets, each split off by a regular expression (about 8 us a firm; a set-returning
#: SQL body took 21). Pieces of one character or none are left in: no two-character part
#: equals them. COST 1000 tells the planner that evaluating it row by row is dear, so a
#: rare part is read from the index rather than by walking the firms in name order and
#: testing each (700 ms nationally for "AB").
FUNCTION = r"""
CREATE OR REPLACE FUNCTION kj_search_bigrams(a text, b text, c text) RETURNS text[]
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE COST 1000 AS $$
DECLARE
    joined text := upper(
        coalesce(a, '') || E'\x01' || coalesce(b, '') || E'\x01' || coalesce(c, '')
    );
BEGIN
    RETURN string_to_array(regexp_replace(joined, '(..)', E'\\1\x01', 'g'), E'\x01')
        || string_to_array(regexp_replace(substr(joined, 2), '(..)', E'\\1\x01', 'g'), E'\x01');
END
$$
"""
FORWARD_SQL = [
    FUNCTION,
    "CREATE INDEX IF NOT EXISTS enterprise_search_bigrams ON enterprises_enterprise "
    "USING gin (kj_search_bigrams(name::text, name_en::text, uscc::text))",
    # The index's expression gets statistics (how many firms hold a piece) only from an
    # ANALYZE; without them every part looks equally rare.
    "ANALYZE enterprises_enterprise",
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
