"""Extended statistics on the lead columns that move together (PostgreSQL only).

An RM's leads all sit in the RM's branch, and a branch belongs to one bank. Without
statistics on the pair, PostgreSQL multiplies the two filters' selectivities as if they
were independent: at national size it expected 30 of the RM's 5,299 leads in the branch
(``assigned_to_id = … AND branch_id = …``), chose a bitmap scan of all 5,299 with a sort
instead of the ordered ``lead_inbox_assignee_due`` index, and the inbox's "mine" page
query took 55–86 ms instead of 0.9 ms (docs/performance.md, session 9).
"""

from django.db import migrations

STATISTICS = (
    ("lead_assignee_branch_stats", "assigned_to_id, branch_id"),
    ("lead_branch_bank_stats", "branch_id, bank_id"),
)


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, columns in STATISTICS:
        schema_editor.execute(
            f"CREATE STATISTICS IF NOT EXISTS {name} (dependencies, ndistinct) "
            f"ON {columns} FROM financing_lead"
        )
    schema_editor.execute("ANALYZE financing_lead")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _ in STATISTICS:
        schema_editor.execute(f"DROP STATISTICS IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("financing", "0014_enterprise_financing_reverse_name")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
