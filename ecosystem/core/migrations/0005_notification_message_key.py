"""Notifications store their message key and arguments (``core.notices``) and are shown in
the reader's language. Rows from before keep ``message`` empty and show their stored
title and body, so no data migration is needed."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0004_calendarday"),
    ]

    operations = [
        migrations.AddField(
            model_name="notification",
            name="message",
            field=models.JSONField(
                blank=True, default=dict, verbose_name="message key and arguments"
            ),
        ),
    ]
