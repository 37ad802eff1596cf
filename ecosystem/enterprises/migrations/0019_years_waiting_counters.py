"""The yearly figures awaiting the zone's verification kept per zone and local day of
their ``updated_at`` (``enterprises.waiting.YEARS``): the tables, filled from the years
(two grouped ``INSERT … SELECT``; the day is the same ``TruncDate`` the sync uses). The
official's review queue trusts these counts, so they are never left empty after the
deploy; years saved meanwhile under the code before it are not counted:
``rebuild_summaries --waiting`` after the deploy; the nightly check reports it."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import Count
from django.db.models.functions import TruncDate


def fill(apps, schema_editor):
    year = apps.get_model("enterprises", "FinancialYear")
    members = apps.get_model("enterprises", "YearsWaitingMember")._meta.db_table
    zones = apps.get_model("enterprises", "ZoneYearsWaiting")._meta.db_table
    grouped = (
        year.objects.filter(verification_status="unverified")
        .annotate(day=TruncDate("updated_at"))
        .order_by()
        .values_list("enterprise_id", "enterprise__zone_id", "day")
        .annotate(n=Count("pk"))
    )
    sql, params = grouped.query.sql_with_params()
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {members} (enterprise_id, zone_id, day, years) {sql}",  # noqa: S608
            params,
        )
        cursor.execute(
            f"INSERT INTO {zones} (zone_id, day, years) "  # noqa: S608 - our tables
            f"SELECT zone_id, day, SUM(years) FROM {members} GROUP BY zone_id, day"
        )


class Migration(migrations.Migration):

    dependencies = [
        ('enterprises', '0018_access_log_firm_order'),
        ('zones', '0003_default_rejection_reasons'),
    ]

    operations = [
        migrations.CreateModel(
            name='YearsWaitingMember',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('day', models.DateField()),
                ('years', models.IntegerField()),
                ('enterprise', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='enterprises.enterprise')),
                ('zone', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='zones.zone')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('enterprise', 'day'), name='years_waiting_member_key')],
            },
        ),
        migrations.CreateModel(
            name='ZoneYearsWaiting',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('day', models.DateField()),
                ('years', models.IntegerField(default=0)),
                ('zone', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='zones.zone')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('zone', 'day'), name='zone_years_waiting_key')],
            },
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
