"""The money paid out on the world's disbursed leads, by one INSERT … SELECT.

Each disbursed lead gets one disbursement, as ``disbursement_record`` would write it: on
the lead's accepted offer, of 60–100 % of the smaller of the offer and the lead's
indicative limit (to the ¥10,000), dated the day of the lead's decision (a day after the
offer was accepted; never after today), recorded by the lead's relationship manager.
Idempotent: a lead that has one is left alone, so the step also upgrades a world built
without disbursements (``upgrade``).
"""

from __future__ import annotations

#: A world built before disbursements answered a disbursed lead's offer at the lead's
#: decision; it is accepted an hour after it was made (``leads.ACCEPTED_AFTER``), so the
#: money goes out after the acceptance.
ACCEPTANCE_UPDATE = (
    "UPDATE financing_offer o SET responded_at = o.created_at + interval '1 hour' "
    "FROM financing_lead l WHERE l.id = o.lead_id AND l.status = 'disbursed' "
    "AND o.status = 'accepted' AND o.responded_at >= l.decided_at"
)
INSERT = (
    "INSERT INTO financing_disbursement "
    "(lead_id, offer_id, amount, disbursed_on, recorded_by_id, created_at) "
    "SELECT DISTINCT ON (l.id) l.id, o.id, "
    "round(LEAST(o.amount, l.indicative_limit) "
    "  * (60 + mod(hashint8extended(l.id, 19) & 2147483647, 41)) / 100, -4), "
    "LEAST((l.decided_at AT TIME ZONE %s)::date, (now() AT TIME ZONE %s)::date), "
    "l.assigned_to_id, l.decided_at "
    "FROM financing_lead l "
    "JOIN financing_offer o ON o.lead_id = l.id AND o.status = 'accepted' "
    "WHERE l.status = 'disbursed' AND l.decided_at IS NOT NULL "
    "AND NOT EXISTS (SELECT 1 FROM financing_disbursement d WHERE d.lead_id = l.id) "
    "ORDER BY l.id, o.id DESC"
)


def disbursements_add(cursor) -> int:
    """A disbursement for every disbursed lead without one; the rows written."""
    from django.conf import settings

    cursor.execute(ACCEPTANCE_UPDATE)
    cursor.execute(INSERT, [settings.TIME_ZONE, settings.TIME_ZONE])
    return cursor.rowcount


def disbursements_missing(cursor) -> int:
    """Disbursed leads without a disbursement."""
    cursor.execute(
        "SELECT count(*) FROM financing_lead l WHERE l.status = 'disbursed' "
        "AND NOT EXISTS (SELECT 1 FROM financing_disbursement d WHERE d.lead_id = l.id)"
    )
    return cursor.fetchone()[0]
