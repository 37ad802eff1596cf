"""Enterprises found by a part of their name or credit code, from trigram indexes.

The enterprise API's ``q`` filter (``api.filters.EnterpriseFilter``: part of the Chinese
name, the English name or the credit code) is three ``UPPER(column) LIKE UPPER('%part%')``
joined by OR, which no B-tree index serves: nationally (1,000,000 firms) a platform admin
looking up one firm by a part of its name or code waited 1.3–2.0 s for a sequential scan
of the whole table. A GIN index of each column's trigrams (``pg_trgm``, as registries 0013
for list entries; Chinese names split into trigrams too) answers the OR as a BitmapOr of
the three: about 1 ms (docs/performance.md, "Session 14"). On PostgreSQL only: SQLite
(``make run``) keeps the scan over a few hundred demo firms. Building them nationally
takes ~13 s.
"""

from django.db import migrations

COLUMNS = {
    "enterprise_name_trgm": "name",
    "enterprise_name_en_trgm": "name_en",
    "enterprise_uscc_trgm": "uscc",
}
FORWARD_SQL = ["CREATE EXTENSION IF NOT EXISTS pg_trgm"] + [
    f"CREATE INDEX IF NOT EXISTS {index} ON enterprises_enterprise "
    f"USING gin (upper({column}::text) gin_trgm_ops)"
    for index, column in COLUMNS.items()
]
REVERSE_SQL = [f"DROP INDEX IF EXISTS {index}" for index in COLUMNS]


def _run(statements):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [
        ("enterprises", "0015_verified_programs_counters"),
    ]

    operations = [
        migrations.RunPython(_run(FORWARD_SQL), _run(REVERSE_SQL), elidable=False),
    ]
