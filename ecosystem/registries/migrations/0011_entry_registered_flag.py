"""Whether a listed firm is registered here, kept on the entry by the database.

Reconciling a national list (150,000 entries against 1,000,000 enterprises) by joining
the two takes 0.6 to 1.7 s a statement (docs/slow-pages.md, "Official lists at national
size"); the flag and the ``registry_entry_reconcile`` index make its counts and its
outreach list index reads. On PostgreSQL triggers keep the flag:

- an entry inserted, or updated with a new code (or a flag written from a stale copy of
  the row, as a full ``save()`` does), has it computed before the write, from the
  enterprises' unique code index;
- enterprises inserted (one statement-level trigger per INSERT or COPY), deleted (likewise)
  or given another code (per row, only when the code changes) set it on the entries with
  their codes.

Other databases keep the column at False and reconciliation does not read it there.

The index is built before the flag is filled in: built after the fill, it would be
usable only once every snapshot older than it ended (PostgreSQL marks an index over
freshly updated rows ``indcheckxmin``), which a long transaction elsewhere delays.
"""

from django.db import migrations, models

FORWARD_SQL = [
    """
    CREATE FUNCTION registries_entry_registered() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
      NEW.registered := NEW.uscc > '' AND EXISTS (
        SELECT 1 FROM enterprises_enterprise e WHERE e.uscc = NEW.uscc);
      RETURN NEW;
    END $$
    """,
    """
    CREATE TRIGGER registries_entry_registered_insert
    BEFORE INSERT ON registries_registryentry
    FOR EACH ROW EXECUTE FUNCTION registries_entry_registered()
    """,
    """
    CREATE TRIGGER registries_entry_registered_update
    BEFORE UPDATE OF uscc, registered ON registries_registryentry
    FOR EACH ROW
    WHEN (NEW.uscc IS DISTINCT FROM OLD.uscc OR NEW.registered IS DISTINCT FROM OLD.registered)
    EXECUTE FUNCTION registries_entry_registered()
    """,
    """
    CREATE FUNCTION registries_enterprises_changed() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
      UPDATE registries_registryentry r
         SET registered = EXISTS (
               SELECT 1 FROM enterprises_enterprise e WHERE e.uscc = r.uscc)
       WHERE r.uscc IN (SELECT uscc FROM changed_enterprises WHERE uscc > '')
         AND r.registered IS DISTINCT FROM EXISTS (
               SELECT 1 FROM enterprises_enterprise e WHERE e.uscc = r.uscc);
      RETURN NULL;
    END $$
    """,
    """
    CREATE TRIGGER registries_enterprises_inserted
    AFTER INSERT ON enterprises_enterprise
    REFERENCING NEW TABLE AS changed_enterprises
    FOR EACH STATEMENT EXECUTE FUNCTION registries_enterprises_changed()
    """,
    """
    CREATE TRIGGER registries_enterprises_deleted
    AFTER DELETE ON enterprises_enterprise
    REFERENCING OLD TABLE AS changed_enterprises
    FOR EACH STATEMENT EXECUTE FUNCTION registries_enterprises_changed()
    """,
    """
    CREATE FUNCTION registries_enterprise_code_changed() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
      UPDATE registries_registryentry r
         SET registered = EXISTS (
               SELECT 1 FROM enterprises_enterprise e WHERE e.uscc = r.uscc)
       WHERE r.uscc IN (OLD.uscc, NEW.uscc) AND r.uscc > ''
         AND r.registered IS DISTINCT FROM EXISTS (
               SELECT 1 FROM enterprises_enterprise e WHERE e.uscc = r.uscc);
      RETURN NULL;
    END $$
    """,
    """
    CREATE TRIGGER registries_enterprise_code_changed
    AFTER UPDATE OF uscc ON enterprises_enterprise
    FOR EACH ROW WHEN (NEW.uscc IS DISTINCT FROM OLD.uscc)
    EXECUTE FUNCTION registries_enterprise_code_changed()
    """,
    """
    UPDATE registries_registryentry r SET registered = true
     WHERE r.uscc > '' AND EXISTS (SELECT 1 FROM enterprises_enterprise e WHERE e.uscc = r.uscc)
    """,
]

REVERSE_SQL = [
    "DROP TRIGGER registries_enterprise_code_changed ON enterprises_enterprise",
    "DROP FUNCTION registries_enterprise_code_changed()",
    "DROP TRIGGER registries_enterprises_deleted ON enterprises_enterprise",
    "DROP TRIGGER registries_enterprises_inserted ON enterprises_enterprise",
    "DROP FUNCTION registries_enterprises_changed()",
    "DROP TRIGGER registries_entry_registered_update ON registries_registryentry",
    "DROP TRIGGER registries_entry_registered_insert ON registries_registryentry",
    "DROP FUNCTION registries_entry_registered()",
]


def _run(statements):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for sql in statements:
            schema_editor.execute(sql, None)

    return apply


class Migration(migrations.Migration):
    dependencies = [
        ("registries", "0010_import_row_error_params"),
        ("enterprises", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="registryentry",
            name="registered",
            field=models.BooleanField(
                db_default=False, default=False, editable=False, verbose_name="registered here"
            ),
        ),
        migrations.AddIndex(
            model_name="registryentry",
            index=models.Index(
                fields=["program", "batch", "status", "registered", "uscc"],
                name="registry_entry_reconcile",
            ),
        ),
        migrations.RunPython(_run(FORWARD_SQL), _run(REVERSE_SQL), elidable=False),
    ]
