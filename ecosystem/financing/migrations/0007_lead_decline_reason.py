"""The decline record on the lead (reason code and the bank's note), back-filled for
leads declined before it existed from the latest decline entry of their timeline."""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery, Value
from django.db.models.functions import Coalesce


def backfill_decline_reasons(apps, schema_editor):
    """Copy the reason code and note of each declined lead's latest move to
    ``declined`` onto the lead. One UPDATE with correlated subqueries (SQLite and
    PostgreSQL alike); leads that already carry a reason are left alone, so running it
    twice changes nothing. ``updated_at`` is not bumped: nothing a reader sees changed."""
    Lead = apps.get_model("financing", "Lead")
    LeadNote = apps.get_model("financing", "LeadNote")
    latest = LeadNote.objects.filter(lead_id=OuterRef("pk"), to_status="declined").order_by("-id")
    Lead.objects.filter(status="declined", decline_reason="").update(
        decline_reason=Coalesce(Subquery(latest.values("reason_code")[:1]), Value("")),
        decline_note=Coalesce(Subquery(latest.values("body")[:1]), Value("")),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("financing", "0006_productversion_chain_criteria"),
    ]

    operations = [
        migrations.AddField(
            model_name="lead",
            name="decline_note",
            field=models.TextField(blank=True, verbose_name="decline note"),
        ),
        migrations.AddField(
            model_name="lead",
            name="decline_reason",
            field=models.CharField(
                blank=True,
                choices=[
                    ("revenue_too_low", "Revenue below the product's threshold"),
                    ("rd_too_low", "R&D spending below the product's threshold"),
                    ("credit_history", "Adverse credit history"),
                    ("existing_debt", "Existing debt too high"),
                    ("missing_documents", "Documents missing or not verifiable"),
                    ("outside_policy", "Outside the bank's lending policy"),
                    ("no_response", "The enterprise could not be reached"),
                ],
                max_length=32,
                verbose_name="decline reason",
            ),
        ),
        migrations.RunPython(backfill_decline_reasons, migrations.RunPython.noop),
    ]
