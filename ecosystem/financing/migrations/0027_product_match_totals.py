"""The products' match totals (``financing.match_totals``): the table, filled from the
matches (one grouped read of them: about a second nationally). Matches a rematch writes
while this runs, under the code before it, are not counted: ``rebuild_summaries
--match-totals`` after the deploy (docs/deploy.md); the nightly check reports it."""

import django.db.models.deletion
from django.db import migrations, models

FILL = (
    "INSERT INTO financing_productmatchtotal (product_id, matches, exposure) "
    "SELECT product_id, COUNT(*), SUM(indicative_limit) FROM financing_match GROUP BY product_id"
)


class Migration(migrations.Migration):
    dependencies = [
        ("financing", "0026_match_computed_order"),
    ]

    operations = [
        migrations.CreateModel(
            name="ProductMatchTotal",
            fields=[
                (
                    "product",
                    models.OneToOneField(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to="financing.product",
                    ),
                ),
                ("matches", models.BigIntegerField(default=0)),
                ("exposure", models.DecimalField(decimal_places=2, default=0, max_digits=30)),
            ],
        ),
        migrations.RunSQL(FILL, reverse_sql=migrations.RunSQL.noop),
    ]
