"""List entries found by a part of their name, from a trigram index.

A zone official reviewing a claim sees the list entries under another credit code whose
name contains the enterprise's core name (``review.selectors.similar_registry_entries``,
a renamed firm or a mistyped code): ``UPPER(name) LIKE UPPER('%core%')``, which no
B-tree index serves. At national size (600,000 entries) that was a parallel sequential
scan of the whole table, 260–420 ms of the claim page's 300–450. A GIN index of the
name's trigrams (``pg_trgm``, trusted: the database owner may create it; Chinese names
split into trigrams too) answers it from the index. On PostgreSQL only: SQLite (``make
run``) keeps the scan, over a few hundred demo entries.
"""

from django.db import migrations

FORWARD_SQL = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS registry_entry_name_trgm ON registries_registryentry "
    "USING gin (upper(name::text) gin_trgm_ops)",
]
REVERSE_SQL = ["DROP INDEX IF EXISTS registry_entry_name_trgm"]


def _run(statements):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [
        ("registries", "0012_reconcile_index_with_ids"),
    ]

    operations = [
        migrations.RunPython(_run(FORWARD_SQL), _run(REVERSE_SQL), elidable=False),
    ]
