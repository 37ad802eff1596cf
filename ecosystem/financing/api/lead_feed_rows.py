"""The leads feed's page as plain rows: what ``LeadApiSerializer(many=True)`` renders,
built from ``.values()`` without model instances or DRF fields per row.

A page of 50 leads through the serializer built ~1,400 model instances and walked every
field of every lead and offer through DRF (``get_attribute``, ``enforce_timezone``,
``quantize``): most of a feed request's Python time. Here one query reads the page's
columns, one its offers, and each row is a dict in the serializer's key order, each
value formatted as DRF formats it (decimals by the serializer's own fields, built once
per process; date-times in the current time zone, ISO 8601 with ``Z`` for UTC).

``LeadApiSerializer`` stays the schema (``LeadFeedSerializer``) and renders single leads;
``tests/unit/test_lead_feed_rows.py`` compares both on varied leads, byte for byte.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.translation import get_language

from ecosystem.financing import workflow
from ecosystem.financing.models import Lead, Offer
from ecosystem.financing.selectors import lead_offers

#: Lead columns in the order of ``LeadApiSerializer.Meta.fields`` where they appear.
LEAD_VALUES = (
    *("id", "status", "source", "product_id", "bank_id", "branch_id", "indicative_limit"),
    *("need_id", "need_amount", "need_term_months", "need_purpose", "need_collateral"),
    *("assigned_to_id", "due_at", "first_contact_at", "first_contact_due_at"),
    *("decision_due_at", "decided_at", "escalated_at", "decision_escalated_at"),
    *("created_at", "updated_at", "decline_reason", "enterprise_id", "consented", "own"),
    *("enterprise__name", "enterprise__uscc", "enterprise__contact_name"),
    *("enterprise__contact_phone", "enterprise__contact_email"),
    *("product__name_zh", "product__name_en", "product_version__number"),
    *("branch__name_zh", "branch__name_en"),
)
OFFER_VALUES = (
    *("id", "lead_id", "amount", "rate", "term_months", "conditions", "valid_until"),
    *("status", "created_at", "responded_at"),
)


def _labels(model, field_name: str) -> dict[Any, str]:
    return {v: force_str(label) for v, label in model._meta.get_field(field_name).flatchoices}


@cache
def _decimal_fields():
    """The serializers' own decimal fields (their digits and rounding), built once."""
    from ecosystem.financing.api.lead_serializers import (
        LeadApiSerializer,
        LeadNeedSerializer,
        LeadOfferSerializer,
    )

    offer = LeadOfferSerializer().fields
    return (
        LeadApiSerializer().fields["indicative_limit"].to_representation,
        LeadNeedSerializer().fields["amount"].to_representation,
        offer["amount"].to_representation,
        offer["rate"].to_representation,
    )


def _named(zh: str, en: str | None, english: bool) -> str:
    """``core.i18n``'s ``name``: English when asked for and present, else Chinese."""
    return en if english and en else zh


