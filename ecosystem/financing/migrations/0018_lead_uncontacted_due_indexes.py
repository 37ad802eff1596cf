"""Open leads nobody has contacted yet, by due time: the home pages' overdue counts.

A bank manager's home page counted the bank's overdue leads (``overdue_q``: open, past
``due_at``, no first contact) by reading every open lead of the bank (238,000 for the
national world's bank 1, 0.3–0.45 s), and a zone official's counted the zone's by
hashing every uncontacted lead (0.25 s). These partial indexes hold the uncontacted open
leads only, so a bank's count is one index range and a zone's one probe per firm
(docs/performance.md, "Session 10: medium pages"). ``offer_made_valid_until`` gives a
manager's home page its first offers awaiting an answer in order (it sorted all 80,000).
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("financing", "0017_chain_lead_summary"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="lead",
            index=models.Index(
                condition=models.Q(
                    ("first_contact_at__isnull", True),
                    ("status__in", ["new", "assigned", "contacted", "offer_made", "accepted"]),
                ),
                fields=["bank", "due_at"],
                name="lead_uncontacted_bank_due",
            ),
        ),
        migrations.AddIndex(
            model_name="lead",
            index=models.Index(
                condition=models.Q(
                    ("first_contact_at__isnull", True),
                    ("status__in", ["new", "assigned", "contacted", "offer_made", "accepted"]),
                ),
                fields=["enterprise", "due_at"],
                name="lead_uncontacted_firm_due",
            ),
        ),
        migrations.AddIndex(
            model_name="offer",
            index=models.Index(
                condition=models.Q(("status", "made")),
                fields=["valid_until", "id"],
                include=("lead",),
                name="offer_made_valid_until",
            ),
        ),
    ]
