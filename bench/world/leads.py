"""The world's leads in every state, their notes and offers, and the consents, written
by COPY."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from bench.world.db import copy_rows
from bench.world.firms import pick

#: Share of leads per status (the rest: new). Every state the workflow has.
STATUS_MIX = (
    ("assigned", 0.15),
    ("contacted", 0.15),
    ("offer_made", 0.08),
    ("accepted", 0.04),
    ("disbursed", 0.10),
    ("declined", 0.12),
    ("withdrawn", 0.05),
    ("expired", 0.06),
)
#: The bank that holds this share of all leads (its inbox is the one measured).
BIG_BANK_SHARE = 1 / 3
NOTE = "客户已提交材料，待补充财务报表。"
OFFER_STATUS = {"offer_made": "made", "accepted": "accepted", "disbursed": "accepted"}
#: A disbursed lead's offer was accepted this long after it was made (a day after the
#: lead was created); the money went out at the lead's decision, a day after creation
#: plus this (``disbursements.disbursements_add``).
ACCEPTED_AFTER = timedelta(hours=1)


@dataclass(frozen=True)
class LeadRow:
    status: str
    assigned: int | None
    created: datetime


def leads_copy(
    cursor, *, rng: random.Random, ids: list, made, now: datetime
) -> tuple[list, list[LeadRow]]:
    """A lead per enterprise in ``ids`` (a third at the big bank) in a status of
    ``STATUS_MIX``, carrying its enterprise's zone (round-robin over the zones, as the
    enterprises were written); the leads' ids and what their notes and offers need."""
    banks, big = made.banks, made.banks[0]
    rows: list[LeadRow] = []

    def leads():
        for i, enterprise_id in enumerate(ids):
            bank = big if rng.random() < BIG_BANK_SHARE else banks[rng.randrange(len(banks))]
            status = pick(rng, STATUS_MIX, "new")
            if i == 0:  # the crawl's enterprise: an offer from the big bank
                bank, status = big, "offer_made"
            versions = made.versions_of[bank.pk]
            product_id, version_id = versions[i % len(versions)]
            z = i % len(made.zones)  # the firm's zone (``firms.enterprises_copy``)
            zone, branch_id = made.zones[z], made.branch_of[(bank.pk, f"z{z:02d}")]
            created = now - timedelta(days=rng.randint(0, 365), minutes=i % 1440)
            due = created + timedelta(hours=8)
            assigned = None if status == "new" else made.rm_of[branch_id]
            contacted = status not in ("new", "assigned")
            decided = status in ("disbursed", "declined", "withdrawn", "expired")
            rows.append(LeadRow(status, assigned, created))
            yield (
                enterprise_id,
                zone.pk,
                product_id,
                version_id,
                bank.pk,
                branch_id,
                status,
                "apply",
                Decimal(rng.randrange(50, 3000) * 10_000),
                created,
                assigned,
                due,
                due,
                created + timedelta(days=3),
                created + timedelta(hours=4) if contacted else None,
                created + timedelta(days=2) if decided else None,
                None,
                None,
                created + timedelta(days=1),
                "outside_policy" if status == "declined" else "",
                "",
                "",
                "",
            )

    copy_rows(
        cursor,
        "financing_lead",
        "enterprise_id zone_id product_id product_version_id bank_id branch_id status source "
        "indicative_limit created_at assigned_to_id due_at first_contact_due_at "
        "decision_due_at first_contact_at decided_at escalated_at "
        "decision_escalated_at updated_at decline_reason decline_note need_purpose "
        "need_collateral".split(),
        leads(),
    )
    cursor.execute("SELECT id FROM financing_lead ORDER BY id")
    return [row[0] for row in cursor.fetchall()][-len(ids) :], rows


def notes_copy(cursor, *, lead_ids: list, rows: list[LeadRow]) -> int:
    """Each lead past ``new``: its status note; a third: a free note."""

    def notes():
        for lead_id, row in zip(lead_ids, rows, strict=True):
            if row.status != "new":
                yield (lead_id, "status", row.assigned, "", "new", row.status, "", row.created)
            if lead_id % 3 == 0:
                yield (lead_id, "note", row.assigned, NOTE, "", "", "", row.created)

    return copy_rows(
        cursor,
        "financing_leadnote",
        "lead_id kind author_id body from_status to_status reason_code created_at".split(),
        notes(),
    )


def offers_copy(cursor, *, lead_ids: list, rows: list[LeadRow]) -> int:
    """An offer of ¥1,000,000 on each lead that reached one, made a day after the lead;
    answered a day later, or (disbursed: the money went out then) an hour later."""

    def offers():
        for lead_id, row in zip(lead_ids, rows, strict=True):
            if row.status not in OFFER_STATUS:
                continue
            made_at = row.created + timedelta(days=1)
            if row.status == "disbursed":
                answered = made_at + ACCEPTED_AFTER
            else:
                answered = row.created + timedelta(days=2) if row.status == "accepted" else None
            yield (
                lead_id,
                Decimal(1_000_000),
                Decimal("3.8500"),
                12,
                "",
                row.created + timedelta(days=14),
                "",
                OFFER_STATUS[row.status],
                row.assigned,
                made_at,
                answered,
                None,
            )

    return copy_rows(
        cursor,
        "financing_offer",
        "lead_id amount rate term_months conditions valid_until override_reason status "
        "created_by_id created_at responded_at responded_by_id".split(),
        offers(),
    )


def consents_copy(cursor, *, now: datetime) -> int:
    """Active for 80% of the (enterprise, bank) pairs with a lead; a revoked one before
    it for a tenth."""
    cursor.execute("SELECT DISTINCT enterprise_id, bank_id FROM financing_lead ORDER BY 1, 2")
    pairs = cursor.fetchall()

    def consents():
        for k, (enterprise_id, bank_id) in enumerate(pairs):
            granted = now - timedelta(days=k % 700)
            if k % 10 == 0:
                yield (enterprise_id, bank_id, "financing", "v1", granted, granted)
            if k % 5 != 4:
                yield (enterprise_id, bank_id, "financing", "v2", granted, None)

    return copy_rows(
        cursor,
        "enterprises_consent",
        "enterprise_id bank_id purpose text_version granted_at revoked_at".split(),
        consents(),
    )
