"""A firm's access log newest first from one index (enterprise, viewed_at DESC, id DESC),
which also serves the foreign key (its own index dropped: the log's writes keep five
indexes). Without it the members' page walked every firm's entries by time (8.9 s in the
national crawl, session 14)."""


import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("enterprises", "0017_year_verified_latest"),
        ("financing", "0028_match_export_cover"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="accesslogentry",
            name="enterprise",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="access_log",
                to="enterprises.enterprise",
                verbose_name="enterprise",
            ),
        ),
        migrations.AddIndex(
            model_name="accesslogentry",
            index=models.Index(
                fields=["enterprise", "-viewed_at", "-id"], name="access_log_firm_order"
            ),
        ),
    ]
