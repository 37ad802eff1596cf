"""Financing's Celery tasks (thin wrappers around services; names are explicit and
stable, since the outbox and the beat schedule store them): ``matching`` and ``leads``."""

from ecosystem.financing.tasks.leads import (
    escalate_overdue_leads,
    expire_campaign_invitations,
    expire_offers,
    expire_stale_leads,
)
from ecosystem.financing.tasks.matching import (
    CHUNK,
    rematch_all,
    rematch_enterprise,
    rematch_product,
    rematch_range,
    sweep_rematch_markers,
)

__all__ = [
    "CHUNK",
    "escalate_overdue_leads",
    "expire_campaign_invitations",
    "expire_offers",
    "expire_stale_leads",
    "rematch_all",
    "rematch_enterprise",
    "rematch_product",
    "rematch_range",
    "sweep_rematch_markers",
]
