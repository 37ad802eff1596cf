"""A list's claims read from the claims that cite a list entry, not from every claim.

The reconciliation page of a national list (150,000 entries) counted and listed the
claims the list verified or revoked by joining every verified claim with the list's
entries: 0.3 s for the count and 2 s for the first 50 by firm name, even with no claim
citing the list (docs/performance.md, "Session 10: medium pages"). ``claim_list_entry``
holds only the claims that cite an entry, by entry and status, and replaces the plain
foreign-key index on ``registry_entry`` (which also held every claim citing none). It is
built before the old one is dropped, so look-ups by entry always have an index.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("enterprises", "0010_list_order_indexes"),
        ("registries", "0011_entry_registered_flag"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="qualificationclaim",
            index=models.Index(
                condition=models.Q(("registry_entry__isnull", False)),
                fields=["registry_entry", "status"],
                include=("enterprise",),
                name="claim_list_entry",
            ),
        ),
        migrations.AlterField(
            model_name="qualificationclaim",
            name="registry_entry",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="verified_claims",
                to="registries.registryentry",
                verbose_name="verified by registry entry",
            ),
        ),
    ]
