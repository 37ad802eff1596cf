"""A product version's two promises (first contact and decision, in working hours or
working days) and a lead's two clocks.

Existing versions keep their response time as the first-contact target, now in working
hours, and get a decision within 3 working days. Existing leads: the first-contact due
time is their due time; ``first_response_at`` (which claiming and assigning used to set)
becomes ``first_contact_at`` recomputed from the timeline (the first contact, offer or
decline), and ``decided_at`` is the first offer or decline. Their decision clock stays
empty: a lead opened before the promise existed is not escalated for it."""

from django.db import migrations, models
from django.db.models import F, OuterRef, Subquery


def _first_move(LeadNote, statuses):
    return Subquery(
        LeadNote.objects.filter(lead_id=OuterRef("pk"), to_status__in=statuses)
        .order_by("created_at", "id")
        .values("created_at")[:1]
    )


def backfill(apps, schema_editor):
    ProductVersion = apps.get_model("financing", "ProductVersion")
    ProductVersion.objects.update(
        first_contact_target=F("sla_hours"), first_contact_unit="hours"
    )
    backfill_lead_clocks(apps, schema_editor)


def backfill_lead_clocks(apps, schema_editor):
    """The clocks of existing leads, from their due time and their timeline (running it
    twice gives the same result)."""
    Lead = apps.get_model("financing", "Lead")
    LeadNote = apps.get_model("financing", "LeadNote")
    Lead.objects.update(
        first_contact_due_at=F("due_at"),
        first_contact_at=_first_move(LeadNote, ["contacted", "offer_made", "declined"]),
        decided_at=_first_move(LeadNote, ["offer_made", "declined"]),
    )


class Migration(migrations.Migration):
    dependencies = [("financing", "0007_lead_decline_reason")]

    operations = [
        migrations.AddField(
            model_name="productversion",
            name="first_contact_target",
            field=models.PositiveSmallIntegerField(default=8, verbose_name="first contact within"),
        ),
        migrations.AddField(
            model_name="productversion",
            name="first_contact_unit",
            field=models.CharField(
                choices=[("hours", "working hours"), ("days", "working days")],
                default="hours",
                max_length=8,
                verbose_name="first contact unit",
            ),
        ),
        migrations.AddField(
            model_name="productversion",
            name="decision_target",
            field=models.PositiveSmallIntegerField(default=3, verbose_name="decision within"),
        ),
        migrations.AddField(
            model_name="productversion",
            name="decision_unit",
            field=models.CharField(
                choices=[("hours", "working hours"), ("days", "working days")],
                default="days",
                max_length=8,
                verbose_name="decision unit",
            ),
        ),
        migrations.AddField(
            model_name="productversion",
            name="allows_direct_offer",
            field=models.BooleanField(
                default=False, verbose_name="offers without a separate contact"
            ),
        ),
        migrations.RenameField(
            model_name="lead", old_name="first_response_at", new_name="first_contact_at"
        ),
        migrations.AlterField(
            model_name="lead",
            name="first_contact_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="first contact"),
        ),
        migrations.AddField(
            model_name="lead",
            name="first_contact_due_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="first contact due"),
        ),
        migrations.AddField(
            model_name="lead",
            name="decision_due_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="decision due"),
        ),
        migrations.AddField(
            model_name="lead",
            name="decided_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="decided at"),
        ),
        migrations.AddField(
            model_name="lead",
            name="decision_escalated_at",
            field=models.DateTimeField(
                blank=True, null=True, verbose_name="decision escalated at"
            ),
        ),
        migrations.AlterField(
            model_name="leadnote",
            name="kind",
            field=models.CharField(
                choices=[
                    ("note", "note"),
                    ("contact", "contact with the enterprise"),
                    ("status", "status change"),
                    ("offer", "offer"),
                    ("disbursement", "disbursement"),
                    ("escalation", "escalation"),
                ],
                default="note",
                max_length=16,
                verbose_name="kind",
            ),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.RemoveField(model_name="productversion", name="sla_hours"),
    ]
