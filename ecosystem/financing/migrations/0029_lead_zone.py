"""The enterprise's zone kept on each lead (``Lead.zone``), so the dashboards' leads with a
clock still ahead (``insights.ahead``) are grouped and filtered by zone without probing
every such lead's firm; the undecided leads' covering index includes it.

The column is added nullable and without its foreign key, filled from the firms, then
made NOT NULL and given its (deferred) foreign key, validated by one scan (a key added
before the fill would queue a deferred check per lead, and PostgreSQL refuses to alter a
table with checks pending). On PostgreSQL the fill rewrites the table once
(``ALTER COLUMN … TYPE … USING`` the firm's zone, read by a temporary function): the rows
written in order and every index built anew, where an ``UPDATE … FROM`` wrote a second
version of each lead and inserted it into each of the table's 27 indexes one by one.
Elsewhere (SQLite) a correlated subquery.

At 1,000,000 leads (a synthetic lead table with the same 27 indexes, 171 MB of rows;
PostgreSQL 15, 2 cores, load 1-2; docs/performance.md "Session 19"): the rewrite
11.8-12.2 s (the ``UPDATE … FROM`` took 101.8-111.8 s and left the table and its indexes
1,384 MB instead of 682), NOT NULL and the key 0.4 s, the covering index 0.6-0.8 s. The
national world's leads are 308 MB of rows: expect about twice that. The leads can be
neither read nor written meanwhile (ACCESS EXCLUSIVE, as for any column added, until the
migration commits). Then run ``VACUUM ANALYZE financing_lead``: a rewritten table's
visibility map is empty, so its index-only scans read the rows until it is vacuumed.

On PostgreSQL a lead inserted without a zone takes its firm's (``financing_lead_zone``, a
``BEFORE INSERT`` trigger, only when the zone is NULL): the previous release keeps
opening leads while this one deploys (docs/deploy.md: migrations run while it still
serves), and so does a bulk writer that names no zone. A zone move under the previous
release leaves its firm's leads in the old zone: ``rebuild_summaries --check`` reports
them (``lead_zones``) and ``rebuild_summaries`` sets them."""

import django.db.models.deletion
from django.db import migrations, models

#: The fill on PostgreSQL (``bench.slow_pages --setup-sql`` runs it too).
FILL_SQL = (
    "CREATE FUNCTION pg_temp.kj_lead_zone(bigint) RETURNS bigint LANGUAGE sql STABLE "
    "AS 'SELECT zone_id FROM enterprises_enterprise WHERE id = $1'; "
    "ALTER TABLE financing_lead ALTER COLUMN zone_id TYPE bigint "
    "USING pg_temp.kj_lead_zone(enterprise_id); "
    "DROP FUNCTION pg_temp.kj_lead_zone(bigint)"
)


#: A lead inserted without a zone (the previous release, a bulk writer) takes its firm's.
TRIGGER_SQL = (
    "CREATE FUNCTION financing_lead_zone() RETURNS trigger LANGUAGE plpgsql AS $$ "
    "BEGIN SELECT zone_id INTO NEW.zone_id FROM enterprises_enterprise "
    "WHERE id = NEW.enterprise_id; RETURN NEW; END $$; "
    "CREATE TRIGGER financing_lead_zone BEFORE INSERT ON financing_lead FOR EACH ROW "
    "WHEN (NEW.zone_id IS NULL) EXECUTE FUNCTION financing_lead_zone()"
)


def fill(apps, schema_editor):
    """Each lead's zone from its enterprise."""
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(FILL_SQL)
        return
    lead = apps.get_model("financing", "Lead")
    enterprise = apps.get_model("enterprises", "Enterprise")
    zone = enterprise.objects.filter(pk=models.OuterRef("enterprise_id")).values("zone_id")[:1]
    lead.objects.update(zone_id=models.Subquery(zone))


def trigger_add(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(TRIGGER_SQL)


def trigger_drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute("DROP TRIGGER financing_lead_zone ON financing_lead")
            cursor.execute("DROP FUNCTION financing_lead_zone()")


class Migration(migrations.Migration):
    dependencies = [
        ("enterprises", "0020_enterprise_search_bigrams"),
        ("financing", "0028_match_export_cover"),
        ("zones", "0003_default_rejection_reasons"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="lead",
            name="lead_undecided_due_cover",
        ),
        migrations.AddField(
            model_name="lead",
            name="zone",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="leads",
                to="zones.zone",
                verbose_name="zone",
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=False),
        migrations.AlterField(
            model_name="lead",
            name="zone",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="leads",
                to="zones.zone",
                verbose_name="zone",
            ),
        ),
        migrations.AddIndex(
            model_name="lead",
            index=models.Index(
                condition=models.Q(("decided_at__isnull", True)),
                fields=["decision_due_at"],
                include=("id", "enterprise", "bank", "branch", "product", "status", "zone"),
                name="lead_undecided_due_cover",
            ),
        ),
        migrations.RunPython(trigger_add, trigger_drop, elidable=False),
    ]