class FeedRows:
    """Renders pages of the feed in the active language (labels resolved once)."""

    def __init__(self):
        self.english = (get_language() or "zh-hans").lower().startswith("en")
        self.tz = timezone.get_current_timezone()
        self.status_labels = _labels(Lead, "status")
        self.purpose_labels = _labels(Lead, "need_purpose")
        self.collateral_labels = _labels(Lead, "need_collateral")
        self.reason_labels = _labels(Lead, "decline_reason")
        self.reason_texts = {c: str(t) for c, t in workflow.DECLINE_REASON_TEXTS.items()}
        self.offer_labels = _labels(Offer, "status")
        (self.limit, self.need_amount, self.offer_amount, self.rate) = _decimal_fields()

    def when(self, value):
        if value is None:
            return None
        text = value.astimezone(self.tz).isoformat()
        return text[:-6] + "Z" if text.endswith("+00:00") else text

    def offer(self, row: dict, need_amount) -> dict:
        when = self.when
        amount = row["amount"]
        difference = None if need_amount is None or amount is None else amount - need_amount
        return {
            "id": row["id"],
            "lead": row["lead_id"],
            "amount": None if amount is None else self.offer_amount(amount),
            "rate": None if row["rate"] is None else self.rate(row["rate"]),
            "term_months": row["term_months"],
            "conditions": row["conditions"],
            "valid_until": when(row["valid_until"]),
            "status": row["status"],
            "status_label": self.offer_labels.get(row["status"], row["status"]),
            "created_at": when(row["created_at"]),
            "responded_at": when(row["responded_at"]),
            "difference_from_need": None if difference is None else f"{difference:.2f}",
        }

    def need(self, row: dict) -> dict | None:
        amount = row["need_amount"]
        if amount is None:
            return None
        purpose, collateral, term = (
            row["need_purpose"],
            row["need_collateral"],
            row["need_term_months"],
        )
        return {
            "id": row["need_id"],
            "amount": self.need_amount(amount),
            "term_months": None if term is None else int(term),
            "purpose": purpose,
            "purpose_label": self.purpose_labels.get(purpose, purpose),
            "collateral": collateral,
            "collateral_label": self.collateral_labels.get(collateral, collateral),
        }

    def lead(self, row: dict, offers: list[dict]) -> dict:
        when, status = self.when, row["status"]
        shown = bool(row["own"] or row["consented"])
        due_at = row["due_at"]
        overdue = bool(
            status in workflow.OPEN
            and due_at is not None
            and row["first_contact_at"] is None
            and due_at < timezone.now()
        )
        reason = row["decline_reason"] if status == Lead.Status.DECLINED else ""
        limit = row["indicative_limit"]
        return {
            "id": row["id"],
            "status": status,
            "status_label": self.status_labels.get(status, status),
            "source": row["source"],
            "product": row["product_id"],
            "product_name": _named(row["product__name_zh"], row["product__name_en"], self.english),
            "version": row["product_version__number"],
            "bank": row["bank_id"],
            "branch": row["branch_id"],
            "branch_name": _named(row["branch__name_zh"], row["branch__name_en"], self.english),
            "indicative_limit": None if limit is None else self.limit(limit),
            "need": self.need(row),
            "assigned_to": row["assigned_to_id"],
            "due_at": when(due_at),
            "overdue": overdue,
            "first_contact_at": when(row["first_contact_at"]),
            "first_contact_due_at": when(row["first_contact_due_at"]),
            "decision_due_at": when(row["decision_due_at"]),
            "decided_at": when(row["decided_at"]),
            "escalated_at": when(row["escalated_at"]),
            "decision_escalated_at": when(row["decision_escalated_at"]),
            "created_at": when(row["created_at"]),
            "updated_at": when(row["updated_at"]),
            "masked": not shown,
            "enterprise": {
                "id": row["enterprise_id"],
                "name": row["enterprise__name"],
                "uscc": row["enterprise__uscc"],
                "contact_name": row["enterprise__contact_name"],
                "contact_phone": row["enterprise__contact_phone"],
                "contact_email": row["enterprise__contact_email"],
            }
            if shown
            else None,
            "reason_code": reason,
            "reason_label": self.reason_labels.get(reason, reason) if reason else "",
            "reason_text": self.reason_texts.get(reason, ""),
            "offers": [self.offer(o, row["need_amount"]) for o in offers],
        }


def feed_values(leads: QuerySet[Lead]) -> QuerySet:
    """``leads`` (from ``leads_visible_to``) as the dicts ``FeedRows.lead`` reads."""
    return leads.select_related(None).prefetch_related(None).values(*LEAD_VALUES)


def feed_page(rows: list[dict]) -> list[dict]:
    """The page's leads rendered, with their offers (one query, newest first)."""
    offers: dict[int, list[dict]] = {row["id"]: [] for row in rows}
    if offers:
        for offer in lead_offers().filter(lead_id__in=list(offers)).values(*OFFER_VALUES):
            offers[offer["lead_id"]].append(offer)
    render = FeedRows()
    return [render.lead(row, offers[row["id"]]) for row in rows]
