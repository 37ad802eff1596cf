"""The reconciliation index carries the entries' ids.

A list's page counts the claims its entries verified by joining the claims citing an
entry (``enterprises.claim_list_entry``) with the list's entries. Without the ids in
``registry_entry_reconcile`` that join read the list's 150,000 entries from the table
(a sequential scan of all 600,000: 170–250 ms at national size with 65,000 verified
claims citing the list); with them, from the index alone (85–100 ms). The index keeps
its keys, so the figures and the outreach list read it as before. The new index is built
before the old one is dropped (docs/performance.md, "Session 10: medium pages").
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("registries", "0011_entry_registered_flag"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="registryentry",
            index=models.Index(
                fields=["program", "batch", "status", "registered", "uscc"],
                include=("id",),
                name="registry_entry_reconcile_ids",
            ),
        ),
        migrations.RemoveIndex(
            model_name="registryentry",
            name="registry_entry_reconcile",
        ),
    ]
