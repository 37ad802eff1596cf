import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("financing", "0004_lead_pipeline_offers"),
    ]

    operations = [
        migrations.AddField(
            model_name="lead",
            name="updated_at",
            field=models.DateTimeField(
                auto_now=True,
                db_index=True,
                default=django.utils.timezone.now,
                verbose_name="updated at",
            ),
            preserve_default=False,
        ),
    ]
